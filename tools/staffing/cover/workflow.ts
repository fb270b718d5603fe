/** What the cover operations share: ranking a request, the locked re-check, and the changes to a request. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import { coverRequests, notifications, shifts, staffRoles } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, type OperationContext } from '../../core/operation.ts';
import { requireStaff } from '../records.ts';
import { type CoverDecision, liveCoverStatuses, presentCoverRequest, wakeStaffingAgent } from './requests.ts';
import { type Candidate, DEFAULT_APPROVAL_THRESHOLD_CENTS, rankCover, type Refusal } from './rules.ts';
import { type CoverRequestRow, loadCandidateFacts, requireCoverRequest, slotOf } from './store.ts';

export const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export const candidateSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.enum(staffRoles),
  homeUnitId: z.string().nullable(),
  employmentType: z.string(),
  tier: z.enum(['float', 'extra-shift', 'overtime', 'agency']),
  costCents: z.number().int().describe('Estimated cost of the shift to the hospital'),
  overtimeMinutes: z.number().int(),
  weekMinutesBefore: z.number().int().describe('Minutes already rostered in the workweek'),
  needsApproval: z.boolean().describe("Overtime or agency above the request's threshold"),
  why: z.string(),
});

export const refusedSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  refusals: z.array(z.object({ rule: z.string(), message: z.string() })),
});

export const thresholdSchema = z
  .number()
  .int()
  .min(0)
  .max(10_000_000)
  .describe(
    `Overtime or agency cover costing more (cents) needs a staffing manager's approval; default ${DEFAULT_APPROVAL_THRESHOLD_CENTS}`,
  );

export async function calledOutStaff(db: Tx | OperationContext['database']['db'], r: CoverRequestRow) {
  if (!r.shiftId) return null;
  const [shift] = await db.select({ staffId: shifts.staffId }).from(shifts).where(eq(shifts.id, r.shiftId));
  return shift?.staffId ?? null;
}

/** Ranks everyone for a request: the declined candidates are left out (a manager said no to them). */
export async function rankRequest(db: Tx | OperationContext['database']['db'], r: CoverRequestRow) {
  const slot = slotOf(r, await calledOutStaff(db, r));
  const ranked = rankCover(await loadCandidateFacts(db, slot), slot, r.approvalThresholdCents);
  const declined = new Set(
    (r.decisions as CoverDecision[]).filter((d) => d.decision === 'decline').map((d) => d.candidateStaffId),
  );
  return { ...ranked, candidates: ranked.candidates.filter((c) => !declined.has(c.staffId)) };
}

export const refusalText = (refusals: readonly Refusal[]) =>
  refusals.map((r) => `${r.rule}: ${r.message}`).join('; ');

/**
 * The candidate checked again, under lock of the request and the person's staff row, against the data
 * as it is now: the one check every assignment passes, whoever proposed it.
 */
export async function lockedCandidate(tx: Tx, r: CoverRequestRow, staffId: string): Promise<Candidate> {
  await requireStaff(tx, staffId, { lock: true });
  const slot = slotOf(r, await calledOutStaff(tx, r));
  const facts = await loadCandidateFacts(tx, slot, { staffIds: [staffId] });
  const ranked = rankCover(facts, slot, r.approvalThresholdCents);
  const refused = ranked.refused[0];
  if (refused) {
    throw new OperationError(
      'conflict',
      `${refused.name} may not cover ${r.id}: ${refusalText(refused.refusals)}`,
      refused.refusals.map((x) => ({ field: 'staffId', message: `${x.rule}: ${x.message}` })),
    );
  }
  return ranked.candidates[0]!;
}

export function assertLive(r: CoverRequestRow): void {
  if (!liveCoverStatuses.includes(r.status)) {
    throw new OperationError(
      'conflict',
      `Cover request ${r.id} is ${r.status}${r.filledBy ? ` (filled by ${r.filledBy})` : ''}${r.outcome ? `: ${r.outcome}` : ''}`,
      [{ field: 'requestId', message: `the request is ${r.status}` }],
    );
  }
}

export const setRequest = async (tx: Tx, id: string, change: Partial<CoverRequestRow>) => {
  const [updated] = await tx.update(coverRequests).set(change).where(eq(coverRequests.id, id)).returning();
  return updated!;
};

/** One change to one cover request: locked, changed and audited in one transaction, then presented. */
export async function changeRequest(
  ctx: OperationContext,
  tool: string,
  input: { requestId: string },
  change: (tx: Tx, r: CoverRequestRow) => Promise<CoverRequestRow>,
) {
  const row = await auditedWrite(ctx, tool, input, async (tx) =>
    change(tx, await requireCoverRequest(tx, input.requestId, true)),
  );
  return presentCoverRequest(ctx.database.db, row);
}

/** Writes the cover shift and fills the request; tells the person. */
export async function fill(tx: Tx, ctx: OperationContext, r: CoverRequestRow, c: Candidate, via: string) {
  const now = ctx.clock.now();
  const [shift] = await tx
    .insert(shifts)
    .values({
      id: `shf-${randomUUID()}`,
      staffId: c.staffId,
      unitId: r.unitId,
      kind: r.kind,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      status: 'scheduled',
    })
    .returning();
  const outcome = `Filled by ${c.name} (${c.tier}, ${money(c.costCents)}${via})`;
  const updated = await setRequest(tx, r.id, {
    status: 'filled',
    filledBy: c.staffId,
    coverShiftId: shift!.id,
    costCents: c.costCents,
    tier: c.tier,
    question: null,
    outcome,
    updatedAt: now,
  });
  // An agent run waiting on this request (for an approval, or overtaken by a person) ends.
  await wakeStaffingAgent(tx, r.id, now);
  await tx.insert(notifications).values({
    id: randomUUID(),
    channel: 'notify',
    recipientKind: 'staff',
    recipientId: c.staffId,
    message: `You are rostered on ${r.unitId} ${r.kind} shift ${r.startsAt.toISOString()} to ${r.endsAt.toISOString()} (cover request ${r.id}).`,
    createdAt: now,
    createdBy: ctx.actor.id,
  });
  return updated;
}
