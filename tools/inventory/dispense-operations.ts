import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { stockReservations } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import { assertHeld, lockReservation, requirePatientRow, withdraw } from './dispense.ts';
import { qty, stockPosition } from './rules.ts';
import {
  movementSchema,
  presentReservation,
  quantitySchema,
  reasonSchema,
  reservationSchema,
} from './schema.ts';
import {
  heldReservations,
  isoDay as dayOf,
  lockStock,
  lotsAt,
  requireActive,
  requireItem,
  requireLocation,
} from './store.ts';

const chargeSchema = z
  .object({
    encounterId: z.string(),
    serviceId: z.string(),
    chargeId: z.string(),
    amountCents: z.number().int(),
  })
  .nullable();
const withdrawalSchema = z.object({
  movements: z.array(movementSchema),
  charge: chargeSchema.describe('The charge captured for the revenue cycle'),
  reservation: reservationSchema.nullable().describe('The reservation consumed, if any'),
});

export const dispenseToPatient = defineOperation({
  name: 'dispense_to_patient',
  module: 'inventory',
  title: 'Dispense a drug or supply to a patient',
  description:
    'Takes a quantity of an item from a location for a patient, first-expiry-first-out, never from an ' +
    'expired lot and never from stock reserved for others. Give reservationId to use the patient’s own ' +
    'reservation (it is consumed; any remainder returns to stock). The use is recorded against the ' +
    'patient’s encounter (in progress today) and its charge captured at the chargemaster price in the same ' +
    'step: a drug by NDC, a supply or implant by HCPCS. Refused, with nothing written, when the item has no ' +
    'chargemaster price or there is too little stock (naming the shortfall). Returns the movements and the charge.',
  input: z.object({
    itemId: z.string().min(1),
    locationId: z.string().min(1),
    quantity: quantitySchema,
    patientId: z.string().min(1),
    encounterId: z.string().min(1),
    reservationId: z.string().min(1).optional(),
  }),
  output: withdrawalSchema,
  scope: 'inventory:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    return auditedWrite(ctx, 'dispense_to_patient', input, async (tx) => {
      const reservation = input.reservationId ? await lockReservation(tx, input.reservationId) : null;
      return withdraw(tx, ctx, { ...input, reservation });
    });
  },
});

export const reserveStock = defineOperation({
  name: 'reserve_stock',
  module: 'inventory',
  title: 'Reserve stock for a future use',
  description:
    'Sets stock aside at a location for a planned use (a surgery’s anaesthesia drugs and implants: purpose ' +
    "'theatre-booking' and the booking id as subjectId), needed at a given time. It stops counting as " +
    'available to others until consumed (consume_stock_reservation or dispense_to_patient with the ' +
    'reservationId) or released. Only lots still unexpired when it is needed count. Reserving more than is ' +
    'available is refused naming the shortfall. Idempotent: the same purpose, subject, item and location ' +
    'returns the reservation already held.',
  input: z.object({
    itemId: z.string().min(1),
    locationId: z.string().min(1),
    quantity: quantitySchema,
    purpose: z.string().trim().min(2).max(60).describe("What it is for, e.g. 'theatre-booking'"),
    subjectId: z.string().trim().min(1).max(120).describe('The id of what it is for, e.g. the booking id'),
    patientId: z.string().min(1).optional(),
    neededAt: z.iso.datetime({ offset: true }),
  }),
  output: z.object({ reservation: reservationSchema, replayed: z.boolean() }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    if (input.patientId) assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    const neededAt = new Date(input.neededAt);
    if (neededAt <= now) {
      throw new OperationError('invalid', `neededAt ${input.neededAt} is not in the future`, [
        { field: 'neededAt', message: 'in the past' },
      ]);
    }
    let replayed = false;
    const row = await auditedWrite(
      ctx,
      'reserve_stock',
      input,
      async (tx) => {
        const item = await requireItem(tx, input.itemId);
        requireActive(item, 'reserved');
        const location = await requireLocation(tx, input.locationId);
        if (input.patientId) await requirePatientRow(tx, input.patientId);
        await lockStock(tx, [input]);
        const held = await heldReservations(tx, item.id, location.id);
        const same = held.find((r) => r.purpose === input.purpose && r.subjectId === input.subjectId);
        if (same) {
          if (same.quantity !== input.quantity) {
            throw new OperationError(
              'conflict',
              `${input.purpose} ${input.subjectId} already holds ${same.quantity} ${item.unit} of ${item.name} ` +
                `(${same.id}): release it to reserve a different quantity`,
              [{ field: 'quantity', message: `already reserved ${same.quantity}` }],
            );
          }
          replayed = true;
          return same;
        }
        // Stock that will have expired by the time it is needed cannot be set aside for that use.
        const neededDay = dayOf(neededAt);
        const lots = await lotsAt(tx, item.id, location.id);
        const reserved = held.reduce((s, r) => s + r.quantity, 0);
        const { available } = stockPosition(lots, reserved, neededDay);
        if (input.quantity > available) {
          const short = qty(input.quantity - available);
          throw new OperationError(
            'conflict',
            `Only ${available} ${item.unit} of ${item.name} at ${location.name} can be reserved for ${neededDay} ` +
              `(unexpired then, not reserved for others): ${short} ${item.unit} short`,
            [{ field: 'quantity', message: `${short} ${item.unit} short; ${available} available` }],
          );
        }
        const [created] = await tx
          .insert(stockReservations)
          .values({
            id: `res-${randomUUID()}`,
            itemId: item.id,
            locationId: location.id,
            quantity: input.quantity,
            purpose: input.purpose,
            subjectId: input.subjectId,
            patientId: input.patientId ?? null,
            neededAt,
            createdBy: ctx.actor.id,
            createdAt: now,
          })
          .returning();
        return created!;
      },
      () => !replayed,
    );
    return { reservation: presentReservation(row), replayed };
  },
});

