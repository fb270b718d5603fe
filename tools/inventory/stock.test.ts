import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { miniHospital } from '../../evals/hospital.ts';
import { createTestDatabase } from '../../test/db.ts';
import { rowCount } from '../../test/mcp.ts';
import { refusal } from '../../test/refusal.ts';
import { type Actor, roleScopes } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { revenueWard, TODAY_AT } from '../revenue/test-fixtures.ts';
import {
  listInventoryItems,
  listInventoryLocations,
  setInventoryItem,
  setParLevel,
} from './catalogue-operations.ts';
import { adjustStock, getStock, receiveStock, transferStock, wasteStock } from './stock-operations.ts';
import { inventoryWard } from './test-fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: outputs are checked by their zod schemas; the tests read them loosely.
type Out = any;

let database: Database;
const clock = new ManualClock(TODAY_AT);
const nurse: Actor = { id: 'staff:stf-nurse', kind: 'staff', scopes: roleScopes.staff };
const biller: Actor = { id: 'billing:office', kind: 'billing', scopes: roleScopes.billing };
const call = <T = Out>(op: AnyOperation, input: unknown, actor: Actor = nurse) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;
const counts = async () => ({
  items: await rowCount(database, 'inventory_items'),
  lots: await rowCount(database, 'stock_lots'),
  movements: await rowCount(database, 'stock_movements'),
  pars: await rowCount(database, 'par_levels'),
  audit: await rowCount(database, 'audit_log'),
});
const stockOf = async (itemId: string, locationId: string) =>
  (await call<{ stock: Out[] }>(getStock, { itemId, locationId })).stock[0];

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await inventoryWard(database);
});

