import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { canonicalJson } from '../../tools/audit/chain.ts';
import { invalidInput, OperationError } from '../../tools/core/errors.ts';
import { parseFhirObservation } from '../../tools/health-data/fhir-observation.ts';
import {
  type IngestRequest,
  type IngestResult,
  ingestObservations,
  ingestOnce,
} from '../../tools/health-data/ingest.ts';
import { observationInputSchema, type Reading, readingsFromInput } from '../../tools/health-data/readings.ts';
import { type AppDeps, type AppEnv, operationContext } from '../context.ts';
import { errorResponse } from '../problem.ts';

function fromSimpleJson(body: unknown, now: Date): IngestRequest {
  const parsed = observationInputSchema.safeParse(body);
  if (!parsed.success) throw invalidInput(parsed.error, 'observation');
  const input = parsed.data;
  return {
    patientId: input.patientId,
    deviceId: input.deviceId,
    effectiveAt: input.effectiveAt ? new Date(input.effectiveAt) : now,
    readings: readingsFromInput(input, false),
    spo2Scale: input.vitals?.spo2Scale ?? 1,
    source: 'app',
  };
}

function fromFhir(body: unknown, boundPatient: string | undefined): IngestRequest {
  const parsed = parseFhirObservation(body);
  if (!parsed.ok) {
    const issues = parsed.outcome.issue.map((i) => ({
      field: i.expression?.[0] ?? '',
      message: i.diagnostics ?? i.code,
    }));
    throw new OperationError('invalid', issues.map((i) => i.message).join('; '), issues);
  }
  const patientId = parsed.subject?.replace(/^Patient\//, '') ?? boundPatient;
  if (!patientId) {
    throw new OperationError('invalid', 'Observation.subject must reference the patient (Patient/<id>)', [
      { field: 'Observation.subject', message: 'required' },
    ]);
  }
  const readings: Reading[] = parsed.readings.map((r) => ({
    kind: r.kind,
    code: r.loinc,
    value: r.value,
    unit: r.unit,
  }));
  return {
    patientId,
    deviceId: parsed.device?.replace(/^Device\//, ''),
    effectiveAt: new Date(parsed.effective),
    readings,
    spo2Scale: 1,
    source: 'fhir',
    fhir: body,
  };
}

function present(result: IngestResult) {
  const e = result.escalation;
  return e
    ? {
        escalationId: e.escalationId,
        status: e.status,
        level: e.level,
        condition: e.condition,
        summary: e.summary,
        observationIds: result.observationIds,
        links: {
          escalation: `/v1/escalations/${e.escalationId}`,
          events: `/v1/escalations/${e.escalationId}/events`,
        },
      }
    : { observationIds: result.observationIds, escalation: null };
}

const MAX_IDEMPOTENCY_KEY = 255;

/**
 * POST /v1/observations (simple JSON or a FHIR R4 Observation) and POST /fhir/Observation.
 * 202 with an escalation id when the reading escalates, 201 when it is only stored.
 */
export function observationRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const handle = (forceFhir: boolean) => async (c: Context<AppEnv>) => {
    const actor = c.get('actor');
    let fhir = forceFhir;
    try {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new OperationError('invalid', 'The request body is not valid JSON', [
          { field: '', message: 'invalid JSON' },
        ]);
      }
      fhir ||= (body as { resourceType?: unknown } | null)?.resourceType !== undefined;
      const ctx = operationContext(deps, actor);
      const request = fhir ? fromFhir(body, actor.patientId) : fromSimpleJson(body, deps.clock.now());
      const key = c.req.header('idempotency-key');
      let result: IngestResult;
      let replayed = false;
      if (key !== undefined) {
        if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
          throw new OperationError('invalid', `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY} characters`, [
            { field: 'Idempotency-Key', message: 'bad length' },
          ]);
        }
        const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
        ({ result, replayed } = await ingestOnce(ctx, request, { owner: actor.id, key, requestHash }));
      } else {
        result = await ingestObservations(ctx, request);
      }
      if (replayed) c.header('Idempotent-Replayed', 'true');
      if (result.escalation) c.header('Location', `/v1/escalations/${result.escalation.escalationId}`);
      return c.json(present(result), result.escalation ? 202 : 201);
    } catch (err) {
      return errorResponse(c, err, fhir);
    }
  };
  app.post('/v1/observations', handle(false));
  app.post('/fhir/Observation', handle(true));
  return app;
}
