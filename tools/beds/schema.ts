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

export const bedRequestStatusSchema = z.enum([
  'negotiating',
  'awaiting-acceptance',
  'assigned',
  'no-fit',
  'cancelled',
]);

/** What a bed manager can do when no bed fits, each with the reason it is proposed. */
export const bedOptionSchema = z.object({
  kind: z.enum(['expedite-discharge', 'overflow', 'transfer-out']),
  summary: z.string(),
  reason: z.string(),
  bedId: z.string().nullable(),
  unitId: z.string().nullable(),
  patientId: z.string().nullable().describe('For expedite-discharge: the patient whose discharge is due'),
  expectedAt: z.string().nullable().describe('For expedite-discharge: when the discharge is expected'),
});
export type BedOption = z.infer<typeof bedOptionSchema>;

export const approvalSchema = z.object({
  approvalId: z.string(),
  kind: z.literal('bed-acceptance'),
  requestId: z.string(),
  assigneeRole: z.enum(['charge-nurse', 'bed-manager']),
  unitId: z.string().nullable(),
  status: z.enum(['pending', 'answered', 'escalated', 'expired', 'cancelled']),
  question: z.object({
    text: z.string(),
    patientId: z.string(),
    reservationId: z.string(),
    bedId: z.string(),
    bedLabel: z.string(),
    holdExpiresAt: z.string(),
    priority: z.enum(['emergency', 'urgent', 'routine']),
    requester: z.string(),
    need: bedNeedSchema,
    askedStaff: z
      .array(z.object({ staffId: z.string(), name: z.string(), role: z.string() }))
      .describe('Who may answer: the charge nurses of the unit, or the bed managers'),
  }),
  decision: z.enum(['accept', 'decline', 'counter']).nullable(),
  answer: z
    .object({ reason: z.string().nullable(), bedId: z.string().nullable(), staffId: z.string() })
    .nullable(),
  answeredBy: z.string().nullable(),
  createdAt: z.string(),
  dueAt: z.string().nullable().describe('When an unanswered question goes to the bed manager'),
  closedAt: z.string().nullable(),
});
export type ApprovalView = z.infer<typeof approvalSchema>;

export const bedRequestSchema = z.object({
  requestId: z.string(),
  patientId: z.string(),
  requester: z.enum(['triage', 'ed', 'surgery', 'transfer', 'admissions']),
  priority: z.enum(['emergency', 'urgent', 'routine']),
  escalationId: z.string().nullable(),
  status: bedRequestStatusSchema,
  need: bedNeedSchema,
  holdMinutes: z.number().int(),
  escalateAfterMinutes: z.number().int(),
  bedId: z.string().nullable().describe('The bed assigned, once accepted'),
  outcome: z.string().nullable(),
  options: z.array(bedOptionSchema).nullable(),
  /** Every hold placed for this request, oldest first: declined, lapsed, released or live. */
  holds: z.array(
    z.object({
      reservationId: z.string(),
      bedId: z.string(),
      unitId: z.string(),
      status: z.enum(['held', 'accepted', 'released', 'expired', 'fulfilled']),
      holdExpiresAt: z.string(),
      createdAt: z.string(),
      closedAt: z.string().nullable(),
    }),
  ),
  approvals: z.array(approvalSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
  replayed: z.boolean(),
});
export type BedRequestView = z.infer<typeof bedRequestSchema>;
