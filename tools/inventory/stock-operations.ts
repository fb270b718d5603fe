import { and, eq } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import {
  inventoryItems,
  inventoryLocations,
  parLevels,
  stockLots,
  stockReservations,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { assertReceivable, closeIfComplete, lockPurchaseOrder, receive } from './receipts.ts';
import { qty } from './rules.ts';
import {
  lotSchema,
  movementSchema,
  presentLot,
  presentMovement,
  presentReservation,
  quantitySchema,
  reasonSchema,
  reservationSchema,
} from './schema.ts';
import {
  allocate,
  intoLot,
  isoDay,
  lockStock,
  moveLot,
  positionOf,
  reloadLot,
  requireActive,
  requireItem,
  requireLocation,
  requireLot,
} from './store.ts';

const stockRowSchema = z.object({
  itemId: z.string(),
  itemName: z.string(),
  unit: z.string(),
  locationId: z.string(),
  locationName: z.string(),
  onHand: z.number(),
  expired: z.number().describe('On hand in lots past their expiry: not usable, to be wasted'),
  reserved: z.number().describe('Held reservations'),
  available: z.number().describe('On hand − expired − reserved'),
  parLevel: z.number().nullable(),
  reorderPoint: z.number().nullable(),
  lots: z.array(lotSchema),
  reservations: z.array(reservationSchema),
});

export const getStock = defineOperation({
  name: 'get_stock',
  module: 'inventory',
  title: 'Stock on hand',
  description:
    'Stock of an item, a location, or one item at one location: for each item and location, the lots ' +
    '(number, expiry, quantity, expired or not, soonest expiry first), on hand, expired, reserved (held ' +
    'reservations) and available (on hand − expired lots − held reservations: what may be dispensed or ' +
    'reserved now), with the par level and reorder point. Give itemId, locationId or both.',
  input: z.object({ itemId: z.string().min(1).optional(), locationId: z.string().min(1).optional() }),
  output: z.object({ asOf: z.string(), stock: z.array(stockRowSchema) }),
  scope: 'inventory:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    if (!input.itemId && !input.locationId) {
      throw new OperationError('invalid', 'Give an itemId, a locationId or both', [
        { field: 'itemId', message: 'itemId or locationId is required' },
      ]);
    }
    const db = ctx.database.db;
    const today = isoDay(ctx.clock.now());
    if (input.itemId) await requireItem(db, input.itemId);
    if (input.locationId) await requireLocation(db, input.locationId);
    const where = (t: { itemId: AnyPgColumn; locationId: AnyPgColumn }) =>
      and(
        input.itemId ? eq(t.itemId, input.itemId) : undefined,
        input.locationId ? eq(t.locationId, input.locationId) : undefined,
      );
    // Every pair with a lot, a held reservation or a par level is reported, even at zero.
    const pairs = new Map<string, { itemId: string; locationId: string }>();
    const add = (rows: { itemId: string; locationId: string }[]) => {
      for (const r of rows)
        pairs.set(`${r.itemId}@${r.locationId}`, { itemId: r.itemId, locationId: r.locationId });
    };
    add(
      await db
        .select({ itemId: stockLots.itemId, locationId: stockLots.locationId })
        .from(stockLots)
        .where(where(stockLots)),
    );
    add(
      await db
        .select({ itemId: stockReservations.itemId, locationId: stockReservations.locationId })
        .from(stockReservations)
        .where(and(where(stockReservations), eq(stockReservations.status, 'held'))),
    );
    add(
      await db
        .select({ itemId: parLevels.itemId, locationId: parLevels.locationId })
        .from(parLevels)
        .where(where(parLevels)),
    );
    const items = new Map((await db.select().from(inventoryItems)).map((i) => [i.id, i]));
    const locations = new Map((await db.select().from(inventoryLocations)).map((l) => [l.id, l]));
    const pars = await db.select().from(parLevels).where(where(parLevels));
    const stock = [];
    for (const p of [...pairs.values()].sort((a, b) =>
      `${a.locationId}@${a.itemId}`.localeCompare(`${b.locationId}@${b.itemId}`),
    )) {
      const { lots, reservations, position } = await positionOf(db, p.itemId, p.locationId, today);
      const par = pars.find((x) => x.itemId === p.itemId && x.locationId === p.locationId);
      stock.push({
        itemId: p.itemId,
        itemName: items.get(p.itemId)?.name ?? p.itemId,
        unit: items.get(p.itemId)?.unit ?? '',
        locationId: p.locationId,
        locationName: locations.get(p.locationId)?.name ?? p.locationId,
        ...position,
        parLevel: par?.parLevel ?? null,
        reorderPoint: par?.reorderPoint ?? null,
        lots: lots.filter((l) => l.quantity > 0).map((l) => presentLot(l, today)),
        reservations: reservations.map(presentReservation),
      });
    }
    return { asOf: today, stock };
  },
});

