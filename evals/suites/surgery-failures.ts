import { countStockTo, fillTheatres, fillUnit, onLeave } from '../surgery/setups.ts';
import type { HeldCounts, SurgeryScenario } from '../surgery/types.ts';

// A step that cannot be had releases everything held for the slot (compensation) and the next slot is
// tried; when none is left, or the stock is short (no slot makes more), alternatives are proposed and the
// request ends failed holding nothing. The office's cancellation is compensated the same way.

const NOTHING: HeldCounts = { stock: 0, team: 0, beds: 0, theatres: 0 };
const MED_SURG = 'unit-04';

export const failureScenarios: SurgeryScenario[] = [
  {
    id: 'no-theatre-slot-in-window',
    description:
      'both theatres are full all Monday and the office asks for Monday only: no slot, nothing booked, the ' +
      'next free days proposed',
    setup: (f) => fillTheatres(f, [0]),
    steps: [{ request: 'case', procedure: '47562', earliestInHours: 0, latestInHours: 14 }],
    expect: {
      requests: {
        case: { status: 'failed', held: NOTHING, attemptSteps: [], alternatives: ['another-day'] },
      },
      theatreBookingsMade: { case: 0 },
    },
  },
  {
    id: 'theatres-full-first-day-next-day-booked',
    description: 'both theatres are full on Monday: the case is booked on Tuesday, nothing tried on Monday',
    setup: (f) => fillTheatres(f, [0]),
    steps: [{ request: 'case', procedure: '47562' }],
    expect: {
      requests: { case: { status: 'booked', attemptSteps: [] } },
      check: async (g) => {
        const [r] = await g.database.sql<{ starts: string }[]>`select plan->>'startsAt' as starts
          from surgery_requests where id = ${g.ids.case!}`;
        return r?.starts.startsWith('2026-03-03')
          ? []
          : [`case: booked at ${r?.starts}, expected Tuesday 2026-03-03`];
      },
    },
  },
  {
    id: 'knee-implant-short-substitute-reserved',
    description:
      'no first-vendor knee implant left anywhere: the second vendor’s system (itm-knee-implant-b, central ' +
      'store) is reserved in its place and the knee is booked',
    setup: (f) => countStockTo(f, 'itm-knee-implant', 0),
    steps: [{ request: 'case', procedure: '27447' }],
    expect: {
      requests: {
        case: {
          status: 'booked',
          held: { stock: 6, team: 4, beds: 1, theatres: 1 },
          substitutes: { 'itm-knee-implant-b': 'itm-knee-implant' },
          attemptSteps: [],
        },
      },
    },
  },
  {
    id: 'knee-implant-and-substitute-short',
    description:
      'neither knee system is in stock: the knee fails at the stock step on its first slot (another slot makes ' +
      'no stock), everything held is released and ordering the implant is proposed',
    setup: async (f) => {
      await countStockTo(f, 'itm-knee-implant', 0);
      await countStockTo(f, 'itm-knee-implant-b', 0);
    },
    steps: [{ request: 'case', procedure: '27447' }],
    expect: {
      requests: {
        case: {
          status: 'failed',
          held: NOTHING,
          attemptSteps: ['stock'],
          alternatives: ['order-stock'],
          orderItems: ['itm-knee-implant'],
        },
      },
      theatreBookingsMade: { case: 1 },
    },
  },
  {
    id: 'bone-anchors-short-no-substitute',
    description:
      'a rotator cuff repair needs 3 bone anchors and only 2 are left (no substitute in the table): failed ' +
      'with an order for anchors, the anchors left untouched, nothing held',
    setup: (f) => countStockTo(f, 'itm-bone-anchor', 2),
    steps: [{ request: 'case', procedure: '29827' }],
    expect: {
      requests: {
        case: {
          status: 'failed',
          held: NOTHING,
          attemptSteps: ['stock'],
          alternatives: ['order-stock'],
          orderItems: ['itm-bone-anchor'],
        },
      },
    },
  },
  {
    id: 'theatre-store-out-central-store-supplies',
    description:
      'the theatre stores have no surgical trays but the central store does: the tray is reserved from the ' +
      'central store and the case is booked',
    setup: (f) => countStockTo(f, 'itm-surgical-tray', 0, ['loc-thr-01', 'loc-thr-02']),
    steps: [{ request: 'case', procedure: '47562' }],
    expect: {
      requests: { case: { status: 'booked', held: { stock: 5, team: 4, beds: 0, theatres: 1 } } },
      check: async (g) => {
        const rows = await g.database.sql<
          { location_id: string }[]
        >`select location_id from stock_reservations
          where subject_id = ${g.ids.case!} and item_id = 'itm-surgical-tray' and status = 'held'`;
        return rows.length === 1 && rows[0]!.location_id === 'loc-central'
          ? []
          : [`case: tray reserved at ${JSON.stringify(rows)}, expected loc-central`];
      },
    },
  },
  {
    id: 'no-anaesthetist-in-window',
    description:
      'both anaesthetists are on approved leave for the whole window: every slot fails at the team, each is ' +
      'released, and later days are proposed; nothing held',
    setup: (f) => onLeave(f, [f.surgeon('anaesthetist'), 'stf-00091'], 16),
    steps: [{ request: 'case', procedure: '47562' }],
    expect: {
      requests: {
        case: {
          status: 'failed',
          held: NOTHING,
          attemptSteps: ['team', 'team', 'team', 'team', 'team', 'team'],
          alternatives: ['another-day'],
        },
      },
    },
  },
  {
    id: 'anaesthetists-away-monday-booked-tuesday',
    description:
      'both anaesthetists are on leave on Monday: Monday’s two slots fail at the team and are released, the ' +
      'case is booked on Tuesday',
    setup: (f) => onLeave(f, [f.surgeon('anaesthetist'), 'stf-00091'], 1),
    steps: [{ request: 'case', procedure: '47562' }],
    expect: {
      requests: { case: { status: 'booked', attemptSteps: ['team', 'team'], alternatives: null } },
    },
  },
  {
    id: 'surgeon-away-another-surgeon-proposed',
    description:
      'the requested surgeon is on leave for the whole window: failed, nothing held, another surgeon and ' +
      'later days proposed',
    setup: (f) => onLeave(f, [f.surgeon('general')], 16),
    steps: [{ request: 'case', procedure: '47562' }],
    expect: {
      requests: {
        case: {
          status: 'failed',
          held: NOTHING,
          minAttempts: 1,
          alternatives: ['another-day', 'another-surgeon'],
        },
      },
    },
  },
  {
    id: 'no-post-op-bed-in-window',
    description:
      'the med-surg unit is booked full for three weeks: every appendectomy slot fails at the bed, each slot’s ' +
      'theatre, stock and team released, failed holding nothing',
    setup: (f) => fillUnit(f, MED_SURG, 21),
    steps: [{ request: 'case', procedure: '44970' }],
    expect: {
      requests: {
        case: { status: 'failed', held: NOTHING, minAttempts: 6, alternatives: ['another-day'] },
      },
    },
  },
  {
    id: 'post-op-bed-full-monday-night',
    description:
      'the med-surg unit is full on Monday night only: Monday’s slots fail at the bed, the appendectomy is ' +
      'booked on Tuesday with its bed',
    setup: (f) => fillUnit(f, MED_SURG, 1),
    steps: [{ request: 'case', procedure: '44970' }],
    expect: {
      requests: { case: { status: 'booked', bed: true, attemptSteps: ['bed', 'bed'] } },
    },
  },
  {
    id: 'office-cancels-booked-knee',
    description: 'the office cancels a booked knee: theatre, six reservations, team and bed are all released',
    steps: [{ request: 'case', procedure: '27447' }, { cancel: 'case' }],
    expect: {
      requests: { case: { status: 'cancelled', held: NOTHING } },
      theatreBookingsMade: { case: 1 },
    },
  },
  {
    id: 'office-cancels-before-planning',
    description: 'the office cancels before the orchestration runs: nothing is ever booked',
    steps: [{ request: 'case', procedure: '44970', beforeAgent: true }, { cancel: 'case' }],
    expect: {
      requests: { case: { status: 'cancelled', held: NOTHING, alternatives: null } },
      theatreBookingsMade: { case: 0 },
    },
  },
  {
    id: 'office-cancels-failed-request',
    description: 'a request that failed on stock is cancelled: it stays holding nothing',
    setup: (f) => countStockTo(f, 'itm-bone-anchor', 0),
    steps: [{ request: 'case', procedure: '29827' }, { cancel: 'case' }],
    expect: { requests: { case: { status: 'cancelled', held: NOTHING } } },
  },
  {
    id: 'performed-case-cannot-be-cancelled',
    description: 'a case already performed cannot be cancelled (409 naming requestId); its stock stays used',
    steps: [
      { request: 'case', procedure: '44970' },
      { complete: 'case', encounterClass: 'IMP' },
      { cancel: 'case', tag: 'late-cancel' },
    ],
    expect: {
      calls: { 'late-cancel': { status: 409, field: 'requestId' } },
      requests: { case: { status: 'completed', consumed: 5 } },
    },
  },
];
