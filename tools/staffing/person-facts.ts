import { and, asc, eq, gt, gte, inArray, lt, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { shifts, staffLeave, staffSkills } from '../../db/schema/index.ts';

// What the cover, the surgical-team and the roster choices all read about the people they weigh: shifts they work
// or will work near a time, approved leave over a span of days and every skill held (lapsed ones too:
// the rules judge the date).

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Approved leave of these people touching [startsAt, endsAt), as inclusive YYYY-MM-DD days. */
export function approvedLeaveDuring(db: DbOrTx, ids: string[], span: { startsAt: Date; endsAt: Date }) {
  return db
    .select({
      id: staffLeave.id,
      staffId: staffLeave.staffId,
      kind: staffLeave.kind,
      startsOn: staffLeave.startsOn,
      endsOn: staffLeave.endsOn,
    })
    .from(staffLeave)
    .where(
      and(
        inArray(staffLeave.staffId, ids),
        eq(staffLeave.status, 'approved'),
        lte(staffLeave.startsOn, isoDay(span.endsAt.getTime() - 1)),
        gte(staffLeave.endsOn, isoDay(span.startsAt.getTime())),
      ),
    )
    .orderBy(asc(staffLeave.startsOn), asc(staffLeave.id));
}

export function skillsOf(db: DbOrTx, ids: string[]) {
  return db
    .select({
      staffId: staffSkills.staffId,
      skill: staffSkills.skill,
      certifiedUntil: staffSkills.certifiedUntil,
    })
    .from(staffSkills)
    .where(inArray(staffSkills.staffId, ids));
}

/** Scheduled or worked shifts of these people overlapping [from, to). */
export function shiftsBetween(db: DbOrTx, ids: string[], from: Date, to: Date) {
  return db
    .select({
      id: shifts.id,
      staffId: shifts.staffId,
      unitId: shifts.unitId,
      kind: shifts.kind,
      startsAt: shifts.startsAt,
      endsAt: shifts.endsAt,
    })
    .from(shifts)
    .where(
      and(
        inArray(shifts.staffId, ids),
        inArray(shifts.status, ['scheduled', 'worked']),
        lt(shifts.startsAt, to),
        gt(shifts.endsAt, from),
      ),
    )
    .orderBy(asc(shifts.startsAt), asc(shifts.id));
}