export const receiveStock = defineOperation({
  name: 'receive_stock',
  module: 'inventory',
  title: 'Receive stock into a location',
  description:
    'Records stock arriving at a location: item, lot number, expiry date and quantity (in the item’s unit). ' +
    'A lot number already held there adds to that lot (its expiry must match). Give purchaseOrderId to ' +
    'count the receipt against that approved order’s line (the order closes when every line is in; for ' +
    'several lines at once use receive_purchase_order). Expired stock is refused. Returns the lot and the movement.',
  input: z.object({
    itemId: z.string().min(1),
    locationId: z.string().min(1),
    lotNumber: z.string().trim().min(1).max(40),
    expiresOn: z.iso.date(),
    quantity: quantitySchema,
    purchaseOrderId: z.string().min(1).optional(),
  }),
  output: z.object({ lot: lotSchema, movement: movementSchema, purchaseOrderStatus: z.string().nullable() }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'receive_stock', input, async (tx) => {
      let po = input.purchaseOrderId ? await lockPurchaseOrder(tx, input.purchaseOrderId) : null;
      if (po) {
        assertReceivable(po);
        if (po.locationId !== input.locationId) {
          throw new OperationError('invalid', `Purchase order ${po.id} is for ${po.locationId}`, [
            { field: 'locationId', message: `the order delivers to ${po.locationId}` },
          ]);
        }
      }
      const { lotId, movement } = await receive(tx, ctx, input);
      if (po) po = await closeIfComplete(tx, po, now);
      return {
        lot: presentLot(await reloadLot(tx, lotId), isoDay(now)),
        movement: presentMovement(movement),
        purchaseOrderStatus: po?.status ?? null,
      };
    });
  },
});

export const transferStock = defineOperation({
  name: 'transfer_stock',
  module: 'inventory',
  title: 'Move stock between locations',
  description:
    'Moves a quantity of an item from one location to another (restocking a unit cabinet from the central ' +
    'store, say), first-expiry-first-out from unexpired lots not reserved at the source; lots keep their ' +
    'number and expiry at the destination. Refused, naming the shortfall, when the source has too little. ' +
    'Returns the movements (a transfer-out and a transfer-in per lot).',
  input: z.object({
    itemId: z.string().min(1),
    fromLocationId: z.string().min(1),
    toLocationId: z.string().min(1),
    quantity: quantitySchema,
  }),
  output: z.object({ movements: z.array(movementSchema) }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    if (input.fromLocationId === input.toLocationId) {
      throw new OperationError('invalid', 'A transfer goes to another location', [
        { field: 'toLocationId', message: 'the same as fromLocationId' },
      ]);
    }
    const now = ctx.clock.now();
    const today = isoDay(now);
    return auditedWrite(ctx, 'transfer_stock', input, async (tx) => {
      const item = await requireItem(tx, input.itemId);
      requireActive(item, 'moved');
      const from = await requireLocation(tx, input.fromLocationId, 'fromLocationId');
      await requireLocation(tx, input.toLocationId, 'toLocationId');
      await lockStock(tx, [
        { itemId: item.id, locationId: from.id },
        { itemId: item.id, locationId: input.toLocationId },
      ]);
      const { lots, position } = await positionOf(tx, item.id, from.id, today);
      const allocations = allocate(item, from, lots, input.quantity, position.available, today);
      const movements = [];
      const base = { itemId: item.id, by: ctx.actor.id, at: now };
      for (const a of allocations) {
        movements.push(
          await moveLot(tx, a.lot.id, -a.quantity, { ...base, kind: 'transfer-out', locationId: from.id }),
        );
        const target = await intoLot(tx, {
          itemId: item.id,
          locationId: input.toLocationId,
          lotNumber: a.lot.lotNumber,
          expiresOn: a.lot.expiresOn,
          quantity: a.quantity,
          at: now,
        });
        movements.push(
          await moveLot(tx, target.id, a.quantity, {
            ...base,
            kind: 'transfer-in',
            locationId: input.toLocationId,
          }),
        );
      }
      return { movements: movements.map(presentMovement) };
    });
  },
});

