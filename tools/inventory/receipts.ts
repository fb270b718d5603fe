import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { purchaseOrderLines, purchaseOrders } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import type { OperationContext } from '../core/operation.ts';
import { isExpired, qty } from './rules.ts';
import { intoLot, isoDay, lockStock, moveLot, requireActive, requireItem, requireLocation } from './store.ts';

/** Receiving stock into a lot, on its own or against a purchase order's line (partial receipts add up). */

export interface Receipt {
  itemId: string;
  locationId: string;
  lotNumber: string;
  expiresOn: string;
  quantity: number;
  purchaseOrderId?: string | undefined;
}

export type PurchaseOrderRow = typeof purchaseOrders.$inferSelect;

export async function lockPurchaseOrder(tx: Tx, purchaseOrderId: string): Promise<PurchaseOrderRow> {
  const [po] = await tx
    .select()
    .from(purchaseOrders)
    .where(eq(purchaseOrders.id, purchaseOrderId))
    .for('update');
  if (!po) {
    throw new OperationError('not_found', `No purchase order ${purchaseOrderId}`, [
      { field: 'purchaseOrderId', message: 'no such purchase order' },
    ]);
  }
  return po;
}

/** Adds the receipt to its lot and records the movement; against an order, counts it on the order's line. */
export async function receive(tx: Tx, ctx: OperationContext, r: Receipt, fieldPrefix = '') {
  const f = (name: string) => `${fieldPrefix}${name}`;
  const now = ctx.clock.now();
  const item = await requireItem(tx, r.itemId, f('itemId'));
  requireActive(item, 'received', f('itemId'));
  await requireLocation(tx, r.locationId);
  if (isExpired(r, isoDay(now))) {
    throw new OperationError(
      'invalid',
      `Lot ${r.lotNumber} expired on ${r.expiresOn}: expired stock is not received`,
      [{ field: f('expiresOn'), message: 'already expired' }],
    );
  }
  if (r.purchaseOrderId) {
    const [line] = await tx
      .select()
      .from(purchaseOrderLines)
      .where(
        and(
          eq(purchaseOrderLines.purchaseOrderId, r.purchaseOrderId),
          eq(purchaseOrderLines.itemId, r.itemId),
        ),
      );
    if (!line) {
      throw new OperationError(
        'invalid',
        `Purchase order ${r.purchaseOrderId} has no line for ${item.name}`,
        [{ field: f('itemId'), message: `not on purchase order ${r.purchaseOrderId}` }],
      );
    }
    const outstanding = qty(line.quantity - line.receivedQuantity);
    if (r.quantity > outstanding) {
      throw new OperationError(
        'conflict',
        `Only ${outstanding} ${item.unit} of ${item.name} remain to be received on ${r.purchaseOrderId}`,
        [{ field: f('quantity'), message: `more than the ${outstanding} outstanding` }],
      );
    }
    await tx
      .update(purchaseOrderLines)
      .set({ receivedQuantity: sql`${purchaseOrderLines.receivedQuantity} + ${r.quantity}` })
      .where(
        and(
          eq(purchaseOrderLines.purchaseOrderId, r.purchaseOrderId),
          eq(purchaseOrderLines.itemId, r.itemId),
        ),
      );
  }
  await lockStock(tx, [r]);
  const lot = await intoLot(tx, { ...r, at: now }, f('lotNumber'));
  const movement = await moveLot(tx, lot.id, r.quantity, {
    kind: 'receive',
    itemId: r.itemId,
    locationId: r.locationId,
    purchaseOrderId: r.purchaseOrderId ?? null,
    by: ctx.actor.id,
    at: now,
  });
  return { lotId: lot.id, movement };
}

/** An approved order can be received into; it closes when every line is in. */
export function assertReceivable(po: PurchaseOrderRow): void {
  if (po.status !== 'approved') {
    throw new OperationError(
      'conflict',
      `Purchase order ${po.id} is ${po.status}: only an approved order is received` +
        (po.status === 'awaiting-approval' ? ' (a materials manager must approve it first)' : ''),
      [{ field: 'purchaseOrderId', message: `the order is ${po.status}` }],
    );
  }
}

export async function closeIfComplete(tx: Tx, po: PurchaseOrderRow, now: Date): Promise<PurchaseOrderRow> {
  const lines = await tx
    .select()
    .from(purchaseOrderLines)
    .where(eq(purchaseOrderLines.purchaseOrderId, po.id));
  if (!lines.every((l) => l.receivedQuantity >= l.quantity)) return po;
  const [row] = await tx
    .update(purchaseOrders)
    .set({ status: 'received', receivedAt: now })
    .where(eq(purchaseOrders.id, po.id))
    .returning();
  return row!;
}
