/** The claims module's zod types: what its operations return, and the corrections a coder may make. */
import { z } from 'zod';
import { claimStatuses } from '../../../db/schema/index.ts';

export const claimIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(38)
  .describe('The claim id (CLM01), e.g. CLM202603200001');

export const findingSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  claimId: z.string(),
  line: z.number().int().optional(),
  field: z.string(),
  message: z.string(),
});
export type FindingView = z.infer<typeof findingSchema>;

export const changeSchema = z.object({
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  reason: z.string(),
  by: z.string(),
  at: z.string(),
});
export type ClaimChange = z.infer<typeof changeSchema>;

export const scrubSchema = z.object({
  findings: z.array(findingSchema),
  editsRun: z.array(z.object({ edit: z.string(), status: z.string(), reason: z.string().optional() })),
  documentSha256: z.string(),
  today: z.string(),
  at: z.string(),
});
export type StoredScrub = z.infer<typeof scrubSchema>;

export const questionSchema = z.object({
  asked: z.string(),
  findings: z.array(findingSchema),
  changes: z.array(changeSchema),
  askedBy: z.string(),
  askedAt: z.string(),
});
export type ClaimQuestion = z.infer<typeof questionSchema>;

const icd10 = z
  .string()
  .trim()
  .regex(/^[A-TV-Za-tv-z][0-9][0-9A-Za-z](\.?[0-9A-Za-z]{1,4})?$/, 'an ICD-10-CM code such as E11.65');
const lineNumber = z.number().int().min(1).describe('LX01 of the service line');

/** One coder correction; the same shape for answer_claim_review and create_replacement_claim. */
export const correctionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('diagnosis'),
    position: z
      .number()
      .int()
      .min(1)
      .max(25)
      .describe('1-based position in the claim’s diagnoses (1 = principal)'),
    code: icd10,
  }),
  z.object({
    kind: z.literal('modifiers'),
    line: lineNumber,
    modifiers: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9]{2}$/, 'a two-character modifier'),
      )
      .max(4),
  }),
  z.object({ kind: z.literal('units'), line: lineNumber, units: z.number().positive().max(9999) }),
  z.object({ kind: z.literal('remove-line'), line: lineNumber }),
]);
export type Correction = z.infer<typeof correctionSchema>;

export const claimSummarySchema = z.object({
  id: z.string(),
  encounterId: z.string(),
  patientId: z.string(),
  payerId: z.string(),
  coverageId: z.string(),
  type: z.enum(['837P', '837I']),
  frequency: z.enum(['1', '7', '8']),
  replacesClaimId: z.string().nullable(),
  status: z.enum(claimStatuses),
  totalChargeCents: z.number().int(),
  errors: z.number().int().describe('Error findings of the last scrub'),
  warnings: z.number().int(),
  payerClaimNumber: z.string().nullable(),
  submissionId: z.string().nullable(),
  submittedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type ClaimSummary = z.infer<typeof claimSummarySchema>;

export const claimViewSchema = claimSummarySchema.extend({
  document: z
    .unknown()
    .describe('The claim in the X12 model (ClaimInFile: billing provider, subscriber, claim)'),
  scrub: scrubSchema.nullable(),
  changes: z.array(changeSchema),
  question: questionSchema.nullable(),
  payments: z.object({
    count: z.number().int(),
    paidCents: z.number().int(),
    patientResponsibilityCents: z.number().int(),
    adjustedCents: z.number().int(),
    lastStatusCode: z.string().nullable(),
  }),
});
export type ClaimView = z.infer<typeof claimViewSchema>;
