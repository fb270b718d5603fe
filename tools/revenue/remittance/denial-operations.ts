import { and, asc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import {
  claims,
  denialActions,
  denialCategories,
  denialWorkItems,
  workItemStatuses,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../../core/operation.ts';
import {
  type Draft,
  denialQuery,
  denialSchema,
  denialSummary,
  denialSummarySchema,
  presentDenial,
  type StoredReasons,
} from './views.ts';

const workItemId = z.string().min(1);
type WorkItemRow = typeof denialWorkItems.$inferSelect;

export async function lockedItem(tx: Tx, id: string): Promise<WorkItemRow> {
  const [item] = await tx.select().from(denialWorkItems).where(eq(denialWorkItems.id, id)).for('update');
  if (!item) {
    throw new OperationError('not_found', `No denial work item ${id}`, [
      { field: 'workItemId', message: 'no such work item' },
    ]);
  }
  return item;
}

export function assertStatus(item: WorkItemRow, allowed: readonly WorkItemRow['status'][], doing: string) {
  if (!allowed.includes(item.status)) {
    throw new OperationError('conflict', `Work item ${item.id} is ${item.status}: cannot ${doing}`, [
      { field: 'workItemId', message: `the work item is ${item.status}` },
    ]);
  }
}

/** A change to one work item and its audit entry, then the item as it is now. */
export async function changeItem(
  ctx: OperationContext,
  tool: string,
  input: { workItemId: string },
  change: (tx: Tx, item: WorkItemRow) => Promise<void>,
) {
  await auditedWrite(ctx, tool, input, async (tx) => {
    await change(tx, await lockedItem(tx, input.workItemId));
    return { workItemId: input.workItemId };
  });
  return presentDenial(ctx.database.db, input.workItemId);
}

export const listDenials = defineOperation({
  name: 'list_denials',
  module: 'revenue',
  title: 'List the denial work queue',
  description:
    'The denial work queue, oldest first: denied, short-paid and unmatched claim payments, each with its ' +
    'category (authorization, coding, bundling, eligibility…), the suggested action (correct-and-resubmit, ' +
    'appeal, write-off, bill-patient, bill-secondary, review), the claim, payer and the amount at stake. ' +
    'Filter by status (open, awaiting-approval, resolved), category or action.',
  input: z.object({
    status: z.enum(workItemStatuses).optional(),
    category: z.enum(denialCategories).optional(),
    action: z.enum(denialActions).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: z.object({ items: z.array(denialSummarySchema) }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const rows = await denialQuery(ctx.database.db)
      .where(
        and(
          input.status ? eq(denialWorkItems.status, input.status) : undefined,
          input.category ? eq(denialWorkItems.category, input.category) : undefined,
          input.action ? eq(denialWorkItems.suggestedAction, input.action) : undefined,
        ),
      )
      .orderBy(asc(denialWorkItems.createdAt), asc(denialWorkItems.id))
      .limit(input.limit);
    return {
      items: rows.map(({ w, p, claimStatus, payerName }) => denialSummary(w, p, claimStatus, payerName)),
    };
  },
});

export const getDenial = defineOperation({
  name: 'get_denial',
  module: 'revenue',
  title: 'A denial work item',
  description:
    'One work item of the denial queue: the reasons (group, CARC, RARC with descriptions, amounts), the rule ' +
    'that chose the suggested action, the claim payment with its lines and adjustments, the draft waiting for ' +
    "a coder's approval, and the resolution.",
  input: z.object({ workItemId }),
  output: denialSchema,
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler({ workItemId }, ctx) {
    return presentDenial(ctx.database.db, workItemId);
  },
});

export const resolutions = [
  'write-off',
  'billed-patient',
  'billed-secondary',
  'resubmitted',
  'appealed',
  'no-action',
] as const;

export const resolveDenial = defineOperation({
  name: 'resolve_denial',
  module: 'revenue',
  title: 'Resolve a denial work item',
  description:
    'Closes a work item with what was done: write-off, billed-patient, billed-secondary, resubmitted, ' +
    'appealed or no-action, and a note. A write-off marks the claim written-off when no other work item on it ' +
    'is still open. resubmitted after an approved corrected claim requires the replacement to be submitted. ' +
    'Returns the resolved work item.',
  input: z.object({
    workItemId,
    resolution: z.enum(resolutions),
    note: z.string().trim().min(3).max(1000),
  }),
  output: denialSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return changeItem(ctx, 'resolve_denial', input, async (tx, item) => {
      assertStatus(item, ['open', 'awaiting-approval'], 'resolve it');
      const draft = item.draft as Draft | null;
      if (input.resolution === 'resubmitted' && draft?.kind === 'corrected-claim') {
        const [replacement] = await tx.select().from(claims).where(eq(claims.id, draft.claimId));
        if (!replacement || ['draft', 'needs-review', 'ready'].includes(replacement.status)) {
          throw new OperationError(
            'conflict',
            `The replacement claim ${draft.claimId} is ${replacement?.status ?? 'missing'}: submit it first`,
            [{ field: 'resolution', message: 'the corrected claim is not submitted' }],
          );
        }
      }
      await tx
        .update(denialWorkItems)
        .set({
          status: 'resolved',
          resolution: input.resolution,
          resolvedBy: ctx.actor.id,
          resolvedAt: now,
          reasons: { ...(item.reasons as StoredReasons), resolutionNote: input.note },
        })
        .where(eq(denialWorkItems.id, item.id));
      if (input.resolution === 'write-off' && item.claimId) {
        const others = await tx
          .select({ id: denialWorkItems.id })
          .from(denialWorkItems)
          .where(
            and(
              eq(denialWorkItems.claimId, item.claimId),
              ne(denialWorkItems.id, item.id),
              ne(denialWorkItems.status, 'resolved'),
            ),
          );
        if (others.length === 0) {
          await tx
            .update(claims)
            .set({ status: 'written-off', updatedAt: now })
            .where(eq(claims.id, item.claimId));
        }
      }
    });
  },
});
