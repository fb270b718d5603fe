import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { enqueueJob } from '../../db/jobs.ts';
import {
  devices,
  escalationEvents,
  escalations,
  idempotencyKeys,
  observations,
  patients,
} from '../../db/schema/index.ts';
import { appendAudit } from '../audit/chain.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, type OperationContext } from '../core/operation.ts';
import type { Reading } from './readings.ts';
import { vitalKinds, vitalsFromReadings } from './readings.ts';
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

async function screenRequest(tx: Tx, req: IngestRequest): Promise<Screen | null> {
  const glucose = req.readings.find((r) => r.kind === 'glucose');
  const glucoseScreen = glucose ? screenGlucose(glucose.value) : null;
  if (!req.readings.some((r) => vitalKinds.includes(r.kind))) return glucoseScreen;
  const since = new Date(req.effectiveAt.getTime() - VITALS_WINDOW_MINUTES * 60_000);
  const recent = await tx
    .select({ kind: observations.kind, value: observations.value })
    .from(observations)
    .where(
      and(
        eq(observations.patientId, req.patientId),
        inArray(observations.kind, vitalKinds),
        gte(observations.effectiveAt, since),
        lte(observations.effectiveAt, req.effectiveAt),
      ),
    )
    .orderBy(desc(observations.effectiveAt));
  const vitalsScreen = screenVitals(vitalsFromReadings([...req.readings, ...recent], req.spo2Scale));
  if (!glucoseScreen) return vitalsScreen;
  if (!vitalsScreen) return glucoseScreen;
  const order = { emergency: 0, urgent: 1, notify: 2, advice: 3 };
  return order[glucoseScreen.level] <= order[vitalsScreen.level] ? glucoseScreen : vitalsScreen;
}

/**
 * Stores readings and, when they escalate, the escalation and its triage job — all in one
 * transaction with the audit entry and the idempotency record, so a retry or a crash can neither
 * lose an accepted escalation nor create a second one.
 */
export async function ingestObservations(
  ctx: OperationContext,
  req: IngestRequest,
  idempotency?: IdempotencyClaim,
): Promise<IngestResult> {
  assertPatientAccess(ctx, req.patientId);
  const now = ctx.clock.now();
  return ctx.database.db.transaction(async (tx) => {
    const [patient] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(eq(patients.id, req.patientId));
    if (!patient) {
      throw new OperationError('not_found', `No patient ${req.patientId}`, [
        { field: 'patientId', message: 'unknown patient' },
      ]);
    }
    let deviceGapMinutes: number | null = null;
    let fromCgm = false;
    if (req.deviceId) {
      const [device] = await tx.select().from(devices).where(eq(devices.id, req.deviceId)).for('update');
      if (!device || device.patientId !== req.patientId) {
        throw new OperationError(
          'invalid',
          `Device ${req.deviceId} is not registered to patient ${req.patientId}`,
          [{ field: 'deviceId', message: 'not a device of this patient' }],
        );
      }
      fromCgm = device.kind === 'cgm';
      if (device.lastSeenAt) {
        const silentMs = req.effectiveAt.getTime() - device.lastSeenAt.getTime();
        if (silentMs > STALE_INTERVALS * device.expectedIntervalSeconds * 1000)
          deviceGapMinutes = Math.round(silentMs / 60_000);
      }
      if (!device.lastSeenAt || device.lastSeenAt < req.effectiveAt) {
        await tx
          .update(devices)
          .set({ lastSeenAt: req.effectiveAt, staleAlertedAt: null })
          .where(eq(devices.id, device.id));
      }
    }
    const rows = req.readings.map((r) => ({
      id: randomUUID(),
      patientId: req.patientId,
      loinc: r.kind === 'glucose' && fromCgm && r.code === '2339-0' ? '99504-3' : r.code,
      kind: r.kind,
      value: r.value,
      unit: r.unit,
      deviceId: req.deviceId ?? null,
      effectiveAt: req.effectiveAt,
      receivedAt: now,
      source: req.source,
      fhir: req.fhir ?? null,
    }));
    const screen = await screenRequest(tx, req);
    await tx.insert(observations).values(rows);
    const result: IngestResult = { observationIds: rows.map((r) => r.id), escalation: null };
    if (screen) {
      const escalationId = randomUUID();
      const trigger = rows.find((r) =>
        screen.condition === 'news2' ? r.kind !== 'glucose' : r.kind === 'glucose',
      )!;
      await tx.insert(escalations).values({
        id: escalationId,
        patientId: req.patientId,
        observationId: trigger.id,
        condition: screen.condition,
        severity: screen.severity,
        level: screen.level,
        status: 'accepted',
        screen: { ...screen, deviceGapMinutes, spo2Scale: req.spo2Scale },
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(escalationEvents).values({
        escalationId,
        at: now,
        step: 'accepted',
        message: `Accepted: ${screen.summary}; triage queued`,
        data: { level: screen.level },
      });
      await enqueueJob(tx, TRIAGE_QUEUE, { escalationId }, now);
      result.escalation = { escalationId, ...screen, status: 'accepted' };
    }
    if (idempotency) {
      await tx
        .insert(idempotencyKeys)
        .values({ ...idempotency, statusCode: screen ? 202 : 201, response: result, createdAt: now });
    }
    await appendAudit(tx, {
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
    });
    return result;
  });
}

function isIdempotencyRace(err: unknown): boolean {
  const e = err as { code?: string; table_name?: string; cause?: { code?: string; table_name?: string } };
  const pg = e.cause ?? e;
  return pg.code === '23505' && pg.table_name === 'idempotency_keys';
}

/**
 * Ingest with an idempotency key: a repeat gets the first answer and writes nothing. Two identical
 * requests racing each other both reach the insert; the loser's transaction rolls back whole and it
 * answers with the winner's result.
 */
export async function ingestOnce(
  ctx: OperationContext,
  req: IngestRequest,
  claim: IdempotencyClaim,
): Promise<{ result: IngestResult; replayed: boolean }> {
  const earlier = await replayIdempotent(ctx, claim);
  if (earlier) return { result: earlier, replayed: true };
  try {
    return { result: await ingestObservations(ctx, req, claim), replayed: false };
  } catch (err) {
    if (!isIdempotencyRace(err)) throw err;
    const winner = await replayIdempotent(ctx, claim);
    if (!winner) throw err;
    return { result: winner, replayed: true };
  }
}
