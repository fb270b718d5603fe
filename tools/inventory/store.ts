import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import {
  inventoryItems,
  inventoryLocations,
  stockLots,
  stockMovements,
  type stockMovementKinds,
  stockReservations,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { type Allocation, type LotFact, pickFefo, qty, type StockPosition, stockPosition } from './rules.ts';

/** Rows the inventory operations look up (refused by field name when missing) and the stock they lock. */

export type ItemRow = typeof inventoryItems.$inferSelect;
export type LocationRow = typeof inventoryLocations.$inferSelect;
export type LotRow = typeof stockLots.$inferSelect;
export type ReservationRow = typeof stockReservations.$inferSelect;

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export async function requireItem(db: DbOrTx, itemId: string, field = 'itemId'): Promise<ItemRow> {
  const [row] = await db.select().from(inventoryItems).where(eq(inventoryItems.id, itemId));
  if (!row)
    throw new OperationError('not_found', `No inventory item ${itemId}`, [
      { field, message: 'no such item' },
    ]);
  return row;
}

export function requireActive(item: ItemRow, what: string, field = 'itemId'): void {
  if (!item.active) {
    throw new OperationError('conflict', `${item.name} (${item.id}) is discontinued: it is not ${what}`, [
      { field, message: 'the item is discontinued' },
    ]);
  }
}

export async function requireLocation(
  db: DbOrTx,
  locationId: string,
  field = 'locationId',
): Promise<LocationRow> {
  const [row] = await db.select().from(inventoryLocations).where(eq(inventoryLocations.id, locationId));
  if (!row) {
    throw new OperationError('not_found', `No inventory location ${locationId}`, [
      { field, message: 'no such location' },
    ]);
  }
  return row;
}

/**
 * Serialises every change to one item's stock at one location for the rest of the transaction. Row
 * locks alone cannot: a reservation changes no lot row, and a location with no lot yet has nothing to
 * lock. Callers that lock two pairs (a transfer) lock them in key order so two transfers cannot deadlock.
 */
export async function lockStock(tx: Tx, pairs: { itemId: string; locationId: string }[]): Promise<void> {
  const keys = [...new Set(pairs.map((p) => `${p.itemId}@${p.locationId}`))].sort();
  for (const key of keys) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('inventory-stock'), hashtext(${key}))`);
  }
}

export async function lotsAt(db: DbOrTx, itemId: string, locationId: string): Promise<LotRow[]> {
  return db
    .select()
    .from(stockLots)
    .where(and(eq(stockLots.itemId, itemId), eq(stockLots.locationId, locationId)))
    .orderBy(asc(stockLots.expiresOn), asc(stockLots.receivedAt), asc(stockLots.lotNumber));
}

export async function heldReservations(
  db: DbOrTx,
  itemId: string,
  locationId: string,
): Promise<ReservationRow[]> {
  return db
    .select()
    .from(stockReservations)
    .where(
      and(
        eq(stockReservations.itemId, itemId),
        eq(stockReservations.locationId, locationId),
        eq(stockReservations.status, 'held'),
      ),
    )
    .orderBy(asc(stockReservations.neededAt), asc(stockReservations.id));
}

export async function positionOf(
  db: DbOrTx,
  itemId: string,
  locationId: string,
  today: string,
): Promise<{ lots: LotRow[]; reservations: ReservationRow[]; position: StockPosition }> {
  const lots = await lotsAt(db, itemId, locationId);
  const reservations = await heldReservations(db, itemId, locationId);
  const reserved = reservations.reduce((s, r) => s + r.quantity, 0);
  return { lots, reservations, position: stockPosition(lots as LotFact[], reserved, today) };
}

export interface Movement {
  kind: (typeof stockMovementKinds)[number];
  itemId: string;
  locationId: string;
  patientId?: string | null;
  encounterId?: string | null;
  reservationId?: string | null;
  purchaseOrderId?: string | null;
  chargeId?: string | null;
  reason?: string | null;
  by: string;
  at: Date;
}

/** Changes a lot's quantity by `delta` and records the movement; the check constraint refuses a negative lot. */
export async function moveLot(
  tx: Tx,
  lotId: string,
  delta: number,
  m: Movement,
): Promise<typeof stockMovements.$inferSelect> {
  await tx
    .update(stockLots)
    .set({ quantity: sql`${stockLots.quantity} + ${delta}` })
    .where(eq(stockLots.id, lotId));
  const [row] = await tx
    .insert(stockMovements)
    .values({ id: `mov-${randomUUID()}`, lotId, quantity: qty(delta), ...m })
    .returning();
  return row!;
}

/**
 * Takes `quantity` out FEFO, never from an expired lot and never from what is reserved for others:
 * `mayUse` is the available quantity plus any reservation the caller is consuming. The refusal names
 * the shortfall.
 */
export function allocate(
  item: ItemRow,
  location: LocationRow,
  lots: LotRow[],
  quantity: number,
  mayUse: number,
  today: string,
  field = 'quantity',
): Allocation[] {
  if (quantity > mayUse) {
    throw new OperationError(
      'conflict',
      `Only ${mayUse} ${item.unit} of ${item.name} may be taken at ${location.name} ` +
        `(unexpired stock not reserved for others): ${qty(quantity - mayUse)} ${item.unit} short`,
      [{ field, message: `${qty(quantity - mayUse)} ${item.unit} short; ${mayUse} available` }],
    );
  }
  const { allocations, shortfall } = pickFefo(lots as LotFact[], quantity, today);
  if (shortfall > 0) {
    throw new OperationError(
      'conflict',
      `${item.name} at ${location.name} is ${shortfall} ${item.unit} short`,
      [{ field, message: `${shortfall} ${item.unit} short` }],
    );
  }
  return allocations;
}

/** Adds stock to a lot of the item at the location, creating the lot; a lot number keeps one expiry. */
export async function intoLot(
  tx: Tx,
  input: {
    itemId: string;
    locationId: string;
    lotNumber: string;
    expiresOn: string;
    quantity: number;
    at: Date;
  },
  field = 'lotNumber',
): Promise<LotRow> {
  const [existing] = await tx
    .select()
    .from(stockLots)
    .where(
      and(
        eq(stockLots.itemId, input.itemId),
        eq(stockLots.locationId, input.locationId),
        eq(stockLots.lotNumber, input.lotNumber),
      ),
    );
  if (existing) {
    if (existing.expiresOn !== input.expiresOn) {
      throw new OperationError(
        'conflict',
        `Lot ${input.lotNumber} is already held here expiring ${existing.expiresOn}, not ${input.expiresOn}`,
        [{ field, message: `lot ${input.lotNumber} expires ${existing.expiresOn}` }],
      );
    }
    return existing;
  }
  const [row] = await tx
    .insert(stockLots)
    .values({
      id: `lot-${randomUUID()}`,
      itemId: input.itemId,
      locationId: input.locationId,
      lotNumber: input.lotNumber,
      expiresOn: input.expiresOn,
      quantity: 0,
      receivedAt: input.at,
    })
    .returning();
  return row!;
}

export async function requireLot(tx: Tx, lotId: string): Promise<LotRow> {
  const [row] = await tx.select().from(stockLots).where(eq(stockLots.id, lotId));
  if (!row)
    throw new OperationError('not_found', `No stock lot ${lotId}`, [
      { field: 'lotId', message: 'no such lot' },
    ]);
  return row;
}

export async function reloadLot(tx: Tx, lotId: string): Promise<LotRow> {
  const [row] = await tx.select().from(stockLots).where(eq(stockLots.id, lotId));
  return row!;
}
