/** What the remittance and denial operations return: zod schemas and the queries that fill them. */
import { asc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import {
  claimPaymentStatuses,
  claimPayments,
  claimStatuses,
  claims,
  denialActions,
  denialCategories,
  denialWorkItems,
  payers,
  remittances,
  workItemStatuses,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import type { DenialReason } from './denial-rules.ts';
import type { PaymentFacts } from './payment.ts';

export const workItemRefSchema = z.object({
  workItemId: z.string(),
  category: z.enum(denialCategories),
  suggestedAction: z.enum(denialActions),
  amountCents: z.number().int(),
  status: z.enum(workItemStatuses),
});

export const paymentSummarySchema = z.object({
  claimPaymentId: z.string(),
  patientControlNumber: z.string().describe('CLP01 as the payer sent it'),
  claimId: z.string().nullable(),
  status: z
    .enum(claimPaymentStatuses)
    .describe('posted; held (no claim matched); released (held, then matched)'),
  holdReason: z.string().nullable(),
  claimStatusCode: z.string().describe('CLP02: 1 primary, 2 secondary, 4 denied, 22 reversal…'),
  chargeCents: z.number().int(),
  paidCents: z.number().int(),
  patientResponsibilityCents: z.number().int(),
  payerClaimNumber: z.string().nullable(),
  claimStatus: z.enum(claimStatuses).nullable().describe('The claim status now'),
  workItem: workItemRefSchema.nullable(),
});

const adjustmentSchema = z.object({
  line: z.number().int().optional(),
  group: z.string(),
  groupDescription: z.string(),
  carc: z.string(),
  carcDescription: z.string(),
  amountCents: z.number().int(),
  quantity: z.number().optional(),
});
const remarkSchema = z.object({
  line: z.number().int().optional(),
  source: z.enum(['LQ', 'MIA', 'MOA']),
  code: z.string(),
  description: z.string(),
});
const lineSchema = z.object({
  line: z.number().int(),
  procedureCode: z.string(),
  modifiers: z.array(z.string()),
  revenueCode: z.string().optional(),
  chargeCents: z.number().int(),
  paidCents: z.number().int(),
  units: z.number(),
  serviceFrom: z.string().optional(),
  serviceTo: z.string().optional(),
  controlNumber: z.string().optional(),
  allowedCents: z.number().int().optional(),
});

export const paymentDetailSchema = paymentSummarySchema.extend({
  remittanceId: z.string(),
  payerName: z.string().nullable(),
  serviceFrom: z.string().nullable(),
  serviceTo: z.string().nullable(),
  adjustments: z
    .array(adjustmentSchema)
    .describe('Claim- and line-level CAS with group and CARC descriptions'),
  remarks: z.array(remarkSchema).describe('RARC remarks (LQ*HE on lines, MIA/MOA on the claim)'),
  lines: z.array(lineSchema),
  postedAt: z.string(),
});

export const providerAdjustmentSchema = z.object({
  provider: z.string(),
  fiscalPeriodEnd: z.string(),
  reason: z.string(),
  description: z.string(),
  reference: z.string().optional(),
  amountCents: z.number().int().describe('Positive reduces the payment, negative adds to it'),
});

export const remittanceSummarySchema = z.object({
  remittanceId: z.string(),
  sha256: z.string(),
  fileName: z.string().nullable(),
  payerName: z.string().nullable(),
  x12PayerId: z.string().nullable(),
  paymentCents: z.number().int(),
  traceNumber: z.string().nullable(),
  paidOn: z.string().nullable(),
  claimCount: z.number().int(),
  heldCount: z.number().int(),
  receivedAt: z.string(),
});

export const remittanceSchema = remittanceSummarySchema.extend({
  providerAdjustments: z.array(providerAdjustmentSchema),
  payments: z.array(paymentSummarySchema),
});

type PaymentRow = typeof claimPayments.$inferSelect;
type WorkItemRow = typeof denialWorkItems.$inferSelect;
type RemittanceRow = typeof remittances.$inferSelect;

const workItemRef = (w: WorkItemRow | null) =>
  w && {
    workItemId: w.id,
    category: w.category,
    suggestedAction: w.suggestedAction,
    amountCents: w.amountCents,
    status: w.status,
  };

function paymentSummary(p: PaymentRow, claimStatus: string | null, w: WorkItemRow | null) {
  return {
    claimPaymentId: p.id,
    patientControlNumber: p.patientControlNumber,
    claimId: p.claimId,
    status: p.status,
    holdReason: p.holdReason,
    claimStatusCode: p.claimStatusCode,
    chargeCents: p.chargeCents,
    paidCents: p.paidCents,
    patientResponsibilityCents: p.patientResponsibilityCents,
    payerClaimNumber: p.payerClaimNumber,
    claimStatus: claimStatus as z.infer<typeof paymentSummarySchema>['claimStatus'],
    workItem: workItemRef(w),
  };
}

export function paymentDetail(p: PaymentRow, claimStatus: string | null, w: WorkItemRow | null) {
  const detail = p.adjustments as PaymentFacts['detail'];
  return {
    ...paymentSummary(p, claimStatus, w),
    remittanceId: p.remittanceId,
    payerName: detail.payerName,
    serviceFrom: detail.serviceFrom,
    serviceTo: detail.serviceTo,
    adjustments: detail.adjustments,
    remarks: detail.remarks,
    lines: p.lines as PaymentFacts['lines'],
    postedAt: p.postedAt.toISOString(),
  };
}

/** Claim payments with their claim's status and work item, oldest first and in file order. */
export async function paymentsWith(db: DbOrTx, where: SQL | undefined, limit = 1_000_000) {
  const rows = await db
    .select({ p: claimPayments, claimStatus: claims.status, w: denialWorkItems })
    .from(claimPayments)
    .leftJoin(claims, eq(claims.id, claimPayments.claimId))
    .leftJoin(denialWorkItems, eq(denialWorkItems.claimPaymentId, claimPayments.id))
    .where(where)
    .orderBy(asc(claimPayments.postedAt), asc(claimPayments.id))
    .limit(limit);
  return rows;
}

export function remittanceSummary(r: RemittanceRow) {
  return {
    remittanceId: r.id,
    sha256: r.sha256,
    fileName: r.fileName,
    payerName: r.payerName,
    x12PayerId: r.x12PayerId,
    paymentCents: r.paymentCents,
    traceNumber: r.traceNumber,
    paidOn: r.paidOn,
    claimCount: r.claimCount,
    heldCount: r.heldCount,
    receivedAt: r.receivedAt.toISOString(),
  };
}

export async function presentRemittance(db: DbOrTx, remittanceId: string) {
  const [r] = await db.select().from(remittances).where(eq(remittances.id, remittanceId));
  if (!r) {
    throw new OperationError('not_found', `No remittance ${remittanceId}`, [
      { field: 'remittanceId', message: 'no such remittance' },
    ]);
  }
  const payments = await paymentsWith(db, eq(claimPayments.remittanceId, r.id));
  return {
    ...remittanceSummary(r),
    providerAdjustments: r.providerAdjustments as z.infer<typeof providerAdjustmentSchema>[],
    payments: payments.map(({ p, claimStatus, w }) => paymentSummary(p, claimStatus, w)),
  };
}

// ------------------------------------------------------------------------------------ denials

export const denialSummarySchema = z.object({
  workItemId: z.string(),
  status: z.enum(workItemStatuses),
  category: z.enum(denialCategories),
  suggestedAction: z.enum(denialActions),
  amountCents: z.number().int().describe('The money at stake: denied, short-paid or unmatched'),
  claimId: z.string().nullable(),
  claimStatus: z.enum(claimStatuses).nullable(),
  claimPaymentId: z.string(),
  patientControlNumber: z.string(),
  payerName: z.string().nullable(),
  createdAt: z.string(),
});

export const denialReasonSchema = z.object({
  group: z.string(),
  carc: z.string(),
  rarc: z.string().optional(),
  description: z.string(),
  amountCents: z.number().int(),
  line: z.number().int().optional(),
});

export const draftSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('appeal'),
    letter: z.string(),
    attachments: z.array(z.string()),
    draftedBy: z.string(),
    draftedAt: z.string(),
    approvedBy: z.string().optional(),
    declined: z.object({ by: z.string(), reason: z.string(), at: z.string() }).optional(),
  }),
  z.object({
    kind: z.literal('corrected-claim'),
    claimId: z.string(),
    note: z.string().optional(),
    draftedBy: z.string(),
    draftedAt: z.string(),
    approvedBy: z.string().optional(),
    declined: z.object({ by: z.string(), reason: z.string(), at: z.string() }).optional(),
  }),
]);
export type Draft = z.infer<typeof draftSchema>;

