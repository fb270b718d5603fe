import { answer, propose, receiveOrder } from '../inventory/steps.ts';
import type { InventoryScenario } from '../inventory/types.ts';

// Real concurrent requests on orders and transfers (the dispensing and reservation races are with their
// themes): every change takes the purchase order's row lock or the (item, location) advisory locks in key
// order, so none over-receives, answers twice or deadlocks.
const transfer = (from: string, to: string, quantity: number, tag?: string) => ({
  op: 'transfer_stock',
  body: { itemId: 'itm-strips', fromLocationId: from, toLocationId: to, quantity },
  ...(tag ? { tag } : {}),
});
const insC = (lotNumber: string, quantity: number) => ({
  itemId: 'itm-insulin',
  lotNumber,
  expiresOn: '2026-12-31',
  quantity,
});

export const raceScenarios: InventoryScenario[] = [
  {
    id: 'receipts-race-never-over-receive',
    description:
      'two deliveries of 15 against the 20 insulin ordered, at the same moment: one is taken, one refused',
    steps: [
      propose({ locationId: 'loc-pharmacy' }),
      {
        together: [
          receiveOrder('loc-pharmacy', [insC('INS-C', 15)], 'a'),
          receiveOrder('loc-pharmacy', [insC('INS-D', 15)], 'b'),
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 409] }],
      orders: [
        {
          location: 'loc-pharmacy',
          status: 'approved',
          lines: [{ item: 'itm-insulin', quantity: 20, received: 15 }],
        },
      ],
      movements: { receive: 1 },
    },
  },
  {
    id: 'two-answers-to-one-order',
    description:
      'the knee order approved and declined at the same moment: one answer stands, the other is refused',
    steps: [
      propose(),
      {
        together: [
          answer('loc-th-1', 'approve', { tag: 'approve' }),
          answer('loc-th-1', 'decline', { reason: 'theatre list postponed', tag: 'decline' }),
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['approve', 'decline'], statuses: [200, 409] }],
      audited: { answer_purchase_order: 1 },
    },
  },
  {
    id: 'opposite-transfers-concurrently',
    description:
      'strips moved central → ICU cabinet and back at the same moment: both go, neither deadlocks, totals kept',
    steps: [
      transfer('loc-central', 'loc-cab-icu', 10),
      {
        together: [
          transfer('loc-cab-icu', 'loc-central', 5, 'back'),
          transfer('loc-central', 'loc-cab-icu', 5, 'forth'),
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['back', 'forth'], statuses: [200, 200] }],
      lots: [
        { lot: 'STR-1', at: 'loc-central', quantity: 30 },
        { lot: 'STR-1', at: 'loc-cab-icu', quantity: 10 },
      ],
      movements: { 'transfer-out': 3, 'transfer-in': 3 },
    },
  },
];
