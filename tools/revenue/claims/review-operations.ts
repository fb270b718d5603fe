/** ask_claim_review and answer_claim_review: what only a coder may decide. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { requireCoder } from '../coders.ts';
import { notifications, staff } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../../core/operation.ts';
import { wakeTasksForClaim } from '../tasks.ts';
import { assertPreparing, statusAfterScrub } from './build-operations.ts';
import { applyCorrections } from './corrections.ts';
import { type ClaimDocument, cents } from './document.ts';
import { type ClaimQuestion, claimIdSchema, claimViewSchema, correctionSchema } from './schema.ts';
import { errorsOf, scrubStored } from './scrub-context.ts';
import { change, changesOf, reopenCharges, requireClaim, updateClaim, viewOf } from './store.ts';

export const askClaimReview = defineOperation({
  name: 'ask_claim_review',
  module: 'revenue',
  title: 'Ask a coder to review a claim',
  description:
    'Puts a claim the scrubber could not clear to the coders: the claim waits (needs-review) with the question, ' +
    'its current findings and the fixes made so far, and every coder is notified. Use after fix_claim returns ' +
    'needsCoder. A coder answers with answer_claim_review. Returns the claim.',
  input: z.object({
    claimId: claimIdSchema,
    question: z
      .string()
      .trim()
      .min(3)
      .max(1000)
      .describe('What the coder is asked, e.g. "E11 is not billable: which E11 code?"'),
  }),
  output: claimViewSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'ask_claim_review', input, async (tx) => {
      const row = await requireClaim(tx, input.claimId, { lock: true });
      assertPatientAccess(ctx, row.patientId);
      assertPreparing(row);
      const scrub = await scrubStored(tx, row, now);
      const question: ClaimQuestion = {
        asked: input.question,
        findings: scrub.findings,
        changes: changesOf(row),
        askedBy: ctx.actor.id,
        askedAt: now.toISOString(),
      };
      const updated = await updateClaim(tx, row.id, {
        status: 'needs-review',
        question,
        scrub,
        updatedAt: now,
      });
      // Every coder is told in the same transaction: the question is not left to be found.
      const coders = await tx.select({ id: staff.id }).from(staff).where(eq(staff.role, 'coder'));
      const errors = errorsOf(scrub).map((f) => f.code);
      if (coders.length > 0) {
        await tx.insert(notifications).values(
          coders.map((c) => ({
            id: randomUUID(),
            channel: 'notify' as const,
            recipientKind: 'staff' as const,
            recipientId: c.id,
            message: `Claim ${row.id} needs review${errors.length ? ` (${errors.join(', ')})` : ''}: ${input.question} Answer with answer_claim_review on ${row.id}.`,
            createdAt: now,
            createdBy: ctx.actor.id,
          })),
        );
      }
      return viewOf(tx, updated);
    });
  },
});

// One object (MCP tool inputs are objects); what each decision needs is checked here, naming the field.
const answerInput = z
  .object({
    claimId: claimIdSchema,
    coderStaffId: z.string().trim().min(1).describe('The coder answering'),
    decision: z.enum(['correct', 'void']),
    corrections: z.array(correctionSchema).max(50).optional().describe('For correct: at least one'),
    note: z.string().trim().max(500).optional(),
    reason: z.string().trim().min(3).max(500).optional().describe('For void: why the claim is not billed'),
  })
  .superRefine((v, issue) => {
    if (v.decision === 'correct' && !v.corrections?.length) {
      issue.addIssue({
        code: 'custom',
        path: ['corrections'],
        message: 'a correct decision needs at least one correction',
      });
    }
    if (v.decision === 'void' && !v.reason) {
      issue.addIssue({ code: 'custom', path: ['reason'], message: 'a void decision needs a reason' });
    }
  });

export const answerClaimReview = defineOperation({
  name: 'answer_claim_review',
  module: 'revenue',
  title: 'Answer a claim review',
  description:
    'A coder’s answer to the question on a claim. correct: corrections (replace the diagnosis at a position, set ' +
    'a line’s modifiers or units, remove a line) are applied, recorded on the claim and the claim re-scrubbed ' +
    '(ready when clean, else draft with the findings); a removed line’s charge goes back to open. void (with a ' +
    'reason): the claim is not billed and its charges go back to open. Returns the claim.',
  input: answerInput,
  output: claimViewSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const coder = await requireCoder(ctx.database.db, input.coderStaffId, 'answer claim reviews');
    return auditedWrite(ctx, 'answer_claim_review', input, async (tx) => {
      const row = await requireClaim(tx, input.claimId, { lock: true });
      assertPatientAccess(ctx, row.patientId);
      if (row.status !== 'needs-review' || !row.question) {
        throw new OperationError('conflict', `Claim ${row.id} waits for no review (it is ${row.status})`, [
          { field: 'claimId', message: `the claim is ${row.status}` },
        ]);
      }
      const by = coder.id;
      if (input.decision === 'void') {
        const reason = input.reason ?? '';
        await reopenCharges(tx, row.id);
        const updated = await updateClaim(tx, row.id, {
          status: 'void',
          question: null,
          changes: [...changesOf(row), change('status', row.status, 'void', reason, by, now)],
          updatedAt: now,
        });
        // The agent waiting on this claim (billing, or a denial's replacement) goes on.
        await wakeTasksForClaim(tx, row.id, now);
        return viewOf(tx, updated);
      }
      const corrected = applyCorrections(row.document as ClaimDocument, input.corrections ?? []);
      await reopenCharges(tx, row.id, corrected.removedChargeIds);
      const reason = `coder correction${input.note ? `: ${input.note}` : ''}`;
      const made = corrected.changes.map((c) => change(c.field, c.before, c.after, reason, by, now));
      const asDraft = { ...row, status: 'draft' as const };
      const scrub = await scrubStored(tx, asDraft, now, corrected.document);
      const updated = await updateClaim(tx, row.id, {
        document: corrected.document,
        totalChargeCents: cents(corrected.document.claim.totalCharge),
        changes: [...changesOf(row), ...made],
        question: null,
        scrub,
        status: statusAfterScrub(asDraft, errorsOf(scrub).length),
        updatedAt: now,
      });
      await wakeTasksForClaim(tx, row.id, now);
      return viewOf(tx, updated);
    });
  },
});
