import type { Database } from '../../db/client.ts';
import { NIGHT_SHIFT_ID } from '../../tools/staffing/cover/test-fixtures.ts';
import { runStaffingTrial } from '../staffing/harness.ts';
import type { StaffingScenario, StaffingStep } from '../staffing/types.ts';
import type { Suite } from '../types.ts';

// The cover ward (tools/staffing/cover/test-fixtures.ts): Ada's ICU night, Tuesday 2026-03-10 23:00 to
// Wednesday 07:00. Costs of that night: Flo (float) 343.90, Pat (part-time extra) 380.10, Fern
// (overtime) 574.20, Agnes (agency) 814.50, the 36.00/h ICU nurses 325.80; threshold 500.00.
const FLOAT = 34_390;
const PART = 38_010;
const FERN_OT = 57_420;
const AGENCY = 81_450;
const CHEAP_RN = 32_580;
const TUE_NIGHT = '2026-03-10T23:00:00Z';

const callOut = (shiftId = NIGHT_SHIFT_ID, extra: Partial<StaffingStep> = {}): StaffingStep =>
  ({ callOut: shiftId, ...extra }) as StaffingStep;
const approve = (n = 1, extra: Partial<StaffingStep> = {}): StaffingStep =>
  ({ answer: n, decision: 'approve', ...extra }) as StaffingStep;
const decline = (n = 1, extra: Partial<StaffingStep> = {}): StaffingStep =>
  ({ answer: n, decision: 'decline', ...extra }) as StaffingStep;

const shiftAt = (id: string, staffId: string, unitId: string, kind: string, from: string, to: string) =>
  ({ id, staffId, unitId, kind, from, to }) as const;

async function insertShifts(database: Database, rows: ReturnType<typeof shiftAt>[]) {
  for (const r of rows) {
    await database.sql`insert into shifts (id, staff_id, unit_id, kind, starts_at, ends_at)
      values (${r.id}, ${r.staffId}, ${r.unitId}, ${r.kind}, ${r.from}, ${r.to})`;
  }
}

