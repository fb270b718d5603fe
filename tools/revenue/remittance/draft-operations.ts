/** The drafts a coder approves on a denial work item: an appeal letter, or a corrected claim. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { requireCoder } from '../coders.ts';
import { claims, denialWorkItems } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { defineOperation } from '../../core/operation.ts';
import { appealLetter } from './appeal-letter.ts';
import { appealRecord } from './appeal-record.ts';
import { wakeTasksForWorkItem } from '../tasks.ts';
import { assertStatus, changeItem } from './denial-operations.ts';
import { type Draft, denialSchema, draftSchema } from './views.ts';

const workItemId = z.string().min(1);

export const draftAppeal = defineOperation({
  name: 'draft_appeal',
  module: 'revenue',
  title: 'Draft an appeal letter',
  description:
    'Writes an appeal letter for an open work item from the record (claim and payer claim number, patient, ' +
    'dates of service, codes, the CARC/RARC and their descriptions, the authorisation on file, the documents ' +
    'to attach) and puts it to a coder: the item waits (awaiting-approval) until answer_denial_draft. Returns ' +
    'the work item with the draft.',
  input: z.object({ workItemId }),
  output: denialSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return changeItem(ctx, 'draft_appeal', input, async (tx, item) => {
      assertStatus(item, ['open'], 'draft an appeal');
      const { letter, attachments } = appealLetter(
        await appealRecord(tx, item, now.toISOString().slice(0, 10)),
      );
      const draft: Draft = {
        kind: 'appeal',
        letter,
        attachments,
        draftedBy: ctx.actor.id,
        draftedAt: now.toISOString(),
      };
      await tx
        .update(denialWorkItems)
        .set({ draft, status: 'awaiting-approval' })
        .where(eq(denialWorkItems.id, item.id));
    });
  },
});

export const recordDenialDraft = defineOperation({
  name: 'record_denial_draft',
  module: 'revenue',
  title: 'Record a corrected claim for a denial',
  description:
    'Records the corrected (replacement) claim built for a work item, by its claim id, and puts it to a coder: ' +
    'the item waits (awaiting-approval) until answer_denial_draft. The replacement must exist and, when it ' +
    "names the claim it replaces, replace this item's claim. Returns the work item with the draft.",
  input: z.object({
    workItemId,
    claimId: z.string().min(1).describe('The replacement claim'),
    note: z.string().trim().min(3).max(1000).optional().describe('What was corrected'),
  }),
  output: denialSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return changeItem(ctx, 'record_denial_draft', input, async (tx, item) => {
      assertStatus(item, ['open'], 'record a corrected claim');
      const [replacement] = await tx.select().from(claims).where(eq(claims.id, input.claimId));
      if (!replacement) {
        throw new OperationError('not_found', `No claim ${input.claimId}`, [
          { field: 'claimId', message: 'no such claim' },
        ]);
      }
      if (
        replacement.id === item.claimId ||
        (replacement.replacesClaimId && replacement.replacesClaimId !== item.claimId)
      ) {
        throw new OperationError(
          'invalid',
          `Claim ${replacement.id} does not replace ${item.claimId} (it ${replacement.id === item.claimId ? 'is the denied claim' : `replaces ${replacement.replacesClaimId}`})`,
          [{ field: 'claimId', message: `not a replacement for ${item.claimId}` }],
        );
      }
      const draft: Draft = {
        kind: 'corrected-claim',
        claimId: replacement.id,
        draftedBy: ctx.actor.id,
        draftedAt: now.toISOString(),
        ...(input.note ? { note: input.note } : {}),
      };
      await tx
        .update(denialWorkItems)
        .set({ draft, status: 'awaiting-approval' })
        .where(eq(denialWorkItems.id, item.id));
    });
  },
});

export const answerDenialDraft = defineOperation({
  name: 'answer_denial_draft',
  module: 'revenue',
  title: 'Approve or decline a denial draft',
  description:
    "A coder's answer to the draft on a work item. approve: an appeal is approved and the item resolved as " +
    'appealed (the agent then sends the letter); a corrected claim is approved and the item stays awaiting its ' +
    'submission (resolve it as resubmitted once submitted). decline (with a reason): the item goes back to ' +
    'open with the reason kept on the draft. Returns the work item with the approved or declined draft.',
  input: z.object({
    workItemId,
    coderStaffId: z.string().min(1).describe('The coder answering'),
    decision: z.enum(['approve', 'decline']),
    reason: z.string().trim().min(3).max(1000).optional(),
  }),
  output: denialSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const coder = await requireCoder(ctx.database.db, input.coderStaffId, 'approve denial drafts');
    if (input.decision === 'decline' && !input.reason) {
      throw new OperationError('invalid', 'A decline needs a reason', [
        { field: 'reason', message: 'required' },
      ]);
    }
    return changeItem(ctx, 'answer_denial_draft', input, async (tx, item) => {
      assertStatus(item, ['awaiting-approval'], 'answer a draft');
      const draft = draftSchema.parse(item.draft);
      if (input.decision === 'decline') {
        const declined = { by: coder.id, reason: input.reason!, at: now.toISOString() };
        await tx
          .update(denialWorkItems)
          .set({ status: 'open', draft: { ...draft, declined } })
          .where(eq(denialWorkItems.id, item.id));
        await wakeTasksForWorkItem(tx, item.id, now);
        return;
      }
      const approved = { ...draft, approvedBy: coder.id };
      await tx
        .update(denialWorkItems)
        .set(
          draft.kind === 'appeal'
            ? {
                draft: approved,
                status: 'resolved',
                resolution: 'appealed',
                resolvedBy: coder.id,
                resolvedAt: now,
              }
            : { draft: approved },
        )
        .where(eq(denialWorkItems.id, item.id));
      // The agent waiting on the draft goes on (it submits an approved replacement).
      await wakeTasksForWorkItem(tx, item.id, now);
    });
  },
});
