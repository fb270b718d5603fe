import {
  ADA_WARD,
  BO_WARD,
  boOnTheWard,
  consume,
  dispense,
  dispenseReserved,
  INSULIN_CENTS as INS,
  release,
  reserve,
} from '../inventory/steps.ts';
import type { InventoryScenario } from '../inventory/types.ts';

// Reservations: what is set aside is not others' to take; released or consumed, the rest returns; a retry
// reserves nothing more; a patient's reservation is only that patient's. 12 doses of insulin are usable.
const forAda = { patientId: 'pat-1', purpose: 'ward-round' };

export const reservationScenarios: InventoryScenario[] = [
  {
    id: 'reserve-holds-stock-from-others',
    description:
      '10 doses reserved for a surgery: a dispense of 3 is refused (2 left, 1 short), one of 2 goes',
    steps: [reserve('tb-1', 10), dispense(3, { tag: 'three' }), dispense(2)],
    expect: {
      calls: { three: { status: 409, detail: /1 5-unit dose short/, field: 'quantity' } },
      reservations: [{ subject: 'tb-1', status: 'held', quantity: 10 }],
      dispensed: [['INS-A', 2]],
      lots: [
        { lot: 'INS-A', quantity: 0 },
        { lot: 'INS-B', quantity: 10 },
      ],
      charges: { [ADA_WARD]: { amounts: [2 * INS] } },
    },
  },
  {
    id: 'release-returns-stock',
    description: 'a surgery’s 10 doses released (cancelled): the 3 doses Ada needs can be dispensed',
    steps: [reserve('tb-1', 10), release('tb-1', 'surgery cancelled'), dispense(3, { tag: 'after' })],
    expect: {
      calls: { after: { status: 200 } },
      reservations: [{ subject: 'tb-1', status: 'released', closedReason: /surgery cancelled/ }],
      dispensed: [
        ['INS-A', 2],
        ['INS-B', 1],
      ],
    },
  },
  {
    id: 'consume-closes-and-returns-unused',
    description:
      '5 doses reserved for Ada, 3 used (charged to her stay): the reservation closes and the unused 2 return — ' +
      '9 more can be dispensed, a 10th cannot',
    steps: [
      reserve('round-ada', 5, forAda),
      consume('round-ada', { quantity: 3, encounterId: ADA_WARD, tag: 'consume' }),
      dispense(9, { tag: 'rest' }),
      dispense(1, { tag: 'none-left' }),
    ],
    expect: {
      calls: {
        consume: { status: 200 },
        rest: { status: 200 },
        'none-left': { status: 409, detail: /1 5-unit dose short/ },
      },
      reservations: [{ subject: 'round-ada', status: 'consumed', closedReason: /used 3 of 5/ }],
      dispensed: [
        ['INS-A', 2],
        ['INS-B', 1],
        ['INS-B', 9],
      ],
      lots: [
        { lot: 'INS-B', quantity: 0 },
        { lot: 'INS-OLD', quantity: 3 },
      ],
      charges: { [ADA_WARD]: { amounts: [3 * INS, 9 * INS] } },
    },
  },
  {
    id: 'reserve-retry-reserves-nothing-more',
    description:
      'the same reservation sent twice holds 5 once (one audit entry); a third asking 6 is refused; 8 for Ada is 1 short',
    steps: [
      reserve('tb-1', 5, { tag: 'first' }),
      reserve('tb-1', 5, { tag: 'retry' }),
      reserve('tb-1', 6, { tag: 'more' }),
      dispense(8, { tag: 'eight' }),
    ],
    expect: {
      calls: {
        first: { status: 200 },
        retry: { status: 200 },
        more: { status: 409, field: 'quantity' },
        eight: { status: 409, detail: /1 5-unit dose short/ },
      },
      reservations: [{ subject: 'tb-1', status: 'held', quantity: 5 }],
      audited: { reserve_stock: 1 },
      movements: { dispense: 0 },
    },
  },
  {
    id: 'reserve-counts-lots-unexpired-when-needed',
    description:
      '11 doses needed on 03-26, after INS-A expires: refused (1 short, nothing held); needed on 03-24: held',
    steps: [
      reserve('tb-late', 11, { neededAt: '2026-03-26T08:00:00Z', tag: 'late' }),
      reserve('tb-early', 11, { neededAt: '2026-03-24T08:00:00Z', tag: 'early' }),
    ],
    expect: {
      calls: {
        late: { status: 409, detail: /1 5-unit dose short/, field: 'quantity' },
        early: { status: 200 },
      },
      reservations: [{ subject: 'tb-early', status: 'held', quantity: 11 }],
    },
  },
  {
    id: 'reservation-only-for-its-patient',
    description:
      'Ada’s reserved doses dispensed to Bo with her reservation: refused (403, reservationId); Ada’s dispense consumes it',
    setup: boOnTheWard,
    steps: [
      reserve('round-ada', 2, forAda),
      dispenseReserved('round-ada', 2, { patientId: 'pat-2', encounterId: BO_WARD, tag: 'bo' }),
      dispenseReserved('round-ada', 2, { tag: 'ada' }),
    ],
    expect: {
      calls: {
        bo: { status: 403, field: 'reservationId' },
        ada: { status: 200 },
      },
      reservations: [{ subject: 'round-ada', status: 'consumed', closedReason: /used 2 of 2/ }],
      dispensed: [['INS-A', 2]],
      charges: { [ADA_WARD]: { amounts: [2 * INS] }, [BO_WARD]: { amounts: [] } },
    },
  },
  {
    id: 'consume-patient-reservation-needs-encounter',
    description:
      'Ada’s reservation consumed with no encounter to charge: refused naming encounterId; still held',
    steps: [reserve('round-ada', 2, forAda), consume('round-ada', { tag: 'no-encounter' })],
    expect: {
      calls: { 'no-encounter': { status: 422, field: 'encounterId' } },
      reservations: [{ subject: 'round-ada', status: 'held', quantity: 2 }],
      movements: { dispense: 0 },
      audited: { consume_stock_reservation: 0 },
    },
  },
  {
    id: 'consume-released-reservation-refused',
    description: 'a released reservation cannot be consumed (409 naming reservationId); nothing moves',
    steps: [
      reserve('tb-1', 4),
      release('tb-1', 'surgery moved to next week'),
      consume('tb-1', { tag: 'late' }),
    ],
    expect: {
      calls: { late: { status: 409, detail: /already released/, field: 'reservationId' } },
      reservations: [{ subject: 'tb-1', status: 'released' }],
      movements: { dispense: 0 },
    },
  },
  {
    id: 'reserve-concurrently-never-overbooks',
    description: 'two surgeries reserve 10 of the 12 usable doses at once: one is held, the other refused',
    steps: [{ together: [reserve('tb-1', 10, { tag: 'a' }), reserve('tb-2', 10, { tag: 'b' })] }],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 409] }],
      audited: { reserve_stock: 1 },
    },
  },
  {
    id: 'consume-twice-concurrently',
    description: 'Ada’s reservation of 3 consumed twice at the same moment: one use, the other refused (409)',
    steps: [
      reserve('round-ada', 3, forAda),
      {
        together: [
          consume('round-ada', { encounterId: ADA_WARD, tag: 'a' }),
          consume('round-ada', { encounterId: ADA_WARD, tag: 'b' }),
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 409] }],
      reservations: [{ subject: 'round-ada', status: 'consumed', closedReason: /used 3 of 3/ }],
      dispensed: [
        ['INS-A', 2],
        ['INS-B', 1],
      ],
      charges: { [ADA_WARD]: { amounts: [3 * INS] } },
    },
  },
  {
    id: 'reserve-and-dispense-race',
    description:
      'a surgery reserves 10 while Ada is given 3, at the same moment, with 12 usable: whichever is first, the other is refused',
    steps: [{ together: [reserve('tb-1', 10, { tag: 'reserve' }), dispense(3, { tag: 'dispense' })] }],
    expect: {
      raced: [{ tags: ['reserve', 'dispense'], statuses: [200, 409] }],
    },
  },
];