/** Takes people out of Tuesday night's running: they work the med-surg night instead. */
const busyTuesdayNight =
  (...staffIds: string[]) =>
  (database: Database) =>
    insertShifts(
      database,
      staffIds.map((id) =>
        shiftAt(`shf-busy-${id}`, id, 'unit-ms', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
      ),
    );

const both =
  (...fns: ((database: Database) => Promise<void>)[]) =>
  async (database: Database) => {
    for (const f of fns) await f(database);
  };

const sql =
  (text: string) =>
  async (database: Database): Promise<void> => {
    await database.sql.unsafe(text);
  };

/** Flo's annual leave on Tuesday, asked for or approved. */
const floatLeaveTuesday = (status: 'requested' | 'approved') =>
  sql(`insert into staff_leave (id, staff_id, kind, starts_on, ends_on, status, created_at)
    values ('lv-flo', 'stf-float', 'annual', '2026-03-10', '2026-03-10', '${status}', now())`);

const leastCost: StaffingScenario[] = [
  {
    id: 'call-out-float-cheapest',
    description:
      'Ada calls out of the ICU night: the float-pool nurse is the least-cost cover and is rostered',
    steps: [callOut()],
    expect: {
      statuses: [200],
      requests: [
        { status: 'filled', filledBy: 'stf-float', tier: 'float', costCents: FLOAT, requiredSkill: 'ACLS' },
      ],
    },
  },
  {
    id: 'float-busy-part-time-extra',
    description:
      'the float nurse already works that night: the part-time nurse’s extra shift at straight time',
    setup: busyTuesdayNight('stf-float'),
    steps: [callOut()],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-part', tier: 'extra-shift', costCents: PART }] },
  },
  {
    id: 'overtime-asks-a-manager',
    description:
      'only overtime or agency left: the agent asks a staffing manager about the cheaper (overtime)',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut()],
    expect: { requests: [{ status: 'awaiting-approval', asking: 'stf-full', filledBy: null }] },
  },
  {
    id: 'overtime-approved',
    description: 'the staffing manager approves the overtime: Fern is rostered at overtime cost',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), approve()],
    expect: {
      statuses: [200, 200],
      requests: [
        {
          status: 'filled',
          filledBy: 'stf-full',
          tier: 'overtime',
          costCents: FERN_OT,
          decisions: ['stf-full:approve'],
        },
      ],
    },
  },
  {
    id: 'overtime-declined-agency-asked',
    description: 'the manager declines the overtime: the agent asks about the agency nurse next',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), decline()],
    expect: {
      requests: [{ status: 'awaiting-approval', asking: 'stf-agency', decisions: ['stf-full:decline'] }],
    },
  },
  {
    id: 'agency-approved-after-decline',
    description: 'overtime declined, agency approved: the agency nurse is rostered',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), decline(), approve()],
    expect: {
      requests: [
        {
          status: 'filled',
          filledBy: 'stf-agency',
          tier: 'agency',
          costCents: AGENCY,
          decisions: ['stf-full:decline', 'stf-agency:approve'],
        },
      ],
    },
  },
  {
    id: 'everything-declined-unfilled',
    description: 'both approvals declined: nobody else may cover, the request ends unfilled saying why',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), decline(), decline()],
    expect: {
      requests: [
        {
          status: 'unfilled',
          decisions: ['stf-full:decline', 'stf-agency:decline'],
          outcome:
            /^Nobody may cover the RN night shift on unit-icu .*\(needs ACLS\).*; 2 declined by a staffing manager\. Escalate/,
        },
      ],
    },
  },
  {
    id: 'overtime-below-threshold',
    description: 'Pat at 36 h: 4 h of overtime costs less than the threshold, so no approval is needed',
    setup: both(busyTuesdayNight('stf-float'), (db) =>
      insertShifts(db, [
        shiftAt(
          'shf-part-sun',
          'stf-part',
          'unit-icu',
          'day',
          '2026-03-15T07:00:00Z',
          '2026-03-15T19:00:00Z',
        ),
      ]),
    ),
    steps: [callOut()],
    expect: {
      requests: [
        {
          status: 'filled',
          filledBy: 'stf-part',
          tier: 'overtime',
          costCents: 33_600 + 4_410 + 8_400,
          decisions: [],
        },
      ],
    },
  },
  {
    id: 'cheap-agency-beats-overtime',
    description: 'an agency bill rate of 50.00/h is cheaper than Fern’s overtime and under the threshold',
    setup: both(
      busyTuesdayNight('stf-float', 'stf-part'),
      sql(`update staff set hourly_rate_cents = 5000 where id = 'stf-agency'`),
    ),
    steps: [callOut()],
    expect: {
      requests: [
        { status: 'filled', filledBy: 'stf-agency', tier: 'agency', costCents: 45_250, decisions: [] },
      ],
    },
  },
  {
    id: 'high-threshold-no-approval',
    description: 'an open shift posted with a 1,000.00 threshold: overtime is rostered without asking',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [
      {
        post: {
          unitId: 'unit-icu',
          role: 'RN',
          day: '2026-03-10',
          kind: 'night',
          requiredSkill: 'ACLS',
          approvalThresholdCents: 100_000,
        },
      },
    ],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-full', tier: 'overtime', decisions: [] }] },
  },
  {
    id: 'zero-threshold-straight-time',
    description:
      'a threshold of 0 only touches overtime and agency: the float nurse is rostered without asking',
    steps: [
      {
        post: {
          unitId: 'unit-icu',
          role: 'RN',
          day: '2026-03-10',
          kind: 'night',
          requiredSkill: 'ACLS',
          approvalThresholdCents: 0,
        },
      },
    ],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-float', tier: 'float', decisions: [] }] },
  },
  {
    id: 'open-shift-no-skill',
    description:
      'an extra ICU night posted without a certification: the cheapest home-unit nurse, by id on a tie',
    steps: [{ post: { unitId: 'unit-icu', role: 'RN', day: '2026-03-10', kind: 'night' } }],
    expect: {
      requests: [
        {
          status: 'filled',
          filledBy: 'stf-lapsed',
          tier: 'extra-shift',
          costCents: CHEAP_RN,
          requiredSkill: null,
        },
      ],
    },
  },
  {
    id: 'weekend-night-differentials',
    description:
      'a Saturday night costs the night and the weekend differential: Amy, back from leave, is cheapest; Pat and Fern would work 16 h in 24',
    steps: [
      { post: { unitId: 'unit-icu', role: 'RN', day: '2026-03-14', kind: 'night', requiredSkill: 'ACLS' } },
    ],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-away', costCents: 28_800 + 3_780 + 2_880 }] },
  },
];