describe('items and locations', () => {
  it('adds an item, then updates it by id', async () => {
    const input = {
      itemId: 'itm-saline',
      name: 'Sodium chloride 0.9% 1000 mL',
      kind: 'drug',
      unit: 'bag',
      hcpcs: 'j7030',
      unitCostCents: 150,
    };
    expect(await call(setInventoryItem, input)).toMatchObject({
      created: true,
      item: { hcpcs: 'J7030', orderMultiple: 1 },
    });
    expect(await call(setInventoryItem, { ...input, orderMultiple: 24 })).toMatchObject({
      created: false,
      item: { orderMultiple: 24 },
    });
    const { items } = await call<{ items: { itemId: string }[] }>(listInventoryItems, { search: 'chloride' });
    expect(items.map((i) => i.itemId)).toEqual(['itm-saline']);
  });

  it.each([
    [{ kind: 'drug', ndc: undefined, hcpcs: undefined }, 'ndc'],
    [{ ndc: '1234' }, 'ndc'],
    [{ kind: 'supply', ndc: '00002751001' }, 'ndc'],
    [{ unitCostCents: -5 }, 'unitCostCents'],
    [{ hcpcs: 'ZZZ' }, 'hcpcs'],
  ])('refuses %j naming %s, writing nothing', async (patch, field) => {
    const before = await counts();
    const err = await refusal(
      call(setInventoryItem, {
        itemId: 'itm-bad',
        name: 'Bad item',
        kind: 'drug',
        unit: 'vial',
        ndc: '11111111111',
        unitCostCents: 10,
        ...patch,
      }),
    );
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('refuses an NDC that is already another item', async () => {
    const err = await refusal(
      call(setInventoryItem, {
        itemId: 'itm-dup',
        name: 'Dup',
        kind: 'drug',
        unit: 'vial',
        ndc: '00002751001',
        unitCostCents: 1,
      }),
    );
    expect(err.message).toContain('itm-insulin');
  });

  it('lists locations by kind', async () => {
    const { locations } = await call<{ locations: Out[] }>(listInventoryLocations, { kind: 'unit-cabinet' });
    expect(locations).toEqual([expect.objectContaining({ locationId: 'loc-cab-icu', unitId: 'unit-icu' })]);
  });

  it('needs the inventory scope', async () => {
    const err = await refusal(call(listInventoryLocations, {}, biller));
    expect(err.code).toBe('forbidden');
  });

  it('refuses a reorder point above par', async () => {
    const err = await refusal(
      call(setParLevel, { locationId: 'loc-cab-icu', itemId: 'itm-strips', parLevel: 5, reorderPoint: 6 }),
    );
    expect(err.issues[0]!.field).toBe('reorderPoint');
  });
});

describe('stock by lot', () => {
  it('reports on hand, expired and available by lot, soonest expiry first', async () => {
    const s = await stockOf('itm-insulin', 'loc-pharmacy');
    expect(s).toMatchObject({
      onHand: 15,
      expired: 3,
      reserved: 0,
      available: 12,
      parLevel: 30,
      reorderPoint: 15,
    });
    expect(s.lots.map((l: Out) => [l.lotNumber, l.expired])).toEqual([
      ['INS-OLD', true],
      ['INS-A', false],
      ['INS-B', false],
    ]);
  });

  it('asks for an item or a location', async () => {
    const err = await refusal(call(getStock, {}));
    expect(err.issues[0]!.field).toBe('itemId');
  });

  it('receives into a new lot, then adds to it; a lot keeps one expiry', async () => {
    const r = {
      itemId: 'itm-strips',
      locationId: 'loc-central',
      lotNumber: 'STR-2',
      expiresOn: '2027-06-30',
    };
    await call(receiveStock, { ...r, quantity: 10 });
    const again = await call<Out>(receiveStock, { ...r, quantity: 2 });
    expect(again.lot.quantity).toBe(12);
    const before = await counts();
    const err = await refusal(call(receiveStock, { ...r, expiresOn: '2027-07-31', quantity: 1 }));
    expect(err.issues[0]!.field).toBe('lotNumber');
    const expired = await refusal(
      call(receiveStock, { ...r, lotNumber: 'OLD', expiresOn: '2026-03-19', quantity: 1 }),
    );
    expect(expired.issues[0]!.field).toBe('expiresOn');
    const bad = await refusal(call(receiveStock, { ...r, expiresOn: '31/12/2027', quantity: 1 }));
    expect(bad.issues[0]!.field).toBe('expiresOn');
    expect(await counts()).toEqual(before);
  });

  it('transfers FEFO, lots keeping their number and expiry', async () => {
    const out = await call<Out>(transferStock, {
      itemId: 'itm-strips',
      fromLocationId: 'loc-central',
      toLocationId: 'loc-cab-icu',
      quantity: 45,
    });
    expect(out.movements.map((m: Out) => [m.kind, m.quantity])).toEqual([
      ['transfer-out', -40],
      ['transfer-in', 40],
      ['transfer-out', -5],
      ['transfer-in', 5],
    ]);
    const cabinet = await stockOf('itm-strips', 'loc-cab-icu');
    expect(cabinet.lots.map((l: Out) => [l.lotNumber, l.expiresOn, l.quantity])).toEqual([
      ['STR-1', '2027-01-31', 40],
      ['STR-2', '2027-06-30', 5],
    ]);
    expect((await stockOf('itm-strips', 'loc-central')).available).toBe(7);
  });

  it('refuses a transfer larger than the source holds, naming the shortfall', async () => {
    const before = await counts();
    const err = await refusal(
      call(transferStock, {
        itemId: 'itm-strips',
        fromLocationId: 'loc-central',
        toLocationId: 'loc-th-1',
        quantity: 9,
      }),
    );
    expect(err.message).toContain('2 box short');
    expect(await counts()).toEqual(before);
  });

  it('wastes an expired lot with a reason', async () => {
    const err = await refusal(call(wasteStock, { lotId: 'lot-ins-old', quantity: 3 }));
    expect(err.issues[0]!.field).toBe('reason');
    const out = await call<Out>(wasteStock, {
      lotId: 'lot-ins-old',
      quantity: 3,
      reason: 'expired 2026-03-10',
    });
    expect(out.lot.quantity).toBe(0);
    expect(out.movement).toMatchObject({ kind: 'waste', quantity: -3, reason: 'expired 2026-03-10' });
    const tooMuch = await refusal(call(wasteStock, { lotId: 'lot-ins-a', quantity: 3, reason: 'dropped' }));
    expect(tooMuch.issues[0]!.field).toBe('quantity');
  });

  it('corrects a lot to a count; the same count again changes nothing', async () => {
    const out = await call<Out>(adjustStock, {
      lotId: 'lot-ins-b',
      countedQuantity: 8,
      reason: 'cycle count',
    });
    expect(out).toMatchObject({
      difference: -2,
      lot: { quantity: 8 },
      movement: { kind: 'adjust', quantity: -2 },
    });
    const before = await counts();
    const again = await call<Out>(adjustStock, {
      lotId: 'lot-ins-b',
      countedQuantity: 8,
      reason: 'cycle count',
    });
    expect(again).toMatchObject({ difference: 0, movement: null });
    expect(await counts()).toEqual(before);
    const negative = await refusal(
      call(adjustStock, { lotId: 'lot-ins-b', countedQuantity: -1, reason: 'count' }),
    );
    expect(negative.issues[0]!.field).toBe('countedQuantity');
  });

  it('audits every movement', async () => {
    const [row] = await database.sql`select count(*)::int as n from audit_log where tool in
      ('receive_stock', 'transfer_stock', 'waste_stock', 'adjust_stock')`;
    // two receipts, one transfer, one waste, one adjust
    expect(row!.n).toBe(5);
  });
});
