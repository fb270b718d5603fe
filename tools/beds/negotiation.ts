import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { enqueueJob } from '../../db/jobs.ts';
import { approvals, bedRequests, bedReservations, beds } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import type { ApprovalView, BedNeed, BedOption, BedRequestView } from './schema.ts';

/** The job queue the bed agent works from: one job wakes the agent on one request's thread. */
export const BEDS_QUEUE = 'beds';

export type BedRequestRow = typeof bedRequests.$inferSelect;
export type ApprovalRow = typeof approvals.$inferSelect;

/** Wakes the bed agent on a request, in the caller's transaction. */
export async function wakeBedAgent(tx: DbOrTx, requestId: string, now: Date): Promise<void> {
  await enqueueJob(tx, BEDS_QUEUE, { requestId }, now);
}

/**
 * A hold that lapses while its charge nurse or bed manager has not answered: the question is void, the
 * request negotiates again and the bed agent is woken to offer another bed. Runs in the transaction
 * that expires the holds, so no request is ever left waiting on a hold that no longer exists.
 */
export async function returnLapsedOffers(
  tx: DbOrTx,
  expired: readonly { requestId: string | null }[],
  now: Date,
): Promise<void> {
  const requestIds = [...new Set(expired.flatMap((r) => (r.requestId ? [r.requestId] : [])))];
  for (const requestId of requestIds) {
    await tx
      .update(approvals)
      .set({ status: 'expired', closedAt: now })
      .where(and(eq(approvals.subjectId, requestId), eq(approvals.status, 'pending')));
    const reopened = await tx
      .update(bedRequests)
      .set({ status: 'negotiating', updatedAt: now })
      .where(and(eq(bedRequests.id, requestId), eq(bedRequests.status, 'awaiting-acceptance')))
      .returning({ id: bedRequests.id });
    if (reopened.length > 0) await wakeBedAgent(tx, requestId, now);
  }
}

export async function requireBedRequest(db: DbOrTx, requestId: string, lock = false) {
  const query = db.select().from(bedRequests).where(eq(bedRequests.id, requestId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No bed request ${requestId}`, [
      { field: 'requestId', message: 'unknown bed request' },
    ]);
  }
  return row;
}

export async function requireApproval(db: DbOrTx, approvalId: string, lock = false) {
  const query = db.select().from(approvals).where(eq(approvals.id, approvalId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No approval ${approvalId}`, [
      { field: 'approvalId', message: 'unknown approval' },
    ]);
  }
  return row;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentApproval(row: ApprovalRow): ApprovalView {
  return {
    approvalId: row.id,
    kind: row.kind,
    requestId: row.subjectId,
    assigneeRole: row.assigneeRole,
    unitId: row.unitId,
    status: row.status,
    question: row.question as ApprovalView['question'],
    decision: row.decision,
    answer: (row.answer as ApprovalView['answer']) ?? null,
    answeredBy: row.answeredBy,
    createdAt: row.createdAt.toISOString(),
    dueAt: iso(row.dueAt),
    closedAt: iso(row.closedAt),
  };
}

/** The request with every hold placed and every question asked for it. */
export async function loadBedRequestView(
  db: DbOrTx,
  requestId: string,
  replayed = false,
): Promise<BedRequestView> {
  const request = await requireBedRequest(db, requestId);
  const holds = await db
    .select({ r: bedReservations, unitId: beds.unitId })
    .from(bedReservations)
    .innerJoin(beds, eq(beds.id, bedReservations.bedId))
    .where(eq(bedReservations.requestId, requestId))
    .orderBy(
      asc(bedReservations.createdAt),
      // A counter-offer releases one hold and places another at the same instant: the ended one first.
      sql`${bedReservations.closedAt} asc nulls last`,
      asc(bedReservations.id),
    );
  const asked = await db
    .select()
    .from(approvals)
    .where(eq(approvals.subjectId, requestId))
    .orderBy(asc(approvals.createdAt), asc(approvals.id));
  return {
    requestId: request.id,
    patientId: request.patientId,
    requester: request.requester,
    priority: request.priority,
    escalationId: request.escalationId,
    status: request.status,
    need: request.need as BedNeed,
    holdMinutes: request.holdMinutes,
    escalateAfterMinutes: request.escalateAfterMinutes,
    bedId: request.bedId,
    outcome: request.outcome,
    options: (request.options as BedOption[] | null) ?? null,
    holds: holds.map(({ r, unitId }) => ({
      reservationId: r.id,
      bedId: r.bedId,
      unitId,
      status: r.status,
      holdExpiresAt: r.holdExpiresAt.toISOString(),
      createdAt: r.createdAt.toISOString(),
      closedAt: iso(r.closedAt),
    })),
    approvals: asked.map(presentApproval),
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
    replayed,
  };
}

/** The request's live hold (held or accepted), locked for the caller's transaction. */
export async function lockLiveHold(tx: DbOrTx, requestId: string) {
  const [row] = await tx
    .select()
    .from(bedReservations)
    .where(
      and(eq(bedReservations.requestId, requestId), inArray(bedReservations.status, ['held', 'accepted'])),
    )
    .for('update');
  return row;
}
