import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { bedBookingStatuses, bedBookings, units, unitTypes } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import {
  type BedBookingRow,
  bedBookingById,
  bedBookingForSubject,
  countNights,
  fullNights,
  loadUnitLoads,
  lockSubject,
  lockUnits,
  MAX_BOOKING_NIGHTS,
  nightsOf,
  rankUnits,
  type UnitNights,
} from './bed-bookings.ts';
import { requirePatient } from './store.ts';
import { at, bookingIdSchema, isoTime } from './theatre-store.ts';

const nightSchema = z.object({
  date: z.string().describe('The night of this UTC date, counted at 23:59'),
  expected: z
    .number()
    .int()
    .describe('Patients in the unit now (or holding one of its beds) still expected then'),
  booked: z.number().int().describe('Beds booked ahead for that night'),
  free: z.number().int().describe('capacity − expected − booked'),
});

const unitNightsSchema = z.object({
  unitId: z.string(),
  name: z.string(),
  specialty: z.string().nullable(),
  capacity: z.number().int().describe('Beds not closed (HL7 v2-0116 C)'),
  minFree: z.number().int().describe('The fewest free beds on any night of the stay'),
  nights: z.array(nightSchema),
});

export const bedBookingSchema = z.object({
  bookingId: z.string(),
  unitId: z.string(),
  patientId: z.string(),
  purpose: z.string(),
  subjectId: z.string(),
  fromAt: z.string(),
  untilAt: z.string(),
  nights: z.array(z.string()).describe('The nights (UTC dates) the booking holds a bed'),
  status: z.enum(bedBookingStatuses),
  bedRequestId: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
});

function presentBedBooking(b: BedBookingRow): z.infer<typeof bedBookingSchema> {
  return {
    bookingId: b.id,
    unitId: b.unitId,
    patientId: b.patientId,
    purpose: b.purpose,
    subjectId: b.subjectId,
    fromAt: at(b.fromAt),
    untilAt: at(b.untilAt),
    nights: nightsOf(b.fromAt, b.untilAt),
    status: b.status,
    bedRequestId: b.bedRequestId,
    closedAt: b.closedAt ? at(b.closedAt) : null,
    closedReason: b.closedReason,
  };
}

const stay = {
  fromAt: isoTime.describe('ISO 8601 time the patient is expected to arrive (e.g. leaving theatre)'),
  untilAt: isoTime.describe('ISO 8601 time the patient is expected to leave; at least the next day'),
};

/** A stay of one to MAX_BOOKING_NIGHTS nights, checked at the boundary so a bad span names its field. */
function checkStay(v: { fromAt: string; untilAt: string }, issue: z.core.$RefinementCtx) {
  const from = new Date(v.fromAt);
  const until = new Date(v.untilAt);
  if (Number.isNaN(from.getTime()) || Number.isNaN(until.getTime())) return;
  if (until <= from) {
    issue.addIssue({ code: 'custom', path: ['untilAt'], message: 'must be after fromAt' });
    return;
  }
  const nights = nightsOf(from, until).length;
  if (nights === 0)
    issue.addIssue({
      code: 'custom',
      path: ['untilAt'],
      message: 'must fall on a later date (UTC) than fromAt: a stay without a night needs no bed booked',
    });
  else if (nights > MAX_BOOKING_NIGHTS)
    issue.addIssue({
      code: 'custom',
      path: ['untilAt'],
      message: `must be at most ${MAX_BOOKING_NIGHTS} nights after fromAt (this is ${nights})`,
    });
}

const describeNight = (u: UnitNights, n: UnitNights['nights'][number]) =>
  `night of ${n.date}: ${n.expected} expected + ${n.booked} booked of ${u.capacity} beds`;

export const findPostOpBeds = defineOperation({
  name: 'find_post_op_beds',
  module: 'beds',
  title: 'Find unit capacity for a stay ahead',
  description:
    'For a stay to come (a post-operative bed from fromAt until untilAt), the units of unitType with their ' +
    'free beds each night: capacity (beds not closed) less the patients expected there that night (in the ' +
    'unit now and not expected to leave before 23:59 UTC, or holding one of its beds) less beds booked ahead. ' +
    'Units with a free bed every night come first, then those of the given specialty, then the most room. ' +
    'Use before book_bed_ahead.',
  input: z
    .object({
      unitType: z.enum(unitTypes),
      ...stay,
      specialty: z
        .string()
        .min(1)
        .optional()
        .describe("Prefer units of this specialty (e.g. the procedure's)"),
    })
    .superRefine(checkStay),
  output: z.object({ nights: z.array(z.string()), units: z.array(unitNightsSchema) }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const nights = nightsOf(new Date(input.fromAt), new Date(input.untilAt));
    const loads = await loadUnitLoads(ctx.database.db, { unitType: input.unitType }, nights, ctx.clock.now());
    return {
      nights,
      units: rankUnits(
        loads.map((l) => countNights(l, nights)),
        input.specialty,
      ),
    };
  },
});

