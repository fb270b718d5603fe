import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { patients, stockReservations } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import type { OperationContext } from '../core/operation.ts';
import { chargeDispense, requirePrice } from './charge.ts';
import { qty } from './rules.ts';
import { presentMovement, presentReservation } from './schema.ts';
import {
  allocate,
  isoDay,
  lockStock,
  moveLot,
  positionOf,
  type ReservationRow,
  requireActive,
  requireItem,
  requireLocation,
} from './store.ts';

/**
 * Taking stock out for a patient (or a reservation's use), FEFO, in the caller's transaction. What
 * may be taken is what is available (unexpired, not reserved for others) plus the reservation being
 * consumed; with an encounter, the use is recorded as a service and charged in the same transaction.
 */
export interface Withdrawal {
  itemId: string;
  locationId: string;
  quantity: number;
  patientId: string | null;
  encounterId: string | null;
  /** The held reservation this use consumes (locked by the caller after the stock lock). */
  reservation: ReservationRow | null;
  reason?: string | undefined;
}

export async function lockReservation(tx: Tx, reservationId: string): Promise<ReservationRow> {
  const [row] = await tx
    .select()
    .from(stockReservations)
    .where(eq(stockReservations.id, reservationId))
    .for('update');
  if (!row) {
    throw new OperationError('not_found', `No stock reservation ${reservationId}`, [
      { field: 'reservationId', message: 'no such reservation' },
    ]);
  }
  return row;
}

export function assertHeld(r: ReservationRow): void {
  if (r.status !== 'held') {
    throw new OperationError('conflict', `Reservation ${r.id} is already ${r.status}`, [
      { field: 'reservationId', message: `the reservation is ${r.status}` },
    ]);
  }
}

export async function requirePatientRow(tx: Tx, patientId: string): Promise<void> {
  const [p] = await tx.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId));
  if (!p) {
    throw new OperationError('not_found', `No patient ${patientId}`, [
      { field: 'patientId', message: 'no such patient' },
    ]);
  }
}

export async function withdraw(tx: Tx, ctx: OperationContext, w: Withdrawal) {
  const now = ctx.clock.now();
  const today = isoDay(now);
  const item = await requireItem(tx, w.itemId);
  requireActive(item, 'dispensed');
  const location = await requireLocation(tx, w.locationId);
  if (w.patientId) await requirePatientRow(tx, w.patientId);
  // A refusal for want of a price must come before any stock moves (the transaction would roll back
  // anyway, but the caller should hear the price problem, not a stock one).
  if (w.encounterId) await requirePrice(tx, item);
  await lockStock(tx, [{ itemId: item.id, locationId: location.id }]);
  let reservation = w.reservation;
  if (reservation) {
    reservation = await lockReservation(tx, reservation.id);
    assertHeld(reservation);
    if (reservation.itemId !== item.id || reservation.locationId !== location.id) {
      throw new OperationError(
        'invalid',
        `Reservation ${reservation.id} holds ${reservation.itemId} at ${reservation.locationId}`,
        [{ field: 'reservationId', message: 'a reservation of another item or location' }],
      );
    }
    if (reservation.patientId && w.patientId && reservation.patientId !== w.patientId) {
      throw new OperationError(
        'forbidden',
        `Reservation ${reservation.id} is for patient ${reservation.patientId}`,
        [
          {
            field: 'reservationId',
            message: `held for patient ${reservation.patientId}, not ${w.patientId}`,
          },
        ],
      );
    }
  }
  const { lots, position } = await positionOf(tx, item.id, location.id, today);
  const own = reservation?.quantity ?? 0;
  const allocations = allocate(item, location, lots, w.quantity, qty(position.available + own), today);
  const charge =
    w.encounterId && w.patientId
      ? await chargeDispense(tx, {
          encounterId: w.encounterId,
          patientId: w.patientId,
          item,
          quantity: w.quantity,
          today,
          by: ctx.actor.id,
          now,
        })
      : null;
  const movements = [];
  for (const a of allocations) {
    movements.push(
      await moveLot(tx, a.lot.id, -a.quantity, {
        kind: 'dispense',
        itemId: item.id,
        locationId: location.id,
        patientId: w.patientId,
        encounterId: w.encounterId,
        reservationId: reservation?.id ?? null,
        chargeId: charge?.chargeId ?? null,
        reason: w.reason ?? null,
        by: ctx.actor.id,
        at: now,
      }),
    );
  }
  let closed = null;
  if (reservation) {
    // Consumed whole: what the use did not need goes back to everyone's available stock.
    const [row] = await tx
      .update(stockReservations)
      .set({
        status: 'consumed',
        closedAt: now,
        closedReason: `used ${w.quantity} of ${reservation.quantity} ${item.unit} reserved`,
      })
      .where(eq(stockReservations.id, reservation.id))
      .returning();
    closed = presentReservation(row!);
  }
  return {
    movements: movements.map(presentMovement),
    charge: charge ? { ...charge, encounterId: w.encounterId! } : null,
    reservation: closed,
  };
}
