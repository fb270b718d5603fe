import { randomUUID } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../../../db/client.ts';
import { enqueueJob } from '../../../db/jobs.ts';
import {
  type CoverRequestStatus,
  coverRequests,
  coverTiers,
  coverRequestStatuses,
  shifts,
  staff,
  staffRoles,
  staffSkills,
} from '../../../db/schema/index.ts';
import { loadUnitsWithPolicies } from '../demand/store.ts';
import { certificationValid, effectivePolicy } from '../demand/policy.ts';
import type { ShiftRow } from '../records.ts';
import { DEFAULT_APPROVAL_THRESHOLD_CENTS } from './rules.ts';
import type { CoverRequestRow } from './store.ts';

/** The staffing agent's job queue: one job per cover request to advance. */
export const STAFFING_QUEUE = 'staffing';

export async function wakeStaffingAgent(tx: DbOrTx, requestId: string, now: Date): Promise<void> {
  await enqueueJob(tx, STAFFING_QUEUE, { requestId }, now);
}

export const coverQuestionSchema = z.object({
  candidateStaffId: z.string(),
  name: z.string(),
  tier: z.enum(coverTiers),
  costCents: z.number().int(),
  overtimeMinutes: z.number().int(),
  text: z.string(),
  askedAt: z.string(),
});
export type CoverQuestion = z.infer<typeof coverQuestionSchema>;

export const coverDecisionSchema = z.object({
  candidateStaffId: z.string(),
  decision: z.enum(['approve', 'decline', 'void']),
  answeredBy: z.string(),
  reason: z.string().nullable(),
  at: z.string(),
});
export type CoverDecision = z.infer<typeof coverDecisionSchema>;

export const coverRequestSchema = z.object({
  requestId: z.string(),
  shiftId: z.string().nullable().describe('The called-out shift this replaces; null for an open shift'),
  calledOutStaffId: z.string().nullable(),
  unitId: z.string(),
  role: z.enum(staffRoles),
  kind: z.enum(['day', 'evening', 'night']),
  startsAt: z.string(),
  endsAt: z.string(),
  requiredSkill: z.string().nullable(),
  status: z.enum(coverRequestStatuses),
  approvalThresholdCents: z.number().int(),
  filledBy: z.string().nullable(),
  coverShiftId: z.string().nullable(),
  costCents: z.number().int().nullable(),
  tier: z.enum(coverTiers).nullable(),
  question: coverQuestionSchema.nullable().describe("What waits for a staffing manager's answer"),
  decisions: z.array(coverDecisionSchema),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CoverRequestView = z.infer<typeof coverRequestSchema>;

export async function presentCoverRequest(db: DbOrTx, r: CoverRequestRow): Promise<CoverRequestView> {
  let calledOutStaffId: string | null = null;
  if (r.shiftId) {
    const [shift] = await db.select({ staffId: shifts.staffId }).from(shifts).where(eq(shifts.id, r.shiftId));
    calledOutStaffId = shift?.staffId ?? null;
  }
  return {
    requestId: r.id,
    shiftId: r.shiftId,
    calledOutStaffId,
    unitId: r.unitId,
    role: r.role,
    kind: r.kind,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    requiredSkill: r.requiredSkill,
    status: r.status,
    approvalThresholdCents: r.approvalThresholdCents,
    filledBy: r.filledBy,
    coverShiftId: r.coverShiftId,
    costCents: r.costCents,
    tier: r.tier,
    question: (r.question as CoverQuestion | null) ?? null,
    decisions: r.decisions as CoverDecision[],
    outcome: r.outcome,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/**
 * The unit's required certification when the slot would run without it: nobody rostered on it (other
 * than whoever called out) holds it valid through the shift. With `onlyIfHeldBy`, only when that person
 * held it (a call-out leaves the shift no worse than the roster made it). Null when cover need not hold it.
 */
export async function skillLeftUncovered(
  db: DbOrTx,
  slot: { unitId: string; startsAt: Date; endsAt: Date },
  onlyIfHeldBy?: string,
): Promise<string | null> {
  const [unit] = await loadUnitsWithPolicies(db, slot.unitId);
  if (!unit) return null;
  const skill = effectivePolicy(unit, unit.override).requiredSkill;
  if (!skill) return null;
  const lastDay = new Date(slot.endsAt.getTime() - 1).toISOString().slice(0, 10);
  const holders = await db
    .select({ staffId: shifts.staffId, status: shifts.status, certifiedUntil: staffSkills.certifiedUntil })
    .from(shifts)
    .innerJoin(staffSkills, and(eq(staffSkills.staffId, shifts.staffId), eq(staffSkills.skill, skill)))
    .where(
      and(eq(shifts.unitId, slot.unitId), eq(shifts.startsAt, slot.startsAt), ne(shifts.status, 'cancelled')),
    );
  const valid = holders.filter((h) => certificationValid(h.certifiedUntil, lastDay));
  if (onlyIfHeldBy && !valid.some((h) => h.staffId === onlyIfHeldBy)) return null;
  return valid.some((h) => h.staffId !== onlyIfHeldBy && h.status !== 'called-out') ? null : skill;
}

/**
 * Files the cover request for a called-out shift in the caller's transaction and wakes the staffing
 * agent, or returns the live request already filed for it.
 */
export async function fileCoverForShift(
  tx: Tx,
  shift: ShiftRow,
  opts: {
    actorId: string;
    now: Date;
    approvalThresholdCents?: number | undefined;
    requiredSkill?: string | null;
  },
): Promise<{ row: CoverRequestRow; replayed: boolean }> {
  const [existing] = await tx
    .select()
    .from(coverRequests)
    .where(and(eq(coverRequests.shiftId, shift.id), ne(coverRequests.status, 'cancelled')));
  if (existing) return { row: existing, replayed: true };
  const [person] = await tx.select({ role: staff.role }).from(staff).where(eq(staff.id, shift.staffId));
  const requiredSkill =
    opts.requiredSkill !== undefined ? opts.requiredSkill : await skillLeftUncovered(tx, shift);
  const row = await insertCoverRequest(tx, {
    shiftId: shift.id,
    unitId: shift.unitId,
    role: person!.role,
    kind: shift.kind,
    startsAt: shift.startsAt,
    endsAt: shift.endsAt,
    requiredSkill,
    approvalThresholdCents: opts.approvalThresholdCents ?? DEFAULT_APPROVAL_THRESHOLD_CENTS,
    actorId: opts.actorId,
    now: opts.now,
  });
  return { row, replayed: false };
}

export async function insertCoverRequest(
  tx: Tx,
  r: Pick<
    CoverRequestRow,
    | 'shiftId'
    | 'unitId'
    | 'role'
    | 'kind'
    | 'startsAt'
    | 'endsAt'
    | 'requiredSkill'
    | 'approvalThresholdCents'
  > & {
    actorId: string;
    now: Date;
  },
): Promise<CoverRequestRow> {
  const [row] = await tx
    .insert(coverRequests)
    .values({
      id: `cov-${randomUUID()}`,
      shiftId: r.shiftId,
      unitId: r.unitId,
      role: r.role,
      kind: r.kind,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      requiredSkill: r.requiredSkill,
      approvalThresholdCents: r.approvalThresholdCents,
      status: 'open',
      createdBy: r.actorId,
      createdAt: r.now,
      updatedAt: r.now,
    })
    .returning();
  await wakeStaffingAgent(tx, row!.id, r.now);
  return row!;
}

export const liveCoverStatuses: readonly CoverRequestStatus[] = ['open', 'awaiting-approval'];