const rules: StaffingScenario[] = [
  {
    id: 'float-acls-lapsed',
    description: 'the float nurse’s ACLS lapsed before the night: she may not cover an ACLS shift',
    setup: sql(`update staff_skills set certified_until = '2026-03-01' where staff_id = 'stf-float'`),
    steps: [callOut()],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-part' }] },
  },
  {
    id: 'float-on-leave',
    description: 'the float nurse is on approved leave that day',
    setup: floatLeaveTuesday('approved'),
    steps: [callOut()],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-part' }] },
  },
  {
    id: 'float-requested-leave-still-works',
    description: 'leave only requested, not approved, does not stop the float nurse',
    setup: floatLeaveTuesday('requested'),
    steps: [callOut()],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-float' }] },
  },
  {
    id: 'float-worked-the-day',
    description: 'the float nurse works Tuesday’s day shift: the night would make 16 h in 24 (IOM limit 12)',
    setup: (db) =>
      insertShifts(db, [
        shiftAt(
          'shf-flo-tue',
          'stf-float',
          'unit-icu',
          'day',
          '2026-03-10T07:00:00Z',
          '2026-03-10T15:00:00Z',
        ),
      ]),
    steps: [callOut()],
    expect: {
      requests: [{ status: 'filled', filledBy: 'stf-part' }],
      notRostered: [{ staffId: 'stf-float', startsAt: TUE_NIGHT }],
    },
  },
  {
    id: 'float-sixty-hours',
    description: 'four 12-hour shifts and Monday already: the night would make 64 h in 7 days (IOM limit 60)',
    setup: (db) =>
      insertShifts(
        db,
        ['05', '06', '07', '08'].map((d) =>
          shiftAt(
            `shf-flo-${d}`,
            'stf-float',
            'unit-ms',
            'day',
            `2026-03-${d}T07:00:00Z`,
            `2026-03-${d}T19:00:00Z`,
          ),
        ),
      ),
    steps: [callOut()],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-part' }] },
  },
  {
    id: 'float-left-the-pool',
    description: 'the med-surg nurse is no longer float-eligible: she may not work on the ICU',
    setup: sql(`update staff set float_eligible = false where id = 'stf-float'`),
    steps: [callOut()],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-part' }] },
  },
  {
    id: 'lpn-call-out-rn-covers',
    description: 'an LPN calls out: an RN may work an LPN shift, and the cheapest does',
    setup: (db) =>
      insertShifts(db, [
        shiftAt('shf-lpn-night', 'stf-lpn', 'unit-icu', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
      ]),
    steps: [callOut('shf-lpn-night')],
    expect: {
      requests: [
        {
          status: 'filled',
          filledBy: 'stf-lapsed',
          tier: 'extra-shift',
          requiredSkill: null,
          costCents: CHEAP_RN,
        },
      ],
    },
  },
  {
    id: 'cna-call-out-only-cnas',
    description: 'a CNA calls out: only another CNA may cover (no RN on a CNA shift)',
    setup: async (db) => {
      await db.sql`insert into staff (id, name, role, unit_id, pager, hourly_rate_cents) values
        ('stf-cna1', 'Cal Cna', 'CNA', 'unit-icu', 'PGR-c1', 1800), ('stf-cna2', 'Cy Cna', 'CNA', 'unit-icu', 'PGR-c2', 1900)`;
      await insertShifts(db, [
        shiftAt('shf-cna-night', 'stf-cna1', 'unit-icu', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
      ]);
    },
    steps: [callOut('shf-cna-night')],
    expect: {
      requests: [{ status: 'filled', filledBy: 'stf-cna2', tier: 'extra-shift', costCents: 15_200 + 1_995 }],
    },
  },
  {
    id: 'charge-nurse-nobody',
    description: 'the ICU charge nurse calls out and no other charge nurse may work the ICU: unfilled',
    setup: (db) =>
      insertShifts(db, [
        shiftAt('shf-ike-night', 'stf-charge-icu', 'unit-icu', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
      ]),
    steps: [callOut('shf-ike-night')],
    expect: {
      requests: [
        { status: 'unfilled', outcome: /^Nobody may cover the charge-nurse night shift on unit-icu/ },
      ],
    },
  },
  {
    id: 'charge-nurse-floats',
    description: 'the med-surg charge nurse is in the float pool: she covers the ICU charge night',
    setup: both(
      (db) =>
        insertShifts(db, [
          shiftAt('shf-ike-night', 'stf-charge-icu', 'unit-icu', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
        ]),
      sql(`update staff set float_eligible = true, hourly_rate_cents = 5000 where id = 'stf-charge-ms'`),
    ),
    steps: [callOut('shf-ike-night')],
    expect: { requests: [{ status: 'filled', filledBy: 'stf-charge-ms', tier: 'float', costCents: 45_250 }] },
  },
  {
    id: 'nobody-at-all',
    description: 'every nurse who could is busy elsewhere: unfilled, with the rules that stopped each',
    setup: busyTuesdayNight('stf-float', 'stf-part', 'stf-full', 'stf-agency'),
    steps: [callOut()],
    expect: {
      requests: [
        {
          status: 'unfilled',
          outcome: /^Nobody may cover .*\(needs ACLS\): \d+ staff considered, refused for .*overlap ×\d/,
        },
      ],
    },
  },
  {
    id: 'skill-follows-who-is-left',
    description:
      'Ada calls out while Bea (ACLS) is on: any RN will do; then Bea calls out: her cover must hold ACLS',
    setup: async (db) => {
      await db.sql`insert into staff (id, name, role, unit_id, pager, hourly_rate_cents) values
        ('stf-bea', 'Bea Icu', 'RN', 'unit-icu', 'PGR-bea', 4000)`;
      await db.sql`insert into staff_skills (id, staff_id, skill, certified_until) values ('skl-bea', 'stf-bea', 'ACLS', null)`;
      await insertShifts(db, [
        shiftAt('shf-bea-night', 'stf-bea', 'unit-icu', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
      ]);
    },
    steps: [callOut(), callOut('shf-bea-night')],
    expect: {
      requests: [
        { status: 'filled', filledBy: 'stf-lapsed', requiredSkill: null },
        { status: 'filled', filledBy: 'stf-float', requiredSkill: 'ACLS' },
      ],
    },
  },
  {
    id: 'two-call-outs-one-float',
    description:
      'two ACLS nurses call out of the same night: the float nurse covers one, the part-timer the other',
    setup: async (db) => {
      await db.sql`insert into staff (id, name, role, unit_id, pager, hourly_rate_cents) values
        ('stf-bea', 'Bea Icu', 'RN', 'unit-icu', 'PGR-bea', 4000)`;
      await db.sql`insert into staff_skills (id, staff_id, skill, certified_until) values ('skl-bea', 'stf-bea', 'ACLS', null)`;
      await insertShifts(db, [
        shiftAt('shf-bea-night', 'stf-bea', 'unit-icu', 'night', TUE_NIGHT, '2026-03-11T07:00:00Z'),
      ]);
    },
    steps: [callOut('shf-bea-night', { beforeAgent: true }), callOut()],
    expect: {
      requests: [
        { status: 'filled', filledBy: 'stf-lapsed', requiredSkill: null },
        { status: 'filled', filledBy: 'stf-float', requiredSkill: 'ACLS' },
      ],
    },
  },
];

const flow: StaffingScenario[] = [
  {
    id: 'manual-assign-before-agent',
    description: 'the office rosters Pat by hand before the agent runs: the agent leaves it be',
    steps: [callOut(NIGHT_SHIFT_ID, { beforeAgent: true }), { assign: 1, staffId: 'stf-part' }],
    expect: {
      statuses: [200, 200],
      requests: [{ status: 'filled', filledBy: 'stf-part', tier: 'extra-shift' }],
    },
  },
  {
    id: 'manual-assign-breaks-rest',
    description:
      'rostering a nurse who worked the day shift is refused naming the 12 h rule; the agent covers',
    steps: [
      callOut(NIGHT_SHIFT_ID, { beforeAgent: true }),
      { assign: 1, staffId: 'stf-tired', tag: 'tired' },
    ],
    expect: {
      statuses: [200, 409],
      details: { tired: /Ty Tired may not cover .*hours-24h: would work 16 h in 24 hours/ },
      requests: [{ status: 'filled', filledBy: 'stf-float' }],
      notRostered: [{ staffId: 'stf-tired', startsAt: TUE_NIGHT }],
    },
  },
  {
    id: 'manual-overtime-needs-approval',
    description: 'rostering Fern’s overtime by hand is refused: it needs a staffing manager',
    steps: [callOut(NIGHT_SHIFT_ID, { beforeAgent: true }), { assign: 1, staffId: 'stf-full', tag: 'ot' }],
    expect: {
      statuses: [200, 409],
      details: {
        ot: /\$574\.20 as overtime, above the \$500\.00 threshold: a staffing manager must approve/,
      },
      requests: [{ status: 'filled', filledBy: 'stf-float' }],
    },
  },
  {
    id: 'manual-assign-lpn-refused',
    description: 'an LPN on an RN shift is refused for scope of practice',
    steps: [callOut(NIGHT_SHIFT_ID, { beforeAgent: true }), { assign: 1, staffId: 'stf-lpn', tag: 'lpn' }],
    expect: {
      statuses: [200, 409],
      details: { lpn: /role: a LPN may not work a RN shift/ },
      requests: [{ status: 'filled', filledBy: 'stf-float' }],
    },
  },
  {
    id: 'cancel-while-waiting',
    description: 'the request is cancelled while the manager’s question waits: a late approval is refused',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), { cancel: 1, outcome: 'census fell' }, approve(1, { tag: 'late' })],
    expect: {
      statuses: [200, 200, 409],
      details: { late: /waits for no approval \(it is cancelled\)/ },
      requests: [{ status: 'cancelled', asking: null }],
      notRostered: [{ staffId: 'stf-full', startsAt: TUE_NIGHT }],
    },
  },
  {
    id: 'only-a-staffing-manager-answers',
    description: 'the ICU charge nurse may not approve overtime: 403, the question still waits',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), approve(1, { as: 'stf-charge-icu', tag: 'cn' })],
    expect: {
      statuses: [200, 403],
      details: { cn: /may not approve cover; a staffing manager answers/ },
      requests: [{ status: 'awaiting-approval', asking: 'stf-full', decisions: [] }],
    },
  },
  {
    id: 'approval-void-when-rostered-elsewhere',
    description:
      'while the question waits Fern is rostered on an extra ICU night by hand: the approval is void and agency is asked',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [
      callOut(),
      {
        post: {
          unitId: 'unit-icu',
          role: 'RN',
          day: '2026-03-10',
          kind: 'night',
          approvalThresholdCents: 100_000,
        },
        beforeAgent: true,
      },
      { assign: 2, staffId: 'stf-full', beforeAgent: true },
      approve(1),
    ],
    expect: {
      statuses: [200, 200, 200, 200],
      requests: [
        { status: 'awaiting-approval', asking: 'stf-agency', decisions: ['stf-full:void'] },
        { status: 'filled', filledBy: 'stf-full', tier: 'overtime' },
      ],
    },
  },
  {
    id: 'call-out-twice',
    description: 'the same call-out reported twice: the second is refused and one cover is rostered',
    steps: [callOut(), callOut(NIGHT_SHIFT_ID, { tag: 'again' })],
    expect: {
      statuses: [200, 409],
      details: { again: /the shift is called-out; only a scheduled shift can be called out/ },
      requests: [{ status: 'filled', filledBy: 'stf-float' }],
    },
  },
  {
    id: 'call-out-after-the-shift',
    description: 'a call-out recorded for last week’s shift files no cover request',
    setup: (db) =>
      insertShifts(db, [
        shiftAt(
          'shf-last-week',
          'stf-part',
          'unit-icu',
          'day',
          '2026-03-06T07:00:00Z',
          '2026-03-06T15:00:00Z',
        ),
      ]),
    steps: [callOut('shf-last-week')],
    expect: { statuses: [200], requests: [] },
  },
  {
    id: 'call-out-unknown-shift',
    description: 'a call-out for a shift that does not exist is 404 and files nothing',
    steps: [callOut('shf-nope', { tag: 'nope' })],
    expect: { statuses: [404], details: { nope: /No shift shf-nope/ }, requests: [] },
  },
  {
    id: 'open-shift-in-the-past',
    description: 'an open shift posted for a day already over is refused naming the day',
    steps: [{ post: { unitId: 'unit-icu', role: 'RN', day: '2026-03-01', kind: 'day' }, tag: 'past' }],
    expect: { statuses: [422], details: { past: /The day shift of 2026-03-01 is over/ }, requests: [] },
  },
];

const questions: StaffingScenario[] = [
  {
    id: 'ask-who-can-cover',
    description:
      '"who can cover ICU nights tomorrow?" lists the cheapest first (Ada still on: no ACLS needed)',
    steps: [{ ask: 'Who can cover ICU nights tomorrow?', tag: 'q' }],
    expect: {
      statuses: [200],
      details: {
        q: /^\d+ may cover the RN night shift on ICU on 2026-03-10, least cost first:\n1\. Lou Lapsed/,
      },
    },
  },
  {
    id: 'ask-after-the-repair',
    description: 'after the call-out is covered, the float nurse is no longer free that night',
    steps: [callOut(), { ask: 'Who can cover ICU nights tomorrow?', tag: 'q' }],
    expect: {
      details: { q: /^(?![\s\S]*Flo Float)\d+ may cover the RN night shift on ICU on 2026-03-10/ },
      requests: [{ status: 'filled', filledBy: 'stf-float' }],
    },
  },
  {
    id: 'ask-what-needs-cover',
    description:
      '"which shifts still need cover?" shows the request waiting for the manager, with its question',
    setup: busyTuesdayNight('stf-float', 'stf-part'),
    steps: [callOut(), { ask: 'Which shifts still need cover?', tag: 'q' }],
    expect: {
      details: {
        q: /^1 shift\(s\) still need cover:\n.*unit-icu night 2026-03-10T23:00:00\.000Z — awaiting-approval \(Approve overtime for Fern Full/,
      },
      requests: [{ status: 'awaiting-approval', asking: 'stf-full' }],
    },
  },
  {
    id: 'ask-forecast',
    description: '"forecast the next 7 days for the ICU" answers from forecast_staffing_demand',
    steps: [{ ask: 'Forecast staffing demand for the next 7 days on the ICU', tag: 'q' }],
    expect: { details: { q: /^Next 7 days on ICU from 2026-03-09: \d+ of 21 unit-shifts short/ } },
  },
];

export const staffingSuite: Suite<StaffingScenario> = {
  name: 'staffing',
  description:
    'Call-outs and open shifts → the staffing agent’s least-cost cover and a staffing manager’s approvals, graded on the final database state',
  scenarios: [...leastCost, ...rules, ...flow, ...questions],
  runTrial: runStaffingTrial,
};
