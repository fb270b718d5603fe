import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { enqueueJob } from '../../db/jobs.ts';
import {
  encounters,
  remittances,
  revenueTaskKinds,
  revenueTaskStatuses,
  revenueTasks,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { linkSurgeryBilling, wakeSurgeriesBilledBy } from '../surgery/billing-links.ts';

/** The revenue agent's job queue: one job per task to advance. */
export const REVENUE_QUEUE = 'revenue';

export type RevenueTaskKind = (typeof revenueTaskKinds)[number];

/**
 * Opens the task (once per kind and subject) and wakes the agent, inside the caller's transaction: a
 * discharge, a completed surgery or a posted remittance and the work it creates commit together.
 * Returns the task's id, new or existing; an existing task that is done or failed is opened again.
 */
export async function openRevenueTask(
  tx: DbOrTx,
  t: { kind: RevenueTaskKind; subjectId: string; by: string; now: Date },
): Promise<string> {
  const [created] = await tx
    .insert(revenueTasks)
    .values({
      id: `rt-${randomUUID()}`,
      kind: t.kind,
      subjectId: t.subjectId,
      createdBy: t.by,
      createdAt: t.now,
      updatedAt: t.now,
    })
    .onConflictDoNothing()
    .returning({ id: revenueTasks.id });
  const id =
    created?.id ??
    (
      await tx
        .select({ id: revenueTasks.id })
        .from(revenueTasks)
        .where(and(eq(revenueTasks.kind, t.kind), eq(revenueTasks.subjectId, t.subjectId)))
    )[0]!.id;
  // New work on a finished task (late charges, a payment matched later) opens it again.
  await tx
    .update(revenueTasks)
    .set({ status: 'open', updatedAt: t.now })
    .where(and(eq(revenueTasks.id, id), inArray(revenueTasks.status, ['done', 'failed'])));
  await enqueueJob(tx, REVENUE_QUEUE, { taskId: id }, t.now);
  if (t.kind === 'bill-encounter') await linkSurgeryBilling(tx, t.subjectId, id, t.now);
  return id;
}

/** Wakes the agent on a task waiting for a person who has now answered (a coder's review or approval). */
export async function wakeRevenueTask(
  tx: DbOrTx,
  kind: RevenueTaskKind,
  subjectId: string,
  now: Date,
): Promise<void> {
  const rows = await tx
    .select({ id: revenueTasks.id })
    .from(revenueTasks)
    .where(
      and(
        eq(revenueTasks.kind, kind),
        eq(revenueTasks.subjectId, subjectId),
        inArray(revenueTasks.status, ['open', 'waiting']),
      ),
    );
  for (const r of rows) await enqueueJob(tx, REVENUE_QUEUE, { taskId: r.id }, now);
}

export const revenueTaskSchema = z.object({
  taskId: z.string(),
  kind: z.enum(revenueTaskKinds),
  subjectId: z.string().describe('The encounter to bill, or the remittance whose denials to work'),
  status: z.enum(revenueTaskStatuses),
  notes: z.array(z.string()),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RevenueTaskView = z.infer<typeof revenueTaskSchema>;

function present(r: typeof revenueTasks.$inferSelect): RevenueTaskView {
  return {
    taskId: r.id,
    kind: r.kind,
    subjectId: r.subjectId,
    status: r.status,
    notes: r.notes,
    outcome: r.outcome,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function requireTask(db: DbOrTx, taskId: string) {
  const [row] = await db.select().from(revenueTasks).where(eq(revenueTasks.id, taskId));
  if (!row) {
    throw new OperationError('not_found', `No revenue task ${taskId}`, [
      { field: 'taskId', message: 'no such revenue task' },
    ]);
  }
  return row;
}

export const getRevenueTask = defineOperation({
  name: 'get_revenue_task',
  module: 'revenue',
  title: 'Get a revenue task',
  description:
    'Returns one piece of the revenue agent’s work: billing an encounter (after discharge or surgery) or ' +
    'working the denials of a posted remittance, with its status (open, waiting for a coder, done, failed), ' +
    'what the agent did so far and how it ended.',
  input: z.object({ taskId: z.string().min(1) }),
  output: revenueTaskSchema,
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    return present(await requireTask(ctx.database.db, input.taskId));
  },
});

export const listRevenueTasks = defineOperation({
  name: 'list_revenue_tasks',
  module: 'revenue',
  title: 'List revenue tasks',
  description:
    'Lists the revenue agent’s tasks, newest first, optionally by status or by kind: what is being billed, ' +
    'what waits for a coder, what failed and why.',
  input: z.object({
    status: z.enum(revenueTaskStatuses).optional(),
    kind: z.enum(revenueTaskKinds).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: z.object({ tasks: z.array(revenueTaskSchema) }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const where = [];
    if (input.status) where.push(eq(revenueTasks.status, input.status));
    if (input.kind) where.push(eq(revenueTasks.kind, input.kind));
    const rows = await ctx.database.db
      .select()
      .from(revenueTasks)
      .where(and(...where))
      .orderBy(revenueTasks.createdAt)
      .limit(input.limit);
    return { tasks: rows.reverse().map(present) };
  },
});

export const startRevenueTask = defineOperation({
  name: 'start_revenue_task',
  module: 'revenue',
  title: 'Start the revenue agent on an encounter or a remittance',
  description:
    'Asks the revenue agent to bill a finished encounter (capture charges, build and scrub claims, fix what ' +
    'the record allows, ask a coder about the rest, submit) or to work the denials of a posted remittance. ' +
    'Discharges, completed outpatient surgeries and posted remittances start it on their own; use this for ' +
    'anything else (late charges, a retry). Starting it twice on the same subject reuses the task.',
  input: z.object({ kind: z.enum(revenueTaskKinds), subjectId: z.string().min(1) }),
  output: revenueTaskSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'start_revenue_task', input, async (tx) => {
      if (input.kind === 'bill-encounter') {
        const [e] = await tx
          .select({ status: encounters.status, class: encounters.class })
          .from(encounters)
          .where(eq(encounters.id, input.subjectId));
        if (!e) {
          throw new OperationError('not_found', `No encounter ${input.subjectId}`, [
            { field: 'subjectId', message: 'no such encounter' },
          ]);
        }
        // An inpatient stay is billed once, at discharge; an outpatient visit as its services are done.
        const billable = e.status === 'finished' || (e.status === 'in-progress' && e.class !== 'IMP');
        if (!billable) {
          throw new OperationError(
            'conflict',
            `Encounter ${input.subjectId} is ${e.class === 'IMP' ? 'an inpatient stay ' : ''}${e.status}: it is billed once it is finished`,
            [{ field: 'subjectId', message: `the encounter is ${e.status}` }],
          );
        }
      } else {
        const [r] = await tx
          .select({ id: remittances.id })
          .from(remittances)
          .where(eq(remittances.id, input.subjectId));
        if (!r) {
          throw new OperationError('not_found', `No remittance ${input.subjectId}`, [
            { field: 'subjectId', message: 'no such remittance' },
          ]);
        }
      }
      const id = await openRevenueTask(tx, { ...input, by: ctx.actor.id, now });
      return present(await requireTask(tx, id));
    });
  },
});

export const recordRevenueTask = defineOperation({
  name: 'record_revenue_task',
  module: 'revenue',
  title: 'Record the revenue agent’s progress on a task',
  description:
    'For the revenue agent: appends what it did to the task’s notes and sets the task’s status (waiting ' +
    'while a coder has a question, done or failed with the outcome).',
  input: z.object({
    taskId: z.string().min(1),
    status: z.enum(revenueTaskStatuses),
    notes: z.array(z.string().min(1).max(2000)).max(200).default([]),
    outcome: z.string().min(1).max(4000).optional(),
  }),
  output: revenueTaskSchema,
  scope: 'revenue:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'record_revenue_task', input, async (tx) => {
      const [row] = await tx
        .select()
        .from(revenueTasks)
        .where(eq(revenueTasks.id, input.taskId))
        .for('update');
      if (!row) {
        throw new OperationError('not_found', `No revenue task ${input.taskId}`, [
          { field: 'taskId', message: 'no such revenue task' },
        ]);
      }
      const [updated] = await tx
        .update(revenueTasks)
        .set({
          status: input.status,
          notes: [...row.notes, ...input.notes],
          outcome:
            input.outcome ?? (input.status === 'open' || input.status === 'waiting' ? null : row.outcome),
          updatedAt: now,
        })
        .where(eq(revenueTasks.id, input.taskId))
        .returning();
      if (input.status === 'done' || input.status === 'failed') await wakeSurgeriesBilledBy(tx, row.id, now);
      return present(updated!);
    });
  },
});

export const revenueTaskOperations = [getRevenueTask, listRevenueTasks, startRevenueTask, recordRevenueTask];

/**
 * Wakes the tasks that may wait on a claim: the billing task of its encounter, and the denial task of
 * any remittance that paid (or denied) the claim it replaces. A woken task that waits on something
 * else finds its question still open and goes back to sleep.
 */
export async function wakeTasksForClaim(tx: DbOrTx, claimId: string, now: Date): Promise<void> {
  const rows = await tx.execute<{ id: string }>(sql`
    select t.id from revenue_tasks t
    where t.status in ('open', 'waiting') and (
      (t.kind = 'bill-encounter' and t.subject_id = (select encounter_id from claims where id = ${claimId}))
      or (t.kind = 'work-remittance' and t.subject_id in (
        select p.remittance_id from claim_payments p join claims c on p.claim_id in (c.id, c.replaces_claim_id)
        where c.id = ${claimId})))`);
  for (const r of rows) await enqueueJob(tx, REVENUE_QUEUE, { taskId: r.id }, now);
}

/** Wakes the denial task of the remittance a work item came from (its draft was approved or declined). */
export async function wakeTasksForWorkItem(tx: DbOrTx, workItemId: string, now: Date): Promise<void> {
  const rows = await tx.execute<{ remittance_id: string }>(sql`
    select p.remittance_id from denial_work_items w join claim_payments p on p.id = w.claim_payment_id
    where w.id = ${workItemId}`);
  for (const r of rows) await wakeRevenueTask(tx, 'work-remittance', r.remittance_id, now);
}