export const bookBedAhead = defineOperation({
  name: 'book_bed_ahead',
  module: 'beds',
  title: 'Book a bed ahead',
  description:
    'Books a bed in a unit (unitId, or the best unit of unitType as find_post_op_beds ranks them) for a ' +
    'patient’s stay to come, e.g. purpose "post-op" for a surgery request (subjectId). It books capacity, ' +
    'not a named bed: the bed agent assigns one when the patient arrives. Refused with a conflict naming ' +
    'the full nights when the unit has no free bed on any night of the stay. One live booking per purpose ' +
    'and subject: repeating the call returns it (replayed); a different unit or span is refused, naming ' +
    'the booking to release first. Returns the booking and the unit’s count for the stay before it.',
  input: z
    .object({
      unitId: z.string().min(1).optional(),
      unitType: z.enum(unitTypes).optional().describe('Pick the best unit of this type; or give unitId'),
      specialty: z.string().min(1).optional().describe('With unitType: prefer units of this specialty'),
      patientId: z.string().min(1),
      purpose: z.string().min(2).max(50).describe('What the bed is for, e.g. post-op'),
      subjectId: z.string().min(1).max(200).describe('What it is booked for, e.g. the surgery request id'),
      ...stay,
      bookingId: bookingIdSchema.optional().describe('Your id for the booking, for safe retries'),
    })
    .superRefine((v, issue) => {
      if ((v.unitId === undefined) === (v.unitType === undefined))
        issue.addIssue({ code: 'custom', path: ['unitId'], message: 'give unitId or unitType, exactly one' });
      checkStay(v, issue);
    }),
  output: bedBookingSchema.extend({
    unit: unitNightsSchema.describe('The unit’s nights as counted before this booking'),
    replayed: z.boolean().describe('True when the booking was already made by an earlier call'),
  }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    const fromAt = new Date(input.fromAt);
    const untilAt = new Date(input.untilAt);
    const nights = nightsOf(fromAt, untilAt);
    const where = input.unitId ? { unitIds: [input.unitId] } : { unitType: input.unitType! };
    return auditedWrite(
      ctx,
      'book_bed_ahead',
      input,
      async (tx) => {
        await lockSubject(tx, input.purpose, input.subjectId, input.bookingId);
        const replay = async (b: BedBookingRow, field: string) => {
          const sameStay =
            b.patientId === input.patientId &&
            b.purpose === input.purpose &&
            b.subjectId === input.subjectId &&
            b.fromAt.getTime() === fromAt.getTime() &&
            b.untilAt.getTime() === untilAt.getTime() &&
            (input.unitId ? b.unitId === input.unitId : (await unitTypeOf(tx, b.unitId)) === input.unitType);
          if (!sameStay)
            throw new OperationError(
              'conflict',
              `Booking ${b.id} already books ${b.unitId} from ${at(b.fromAt)} to ${at(b.untilAt)} for ` +
                `${b.purpose} ${b.subjectId} (patient ${b.patientId}); release it first to book another stay`,
              [{ field, message: `already used by booking ${b.id}` }],
            );
          const [load] = await loadUnitLoads(tx, { unitIds: [b.unitId] }, nights, now, b.id);
          return { ...presentBedBooking(b), unit: countNights(load!, nights), replayed: true };
        };
        const byId = input.bookingId ? await bedBookingById(tx, input.bookingId) : undefined;
        if (byId) return replay(byId, 'bookingId');
        const live = await bedBookingForSubject(tx, input.purpose, input.subjectId);
        if (live?.status === 'booked') return replay(live, 'subjectId');
        if (fromAt < now)
          throw new OperationError('invalid', `fromAt ${at(fromAt)} is in the past`, [
            { field: 'fromAt', message: `must not be before now (${at(now)})` },
          ]);
        await requirePatient(tx, input.patientId);
        const candidates = await loadUnitLoads(tx, where, nights, now);
        if (candidates.length === 0)
          throw input.unitId
            ? new OperationError('not_found', `No unit ${input.unitId}`, [
                { field: 'unitId', message: 'unknown unit' },
              ])
            : new OperationError('not_found', `No unit of type ${input.unitType}`, [
                { field: 'unitType', message: 'no unit of this type' },
              ]);
        // The count that decides is the one taken under the lock; the one above only named the units.
        await lockUnits(
          tx,
          candidates.map((c) => c.unitId),
        );
        const counted = await loadUnitLoads(tx, where, nights, now);
        const best = rankUnits(
          counted.map((l) => countNights(l, nights)),
          input.specialty,
        )[0]!;
        const full = fullNights(best);
        if (full.length > 0)
          throw new OperationError(
            'conflict',
            `No bed free in ${best.name} (${best.unitId}) on ${full.length} of ${nights.length} nights, first the ` +
              `${describeNight(best, full[0]!)}${input.unitType ? ` (nor in any other ${input.unitType} unit)` : ''}. ` +
              'Use find_post_op_beds for a unit with room, or another span.',
            full.map((n) => ({
              field: input.unitId ? 'unitId' : 'unitType',
              message: `${best.unitId} full on the ${describeNight(best, n)}`,
            })),
          );
        const [row] = await tx
          .insert(bedBookings)
          .values({
            id: input.bookingId ?? randomUUID(),
            unitId: best.unitId,
            patientId: input.patientId,
            purpose: input.purpose,
            subjectId: input.subjectId,
            fromAt,
            untilAt,
            status: 'booked',
            createdBy: ctx.actor.id,
            createdAt: now,
          })
          .returning();
        return { ...presentBedBooking(row!), unit: best, replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

async function unitTypeOf(tx: DbOrTx, unitId: string) {
  const [unit] = await tx.select({ type: units.type }).from(units).where(eq(units.id, unitId));
  return unit?.type;
}

export const releaseBedBooking = defineOperation({
  name: 'release_bed_booking',
  module: 'beds',
  title: 'Release a bed booked ahead',
  description:
    'Releases a bed booking (by bookingId, or by purpose and subjectId) with a reason, giving its nights ' +
    'back to the unit; e.g. when the surgery is cancelled or moved. Releasing one already released ' +
    'changes nothing and returns it (replayed). Returns the booking.',
  input: z
    .object({
      bookingId: z.string().min(1).optional(),
      purpose: z.string().min(1).optional(),
      subjectId: z.string().min(1).optional(),
      reason: z.string().min(3).max(500),
    })
    .superRefine((v, issue) => {
      const bySubject = v.purpose !== undefined || v.subjectId !== undefined;
      if (v.bookingId !== undefined && bySubject)
        issue.addIssue({
          code: 'custom',
          path: ['bookingId'],
          message: 'give bookingId, or purpose and subjectId, not both',
        });
      else if (v.bookingId === undefined && (v.purpose === undefined || v.subjectId === undefined))
        issue.addIssue({
          code: 'custom',
          path: [v.purpose === undefined ? 'purpose' : 'subjectId'],
          message: 'give bookingId, or purpose and subjectId',
        });
    }),
  output: bedBookingSchema.extend({ replayed: z.boolean().describe('True when it was already released') }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    return auditedWrite(
      ctx,
      'release_bed_booking',
      input,
      async (tx) => {
        const found = input.bookingId
          ? await bedBookingById(tx, input.bookingId)
          : await bedBookingForSubject(tx, input.purpose!, input.subjectId!);
        if (!found)
          throw input.bookingId
            ? new OperationError('not_found', `No bed booking ${input.bookingId}`, [
                { field: 'bookingId', message: 'unknown bed booking' },
              ])
            : new OperationError('not_found', `No bed booking for ${input.purpose} ${input.subjectId}`, [
                { field: 'subjectId', message: `no bed booking for this ${input.purpose}` },
              ]);
        const [row] = await tx.select().from(bedBookings).where(eq(bedBookings.id, found.id)).for('update');
        assertPatientAccess(ctx, row!.patientId);
        if (row!.status === 'released') return { ...presentBedBooking(row!), replayed: true };
        if (row!.status !== 'booked')
          throw new OperationError(
            'conflict',
            `Bed booking ${row!.id} is ${row!.status}; it cannot be released`,
            [
              {
                field: input.bookingId ? 'bookingId' : 'subjectId',
                message: `the booking is ${row!.status}`,
              },
            ],
          );
        const [released] = await tx
          .update(bedBookings)
          .set({ status: 'released', closedAt: ctx.clock.now(), closedReason: input.reason })
          .where(eq(bedBookings.id, row!.id))
          .returning();
        return { ...presentBedBooking(released!), replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const listBedBookings = defineOperation({
  name: 'list_bed_bookings',
  module: 'beds',
  title: 'List beds booked ahead',
  description:
    'Lists bed bookings, earliest stay first: of one unit (unitId), with a stay overlapping [from, to), ' +
    'in one status (booked, released, admitted). Returns at most limit bookings.',
  input: z
    .object({
      unitId: z.string().min(1).optional(),
      from: isoTime.optional(),
      to: isoTime.optional(),
      status: z.enum(bedBookingStatuses).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .refine((v) => !v.from || !v.to || Date.parse(v.to) > Date.parse(v.from), {
      path: ['to'],
      message: 'must be after from',
    }),
  output: z.object({ bookings: z.array(bedBookingSchema) }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const conditions: SQL[] = [];
    if (input.unitId) conditions.push(eq(bedBookings.unitId, input.unitId));
    if (input.status) conditions.push(eq(bedBookings.status, input.status));
    if (input.from) conditions.push(gt(bedBookings.untilAt, new Date(input.from)));
    if (input.to) conditions.push(lt(bedBookings.fromAt, new Date(input.to)));
    const rows = await ctx.database.db
      .select()
      .from(bedBookings)
      .where(and(...conditions))
      .orderBy(asc(bedBookings.fromAt), asc(bedBookings.id))
      .limit(input.limit);
    return { bookings: rows.map(presentBedBooking) };
  },
});

export const bedBookingOperations = [findPostOpBeds, bookBedAhead, releaseBedBooking, listBedBookings];
