import { ADA_WARD, alerts, dispense, release, reserve, STRIPS_CENTS, waste } from '../inventory/steps.ts';
import type { InventoryScenario } from '../inventory/types.ts';

// list_inventory_alerts: lots expiring within the window (the expiry day counts), expired lots still on
// hand, pairs whose available stock is below the reorder point, held reservations past their time.
const FIXTURE_BELOW = ['itm-insulin@loc-pharmacy', 'itm-knee@loc-th-1'];

export const alertScenarios: InventoryScenario[] = [
  {
    id: 'alerts-expiry-and-reorder-point',
    description:
      'INS-A expiring in 5 days, INS-OLD expired, insulin (12 < 15) and the knee (0 < 1) below their reorder points; ' +
      'INS-OLD wasted, it is no longer listed',
    steps: [alerts('before'), waste('lot-ins-old', 3, 'expired on 2026-03-10'), alerts('after')],
    expect: {
      alerts: {
        before: {
          expiringSoon: ['INS-A'],
          expired: ['INS-OLD'],
          belowReorderPoint: FIXTURE_BELOW,
          overdue: [],
        },
        after: { expiringSoon: ['INS-A'], expired: [], belowReorderPoint: FIXTURE_BELOW },
      },
      lots: [{ lot: 'INS-OLD', quantity: 0 }],
      movements: { waste: 1 },
    },
  },
  {
    id: 'alerts-expiring-window',
    description: 'INS-A expires 03-25: not within 4 days of 03-20, within 5 (the expiry day counts)',
    steps: [
      alerts('four', { withinDays: 4, locationId: 'loc-pharmacy' }),
      alerts('five', { withinDays: 5, locationId: 'loc-pharmacy' }),
    ],
    expect: {
      alerts: {
        four: { expiringSoon: [], expired: ['INS-OLD'], belowReorderPoint: ['itm-insulin@loc-pharmacy'] },
        five: { expiringSoon: ['INS-A'] },
      },
    },
  },
  {
    id: 'alerts-dispense-brings-below-reorder-point',
    description:
      '31 boxes of strips dispensed to Ada: 9 left at the central store, below its reorder point of 10',
    steps: [
      alerts('before'),
      dispense(31, { itemId: 'itm-strips', locationId: 'loc-central' }),
      alerts('after'),
    ],
    expect: {
      alerts: {
        before: { belowReorderPoint: FIXTURE_BELOW },
        after: { belowReorderPoint: ['itm-strips@loc-central', ...FIXTURE_BELOW] },
      },
      lots: [{ lot: 'STR-1', quantity: 9 }],
      charges: { [ADA_WARD]: { amounts: [31 * STRIPS_CENTS] } },
    },
  },
  {
    id: 'alerts-reservation-counts-against-reorder-point',
    description: '30 strips reserved for a ward round: available 10 is not below 10; 31 reserved: 9 is',
    steps: [
      reserve('round-1', 30, { itemId: 'itm-strips', locationId: 'loc-central', purpose: 'ward-round' }),
      alerts('thirty', { locationId: 'loc-central' }),
      release('round-1', 'round re-planned'),
      reserve('round-2', 31, { itemId: 'itm-strips', locationId: 'loc-central', purpose: 'ward-round' }),
      alerts('thirty-one', { locationId: 'loc-central' }),
    ],
    expect: {
      alerts: {
        thirty: { belowReorderPoint: [] },
        'thirty-one': { belowReorderPoint: ['itm-strips@loc-central'] },
      },
      lots: [{ lot: 'STR-1', quantity: 40 }],
    },
  },
  {
    id: 'alerts-overdue-reservations',
    description:
      'strips reserved for 10:00: not overdue at 09:00, overdue at 11:00, gone from the list once released',
    steps: [
      reserve('round-1', 1, {
        itemId: 'itm-strips',
        locationId: 'loc-central',
        purpose: 'ward-round',
        neededAt: '2026-03-20T10:00:00Z',
      }),
      alerts('early'),
      { advanceHours: 2 },
      alerts('late'),
      release('round-1', 'round done without strips'),
      alerts('released'),
    ],
    expect: {
      alerts: { early: { overdue: [] }, late: { overdue: ['round-1'] }, released: { overdue: [] } },
      reservations: [{ subject: 'round-1', status: 'released' }],
    },
  },
];
