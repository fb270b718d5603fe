import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { miniHospital } from '../../evals/hospital.ts';
import { createTestDatabase } from '../../test/db.ts';
import { rowCount } from '../../test/mcp.ts';
import { refusal } from '../../test/refusal.ts';
import { type Actor, roleScopes, systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { revenueWard, TODAY_AT } from '../revenue/test-fixtures.ts';
import { listInventoryAlerts } from './alert-operations.ts';
import { setInventoryItem } from './catalogue-operations.ts';
import { reserveStock } from './dispense-operations.ts';
import { answerPurchaseOrder, listPurchaseOrders, receivePurchaseOrder } from './order-operations.ts';
import { proposeReorders } from './reorder-operations.ts';
import type { PurchaseOrderView } from './schema.ts';
import { getStock, receiveStock, transferStock } from './stock-operations.ts';
import { inventoryWard } from './test-fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: outputs are checked by their zod schemas; the tests read them loosely.
type Out = any;

let database: Database;
const clock = new ManualClock(TODAY_AT);
const nurse: Actor = { id: 'staff:stf-nurse', kind: 'staff', scopes: roleScopes.staff };
const call = <T = Out>(op: AnyOperation, input: unknown, actor: Actor = nurse) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;
const orderAt = (orders: PurchaseOrderView[], locationId: string) =>
  orders.find((o) => o.locationId === locationId)!;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await inventoryWard(database);
  // Ten days ago the ICU cabinet took 35 boxes of strips from the central store: four weeks' consumption.
  clock.set('2026-03-10T09:00:00Z');
  await call(transferStock, {
    itemId: 'itm-strips',
    fromLocationId: 'loc-central',
    toLocationId: 'loc-cab-icu',
    quantity: 35,
  });
  clock.set(TODAY_AT);
  // Insulin ordered one at a time with a week's lead time: lot INS-A (2, expiring 03-25) will be gone on arrival.
  await call(setInventoryItem, {
    itemId: 'itm-insulin',
    name: 'Insulin lispro 100 units/mL',
    kind: 'drug',
    unit: '5-unit dose',
    ndc: '00002751001',
    hcpcs: 'J1815',
    unitCostCents: 300,
    leadTimeDays: 7,
    orderMultiple: 1,
  });
});

describe('alerts', () => {
  it('lists expiring and expired lots, stock below its reorder point and overdue reservations', async () => {
    await call(reserveStock, {
      itemId: 'itm-strips',
      locationId: 'loc-cab-icu',
      quantity: 1,
      purpose: 'ward-round',
      subjectId: 'round-1',
      neededAt: '2026-03-20T10:00:00Z',
    });
    clock.set('2026-03-20T11:00:00Z');
    const alerts = await call<Out>(listInventoryAlerts, {});
    clock.set(TODAY_AT);
    expect(alerts.expiringSoon.map((l: Out) => [l.lotNumber, l.daysLeft])).toEqual([['INS-A', 5]]);
    expect(alerts.expired.map((l: Out) => [l.lotNumber, l.daysLeft])).toEqual([['INS-OLD', -10]]);
    expect(alerts.belowReorderPoint.map((b: Out) => [b.locationId, b.itemId, b.available])).toEqual([
      ['loc-central', 'itm-strips', 5],
      ['loc-pharmacy', 'itm-insulin', 12],
      ['loc-th-1', 'itm-knee', 0],
    ]);
    expect(alerts.overdueReservations.map((r: Out) => r.subjectId)).toEqual(['round-1']);
    const narrow = await call<Out>(listInventoryAlerts, { withinDays: 3, locationId: 'loc-pharmacy' });
    expect(narrow.expiringSoon).toEqual([]);
    expect(narrow.belowReorderPoint).toHaveLength(1);
  });
});

describe('the reorder job', () => {
  let orders: PurchaseOrderView[];
  beforeAll(async () => {
    orders = (await call<{ orders: PurchaseOrderView[] }>(proposeReorders, {}, systemActor)).orders;
  });

  it('orders up to par plus the lead time’s use, in order multiples, one order per location', () => {
    expect(orders.map((o) => o.locationId).sort()).toEqual(['loc-central', 'loc-pharmacy', 'loc-th-1']);
    // strips: 40 − 5 + 35/28 × 5 days = 41.25 → 48 in dozens
    expect(orderAt(orders, 'loc-central').lines).toEqual([
      { itemId: 'itm-strips', quantity: 48, unitCostCents: 1_500, receivedQuantity: 0 },
    ]);
    // insulin: usable 12 − 2 expiring before the 7-day lead time ends = 10; 30 − 10 = 20
    expect(orderAt(orders, 'loc-pharmacy').lines[0]!.quantity).toBe(20);
    expect(orderAt(orders, 'loc-pharmacy').expectedOn).toBe('2026-03-27');
    expect(orderAt(orders, 'loc-th-1').lines[0]!.quantity).toBe(2);
  });

  it('sends orders above the $2,500 threshold for approval and approves the rest', () => {
    expect(orderAt(orders, 'loc-central')).toMatchObject({ totalCents: 72_000, status: 'approved' });
    expect(orderAt(orders, 'loc-pharmacy')).toMatchObject({ totalCents: 6_000, status: 'approved' });
    expect(orderAt(orders, 'loc-th-1')).toMatchObject({ totalCents: 360_000, status: 'awaiting-approval' });
    expect(orderAt(orders, 'loc-central').basis).toContain('35 used in 28 days');
  });

  it('does not order again what is already on order', async () => {
    const audit = await rowCount(database, 'audit_log');
    const again = await call<Out>(proposeReorders, {}, systemActor);
    expect(again.orders).toEqual([]);
    expect(again.alreadyOnOrder).toHaveLength(3);
    expect(await rowCount(database, 'purchase_orders')).toBe(3);
    expect(await rowCount(database, 'audit_log')).toBe(audit);
  });

  it('runs once when started twice at the same moment', async () => {
    await call(setInventoryItem, {
      itemId: 'itm-gloves',
      name: 'Gloves',
      kind: 'supply',
      unit: 'box',
      unitCostCents: 500,
    });
    await database.sql`insert into par_levels values ('loc-cab-icu', 'itm-gloves', 10, 5)`;
    const runs = await Promise.all([
      call<Out>(proposeReorders, {}, systemActor),
      call<Out>(proposeReorders, {}, systemActor),
    ]);
    expect(runs.map((r) => r.orders.length).sort()).toEqual([0, 1]);
  });
});

