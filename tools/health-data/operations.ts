import { z } from 'zod';
import { defineOperation } from '../core/operation.ts';
import { escalationOperations } from './escalations.ts';
import { classifyGlucose, toMgPerDl } from './glucose.ts';
import { ingestObservations } from './ingest.ts';
import { news2InputSchema, news2ResultSchema, scoreNews2, scorePartialNews2 } from './news2.ts';
import { observationInputSchema, readingsFromInput } from './readings.ts';

export const scoreNews2Op = defineOperation({
  name: 'score_news2',
  module: 'health-data',
  title: 'Score NEWS2',
  description:
    'Computes the National Early Warning Score 2 (Royal College of Physicians, 2017) from a full set of ' +
    'seven observations. Returns the total, the risk band (none, low, low-medium, medium, high), whether ' +
    "any single parameter scored 3, and each parameter's score. Use spo2Scale 2 only for patients with " +
    'hypercapnic respiratory failure and a prescribed target of 88–92%.',
  input: news2InputSchema,
  output: news2ResultSchema,
  scope: 'health-data:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  handler: async (input) => scoreNews2(input),
});

const partialResultSchema = news2ResultSchema.extend({
  parameterScores: z.record(z.string(), z.number()),
  missing: z.array(z.string()),
});

export const scorePartialNews2Op = defineOperation({
  name: 'score_partial_news2',
  module: 'health-data',
  title: 'Score NEWS2 from some observations',
  description:
    'Scores NEWS2 from whichever of the seven observations are known and names the missing ones. A partial ' +
    'total is a lower bound: it can raise an alarm but never rule one out.',
  input: news2InputSchema.partial(),
  output: partialResultSchema,
  scope: 'health-data:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  handler: async (input) => scorePartialNews2(input),
});

export const classifyGlucoseOp = defineOperation({
  name: 'classify_glucose',
  module: 'health-data',
  title: 'Classify a glucose reading',
  description:
    'Classifies a glucose value (mg/dL or mmol/L) by the ADA / international consensus levels: level 2 ' +
    'hypoglycaemia < 54 mg/dL, level 1 < 70, in range 70–180, level 1 hyperglycaemia > 180, level 2 > 250.',
  input: z.object({ value: z.number().positive().max(2000), unit: z.enum(['mg/dL', 'mmol/L']) }),
  output: z.object({
    band: z.enum(['hypo-level-2', 'hypo-level-1', 'in-range', 'hyper-level-1', 'hyper-level-2']),
    severity: z.number().int(),
    valueMgDl: z.number(),
  }),
  scope: 'health-data:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  handler: async ({ value, unit }) => classifyGlucose(toMgPerDl(value, unit)),
});

export const recordObservationsOp = defineOperation({
  name: 'record_observations',
  module: 'health-data',
  title: 'Record a reading',
  description:
    'Stores a glucose reading and/or vital signs for a patient and screens them; a reading that needs a ' +
    'response opens an escalation that the triage agent then handles. Returns the stored observation ids ' +
    'and the escalation, if any. (Patient apps use POST /v1/observations with an Idempotency-Key.)',
  input: observationInputSchema,
  output: z.object({
    observationIds: z.array(z.string()),
    escalation: z
      .object({
        escalationId: z.string(),
        condition: z.string(),
        level: z.string(),
        severity: z.number(),
        status: z.string(),
        summary: z.string(),
      })
      .nullable(),
  }),
  scope: 'health-data:write',
  risk: 'write',
  idempotent: false,
  async handler(input, ctx) {
    return ingestObservations(ctx, {
      patientId: input.patientId,
      deviceId: input.deviceId,
      effectiveAt: input.effectiveAt ? new Date(input.effectiveAt) : ctx.clock.now(),
      // The device table says whether a glucose came from a CGM; ingest sets the code from it.
      readings: readingsFromInput(input, false),
      spo2Scale: input.vitals?.spo2Scale ?? 1,
      source: 'app',
    });
  },
});

export const healthDataOperations = [
  scoreNews2Op,
  scorePartialNews2Op,
  classifyGlucoseOp,
  recordObservationsOp,
  ...escalationOperations,
];
