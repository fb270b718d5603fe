import { describe, expect, it } from 'vitest';
import { type LotFact, pickFefo, type ReorderFacts, reorderLine, stockPosition } from './rules.ts';

const at = new Date('2026-03-01T00:00:00Z');
const later = new Date('2026-03-05T00:00:00Z');
const lot = (id: string, expiresOn: string, quantity: number, receivedAt = at): LotFact => ({
  id,
  lotNumber: id.toUpperCase(),
  expiresOn,
  quantity,
  receivedAt,
});
const TODAY = '2026-03-20';

describe('first-expiry-first-out', () => {
  const lots = [lot('late', '2026-09-30', 5), lot('soon', '2026-04-01', 2), lot('gone', '2026-03-19', 9)];

  it.each([
    { quantity: 1, expected: [['soon', 1]], shortfall: 0 },
    { quantity: 2, expected: [['soon', 2]], shortfall: 0 },
    {
      quantity: 4,
      expected: [
        ['soon', 2],
        ['late', 2],
      ],
      shortfall: 0,
    },
    {
      quantity: 7,
      expected: [
        ['soon', 2],
        ['late', 5],
      ],
      shortfall: 0,
    },
    {
      quantity: 9,
      expected: [
        ['soon', 2],
        ['late', 5],
      ],
      shortfall: 2,
    },
  ])(
    'taking $quantity takes $expected and is $shortfall short (the expired lot is never taken)',
    ({ quantity, expected, shortfall }) => {
      const picked = pickFefo(lots, quantity, TODAY);
      expect(picked.allocations.map((a) => [a.lot.id, a.quantity])).toEqual(expected);
      expect(picked.shortfall).toBe(shortfall);
    },
  );

  it('uses a lot on its expiry day, not the day after', () => {
    expect(pickFefo([lot('today', TODAY, 1)], 1, TODAY).shortfall).toBe(0);
    expect(pickFefo([lot('today', TODAY, 1)], 1, '2026-03-21').shortfall).toBe(1);
  });

  it('breaks a tie in expiry by the lot received first', () => {
    const picked = pickFefo([lot('b', '2026-05-01', 1, later), lot('a', '2026-05-01', 1, at)], 1, TODAY);
    expect(picked.allocations[0]!.lot.id).toBe('a');
  });

  it('keeps fractional quantities exact to 4 decimals', () => {
    const picked = pickFefo([lot('a', '2026-05-01', 0.1), lot('b', '2026-06-01', 0.2)], 0.3, TODAY);
    expect(picked.shortfall).toBe(0);
    expect(picked.allocations.map((a) => a.quantity)).toEqual([0.1, 0.2]);
  });
});

describe('stock position', () => {
  it('is on hand less expired lots less held reservations, never below zero', () => {
    const lots = [lot('ok', '2026-06-01', 10), lot('gone', '2026-03-01', 4)];
    expect(stockPosition(lots, 3, TODAY)).toEqual({ onHand: 14, expired: 4, reserved: 3, available: 7 });
    expect(stockPosition(lots, 20, TODAY).available).toBe(0);
  });
});

describe('reorder rule', () => {
  const base: ReorderFacts = {
    locationId: 'loc',
    itemId: 'itm',
    parLevel: 30,
    reorderPoint: 15,
    available: 10,
    expiringInLeadTime: 0,
    consumed: 56,
    windowDays: 28,
    leadTimeDays: 3,
    orderMultiple: 10,
    unitCostCents: 100,
  };

  it.each([
    { name: 'at the reorder point: no order', facts: { available: 15 }, quantity: null },
    // 30 − 10 + 2/day × 3 days = 26 → 30 in tens
    { name: 'below it: up to par plus lead-time use, in multiples', facts: {}, quantity: 30 },
    { name: 'no consumption: up to par', facts: { consumed: 0, orderMultiple: 1 }, quantity: 20 },
    // position 16 − 4 expiring = 12 < 15: 30 − 12 + 6 = 24 → 30
    { name: 'expiring stock does not count', facts: { available: 16, expiringInLeadTime: 4 }, quantity: 30 },
    {
      name: 'enough stock even with expiring lots',
      facts: { available: 20, expiringInLeadTime: 4 },
      quantity: null,
    },
  ])('$name', ({ facts, quantity }) => {
    expect(reorderLine({ ...base, ...facts })?.quantity ?? null).toBe(quantity);
  });

  it('reports the position and expected lead-time use it ordered from', () => {
    expect(reorderLine(base)).toMatchObject({ position: 10, expectedLeadTimeUse: 6, quantity: 30 });
  });
});