export const releaseStockReservation = defineOperation({
  name: 'release_stock_reservation',
  module: 'inventory',
  title: 'Release a stock reservation',
  description:
    'Gives reserved stock back to everyone (a surgery cancelled or rescheduled), with the reason. Only a ' +
    'held reservation can be released. Returns the reservation.',
  input: z.object({ reservationId: z.string().min(1), reason: reasonSchema }),
  output: z.object({ reservation: reservationSchema }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'release_stock_reservation', input, async (tx) => {
      const r = await lockReservation(tx, input.reservationId);
      assertHeld(r);
      const [row] = await tx
        .update(stockReservations)
        .set({ status: 'released', closedAt: now, closedReason: input.reason })
        .where(and(eq(stockReservations.id, r.id), eq(stockReservations.status, 'held')))
        .returning();
      return { reservation: presentReservation(row!) };
    });
  },
});

export const consumeStockReservation = defineOperation({
  name: 'consume_stock_reservation',
  module: 'inventory',
  title: 'Use reserved stock',
  description:
    'Takes reserved stock out for its purpose (the drugs and implants used in the surgery), FEFO, and ' +
    'closes the reservation; quantity defaults to all of it, and what was not used returns to stock. For ' +
    'a reservation naming a patient, give the encounter: the use is recorded and charged to it as ' +
    'dispense_to_patient does. Returns the movements, the charge and the consumed reservation.',
  input: z.object({
    reservationId: z.string().min(1),
    quantity: quantitySchema.optional().describe('Default: the whole reservation'),
    encounterId: z.string().min(1).optional(),
  }),
  output: withdrawalSchema,
  scope: 'inventory:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    return auditedWrite(ctx, 'consume_stock_reservation', input, async (tx) => {
      const r = await lockReservation(tx, input.reservationId);
      assertHeld(r);
      if (r.patientId) assertPatientAccess(ctx, r.patientId);
      if (r.patientId && !input.encounterId) {
        throw new OperationError(
          'invalid',
          `Reservation ${r.id} is for patient ${r.patientId}: give the encounter to charge`,
          [{ field: 'encounterId', message: 'required for a patient’s reservation' }],
        );
      }
      if (!r.patientId && input.encounterId) {
        throw new OperationError('invalid', `Reservation ${r.id} names no patient to charge`, [
          { field: 'encounterId', message: 'the reservation names no patient' },
        ]);
      }
      return withdraw(tx, ctx, {
        itemId: r.itemId,
        locationId: r.locationId,
        quantity: input.quantity ?? r.quantity,
        patientId: r.patientId,
        encounterId: input.encounterId ?? null,
        reservation: r,
        reason: `${r.purpose} ${r.subjectId}`,
      });
    });
  },
});
