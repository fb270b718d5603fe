import { createHash } from 'node:crypto';
import { count, desc, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { claimPayments, claims, denialWorkItems, remittances } from '../../../db/schema/index.ts';
import type { DbOrTx } from '../../../db/client.ts';
import { OperationError } from '../../core/errors.ts';
import { type AnyOperation, auditedWrite, defineOperation } from '../../core/operation.ts';
import { openRevenueTask } from '../tasks.ts';
import { parseX12 } from '../x12/parse.ts';
import { X12FormatError } from '../x12/segments.ts';
import { getDenial, listDenials, resolveDenial } from './denial-operations.ts';
import { answerDenialDraft, draftAppeal, recordDenialDraft } from './draft-operations.ts';
import { ClaimRecords } from './claim-records.ts';
import {
  applyPayment,
  saveClaimTotals,
  balanceWarnings,
  factsOfPayment,
  POSTABLE_STATUSES,
  postRemittance as postRemittanceFile,
  remittancesOf,
} from './posting.ts';
import { remittanceVocabulary } from './vocabulary.ts';
import {
  paymentDetail,
  paymentDetailSchema,
  paymentsWith,
  presentRemittance,
  remittanceSchema,
  remittanceSummary,
  remittanceSummarySchema,
} from './views.ts';

export const postRemittance = defineOperation({
  name: 'post_remittance',
  module: 'revenue',
  title: 'Post an 835 remittance',
  description:
    'Posts an X12 835 remittance file (every interchange and transaction in it) in one transaction: each ' +
    "claim payment (CLP) is matched to its claim by patient control number (CLP01 = the claim id) and updates the claim's " +
    'paid, patient-responsibility and adjusted totals and status (paid, partially-paid, denied; a reversal takes ' +
    'its amounts back). Adjustments (CAS) and remarks come back with their X12 descriptions. A denial or short ' +
    'payment opens a work item in the denial queue with a suggested action; a payment for no known submitted ' +
    'claim is held (never dropped) with an unmatched-remittance work item. A malformed file is refused with the ' +
    'segment and position at fault, and nothing is written. Posting the same bytes again posts nothing and ' +
    'returns the earlier result with alreadyPosted true. Returns the remittance, each payment and warnings ' +
    '(e.g. BPR02 not equal to the claims paid less provider adjustments).',
  input: z.object({
    text: z.string().min(1).max(64_000_000).describe('The 835 file as received (X12 text)'),
    fileName: z.string().trim().min(1).max(255).optional(),
  }),
  output: remittanceSchema.extend({
    alreadyPosted: z.boolean(),
    warnings: z.array(z.string()),
  }),
  scope: 'revenue:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    let file: ReturnType<typeof parseX12>;
    try {
      file = parseX12(input.text);
    } catch (err) {
      if (!(err instanceof X12FormatError)) throw err;
      throw new OperationError('invalid', `The 835 is malformed: ${err.message}`, [
        { field: 'text', message: err.message },
      ]);
    }
    if (remittancesOf(file).length === 0) {
      throw new OperationError('invalid', 'The file holds no 835 transaction set (ST*835)', [
        { field: 'text', message: 'no 835 in the file' },
      ]);
    }
    const sha256 = createHash('sha256').update(input.text, 'utf8').digest('hex');
    const posted = await auditedWrite(
      ctx,
      'post_remittance',
      { fileName: input.fileName ?? null, sha256, bytes: Buffer.byteLength(input.text, 'utf8') },
      async (tx) => {
        const now = ctx.clock.now();
        const outcome = await postRemittanceFile(tx, {
          text: input.text,
          sha256,
          fileName: input.fileName ?? null,
          file,
          actorId: ctx.actor.id,
          now,
        });
        // Denials and short payments are worked by the revenue agent, woken with the posting.
        if (!outcome.alreadyPosted && (await workItemsOf(tx, outcome.remittanceId)) > 0) {
          await openRevenueTask(tx, {
            kind: 'work-remittance',
            subjectId: outcome.remittanceId,
            by: ctx.actor.id,
            now,
          });
        }
        return outcome;
      },
      (outcome) => !outcome.alreadyPosted,
    );
    return {
      ...(await presentRemittance(ctx.database.db, posted.remittanceId)),
      alreadyPosted: posted.alreadyPosted,
      warnings: [...balanceWarnings(file), ...file.warnings.map((w) => w.message)],
    };
  },
});

async function workItemsOf(tx: DbOrTx, remittanceId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(denialWorkItems)
    .innerJoin(claimPayments, eq(claimPayments.id, denialWorkItems.claimPaymentId))
    .where(eq(claimPayments.remittanceId, remittanceId));
  return row?.n ?? 0;
}

export const listRemittances = defineOperation({
  name: 'list_remittances',
  module: 'revenue',
  title: 'List posted remittances',
  description:
    'Posted 835 remittances, newest first: payer, payment amount, trace (check/EFT) number, how many claim ' +
    'payments each held and how many were held unmatched. withHeldOnly lists only those with held payments.',
  input: z.object({
    withHeldOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(500).default(50),
  }),
  output: z.object({ remittances: z.array(remittanceSummarySchema) }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const rows = await ctx.database.db
      .select()
      .from(remittances)
      .where(input.withHeldOnly ? gt(remittances.heldCount, 0) : undefined)
      .orderBy(desc(remittances.receivedAt), desc(remittances.id))
      .limit(input.limit);
    return { remittances: rows.map(remittanceSummary) };
  },
});