export const denialSchema = denialSummarySchema.extend({
  reasons: z.array(denialReasonSchema),
  rule: z.string().describe('The rule that chose the suggested action'),
  draft: draftSchema.nullable(),
  resolution: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  payment: paymentDetailSchema,
});

/** denial_work_items.reasons: the codes behind the item, the rule that chose its action, the closing note. */
export interface StoredReasons {
  reasons: DenialReason[];
  rule: string;
  resolutionNote?: string;
}

export function denialSummary(
  w: WorkItemRow,
  p: PaymentRow,
  claimStatus: string | null,
  payerName: string | null,
) {
  return {
    workItemId: w.id,
    status: w.status,
    category: w.category,
    suggestedAction: w.suggestedAction,
    amountCents: w.amountCents,
    claimId: w.claimId,
    claimStatus: claimStatus as z.infer<typeof denialSummarySchema>['claimStatus'],
    claimPaymentId: p.id,
    patientControlNumber: p.patientControlNumber,
    payerName: payerName ?? (p.adjustments as PaymentFacts['detail']).payerName,
    createdAt: w.createdAt.toISOString(),
  };
}

/** The work items joined with their payment, claim and payer. */
export function denialQuery(db: DbOrTx) {
  return db
    .select({ w: denialWorkItems, p: claimPayments, claimStatus: claims.status, payerName: payers.name })
    .from(denialWorkItems)
    .innerJoin(claimPayments, eq(claimPayments.id, denialWorkItems.claimPaymentId))
    .leftJoin(claims, eq(claims.id, denialWorkItems.claimId))
    .leftJoin(payers, eq(payers.id, claims.payerId));
}

export async function presentDenial(db: DbOrTx, workItemId: string) {
  const [row] = await denialQuery(db).where(eq(denialWorkItems.id, workItemId));
  if (!row) {
    throw new OperationError('not_found', `No denial work item ${workItemId}`, [
      { field: 'workItemId', message: 'no such work item' },
    ]);
  }
  const { w, p, claimStatus, payerName } = row;
  const stored = w.reasons as StoredReasons;
  return {
    ...denialSummary(w, p, claimStatus, payerName),
    reasons: stored.reasons,
    rule: stored.rule,
    draft: (w.draft as Draft | null) ?? null,
    resolution: w.resolution,
    resolutionNote: stored.resolutionNote ?? null,
    resolvedBy: w.resolvedBy,
    resolvedAt: w.resolvedAt?.toISOString() ?? null,
    payment: paymentDetail(p, claimStatus, w),
  };
}
