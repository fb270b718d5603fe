import { z } from 'zod';
import { isolationKinds, unitTypes } from '../../db/schema/hospital.ts';

export const bedNeedSchema = z.object({
  unitTypes: z
    .array(z.enum(unitTypes))
    .min(1)
    .describe('Acceptable unit types, most preferred first (e.g. ["icu", "step-down"])'),
  isolation: z
    .enum(isolationKinds)
    .default('none')
    .describe('Isolation the patient needs; airborne = negative pressure'),
  telemetry: z.boolean().default(false).describe('Whether the bed must have cardiac telemetry'),
  bariatric: z.boolean().default(false),
  sex: z
    .enum(['male', 'female', 'other', 'unknown'])
    .describe("The patient's administrative sex, for room sex policy"),
});
export type BedNeed = z.infer<typeof bedNeedSchema>;

export const candidateBedSchema = z.object({
  bedId: z.string(),
  label: z.string(),
  unitId: z.string(),
  unitType: z.enum(unitTypes),
  roomId: z.string(),
  isolation: z.enum(isolationKinds),
  telemetry: z.boolean(),
  /** Lower is better; the reasons explain the rank to a person. */
  rank: z.number().int(),
  reasons: z.array(z.string()),
});
export type CandidateBed = z.infer<typeof candidateBedSchema>;

export const reservationSchema = z.object({
  reservationId: z.string(),
  bedId: z.string(),
  unitId: z.string(),
  patientId: z.string(),
  status: z.enum(['held', 'accepted', 'released', 'expired']),
  holdExpiresAt: z.string().describe('ISO 8601 time the hold lapses unless accepted'),
  /** True when an earlier identical request already made this reservation. */
  replayed: z.boolean(),
});