describe('approval and receiving', () => {
  let knee: PurchaseOrderView;
  let insulin: PurchaseOrderView;
  beforeAll(async () => {
    const { orders } = await call<{ orders: PurchaseOrderView[] }>(listPurchaseOrders, {});
    knee = orderAt(orders, 'loc-th-1');
    insulin = orderAt(orders, 'loc-pharmacy');
  });

  it('cannot receive an order awaiting approval', async () => {
    const err = await refusal(
      call(receivePurchaseOrder, {
        purchaseOrderId: knee.purchaseOrderId,
        lines: [{ itemId: 'itm-knee', lotNumber: 'K1', expiresOn: '2030-01-01', quantity: 1 }],
      }),
    );
    expect(err.message).toContain('materials manager');
  });

  it('is answered only by a materials manager, named when refused', async () => {
    const err = await refusal(
      call(answerPurchaseOrder, {
        purchaseOrderId: knee.purchaseOrderId,
        staffId: 'stf-nurse',
        decision: 'approve',
      }),
    );
    expect(err.code).toBe('forbidden');
    expect(err.message).toContain('stf-nurse');
    const noReason = await refusal(
      call(answerPurchaseOrder, {
        purchaseOrderId: knee.purchaseOrderId,
        staffId: 'stf-materials',
        decision: 'decline',
      }),
    );
    expect(noReason.issues[0]!.field).toBe('reason');
    const { order } = await call<Out>(answerPurchaseOrder, {
      purchaseOrderId: knee.purchaseOrderId,
      staffId: 'stf-materials',
      decision: 'approve',
    });
    expect(order).toMatchObject({ status: 'approved', decidedBy: 'stf-materials' });
  });

  it('takes partial deliveries and closes the order when every line is in', async () => {
    const line = { itemId: 'itm-knee', expiresOn: '2031-01-31', quantity: 1 };
    const first = await call<Out>(receivePurchaseOrder, {
      purchaseOrderId: knee.purchaseOrderId,
      lines: [{ ...line, lotNumber: 'K-100' }],
    });
    expect(first.order.status).toBe('approved');
    const over = await refusal(
      call(receivePurchaseOrder, {
        purchaseOrderId: knee.purchaseOrderId,
        lines: [{ ...line, lotNumber: 'K-101', quantity: 2 }],
      }),
    );
    expect(over.issues[0]!.field).toBe('lines.0.quantity');
    const second = await call<Out>(receivePurchaseOrder, {
      purchaseOrderId: knee.purchaseOrderId,
      lines: [{ ...line, lotNumber: 'K-101' }],
    });
    expect(second.order).toMatchObject({ status: 'received', lines: [{ quantity: 2, receivedQuantity: 2 }] });
    const { stock } = await call<Out>(getStock, { itemId: 'itm-knee', locationId: 'loc-th-1' });
    expect(stock[0].lots.map((l: Out) => l.lotNumber)).toEqual(['K-100', 'K-101']);
  });

  it('closes an order received with receive_stock, refusing the wrong location', async () => {
    const r = { itemId: 'itm-insulin', lotNumber: 'INS-C', expiresOn: '2026-12-31', quantity: 20 };
    const wrong = await refusal(
      call(receiveStock, { ...r, locationId: 'loc-central', purchaseOrderId: insulin.purchaseOrderId }),
    );
    expect(wrong.issues[0]!.field).toBe('locationId');
    const out = await call<Out>(receiveStock, {
      ...r,
      locationId: 'loc-pharmacy',
      purchaseOrderId: insulin.purchaseOrderId,
    });
    expect(out).toMatchObject({
      purchaseOrderStatus: 'received',
      movement: { kind: 'receive', quantity: 20 },
    });
    const { orders } = await call<Out>(listPurchaseOrders, { status: 'received' });
    expect(orders.map((o: Out) => o.locationId).sort()).toEqual(['loc-pharmacy', 'loc-th-1']);
  });
});
