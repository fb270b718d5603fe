import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type postgres from 'postgres';
import { idempotencyKeys } from '../../db/schema/index.ts';
import { type AuditEntry, auditPayload } from '../audit/chain.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, type OperationContext } from '../core/operation.ts';
import type { Reading } from './readings.ts';
import { BLOOD_GLUCOSE_LOINC, CGM_GLUCOSE_LOINC, vitalKinds, vitalsFromReadings } from './readings.ts';
import { type Screen, screenGlucose, screenVitals } from './screen.ts';

export const TRIAGE_QUEUE = 'triage';
/** Vital signs taken within this window are scored together as one NEWS2 set. */
export const VITALS_WINDOW_MINUTES = 60;
/** A device silent for more than this many expected intervals had a data gap. */
export const STALE_INTERVALS = 3;

export interface IngestRequest {
  patientId: string;
  deviceId?: string | undefined;
  effectiveAt: Date;
  readings: Reading[];
  spo2Scale: 1 | 2;
  source: 'app' | 'fhir';
  fhir?: unknown;
}

export interface IngestResult {
  observationIds: string[];
  escalation: {
    escalationId: string;
    condition: string;
    level: string;
    severity: number;
    status: string;
    summary: string;
  } | null;
}

export interface IdempotencyClaim {
  owner: string;
  key: string;
  requestHash: string;
}

/** The stored answer for an idempotency key, or an error when the key was used for another request. */
export async function replayIdempotent(
  ctx: OperationContext,
  claim: IdempotencyClaim,
): Promise<IngestResult | null> {
  const [row] = await ctx.database.db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.owner, claim.owner), eq(idempotencyKeys.key, claim.key)));
  if (!row) return null;
  if (row.requestHash !== claim.requestHash) {
    throw new OperationError(
      'conflict',
      `Idempotency-Key ${claim.key} was already used with a different request body`,
      [{ field: 'Idempotency-Key', message: 'reused with a different body' }],
    );
  }
  return row.response as IngestResult;
}

/** The patient's vital signs taken in the NEWS2 window up to `at`, newest first. */
export function recentVitals(pg: postgres.Sql, patientId: string, at: Date) {
  const since = new Date(at.getTime() - VITALS_WINDOW_MINUTES * 60_000);
  return pg<{ kind: string; value: number }[]>`
    select kind, value from observations
    where patient_id = ${patientId} and kind in ${pg(vitalKinds)}
      and effective_at >= ${since.toISOString()} and effective_at <= ${at.toISOString()}
    order by effective_at desc`;
}

async function screenRequest(pg: postgres.Sql, req: IngestRequest): Promise<Screen | null> {
  const glucose = req.readings.find((r) => r.kind === 'glucose');
  const glucoseScreen = glucose ? screenGlucose(glucose.value) : null;
  if (!req.readings.some((r) => vitalKinds.includes(r.kind))) return glucoseScreen;
  const recent = await recentVitals(pg, req.patientId, req.effectiveAt);
  const vitalsScreen = screenVitals(vitalsFromReadings([...req.readings, ...recent], req.spo2Scale));
  if (!glucoseScreen) return vitalsScreen;
  if (!vitalsScreen) return glucoseScreen;
  const order = { emergency: 0, urgent: 1, notify: 2, advice: 3 };
  return order[glucoseScreen.level] <= order[vitalsScreen.level] ? glucoseScreen : vitalsScreen;
}

/** The errors `ingest_write` raises, as the operation's own. */
function ingestWriteError(err: unknown, req: IngestRequest): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'P0002') {
    return new OperationError('not_found', `No patient ${req.patientId}`, [
      { field: 'patientId', message: 'unknown patient' },
    ]);
  }
  if (code === '22023') {
    return new OperationError(
      'invalid',
      `Device ${req.deviceId} is not registered to patient ${req.patientId}`,
      [{ field: 'deviceId', message: 'not a device of this patient' }],
    );
  }
  return err;
}