export const getRemittance = defineOperation({
  name: 'get_remittance',
  module: 'revenue',
  title: 'A posted remittance',
  description:
    'One posted 835: payer, payment, trace number, provider-level adjustments (PLB) with their reasons, and ' +
    "every claim payment in file order with the claim's status now and its work item, if any.",
  input: z.object({ remittanceId: z.string().min(1) }),
  output: remittanceSchema,
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler({ remittanceId }, ctx) {
    return presentRemittance(ctx.database.db, remittanceId);
  },
});

export const listHeldPayments = defineOperation({
  name: 'list_held_payments',
  module: 'revenue',
  title: 'List held claim payments',
  description:
    'Claim payments from 835s that matched no submitted claim, oldest first, with the patient control number ' +
    'the payer sent, the amounts, adjustments and why each was held. Match one with match_held_payment.',
  input: z.object({ limit: z.number().int().min(1).max(500).default(100) }),
  output: z.object({ payments: z.array(paymentDetailSchema) }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler({ limit }, ctx) {
    const rows = await paymentsWith(ctx.database.db, eq(claimPayments.status, 'held'), limit);
    return {
      payments: rows.map(({ p, claimStatus, w }) => paymentDetail(p, claimStatus, w)),
    };
  },
});

export const matchHeldPayment = defineOperation({
  name: 'match_held_payment',
  module: 'revenue',
  title: 'Match a held payment to its claim',
  description:
    'Attaches a held claim payment to the submitted claim it belongs to (when the payer echoed a wrong patient ' +
    'control number) and posts it then: the claim totals and status change as if it had matched, the payment ' +
    'becomes released, and its unmatched-remittance work item is resolved (or becomes the denial work item ' +
    'when the payment denies or short-pays the claim). Returns the payment as posted.',
  input: z.object({
    claimPaymentId: z.string().min(1),
    claimId: z.string().min(1).describe('The submitted claim the payment belongs to'),
  }),
  output: paymentDetailSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    await auditedWrite(ctx, 'match_held_payment', input, async (tx) => {
      const [payment] = await tx
        .select()
        .from(claimPayments)
        .where(eq(claimPayments.id, input.claimPaymentId))
        .for('update');
      if (!payment) {
        throw new OperationError('not_found', `No claim payment ${input.claimPaymentId}`, [
          { field: 'claimPaymentId', message: 'no such claim payment' },
        ]);
      }
      if (payment.status !== 'held') {
        throw new OperationError(
          'conflict',
          `Claim payment ${payment.id} is ${payment.status} (to claim ${payment.claimId}), not held`,
          [{ field: 'claimPaymentId', message: `the payment is ${payment.status}` }],
        );
      }
      const [claim] = await tx.select().from(claims).where(eq(claims.id, input.claimId)).for('update');
      if (!claim) {
        throw new OperationError('not_found', `No claim ${input.claimId}`, [
          { field: 'claimId', message: 'no such claim' },
        ]);
      }
      if (!POSTABLE_STATUSES.includes(claim.status)) {
        throw new OperationError(
          'conflict',
          `Claim ${claim.id} is ${claim.status}: only a submitted claim takes a payment`,
          [{ field: 'claimId', message: `the claim is ${claim.status}` }],
        );
      }
      await tx
        .update(claimPayments)
        .set({ status: 'released', claimId: claim.id })
        .where(eq(claimPayments.id, payment.id));
      const posted = await applyPayment(
        claim,
        factsOfPayment(payment),
        now,
        new ClaimRecords(tx, remittanceVocabulary()),
      );
      await saveClaimTotals(tx, [posted.claim]);
      const { decision } = posted;
      // The payment's one work item (unique per payment) was its unmatched-remittance item: resolved as
      // matched, or turned into the denial item the payment calls for.
      await tx
        .update(denialWorkItems)
        .set(
          decision
            ? {
                claimId: claim.id,
                category: decision.category,
                suggestedAction: decision.action,
                reasons: { reasons: decision.reasons, rule: decision.rule },
                amountCents: decision.amountCents,
                status: 'open' as const,
                createdAt: now,
              }
            : {
                claimId: claim.id,
                status: 'resolved',
                resolution: 'matched',
                resolvedBy: ctx.actor.id,
                resolvedAt: now,
              },
        )
        .where(eq(denialWorkItems.claimPaymentId, payment.id));
      await tx
        .update(remittances)
        .set({ heldCount: sql`${remittances.heldCount} - 1` })
        .where(eq(remittances.id, payment.remittanceId));
      // A denial found only now is worked like the rest of its remittance's.
      if (decision) {
        await openRevenueTask(tx, {
          kind: 'work-remittance',
          subjectId: payment.remittanceId,
          by: ctx.actor.id,
          now,
        });
      }
      return { claimPaymentId: payment.id, claimId: claim.id };
    });
    const [row] = await paymentsWith(ctx.database.db, eq(claimPayments.id, input.claimPaymentId));
    return paymentDetail(row!.p, row!.claimStatus, row!.w);
  },
});

/** The revenue module's remittance posting and denial work queue operations. */
export const remittanceOperations: readonly AnyOperation[] = [
  postRemittance,
  listRemittances,
  getRemittance,
  listHeldPayments,
  matchHeldPayment,
  listDenials,
  getDenial,
  draftAppeal,
  recordDenialDraft,
  answerDenialDraft,
  resolveDenial,
];
