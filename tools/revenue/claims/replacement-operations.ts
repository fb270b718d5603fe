/** create_replacement_claim and void_claim: correcting or withdrawing a claim the payer has (NUBC frequency 7 / 8). */
import { and, eq, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import { claims } from '../../../db/schema/index.ts';
import type { OperationContext } from '../../core/operation.ts';
import { OperationError } from '../../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../../core/operation.ts';
import { statusAfterScrub } from './build-operations.ts';
import { applyCorrections } from './corrections.ts';
import { type ClaimDocument, cents, copyDocument } from './document.ts';
import { type ClaimView, claimIdSchema, claimViewSchema, correctionSchema } from './schema.ts';
import { errorsOf, scrubStored } from './scrub-context.ts';
import {
  type ClaimRow,
  change,
  newClaimId,
  reopenCharges,
  requireClaim,
  updateClaim,
  viewOf,
} from './store.ts';

/** What the payer holds: a claim it adjudicated (or received) can only be replaced or voided by another claim. */
const atPayer: readonly ClaimRow['status'][] = ['submitted', 'paid', 'partially-paid', 'denied'];

async function assertNoPendingSuccessor(tx: Tx, original: ClaimRow): Promise<void> {
  const [pending] = await tx
    .select({ id: claims.id, frequency: claims.frequency, status: claims.status })
    .from(claims)
    .where(and(eq(claims.replacesClaimId, original.id), notInArray(claims.status, ['void'])));
  if (pending) {
    throw new OperationError(
      'conflict',
      `Claim ${original.id} already has ${pending.frequency === '8' ? 'a void' : 'a replacement'} ${pending.id} (${pending.status})`,
      [{ field: 'claimId', message: `superseded by ${pending.id}` }],
    );
  }
}

function needsPayerNumber(row: ClaimRow, what: string): string {
  if (!row.payerClaimNumber) {
    throw new OperationError(
      'invalid',
      `Claim ${row.id} has no payer claim number (CLP07 of a remittance) for the REF*F8 a ${what} must carry; post the payer's 835 first`,
      [{ field: 'claimId', message: 'no payer claim number on file' }],
    );
  }
  return row.payerClaimNumber;
}

/** Inserts a frequency 7 or 8 copy of `original`, scrubbed; returns its view. */
async function insertSuccessor(
  tx: Tx,
  ctx: OperationContext,
  original: ClaimRow,
  document: ClaimDocument,
  frequency: '7' | '8',
  changes: ReturnType<typeof change>[],
): Promise<ClaimView> {
  const now = ctx.clock.now();
  const [row] = await tx
    .insert(claims)
    .values({
      id: document.claim.id,
      encounterId: original.encounterId,
      patientId: original.patientId,
      coverageId: original.coverageId,
      payerId: original.payerId,
      type: original.type,
      frequency,
      replacesClaimId: original.id,
      status: 'draft',
      totalChargeCents: cents(document.claim.totalCharge),
      document,
      changes,
      createdBy: ctx.actor.id,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const scrub = await scrubStored(tx, row!, now);
  const updated = await updateClaim(tx, row!.id, {
    scrub,
    status: statusAfterScrub(row!, errorsOf(scrub).length),
  });
  return viewOf(tx, updated);
}

function successorDocument(original: ClaimRow, frequency: '7' | '8', payerNumber: string): ClaimDocument {
  const doc = copyDocument(original.document as ClaimDocument);
  doc.claim.id = newClaimId();
  doc.claim.frequencyCode = frequency;
  doc.claim.originalClaimNumber = payerNumber;
  return doc;
}

export const createReplacementClaim = defineOperation({
  name: 'create_replacement_claim',
  module: 'revenue',
  title: 'Create a replacement claim',
  description:
    'Drafts a corrected claim (frequency 7, REF*F8 = the payer’s claim number) for a denied or paid claim, ' +
    'optionally with corrections (replace a diagnosis, set a line’s modifiers or units, remove a line), and ' +
    'scrubs it. Refused without the payer’s claim number. The original becomes replaced when the replacement is ' +
    'submitted (submit_claims). Returns the replacement.',
  input: z.object({
    claimId: claimIdSchema.describe('The denied or paid claim to replace'),
    corrections: z.array(correctionSchema).max(50).default([]),
    note: z.string().trim().max(500).optional(),
  }),
  output: claimViewSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'create_replacement_claim', input, async (tx) => {
      const original = await requireClaim(tx, input.claimId, { lock: true });
      assertPatientAccess(ctx, original.patientId);
      if (!['denied', 'paid', 'partially-paid'].includes(original.status)) {
        throw new OperationError(
          'conflict',
          `Claim ${original.id} is ${original.status}; only a denied or paid claim is replaced`,
          [{ field: 'claimId', message: `the claim is ${original.status}` }],
        );
      }
      const payerNumber = needsPayerNumber(original, 'replacement');
      await assertNoPendingSuccessor(tx, original);
      const base = successorDocument(original, '7', payerNumber);
      const corrected = applyCorrections(base, input.corrections);
      const by = ctx.actor.id;
      const reason = `replacement of ${original.id}${input.note ? `: ${input.note}` : ''}`;
      const changes = [
        change('claim.frequencyCode', '1', '7', reason, by, now),
        change('claim.originalClaimNumber', null, payerNumber, reason, by, now),
        ...corrected.changes.map((c) => change(c.field, c.before, c.after, reason, by, now)),
      ];
      return insertSuccessor(tx, ctx, original, corrected.document, '7', changes);
    });
  },
});

export const voidClaim = defineOperation({
  name: 'void_claim',
  module: 'revenue',
  title: 'Void a claim',
  description:
    'Withdraws a claim. Not yet sent (draft, ready, needs-review): it becomes void at once and its charges go ' +
    'back to open. Sent to the payer: drafts a void claim (frequency 8, REF*F8 = the payer’s claim number) to ' +
    'submit with submit_claims; the original becomes void, and its charges open, when that is submitted. ' +
    'Returns the claim voided, or the void claim drafted.',
  input: z.object({ claimId: claimIdSchema, reason: z.string().trim().min(3).max(500) }),
  output: claimViewSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'void_claim', input, async (tx) => {
      const row = await requireClaim(tx, input.claimId, { lock: true });
      assertPatientAccess(ctx, row.patientId);
      if (['draft', 'ready', 'needs-review'].includes(row.status)) {
        await reopenCharges(tx, row.id);
        const updated = await updateClaim(tx, row.id, {
          status: 'void',
          question: null,
          changes: [
            ...(row.changes as ReturnType<typeof change>[]),
            change('status', row.status, 'void', input.reason, ctx.actor.id, now),
          ],
          updatedAt: now,
        });
        return viewOf(tx, updated);
      }
      if (!atPayer.includes(row.status)) {
        throw new OperationError('conflict', `Claim ${row.id} is ${row.status}; there is nothing to void`, [
          { field: 'claimId', message: `the claim is ${row.status}` },
        ]);
      }
      const payerNumber = needsPayerNumber(row, 'void');
      await assertNoPendingSuccessor(tx, row);
      const doc = successorDocument(row, '8', payerNumber);
      const changes = [
        change('claim.frequencyCode', '1', '8', `void of ${row.id}: ${input.reason}`, ctx.actor.id, now),
      ];
      return insertSuccessor(tx, ctx, row, doc, '8', changes);
    });
  },
});