/**
 * Stores readings and, when they escalate, the escalation and its triage job — all in one
 * transaction with the audit entry and the idempotency record, so a retry or a crash can neither
 * lose an accepted escalation nor create a second one.
 *
 * The decisions are made here; the writes are one call of the `ingest_write` database function
 * (migration 0003), a single statement and so a single transaction: this is the hottest write path.
 */
export async function ingestObservations(
  ctx: OperationContext,
  req: IngestRequest,
  idempotency?: IdempotencyClaim,
): Promise<IngestResult> {
  assertPatientAccess(ctx, req.patientId);
  const now = ctx.clock.now();
  const pg = ctx.database.sql;
  const screen = await screenRequest(pg, req);
  const readings = req.readings.map((r) => ({
    id: randomUUID(),
    kind: r.kind,
    code: r.code,
    // A blood-glucose code from a CGM is stored as the CGM's interstitial glucose code.
    cgmCode: r.kind === 'glucose' && r.code === BLOOD_GLUCOSE_LOINC ? CGM_GLUCOSE_LOINC : null,
    value: r.value,
    unit: r.unit,
  }));
  const result: IngestResult = { observationIds: readings.map((r) => r.id), escalation: null };
  let escalation: Record<string, unknown> | null = null;
  if (screen) {
    const escalationId = randomUUID();
    const trigger = readings.find((r) =>
      screen.condition === 'news2' ? r.kind !== 'glucose' : r.kind === 'glucose',
    )!;
    escalation = {
      id: escalationId,
      observationId: trigger.id,
      condition: screen.condition,
      severity: screen.severity,
      level: screen.level,
      screen: { ...screen, spo2Scale: req.spo2Scale },
      message: `Accepted: ${screen.summary}; triage queued`,
      queue: TRIAGE_QUEUE,
    };
    result.escalation = { escalationId, ...screen, status: 'accepted' };
  }
  const audit: AuditEntry = {
    at: now,
    actor: ctx.actor.id,
    onBehalfOf: ctx.onBehalfOf ?? req.patientId,
    agentRunId: ctx.agentRunId,
    tool: 'record_observations',
    input: {
      patientId: req.patientId,
      deviceId: req.deviceId,
      effectiveAt: req.effectiveAt,
      readings: req.readings,
    },
    outcome: result,
    status: 'ok',
  };
  const payload = {
    patientId: req.patientId,
    deviceId: req.deviceId ?? null,
    effectiveAt: req.effectiveAt.toISOString(),
    now: now.toISOString(),
    source: req.source,
    fhir: req.fhir ?? null,
    staleIntervals: STALE_INTERVALS,
    readings,
    escalation,
    idempotency: idempotency ? { ...idempotency, statusCode: screen ? 202 : 201 } : null,
    result,
    audit: auditPayload(audit),
  };
  try {
    await pg`select ingest_write(${JSON.stringify(payload)}::jsonb)`;
  } catch (err) {
    throw ingestWriteError(err, req);
  }
  return result;
}

function isIdempotencyRace(err: unknown): boolean {
  const e = err as { code?: string; table_name?: string; cause?: { code?: string; table_name?: string } };
  const pg = e.cause ?? e;
  return pg.code === '23505' && pg.table_name === 'idempotency_keys';
}

/**
 * Ingest with an idempotency key: a repeat gets the first answer and writes nothing. The request
 * runs straight away (no lookup first: repeats are rare and this is the hot path); a repeat, or
 * two identical requests racing, fail on the key's primary key, roll back whole and answer with
 * the stored result.
 */
export async function ingestOnce(
  ctx: OperationContext,
  req: IngestRequest,
  claim: IdempotencyClaim,
): Promise<{ result: IngestResult; replayed: boolean }> {
  try {
    return { result: await ingestObservations(ctx, req, claim), replayed: false };
  } catch (err) {
    if (!isIdempotencyRace(err)) throw err;
    const winner = await replayIdempotent(ctx, claim);
    if (!winner) throw err;
    return { result: winner, replayed: true };
  }
}