export const wasteStock = defineOperation({
  name: 'waste_stock',
  module: 'inventory',
  title: 'Waste stock from a lot',
  description:
    'Removes a quantity from one lot as waste (expired, damaged, contaminated, opened and not used), with ' +
    'the reason. Use it to clear expired lots flagged by list_inventory_alerts. Refused when the lot holds ' +
    'less. Returns the movement and the lot.',
  input: z.object({ lotId: z.string().min(1), quantity: quantitySchema, reason: reasonSchema }),
  output: z.object({ movement: movementSchema, lot: lotSchema }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'waste_stock', input, async (tx) => {
      const found = await requireLot(tx, input.lotId);
      await lockStock(tx, [found]);
      const lot = await reloadLot(tx, found.id);
      if (input.quantity > lot.quantity) {
        throw new OperationError('conflict', `Lot ${lot.lotNumber} holds only ${lot.quantity}`, [
          { field: 'quantity', message: `more than the ${lot.quantity} in the lot` },
        ]);
      }
      const movement = await moveLot(tx, lot.id, -input.quantity, {
        kind: 'waste',
        itemId: lot.itemId,
        locationId: lot.locationId,
        reason: input.reason,
        by: ctx.actor.id,
        at: now,
      });
      return {
        movement: presentMovement(movement),
        lot: presentLot(await reloadLot(tx, lot.id), isoDay(now)),
      };
    });
  },
});

export const adjustStock = defineOperation({
  name: 'adjust_stock',
  module: 'inventory',
  title: 'Correct a lot to a count',
  description:
    'Sets a lot’s quantity to what was physically counted, with the reason (cycle count, found stock, ' +
    'miscount). The difference is recorded as an adjust movement; a count equal to the record changes ' +
    'nothing. Returns the difference and the lot.',
  input: z.object({
    lotId: z.string().min(1),
    countedQuantity: z.number().min(0).max(1_000_000),
    reason: reasonSchema,
  }),
  output: z.object({ difference: z.number(), movement: movementSchema.nullable(), lot: lotSchema }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'adjust_stock',
      input,
      async (tx) => {
        const found = await requireLot(tx, input.lotId);
        await lockStock(tx, [found]);
        const lot = await reloadLot(tx, found.id);
        const difference = qty(input.countedQuantity - lot.quantity);
        const movement =
          difference === 0
            ? null
            : await moveLot(tx, lot.id, difference, {
                kind: 'adjust',
                itemId: lot.itemId,
                locationId: lot.locationId,
                reason: input.reason,
                by: ctx.actor.id,
                at: now,
              });
        return {
          difference,
          movement: movement ? presentMovement(movement) : null,
          lot: presentLot(await reloadLot(tx, lot.id), isoDay(now)),
        };
      },
      (o) => o.difference !== 0,
    );
  },
});
