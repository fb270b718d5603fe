import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { shiftRequests, shifts, staffLeave, units } from '../../../db/schema/index.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { fatigueExcess, forbiddenSuccessions, GUARD_WEIGHT } from './policy.ts';
import { loadRosterPlan } from './horizon.ts';
import type { RosterPlan } from './instance-from-db.ts';
import { NEXT_MONDAY, NOW, rosterHospital } from './rostering.fixture.ts';

let database: Database;
const now = new Date(NOW);
const created = new Date(NOW);
const week = { unitId: 'unit-ms', startsOn: NEXT_MONDAY, weeks: 1 };
const employee = (plan: RosterPlan, id: string, which: 'instance' | 'solverInstance' = 'instance') =>
  plan[which].employees.find((e) => e.id === id)!;
const staffOf = (plan: RosterPlan, id: string) => plan.staff.find((s) => s.staffId === id)!;

/**
 * Med-Surg (6 patients: 2 licensed nurses a shift) over the week of Monday 9 March 2026. rn-a has two
 * days of approved leave (and a declined request for another); rn-b already works the Monday day shift
 * on Med-Surg; rn-c worked the Sunday night before on the ICU; wishes for rn-b, rn-c and rn-pt.
 */
beforeAll(async () => {
  database = await createTestDatabase();
  await rosterHospital(database);
  const db = database.db;
  await db.insert(units).values({ id: 'unit-empty', name: 'Empty', type: 'surgical', floor: 5 });
  await db.insert(staffLeave).values([
    {
      id: 'lv-a',
      staffId: 'rn-a',
      kind: 'annual',
      startsOn: '2026-03-10',
      endsOn: '2026-03-11',
      status: 'approved',
      createdAt: created,
    },
    {
      id: 'lv-a2',
      staffId: 'rn-a',
      kind: 'annual',
      startsOn: '2026-03-13',
      endsOn: '2026-03-13',
      status: 'declined',
      createdAt: created,
    },
  ]);
  await db.insert(shifts).values([
    {
      id: 'shf-b-mon',
      staffId: 'rn-b',
      unitId: 'unit-ms',
      kind: 'day',
      startsAt: new Date('2026-03-09T07:00:00Z'),
      endsAt: new Date('2026-03-09T15:00:00Z'),
    },
    {
      id: 'shf-c-sun',
      staffId: 'rn-c',
      unitId: 'unit-icu',
      kind: 'night',
      startsAt: new Date('2026-03-08T23:00:00Z'),
      endsAt: new Date('2026-03-09T07:00:00Z'),
    },
  ]);
  const wish = (
    id: string,
    staffId: string,
    day: string,
    kind: 'day' | 'evening' | 'night' | 'any',
    want: 'on' | 'off',
    weight: number,
  ) => ({
    id,
    staffId,
    day,
    kind,
    want,
    weight,
    createdAt: created,
  });
  await db.insert(shiftRequests).values([
    wish('rq-1', 'rn-b', '2026-03-14', 'any', 'off', 3),
    wish('rq-2', 'rn-c', '2026-03-12', 'night', 'on', 2),
    wish('rq-3', 'rn-pt', '2026-03-11', 'any', 'on', 1),
    // Outside the horizon: ignored.
    wish('rq-4', 'rn-c', '2026-03-20', 'day', 'off', 5),
  ]);
});

describe('the shift rules', () => {
  it('derives the forbidden successions from the 12-hours-in-24 limit over the shift times', () => {
    expect(forbiddenSuccessions()).toEqual({ day: [], evening: ['day'], night: ['day', 'evening'] });
  });

  it.each([
    [
      'two 8-hour shifts back to back',
      [
        [7, 15],
        [15, 23],
      ],
      { in24Hours: 240, in7Days: 0 },
    ],
    [
      'a day and the next night',
      [
        [7, 15],
        [47, 55],
      ],
      { in24Hours: 0, in7Days: 0 },
    ],
    [
      'eight nights in a row',
      Array.from({ length: 8 }, (_, d) => [23 + 24 * d, 31 + 24 * d]),
      { in24Hours: 0, in7Days: 0 },
    ],
  ])('measures %s against the IOM limits', (_, hours, excess) => {
    const h = 3_600_000;
    expect(
      fatigueExcess((hours as number[][]).map(([a, b]) => ({ startsAt: a! * h, endsAt: b! * h }))),
    ).toEqual(excess);
  });
});

