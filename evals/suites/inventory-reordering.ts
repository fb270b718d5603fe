import { alerts, answer, dispense, insulinOrdered, propose, receiveOrder } from '../inventory/steps.ts';
import type { InventoryScenario } from '../inventory/types.ts';

// The reorder job and purchase orders. Expected quantities are worked from the fixture's facts with the
// rule in tools/inventory/README.md (order par − usable position + 28-day use / 28 × lead time, rounded up
// to the order multiple; Silver, Pyke & Thomas ch. 6–7), not copied from the code's output:
//   insulin at the pharmacy: par 30, reorder point 15, lead 3 days, multiple 10, $3.00; usable 12 (INS-A 2 + INS-B 10)
//   strips at the central store: par 40, reorder point 10, lead 5 days, multiple 12, $15.00; 40 on hand
//   knee implant in theatre 1: par 2, reorder point 1, lead 7 days, multiple 1, $1,800.00; none on hand
// Default approval threshold $2,500: the knee order ($3,600) waits for a materials manager.
const insulin = (quantity: number, received?: number) => ({
  item: 'itm-insulin',
  quantity,
  ...(received === undefined ? {} : { received }),
});
const kneeAwaiting = {
  location: 'loc-th-1',
  status: 'awaiting-approval' as const,
  totalCents: 360_000,
  lines: [{ item: 'itm-knee', quantity: 2 }],
};
const pharmacyOnly = { locationId: 'loc-pharmacy' };
const insC = (quantity: number) => ({
  itemId: 'itm-insulin',
  lotNumber: 'INS-C',
  expiresOn: '2026-12-31',
  quantity,
});

