import { fillUnit } from '../surgery/setups.ts';
import type { GradeContext, SurgeryScenario } from '../surgery/types.ts';

// Two orchestrations planning at once (two workers) want the same earliest theatre time, the same
// anaesthetists and nurses, or the last post-op bed: the locks in book_theatre, assign_surgical_team and
// book_bed_ahead decide; the invariants (no theatre or person in two overlapping cases) are checked too.

const statuses = async (g: GradeContext, labels: string[]) => {
  const rows = await g.database.sql<{ id: string; status: string }[]>`select id, status from surgery_requests
    where id in ${g.database.sql(labels.map((l) => g.ids[l] ?? '(never made)'))}`;
  return rows.map((r) => r.status).sort();
};

export const raceScenarios: SurgeryScenario[] = [
  {
    id: 'two-surgeons-race-for-the-first-slot',
    description:
      'two general surgeons’ cholecystectomies for two patients planned at once: both booked, never in the same ' +
      'theatre at the same time, no anaesthetist or nurse in both cases',
    steps: [
      { request: 'a', procedure: '47562', patient: 1, surgeon: 'general', beforeAgent: true },
      { request: 'b', procedure: '47562', patient: 2, surgeon: 'general2', beforeAgent: true },
      { planTogether: ['a', 'b'] },
    ],
    expect: {
      requests: {
        a: { status: 'booked', held: { stock: 5, team: 4, beds: 0, theatres: 1 } },
        b: { status: 'booked', held: { stock: 5, team: 4, beds: 0, theatres: 1 } },
      },
    },
  },
  {
    id: 'one-surgeon-two-cases-at-once',
    description:
      'one surgeon’s two cases planned at once: both booked, at times that do not overlap (the surgeon is in ' +
      'one case at a time)',
    steps: [
      { request: 'a', procedure: '47562', patient: 1, beforeAgent: true },
      { request: 'b', procedure: '49505', patient: 2, beforeAgent: true },
      { planTogether: ['a', 'b'] },
    ],
    expect: {
      requests: { a: { status: 'booked' }, b: { status: 'booked' } },
    },
  },
  {
    id: 'three-cases-race-for-two-theatres',
    description:
      'three cases of three patients planned at once with two theatres, two anaesthetists: all booked, no ' +
      'theatre, anaesthetist or nurse double-booked',
    steps: [
      { request: 'a', procedure: '47562', patient: 1, surgeon: 'general', beforeAgent: true },
      { request: 'b', procedure: '49505', patient: 2, surgeon: 'general2', beforeAgent: true },
      { request: 'c', procedure: '29827', patient: 3, surgeon: 'ortho', beforeAgent: true },
      { planTogether: ['a', 'b', 'c'] },
    ],
    expect: {
      requests: { a: { status: 'booked' }, b: { status: 'booked' }, c: { status: 'booked' } },
    },
  },
  {
    id: 'last-post-op-bed-raced',
    description:
      'one med-surg bed left each night and two appendectomies planned at once: one gets the first night’s bed, ' +
      'the other a later night or fails holding nothing; no night booked twice',
    setup: (f) => fillUnit(f, 'unit-04', 21, 1),
    steps: [
      { request: 'a', procedure: '44970', patient: 1, surgeon: 'general', beforeAgent: true },
      { request: 'b', procedure: '44970', patient: 2, surgeon: 'general2', beforeAgent: true },
      { planTogether: ['a', 'b'] },
    ],
    expect: {
      check: async (g) => {
        const got = await statuses(g, ['a', 'b']);
        // Nights as book_bed_ahead counts them: each UTC date from fromAt's up to untilAt's, excluded.
        const clashes = await g.database.sql<
          { a: string; b: string }[]
        >`select x.subject_id as a, y.subject_id as b
          from bed_bookings x join bed_bookings y on x.id < y.id
          where x.purpose = 'post-op' and y.purpose = 'post-op' and x.status = 'booked' and y.status = 'booked'
            and (x.from_at at time zone 'UTC')::date < (y.until_at at time zone 'UTC')::date
            and (y.from_at at time zone 'UTC')::date < (x.until_at at time zone 'UTC')::date`;
        return [
          ...(got[0] === 'booked' && ['booked', 'failed'].includes(got[1] ?? '')
            ? []
            : [`statuses ${JSON.stringify(got)}, expected one booked, the other booked later or failed`]),
          ...clashes.map((c) => `the last bed is booked twice on one night: ${c.a} and ${c.b}`),
        ];
      },
    },
  },
  {
    id: 'last-bed-same-night-raced',
    description:
      'one med-surg bed left and two appendectomies that must be done on Monday, planned at once: exactly one ' +
      'is booked with the bed, the other fails holding nothing',
    steps: [
      {
        request: 'a',
        procedure: '44970',
        patient: 1,
        surgeon: 'general',
        beforeAgent: true,
        earliestInHours: 0,
        latestInHours: 14,
      },
      {
        request: 'b',
        procedure: '44970',
        patient: 2,
        surgeon: 'general2',
        beforeAgent: true,
        earliestInHours: 0,
        latestInHours: 14,
      },
      { planTogether: ['a', 'b'] },
    ],
    expect: {
      check: async (g) => {
        const got = await statuses(g, ['a', 'b']);
        const [beds] = await g.database.sql<{ n: number }[]>`select count(*)::int as n from bed_bookings
          where purpose = 'post-op' and status = 'booked'`;
        return [
          ...(JSON.stringify(got) === '["booked","failed"]'
            ? []
            : [`statuses ${JSON.stringify(got)}, expected one booked, one failed`]),
          ...(beds!.n === 1 ? [] : [`${beds!.n} post-op beds booked, expected 1 (the last bed)`]),
        ];
      },
    },
  },
  {
    id: 'same-request-planned-twice-at-once',
    description:
      'two workers poke the same request at once: one run plans it, the other waits its turn; one theatre ' +
      'booking, one team, one set of reservations',
    steps: [{ request: 'a', procedure: '27447', beforeAgent: true }, { planTogether: ['a', 'a'] }],
    expect: {
      requests: { a: { status: 'booked', held: { stock: 6, team: 4, beds: 1, theatres: 1 } } },
      theatreBookingsMade: { a: 1 },
    },
  },
];