describe('a unit roster as a roster-model instance', () => {
  it('gives licensed nurses, charge nurses and CNAs shift types of their own, with the real lengths', async () => {
    const { plan } = await loadRosterPlan(database.db, week, now);
    expect(plan.instance.shifts.map((s) => [s.id, s.minutes])).toEqual([
      ['nurse-day', 480],
      ['nurse-evening', 480],
      ['nurse-night', 480],
      ['charge-day', 480],
      ['charge-evening', 480],
      ['charge-night', 480],
      ['cna-day', 480],
      ['cna-evening', 480],
      ['cna-night', 480],
    ]);
    expect(plan.instance.shifts.find((s) => s.id === 'nurse-night')!.cannotFollow).toEqual(
      expect.arrayContaining(['nurse-day', 'nurse-evening', 'charge-day']),
    );
    expect(employee(plan, 'lpn-a').maxShifts).toEqual({
      'charge-day': 0,
      'charge-evening': 0,
      'charge-night': 0,
      'cna-day': 0,
      'cna-evening': 0,
      'cna-night': 0,
    });
    // The unit's own nursing staff, no physicians, no ICU staff without the float-pool flag.
    expect(plan.staff.map((s) => s.staffId)).toEqual([
      'charge-b',
      'cna-a',
      'lpn-a',
      'rn-a',
      'rn-b',
      'rn-c',
      'rn-pd',
      'rn-pt',
      'stf-charge-ms',
      'stf-nurse',
    ]);
    expect(employee(plan, 'rn-a')).toMatchObject({
      maxConsecutiveShifts: 5,
      minConsecutiveDaysOff: 2,
      maxWeekends: 1,
    });
  });

  it('makes approved leave days off, and prorates the contracted hours over the days left', async () => {
    const { plan } = await loadRosterPlan(database.db, week, now);
    expect(employee(plan, 'rn-a').daysOff).toEqual([1, 2]);
    expect(plan.dayOffReasons.get('rn-a|1')).toMatch(/approved annual leave lv-a/);
    // 40 h × 5/7 of the week = 28.6 h: at least 3 and at most 4 shifts.
    expect(employee(plan, 'rn-a')).toMatchObject({ minTotalMinutes: 1440, maxTotalMinutes: 1920 });
  });

  it.each([
    ['stf-nurse', 'full time, 40 h', 2400, 2400],
    ['lpn-a', 'full time, 36 h: 4 or 5 shifts', 1920, 2400],
    ['rn-pt', 'part time, 24 h', 1440, 1440],
    ['rn-pd', 'per diem: nothing owed, up to the 40-hour week', 0, 2400],
    ['rn-b', 'with a Monday shift already scheduled', 1920, 1920],
  ])('turns contracted minutes into a range: %s (%s)', async (id, _, min, max) => {
    const { plan } = await loadRosterPlan(database.db, week, now);
    expect(employee(plan, id)).toMatchObject({ minTotalMinutes: min, maxTotalMinutes: max });
  });

  it('keeps people off around shifts they already have: a day off, or an off request the check enforces', async () => {
    const { plan } = await loadRosterPlan(database.db, week, now);
    // rn-b's Monday day shift blocks all of Monday for the solver; the judged instance leaves it to the clock check.
    expect(employee(plan, 'rn-b', 'solverInstance').daysOff).toEqual([0]);
    expect(employee(plan, 'rn-b').daysOff).toEqual([]);
    expect(plan.dayOffReasons.get('rn-b|0')).toMatch(/already scheduled: day shift shf-b-mon on unit-ms/);
    expect(staffOf(plan, 'rn-b').alreadyScheduledMinutes).toBe(480);
    // rn-c's Sunday night on the ICU: no Monday day or evening (12 h in 24), the Monday night is fine.
    expect(employee(plan, 'rn-c', 'solverInstance').daysOff).toEqual([]);
    const guards = plan.solverInstance.shiftOffRequests.filter((r) => r.weight === GUARD_WEIGHT);
    expect(guards).toEqual([
      { employee: 'rn-c', day: 0, shift: 'nurse-day', weight: GUARD_WEIGHT },
      { employee: 'rn-c', day: 0, shift: 'nurse-evening', weight: GUARD_WEIGHT },
    ]);
    expect(plan.instance.shiftOffRequests.some((r) => r.weight === GUARD_WEIGHT)).toBe(false);
  });

  it('weighs shift requests: off any shift, on one shift; a wish to work any shift is noted, not weighed', async () => {
    const { plan } = await loadRosterPlan(database.db, week, now);
    expect(plan.instance.shiftOffRequests).toEqual([
      { employee: 'rn-b', day: 5, shift: 'nurse-day', weight: 3 },
      { employee: 'rn-b', day: 5, shift: 'nurse-evening', weight: 3 },
      { employee: 'rn-b', day: 5, shift: 'nurse-night', weight: 3 },
    ]);
    expect(plan.instance.shiftOnRequests).toEqual([
      { employee: 'rn-c', day: 3, shift: 'nurse-night', weight: 2 },
    ]);
    expect(plan.notes).toEqual([
      expect.stringMatching(/rn-pt's wish to work any shift on 2026-03-11 \(rq-3\)/),
    ]);
  });

  it('asks for the nurses the demand forecast finds missing, less those already scheduled', async () => {
    const { plan } = await loadRosterPlan(database.db, week, now);
    const cover = (day: number, shift: string) =>
      plan.instance.cover.find((c) => c.day === day && c.shift === shift);
    // 6 patients at 1:5: 2 licensed nurses and a charge nurse a shift; rn-b is already on Monday's day shift.
    expect(cover(0, 'nurse-day')).toEqual({
      day: 0,
      shift: 'nurse-day',
      requirement: 1,
      underWeight: 100,
      overWeight: 1,
    });
    expect(cover(0, 'nurse-night')).toMatchObject({ requirement: 2 });
    expect(cover(6, 'charge-evening')).toMatchObject({ requirement: 1, underWeight: 100 });
    // One CNA's 5 shifts spread over the 21 shifts, where the patients are (here: evenly).
    const cna = plan.instance.cover.filter((c) => c.shift.startsWith('cna-'));
    expect(cna.reduce((n, c) => n + c.requirement, 0)).toBe(5);
  });

  it('staffs for a planned census when given one', async () => {
    const { plan } = await loadRosterPlan(database.db, { ...week, plannedCensus: 12 }, now);
    expect(plan.instance.cover.find((c) => c.day === 2 && c.shift === 'nurse-day')).toMatchObject({
      requirement: 3,
    });
  });

  it('adds the float pool of other units on request, with no hours owed', async () => {
    const { plan } = await loadRosterPlan(database.db, week, now, { includeFloatPool: true });
    expect(staffOf(plan, 'rn-icu-float')).toMatchObject({ float: true, minMinutes: 0, maxMinutes: 2400 });
    expect(plan.staff.some((s) => s.staffId === 'rn-icu')).toBe(false);
  });

  it('refuses a unit that does not exist, and one with no nursing staff, naming unitId', async () => {
    await expect(loadRosterPlan(database.db, { ...week, unitId: 'unit-nope' }, now)).rejects.toMatchObject({
      code: 'not_found',
      issues: [{ field: 'unitId', message: 'unknown unit' }],
    });
    await expect(loadRosterPlan(database.db, { ...week, unitId: 'unit-empty' }, now)).rejects.toMatchObject({
      code: 'invalid',
      issues: [{ field: 'unitId', message: 'no nursing staff on this unit' }],
    });
  });
});
