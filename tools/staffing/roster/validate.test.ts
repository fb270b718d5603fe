import { describe, expect, it } from 'vitest';
import { parseInstance } from './instance.ts';
import { assignmentsOf, type Roster, validateAssignments, validateRoster } from './validate.ts';

/** A row written one character per day: a shift id, or '-' for a day off. */
const row = (days: string) => [...days].map((c) => (c === '-' ? null : c));

// One employee over two weeks (day 0 a Monday, weekends on days 5–6 and 12–13). Rules: L may not be
// followed by E; at most 3 L; 1000–3500 minutes; 2–4 consecutive shifts; at least 2 days off in a row;
// at most 1 weekend; day 7 off.
const rules = parseInstance(
  `SECTION_HORIZON
14
SECTION_SHIFTS
E,480,
L,600,E
SECTION_STAFF
A,E=14|L=3,3500,1000,4,2,2,1
SECTION_DAYS_OFF
A,7
SECTION_SHIFT_ON_REQUESTS
A,0,E,2
A,1,L,3
SECTION_SHIFT_OFF_REQUESTS
A,7,E,4
SECTION_COVER
0,E,1,100,1
5,E,2,100,1
9,E,0,100,5
`,
  'rules.txt',
);
const feasible = 'EE---EE--EEE--';

describe('the validator catches each hard rule', () => {
  it('accepts a roster that meets every rule, and costs it', () => {
    // On request A,1,L missed (3); cover day 5 short by one (100); day 9 one over (5).
    expect(validateRoster(rules, { A: row(feasible) })).toEqual({
      feasible: true,
      violations: [],
      objective: 108,
      breakdown: { shiftOnRequests: 3, shiftOffRequests: 0, underCover: 100, overCover: 5 },
    });
  });

  it.each([
    ['a single shift at the start and at the end of the horizon', 'E--EE----EE--E'],
    ['a single day off at the start of the horizon', '-EE--EE--EEE--'],
  ])('exempts blocks touching the horizon ends from the minimum-consecutive rules: %s', (_case, days) => {
    expect(validateRoster(rules, { A: row(days) }).violations).toEqual([]);
  });

  it.each([
    ['days-off', 'EE---EEE------', 7, 'works E on a day off'],
    ['shift-rotation', 'EE---EE--LEE--', 10, 'E may not follow L (day 9)'],
    ['max-shifts-of-type', 'LL---LL-------', null, '4 L shifts, at most 3'],
    ['max-total-minutes', 'LL---EE--EEE--', null, '3600 minutes, at most 3500'],
    ['min-total-minutes', 'EE------------', null, '960 minutes, at least 1000'],
    ['max-consecutive-shifts', 'EEEEE---------', 0, '5 consecutive shifts, at most 4'],
    ['min-consecutive-shifts', 'EE---EE--E----', 9, '1 consecutive shifts, at least 2'],
    ['min-consecutive-days-off', 'EE---EE-EE----', 7, '1 consecutive days off, at least 2'],
    ['max-weekends', '-----EE---EEEE', null, '2 weekends, at most 1'],
  ])('%s', (constraint, days, day, detail) => {
    expect(validateRoster(rules, { A: row(days) }).violations).toEqual([
      { constraint, employee: 'A', day, detail },
    ]);
  });

  it('one-shift-per-day: two shifts on one day', () => {
    const assignments = [
      ...assignmentsOf({ A: row('EE---EE-------') }),
      { employee: 'A', day: 6, shift: 'L' },
    ];
    expect(validateAssignments(rules, assignments).violations).toEqual([
      { constraint: 'one-shift-per-day', employee: 'A', day: 6, detail: '2 shifts (E, L)' },
    ]);
  });

  it.each([
    ['a missing employee', {}, { day: null, detail: 'no row' }],
    [
      'a short row',
      { A: row('EE---EE--EEE-') },
      { day: null, detail: 'row has 13 days, the horizon has 14' },
    ],
    ['an unknown shift', { A: row('EE---EE--EEX--') }, { day: 11, detail: "unknown shift 'X'" }],
  ])('roster-shape: %s', (_case, roster: Roster, expected) => {
    const { violations, feasible: ok } = validateRoster(rules, roster);
    expect(ok).toBe(false);
    expect(violations).toContainEqual({ constraint: 'roster-shape', employee: 'A', ...expected });
  });
});

describe('the validator counts each soft term', () => {
  // Two employees with rules loose enough that only the objective matters.
  const soft = parseInstance(
    `SECTION_HORIZON
7
SECTION_SHIFTS
D,480,
N,480,D
SECTION_STAFF
A,D=7|N=7,99999,0,7,1,1,2
B,D=7|N=7,99999,0,7,1,1,2
SECTION_SHIFT_ON_REQUESTS
A,0,D,2
A,1,N,3
B,2,D,5
SECTION_SHIFT_OFF_REQUESTS
A,3,D,7
B,3,N,11
SECTION_COVER
0,D,2,100,1
3,D,1,100,10
4,N,3,50,1
`,
    'soft.txt',
  );
  const roster = { A: row('DD-D---'), B: row('---D---') };

  it.each([
    // A,0,D met; A,1,N missed (A works D): 3; B,2,D missed (B is off): 5.
    ['shiftOnRequests', 8],
    // A,3,D broken (A works D): 7; B,3,N kept (B works D, not N).
    ['shiftOffRequests', 7],
    // Day 0 D: 1 of 2 → 100; day 4 N: 0 of 3 at 50 → 150.
    ['underCover', 250],
    // Day 3 D: 2 for 1 → 10.
    ['overCover', 10],
  ] as const)('%s = %i', (term, expected) => {
    expect(validateRoster(soft, roster).breakdown[term]).toBe(expected);
  });

  it('sums the terms into the objective', () => {
    expect(validateRoster(soft, roster)).toMatchObject({ feasible: true, objective: 275 });
  });
});
