import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import {
  inventoryItems,
  parLevels,
  purchaseOrderLines,
  purchaseOrders,
  stockMovements,
} from '../../db/schema/index.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import {
  addDays,
  CONSUMPTION_WINDOW_DAYS,
  DEFAULT_APPROVAL_THRESHOLD_CENTS,
  isExpired,
  qty,
  type ReorderLine,
  reorderLine,
} from './rules.ts';
import { type PurchaseOrderView, purchaseOrderSchema } from './schema.ts';
import { isoDay, positionOf, requireLocation } from './store.ts';

export const openOrderStatuses = ['proposed', 'awaiting-approval', 'approved'] as const;

export async function presentOrders(
  db: DbOrTx,
  orders: (typeof purchaseOrders.$inferSelect)[],
): Promise<PurchaseOrderView[]> {
  if (orders.length === 0) return [];
  const lines = await db
    .select()
    .from(purchaseOrderLines)
    .where(
      inArray(
        purchaseOrderLines.purchaseOrderId,
        orders.map((o) => o.id),
      ),
    )
    .orderBy(asc(purchaseOrderLines.itemId));
  return orders.map((o) => ({
    purchaseOrderId: o.id,
    locationId: o.locationId,
    status: o.status,
    totalCents: o.totalCents,
    approvalThresholdCents: o.approvalThresholdCents,
    expectedOn: o.expectedOn,
    basis: o.basis,
    createdBy: o.createdBy,
    createdAt: o.createdAt.toISOString(),
    decidedBy: o.decidedBy,
    decidedAt: o.decidedAt?.toISOString() ?? null,
    receivedAt: o.receivedAt?.toISOString() ?? null,
    lines: lines
      .filter((l) => l.purchaseOrderId === o.id)
      .map((l) => ({
        itemId: l.itemId,
        quantity: l.quantity,
        unitCostCents: l.unitCostCents,
        receivedQuantity: l.receivedQuantity,
      })),
  }));
}

/** Item-location pairs with an order still open for them: not ordered again. */
async function onOpenOrder(db: DbOrTx): Promise<Set<string>> {
  const rows = await db
    .select({ locationId: purchaseOrders.locationId, itemId: purchaseOrderLines.itemId })
    .from(purchaseOrderLines)
    .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.purchaseOrderId))
    .where(
      and(
        inArray(purchaseOrders.status, [...openOrderStatuses]),
        lt(purchaseOrderLines.receivedQuantity, purchaseOrderLines.quantity),
      ),
    );
  return new Set(rows.map((r) => `${r.itemId}@${r.locationId}`));
}

/** What went out of each item-location pair over the window: dispensed, transferred out and wasted. */
async function consumption(db: DbOrTx, since: Date, until: Date): Promise<Map<string, number>> {
  const rows = await db
    .select({
      itemId: stockMovements.itemId,
      locationId: stockMovements.locationId,
      out: sql<string>`-sum(${stockMovements.quantity})`,
    })
    .from(stockMovements)
    .where(
      and(
        inArray(stockMovements.kind, ['dispense', 'transfer-out', 'waste']),
        gte(stockMovements.at, since),
        lt(stockMovements.at, until),
      ),
    )
    .groupBy(stockMovements.itemId, stockMovements.locationId);
  return new Map(rows.map((r) => [`${r.itemId}@${r.locationId}`, Number(r.out)]));
}

function basisOf(
  lines: (ReorderLine & { itemName: string; reorderPoint: number; parLevel: number; consumed: number })[],
) {
  return lines
    .map(
      (l) =>
        `${l.itemName}: usable position ${l.position} below reorder point ${l.reorderPoint}; par ${l.parLevel}; ` +
        `${l.consumed} used in ${CONSUMPTION_WINDOW_DAYS} days, ${l.expectedLeadTimeUse} expected over the lead time; order ${l.quantity}`,
    )
    .join('\n');
}

