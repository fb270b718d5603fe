import { and, eq, gt, inArray, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { coverRequests, staff, surgicalTeamAssignments } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { approvedLeaveDuring, shiftsBetween, skillsOf } from '../person-facts.ts';
import { type CandidateFacts, type CoverSlot, MAY_COVER } from './rules.ts';

export type CoverRequestRow = typeof coverRequests.$inferSelect;

const DAY_MS = 86_400_000;

export async function requireCoverRequest(db: DbOrTx, requestId: string, lock = false) {
  const query = db.select().from(coverRequests).where(eq(coverRequests.id, requestId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No cover request ${requestId}`, [
      { field: 'requestId', message: 'unknown cover request' },
    ]);
  }
  return row;
}

export const slotOf = (r: CoverRequestRow, calledOutStaffId: string | null): CoverSlot => ({
  unitId: r.unitId,
  role: r.role,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
  requiredSkill: r.requiredSkill,
  calledOutStaffId,
});

/**
 * The facts the cover rules need about everyone who might cover the slot: staff whose role may work it,
 * on its unit or in the float pool (or exactly `staffIds`, whatever their role and unit, to say why one
 * person may not), with their shifts and surgical cases from two weeks before to a week after (an 8/80
 * fortnight and the 7-day fatigue window), approved leave over the slot and skills. `lock` takes their
 * staff rows FOR UPDATE, so two assignments of the same person queue instead of both passing the overlap
 * check (assign_surgical_team takes the same row locks).
 */
export async function loadCandidateFacts(
  db: DbOrTx,
  slot: CoverSlot,
  opts: { staffIds?: readonly string[]; lock?: boolean } = {},
): Promise<CandidateFacts[]> {
  const roles = MAY_COVER[slot.role] ?? [slot.role];
  const where = opts.staffIds
    ? inArray(staff.id, [...opts.staffIds])
    : and(inArray(staff.role, [...roles]), or(eq(staff.unitId, slot.unitId), eq(staff.floatEligible, true)));
  const query = db.select().from(staff).where(where).orderBy(staff.id);
  const people = opts.lock ? await query.for('update') : await query;
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const from = new Date(slot.startsAt.getTime() - 14 * DAY_MS);
  const to = new Date(slot.endsAt.getTime() + 7 * DAY_MS);
  const [worked, leave, skills, cases] = await Promise.all([
    shiftsBetween(db, ids, from, to),
    approvedLeaveDuring(db, ids, slot),
    skillsOf(db, ids),
    db
      .select({
        staffId: surgicalTeamAssignments.staffId,
        startsAt: surgicalTeamAssignments.startsAt,
        endsAt: surgicalTeamAssignments.endsAt,
      })
      .from(surgicalTeamAssignments)
      .where(
        and(
          inArray(surgicalTeamAssignments.staffId, ids),
          eq(surgicalTeamAssignments.status, 'assigned'),
          lt(surgicalTeamAssignments.startsAt, to),
          gt(surgicalTeamAssignments.endsAt, from),
        ),
      ),
  ]);
  // A case in a surgical team is time at work: a case inside one of their shifts is already counted,
  // one outside any shift is busy time of its own (no cover over it, and it counts towards fatigue).
  const busy = [
    ...worked,
    ...cases.filter(
      (k) => !worked.some((s) => s.staffId === k.staffId && s.startsAt <= k.startsAt && s.endsAt >= k.endsAt),
    ),
  ];
  const shiftsBy = Map.groupBy(busy, (s) => s.staffId);
  const leaveBy = Map.groupBy(leave, (l) => l.staffId);
  const skillsBy = Map.groupBy(skills, (s) => s.staffId);
  return people.map((p) => ({
    staffId: p.id,
    name: p.name,
    role: p.role,
    homeUnitId: p.unitId,
    employmentType: p.employmentType,
    floatEligible: p.floatEligible,
    contractedMinutesPerWeek: p.contractedMinutesPerWeek,
    hourlyRateCents: p.hourlyRateCents,
    overtimeBasis: p.overtimeBasis,
    shifts: shiftsBy.get(p.id) ?? [],
    leave: leaveBy.get(p.id) ?? [],
    skills: skillsBy.get(p.id) ?? [],
  }));
}