export const reorderingScenarios: InventoryScenario[] = [
  {
    id: 'reorder-by-the-rule',
    description:
      'insulin 12 < 15: 30 − 12 = 18 → 20 (tens), $60 approved, due 03-23; knee 0 < 1: 2, $3,600 awaits approval; strips at par: none',
    steps: [propose()],
    expect: {
      orderCount: 2,
      orders: [
        {
          location: 'loc-pharmacy',
          status: 'approved',
          totalCents: 6_000,
          decidedBy: null,
          expectedOn: '2026-03-23',
          lines: [insulin(20)],
        },
        { ...kneeAwaiting, expectedOn: '2026-03-27', decidedBy: null },
      ],
      audited: { propose_reorders: 1 },
    },
  },
  {
    id: 'reorder-adds-lead-time-demand',
    description:
      'insulin ordered in ones: 5 dispensed → 30 − 7 + 5/28 × 3 = 23.54 → 24; 35 strips sent to the ICU cabinet → ' +
      '40 − 5 + 35/28 × 5 = 41.25 → 48 (dozens), $720',
    steps: [
      insulinOrdered(3, 1),
      dispense(5),
      {
        op: 'transfer_stock',
        body: {
          itemId: 'itm-strips',
          fromLocationId: 'loc-central',
          toLocationId: 'loc-cab-icu',
          quantity: 35,
        },
      },
      propose(),
    ],
    expect: {
      orderCount: 3,
      orders: [
        {
          location: 'loc-central',
          status: 'approved',
          totalCents: 72_000,
          expectedOn: '2026-03-25',
          lines: [{ item: 'itm-strips', quantity: 48 }],
        },
        { location: 'loc-pharmacy', status: 'approved', totalCents: 7_200, lines: [insulin(24)] },
        kneeAwaiting,
      ],
    },
  },
  {
    id: 'reorder-forgets-use-older-than-28-days',
    description:
      '35 strips moved out, then 29 days pass: no use in the window, 40 − 5 = 35 → 36; insulin (INS-A now expired) 30 − 10 → 20',
    steps: [
      {
        op: 'transfer_stock',
        body: {
          itemId: 'itm-strips',
          fromLocationId: 'loc-central',
          toLocationId: 'loc-cab-icu',
          quantity: 35,
        },
      },
      { advanceDays: 29 },
      propose(),
    ],
    expect: {
      orderCount: 3,
      orders: [
        {
          location: 'loc-central',
          status: 'approved',
          totalCents: 54_000,
          lines: [{ item: 'itm-strips', quantity: 36 }],
        },
        {
          location: 'loc-pharmacy',
          status: 'approved',
          totalCents: 6_000,
          expectedOn: '2026-04-21',
          lines: [insulin(20)],
        },
        kneeAwaiting,
      ],
    },
  },
  {
    id: 'reorder-skips-lots-expiring-in-lead-time',
    description:
      'insulin with a 6-day lead time (arrives 03-26) in ones: INS-A (expires 03-25) is not counted, 30 − 10 = 20',
    steps: [insulinOrdered(6, 1), propose(pharmacyOnly)],
    expect: {
      orderCount: 1,
      orders: [
        {
          location: 'loc-pharmacy',
          status: 'approved',
          totalCents: 6_000,
          expectedOn: '2026-03-26',
          lines: [insulin(20)],
        },
      ],
    },
  },
  {
    id: 'reorder-counts-lot-usable-on-arrival-day',
    description:
      'insulin with a 5-day lead time (arrives 03-25, INS-A’s last usable day) in ones: INS-A counts, 30 − 12 = 18',
    steps: [insulinOrdered(5, 1), propose(pharmacyOnly)],
    expect: {
      orderCount: 1,
      orders: [
        {
          location: 'loc-pharmacy',
          status: 'approved',
          totalCents: 5_400,
          expectedOn: '2026-03-25',
          lines: [insulin(18)],
        },
      ],
    },
  },
  {
    id: 'reorder-not-ordered-twice',
    description:
      'the reorder job run again: what is on order is not ordered again, and the empty run leaves no audit entry',
    steps: [propose(), propose({}, 'again')],
    expect: {
      calls: { again: { status: 200 } },
      orderCount: 2,
      audited: { propose_reorders: 1 },
    },
  },
  {
    id: 'reorder-concurrent-runs-order-once',
    description: 'two reorder runs at the same moment: both answer, the orders are made once',
    steps: [{ together: [propose({}, 'a'), propose({}, 'b')] }],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 200] }],
      orderCount: 2,
      audited: { propose_reorders: 1 },
    },
  },
  {
    id: 'reorder-at-threshold-approved',
    description: 'the $60 insulin order with a $60 threshold is not above it: approved without a manager',
    steps: [propose({ ...pharmacyOnly, approvalThresholdCents: 6_000 })],
    expect: {
      orders: [{ location: 'loc-pharmacy', status: 'approved', totalCents: 6_000, decidedBy: null }],
    },
  },
  {
    id: 'reorder-above-threshold-waits',
    description:
      'the $60 insulin order with a $59.99 threshold waits for a materials manager and cannot be received',
    steps: [
      propose({ ...pharmacyOnly, approvalThresholdCents: 5_999 }),
      receiveOrder('loc-pharmacy', [insC(20)], 'receive'),
    ],
    expect: {
      calls: { receive: { status: 409, detail: /materials manager must approve/, field: 'purchaseOrderId' } },
      orders: [{ location: 'loc-pharmacy', status: 'awaiting-approval', lines: [insulin(20, 0)] }],
      movements: { receive: 0 },
    },
  },
  {
    id: 'reorder-approved-by-materials-manager',
    description: 'the materials manager approves the knee order: approved, decided by stf-materials',
    steps: [propose(), answer('loc-th-1', 'approve')],
    expect: {
      orders: [
        { location: 'loc-th-1', status: 'approved', decidedBy: 'stf-materials' },
        { location: 'loc-pharmacy', status: 'approved', decidedBy: null },
      ],
      audited: { answer_purchase_order: 1 },
    },
  },
  {
    id: 'reorder-approval-only-by-materials-manager',
    description:
      'a nurse’s approval is refused (403 naming staffId), an already approved order waits for no answer (409); the knee order still waits',
    steps: [
      propose(),
      answer('loc-th-1', 'approve', { staffId: 'stf-nurse', tag: 'nurse' }),
      answer('loc-pharmacy', 'approve', { tag: 'not-waiting' }),
    ],
    expect: {
      calls: {
        nurse: { status: 403, detail: /stf-nurse.*may not answer purchase orders/, field: 'staffId' },
        'not-waiting': { status: 409, field: 'purchaseOrderId' },
      },
      orders: [{ ...kneeAwaiting, decidedBy: null }],
      audited: { answer_purchase_order: 0 },
    },
  },
  {
    id: 'reorder-decline-cancels',
    description:
      'a decline needs a reason (422); declined, the knee order is cancelled and the next run proposes the knee again',
    steps: [
      propose(),
      answer('loc-th-1', 'decline', { tag: 'no-reason' }),
      answer('loc-th-1', 'decline', { reason: 'theatre list postponed' }),
      propose({}, 'again'),
    ],
    expect: {
      calls: { 'no-reason': { status: 422, field: 'reason' } },
      orderCount: 3,
      orders: [
        { location: 'loc-th-1', status: 'cancelled', decidedBy: 'stf-materials' },
        { location: 'loc-pharmacy', status: 'approved' },
        { ...kneeAwaiting, decidedBy: null },
      ],
    },
  },
  {
    id: 'reorder-receipt-closes-order',
    description:
      'the insulin order received in full as lot INS-C: the order is received, INS-C holds 20, and the next run orders nothing',
    steps: [propose(pharmacyOnly), receiveOrder('loc-pharmacy', [insC(20)]), propose(pharmacyOnly)],
    expect: {
      orderCount: 1,
      orders: [{ location: 'loc-pharmacy', status: 'received', lines: [insulin(20, 20)] }],
      lots: [{ lot: 'INS-C', at: 'loc-pharmacy', quantity: 20 }],
      movements: { receive: 1 },
    },
  },
  {
    id: 'reorder-partial-receipt-stays-open',
    description:
      '5 of 20 received: the order stays approved; below the reorder point again, insulin is not re-ordered; 16 more is refused (15 outstanding)',
    steps: [
      propose(pharmacyOnly),
      receiveOrder('loc-pharmacy', [insC(5)]),
      dispense(5),
      propose(pharmacyOnly, 'again'),
      alerts('below', pharmacyOnly),
      receiveOrder('loc-pharmacy', [insC(16)], 'over'),
    ],
    expect: {
      calls: { over: { status: 409, detail: /Only 15 /, field: 'lines.0.quantity' } },
      alerts: { below: { belowReorderPoint: ['itm-insulin@loc-pharmacy'] } },
      orderCount: 1,
      orders: [{ location: 'loc-pharmacy', status: 'approved', lines: [insulin(20, 5)] }],
      lots: [{ lot: 'INS-C', at: 'loc-pharmacy', quantity: 5 }],
    },
  },
  {
    id: 'receive-in-two-lots-closes-order',
    description:
      'the approved knee order arrives as two lots of one: received, each lot in theatre 1’s store',
    steps: [
      propose(),
      answer('loc-th-1', 'approve'),
      receiveOrder('loc-th-1', [
        { itemId: 'itm-knee', lotNumber: 'K-100', expiresOn: '2031-01-31', quantity: 1 },
        { itemId: 'itm-knee', lotNumber: 'K-101', expiresOn: '2031-06-30', quantity: 1 },
      ]),
    ],
    expect: {
      orders: [
        { location: 'loc-th-1', status: 'received', lines: [{ item: 'itm-knee', quantity: 2, received: 2 }] },
      ],
      lots: [
        { lot: 'K-100', at: 'loc-th-1', quantity: 1 },
        { lot: 'K-101', at: 'loc-th-1', quantity: 1 },
      ],
      movements: { receive: 2 },
    },
  },
];