export const proposeReorders = defineOperation({
  name: 'propose_reorders',
  module: 'inventory',
  title: 'Propose purchase orders (the reorder job)',
  description:
    'The scheduled reorder job, deterministic: for every location and item with a par level whose usable ' +
    'stock (available, less lots that expire before the supplier lead time ends) is below its reorder ' +
    'point, orders up to par plus the lead time’s expected use (from the last 28 days’ consumption), ' +
    'rounded up to the order multiple; one purchase order per location. An order costing more than the ' +
    'approval threshold (default $2,500) awaits a materials manager (answer_purchase_order); otherwise it is ' +
    'approved. Items already on an open order are not ordered again, so running it twice orders once. ' +
    'Returns the orders created and the pairs skipped as already on order.',
  input: z.object({
    approvalThresholdCents: z
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .default(DEFAULT_APPROVAL_THRESHOLD_CENTS),
    locationId: z.string().min(1).optional().describe('Only this location; default: every location'),
  }),
  output: z.object({
    orders: z.array(purchaseOrderSchema),
    alreadyOnOrder: z.array(z.object({ locationId: z.string(), itemId: z.string() })),
  }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const today = isoDay(now);
    if (input.locationId) await requireLocation(ctx.database.db, input.locationId);
    return auditedWrite(
      ctx,
      'propose_reorders',
      input,
      async (tx) => {
        // One run at a time: two overlapping runs would each see nothing on order and order twice.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('inventory-reorders'))`);
        const pars = await tx
          .select({ par: parLevels, item: inventoryItems })
          .from(parLevels)
          .innerJoin(inventoryItems, eq(inventoryItems.id, parLevels.itemId))
          .where(
            and(
              eq(inventoryItems.active, true),
              input.locationId ? eq(parLevels.locationId, input.locationId) : undefined,
            ),
          )
          .orderBy(asc(parLevels.locationId), asc(parLevels.itemId));
        const open = await onOpenOrder(tx);
        const used = await consumption(
          tx,
          new Date(now.getTime() - CONSUMPTION_WINDOW_DAYS * 86_400_000),
          now,
        );
        const byLocation = new Map<string, Parameters<typeof basisOf>[0]>();
        const alreadyOnOrder = [];
        for (const { par, item } of pars) {
          const key = `${item.id}@${par.locationId}`;
          const { lots, position } = await positionOf(tx, item.id, par.locationId, today);
          const arrives = addDays(today, item.leadTimeDays);
          const expiringInLeadTime = qty(
            lots
              .filter((l) => !isExpired(l, today) && l.expiresOn < arrives)
              .reduce((s, l) => s + l.quantity, 0),
          );
          const consumed = used.get(key) ?? 0;
          const line = reorderLine({
            locationId: par.locationId,
            itemId: item.id,
            parLevel: par.parLevel,
            reorderPoint: par.reorderPoint,
            available: position.available,
            expiringInLeadTime,
            consumed,
            windowDays: CONSUMPTION_WINDOW_DAYS,
            leadTimeDays: item.leadTimeDays,
            orderMultiple: item.orderMultiple,
            unitCostCents: item.unitCostCents,
          });
          if (!line) continue;
          if (open.has(key)) {
            alreadyOnOrder.push({ locationId: par.locationId, itemId: item.id });
            continue;
          }
          const list = byLocation.get(par.locationId) ?? [];
          list.push({
            ...line,
            itemName: item.name,
            reorderPoint: par.reorderPoint,
            parLevel: par.parLevel,
            consumed,
          });
          byLocation.set(par.locationId, list);
        }
        const created = [];
        for (const [locationId, lines] of byLocation) {
          const totalCents = Math.round(lines.reduce((s, l) => s + l.quantity * l.unitCostCents, 0));
          const leadDays = Math.max(
            ...lines.map((l) => pars.find((p) => p.item.id === l.itemId)!.item.leadTimeDays),
          );
          const [po] = await tx
            .insert(purchaseOrders)
            .values({
              id: `po-${randomUUID()}`,
              locationId,
              status: totalCents > input.approvalThresholdCents ? 'awaiting-approval' : 'approved',
              totalCents,
              approvalThresholdCents: input.approvalThresholdCents,
              expectedOn: addDays(today, leadDays),
              basis: basisOf(lines),
              createdBy: ctx.actor.id,
              createdAt: now,
            })
            .returning();
          await tx.insert(purchaseOrderLines).values(
            lines.map((l) => ({
              purchaseOrderId: po!.id,
              itemId: l.itemId,
              quantity: l.quantity,
              unitCostCents: l.unitCostCents,
            })),
          );
          created.push(po!);
        }
        return { orders: await presentOrders(tx, created), alreadyOnOrder };
      },
      (o) => o.orders.length > 0,
    );
  },
});
