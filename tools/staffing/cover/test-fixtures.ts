import type { Database } from '../../../db/client.ts';
import { shifts, staff, staffLeave, staffSkills } from '../../../db/schema/index.ts';

/**
 * An ICU night to cover, on top of the mini hospital (evals/hospital.ts): Ada (ICU RN, the only ACLS
 * holder on Tuesday's night shift) calls out, and around her every kind of cover and every reason not:
 *
 *   stf-float     med-surg RN in the float pool, ACLS, 16 h this week       → float, cheapest
 *   stf-part      ICU part-time RN, ACLS, 24 h this week, dearer rate        → extra shift
 *   stf-full      ICU RN, ACLS, 40 h this week (Mon, Thu–Sun days)           → overtime (needs approval)
 *   stf-agency    agency RN placed on ICU, ACLS                              → agency (needs approval)
 *   stf-noacls    ICU RN without ACLS                                        → refused: skill
 *   stf-lapsed    ICU RN whose ACLS lapsed on Monday                         → refused: skill
 *   stf-away      ICU RN on approved leave                                   → refused: leave
 *   stf-tired     ICU RN who works Tuesday's day shift                       → refused: 12 h in 24 h
 *   stf-busy      ICU RN on Tuesday's night shift too, no ACLS               → refused: overlap, skill
 *   stf-lpn       ICU LPN                                                    → not a candidate (role)
 *   stf-ms-rn     med-surg RN not in the float pool                          → not a candidate (unit)
 *   stf-staffing  staffing manager
 *
 * Dates: the week of Monday 2026-03-09; the night runs Tuesday 23:00 to Wednesday 07:00 UTC.
 */
export const COVER_WEEK = '2026-03-09';
export const NIGHT_SHIFT_ID = 'shf-ada-tue-night';
export const NIGHT_STARTS = new Date('2026-03-10T23:00:00Z');

const at = (day: number, hour: number) => new Date(Date.UTC(2026, 2, 9 + day, hour));
const shift = (
  id: string,
  staffId: string,
  day: number,
  kind: 'day' | 'evening' | 'night',
  unitId = 'unit-icu',
) => {
  const hour = { day: 7, evening: 15, night: 23 }[kind];
  return { id, staffId, unitId, kind, startsAt: at(day, hour), endsAt: at(day, hour + 8) };
};

export async function coverWard(database: Database): Promise<void> {
  const { db } = database;
  const rn = (id: string, name: string, extra: Partial<typeof staff.$inferInsert> = {}) => ({
    id,
    name,
    role: 'RN' as const,
    unitId: 'unit-icu',
    pager: `PGR-${id}`,
    hourlyRateCents: 4000,
    ...extra,
  });
  await db.insert(staff).values([
    rn('stf-ada', 'Ada Icu'),
    rn('stf-float', 'Flo Float', { unitId: 'unit-ms', floatEligible: true, hourlyRateCents: 3800 }),
    rn('stf-part', 'Pat Part', {
      employmentType: 'part-time',
      contractedMinutesPerWeek: 1440,
      hourlyRateCents: 4200,
    }),
    rn('stf-full', 'Fern Full', { hourlyRateCents: 4400 }),
    rn('stf-agency', 'Agnes Agency', {
      employmentType: 'agency',
      contractedMinutesPerWeek: 0,
      hourlyRateCents: 9000,
    }),
    rn('stf-noacls', 'Nat Noacls', { hourlyRateCents: 3600 }),
    rn('stf-lapsed', 'Lou Lapsed', { hourlyRateCents: 3600 }),
    rn('stf-away', 'Amy Away', { hourlyRateCents: 3600 }),
    rn('stf-tired', 'Ty Tired', { hourlyRateCents: 3600 }),
    rn('stf-busy', 'Bo Busy', { hourlyRateCents: 3600 }),
    {
      id: 'stf-lpn',
      name: 'Len Lpn',
      role: 'LPN',
      unitId: 'unit-icu',
      pager: 'PGR-lpn',
      hourlyRateCents: 2800,
    },
    {
      id: 'stf-ms-rn',
      name: 'Mo Medsurg',
      role: 'RN',
      unitId: 'unit-ms',
      pager: 'PGR-msrn',
      hourlyRateCents: 3000,
    },
    { id: 'stf-staffing', name: 'Sam Staffing', role: 'staffing-manager', pager: 'PGR-staffing' },
  ]);
  // Bo, on the same night, holds no ACLS: with Ada out the shift has nobody certified, so cover must be.
  const acls = ['stf-ada', 'stf-float', 'stf-part', 'stf-full', 'stf-agency', 'stf-away', 'stf-tired'];
  await db.insert(staffSkills).values([
    ...acls.map((staffId) => ({
      id: `skl-${staffId}`,
      staffId,
      skill: 'ACLS',
      certifiedUntil: '2027-12-31',
    })),
    { id: 'skl-lapsed', staffId: 'stf-lapsed', skill: 'ACLS', certifiedUntil: '2026-03-09' },
  ]);
  await db.insert(staffLeave).values({
    id: 'lv-away',
    staffId: 'stf-away',
    kind: 'annual',
    startsOn: '2026-03-10',
    endsOn: '2026-03-12',
    status: 'approved',
    createdAt: at(-20, 9),
    decidedBy: 'stf-staffing',
  });
  await db.insert(shifts).values([
    shift(NIGHT_SHIFT_ID, 'stf-ada', 1, 'night'),
    shift('shf-busy-tue-night', 'stf-busy', 1, 'night'),
    shift('shf-tired-tue-day', 'stf-tired', 1, 'day'),
    // Flo: two med-surg day shifts this week.
    shift('shf-float-mon', 'stf-float', 0, 'day', 'unit-ms'),
    shift('shf-float-thu', 'stf-float', 3, 'day', 'unit-ms'),
    // Pat: three evenings (24 h).
    ...[0, 4, 5].map((d) => shift(`shf-part-${d}`, 'stf-part', d, 'evening')),
    // Fern: five day shifts (Mon, Thu–Sun), 40 h: Tuesday's night breaks no fatigue limit but is hours
    // 41–48 of her workweek.
    ...[0, 3, 4, 5, 6].map((d) => shift(`shf-full-${d}`, 'stf-full', d, 'day')),
  ]);
}
