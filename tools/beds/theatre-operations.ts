import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { completeTheatreBooking } from './theatre-completion.ts';
import { theatreBookings, theatres, units } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import { requirePatient } from './store.ts';
import {
  DEFAULT_SESSION_HOURS,
  freeSlots,
  isTimeZone,
  MAX_CASE_MINUTES,
  MAX_WINDOW_DAYS,
  MIN_CASE_MINUTES,
  minuteOfDay,
  sessionSpans,
  timeOfDay,
} from './theatres.ts';

import {
  type BookingRow,
  MINUTE_MS,
  assertBookable,
  at,
  bookingById,
  bookingIdSchema,
  caseLength,
  caseTimes,
  checkCaseLength,
  idTaken,
  insertBooking,
  isoTime,
  lockBooking,
  presentBooking,
  requireSurgeon,
  requireTheatre,
  sameCase,
  theatreBookingSchema,
  theatreSchema,
  timeWindow,
} from './theatre-store.ts';

export const listTheatres = defineOperation({
  name: 'list_theatres',
  module: 'beds',
  title: 'List operating theatres',
  description:
    'Lists the operating theatres with their unit, the specialty each is kept for (null: any) and the ' +
    'turnover minutes needed after each case. With a specialty, only its theatres and the general ones.',
  input: z.object({ specialty: z.string().min(1).optional().describe('e.g. general-surgery, obstetrics') }),
  output: z.object({ theatres: z.array(theatreSchema) }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const rows = await ctx.database.db
      .select({ t: theatres, unitName: units.name })
      .from(theatres)
      .innerJoin(units, eq(units.id, theatres.unitId))
      .where(
        input.specialty ? or(eq(theatres.specialty, input.specialty), isNull(theatres.specialty)) : undefined,
      )
      .orderBy(asc(theatres.id));
    return {
      theatres: rows.map(({ t, unitName }) => ({
        theatreId: t.id,
        name: t.name,
        unitId: t.unitId,
        unitName,
        specialty: t.specialty,
        turnoverMinutes: t.turnoverMinutes,
      })),
    };
  },
});

export const getTheatreSchedule = defineOperation({
  name: 'get_theatre_schedule',
  module: 'beds',
  title: 'Theatre schedule',
  description:
    'The bookings of one theatre (theatreId) or of all theatres in a time window [from, to), at most ' +
    `${MAX_WINDOW_DAYS} days; from defaults to now and to to a day later. A booking counts when its ` +
    'case or turnover falls in the window. Cancelled bookings only with includeCancelled.',
  input: z.object({
    theatreId: z.string().min(1).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    includeCancelled: z.boolean().default(false),
  }),
  output: z.object({ from: z.string(), to: z.string(), bookings: z.array(theatreBookingSchema) }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const { from, to } = timeWindow(input, ctx.clock.now().getTime(), 1);
    if (input.theatreId) await requireTheatre(ctx.database.db, input.theatreId);
    const conditions: SQL[] = [
      lt(theatreBookings.startsAt, new Date(to)),
      gt(theatreBookings.turnoverEndsAt, new Date(from)),
    ];
    if (input.theatreId) conditions.push(eq(theatreBookings.theatreId, input.theatreId));
    if (!input.includeCancelled) conditions.push(ne(theatreBookings.status, 'cancelled'));
    const rows = await ctx.database.db
      .select()
      .from(theatreBookings)
      .where(and(...conditions))
      .orderBy(asc(theatreBookings.startsAt), asc(theatreBookings.theatreId), asc(theatreBookings.id));
    return { from: at(new Date(from)), to: at(new Date(to)), bookings: rows.map(presentBooking) };
  },
});

const hhmm = z.string().refine((s) => minuteOfDay(s) !== undefined, 'expected a time of day HH:MM');

export const findTheatreSlots = defineOperation({
  name: 'find_theatre_slots',
  module: 'beds',
  title: 'Find free theatre slots',
  description:
    'Finds the earliest free slots for a case of durationMinutes, turnover included: each slot is a free ' +
    'stretch of one theatre where the case may start at startsAt or any time up to latestStartsAt. Searches ' +
    `[from, to) (default now to 7 days later, at most ${MAX_WINDOW_DAYS} days) within the elective ` +
    `session hours (default ${timeOfDay(DEFAULT_SESSION_HOURS.opensMinute)}–` +
    `${timeOfDay(DEFAULT_SESSION_HOURS.closesMinute)} ${DEFAULT_SESSION_HOURS.timeZone}; null for round ` +
    'the clock, as for an emergency). With a specialty, only its theatres and the general ones. ' +
    'Use before book_theatre.',
  input: z.object({
    durationMinutes: z.number().int().min(MIN_CASE_MINUTES).max(MAX_CASE_MINUTES),
    from: isoTime.optional(),
    to: isoTime.optional(),
    theatreId: z.string().min(1).optional().describe('Only this theatre'),
    specialty: z.string().min(1).optional(),
    sessionHours: z
      .object({
        opens: hhmm,
        closes: hhmm,
        timeZone: z
          .string()
          .refine(isTimeZone, 'expected an IANA time zone, e.g. Europe/Paris')
          .default('UTC'),
      })
      .refine((h) => (minuteOfDay(h.closes) ?? 0) > (minuteOfDay(h.opens) ?? 0), {
        path: ['closes'],
        message: 'must be after opens',
      })
      .nullable()
      .default({
        opens: timeOfDay(DEFAULT_SESSION_HOURS.opensMinute),
        closes: timeOfDay(DEFAULT_SESSION_HOURS.closesMinute),
        timeZone: DEFAULT_SESSION_HOURS.timeZone,
      }),
    limit: z.number().int().min(1).max(50).default(5),
  }),
  output: z.object({
    from: z.string(),
    to: z.string(),
    slots: z.array(
      z.object({
        theatreId: z.string(),
        theatreName: z.string(),
        specialty: z.string().nullable(),
        startsAt: z.string(),
        endsAt: z.string(),
        turnoverEndsAt: z.string(),
        latestStartsAt: z.string().describe('The case may start as late as this in the same free stretch'),
      }),
    ),
  }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now().getTime();
    const window = timeWindow(
      { from: input.from && new Date(Math.max(Date.parse(input.from), now)).toISOString(), to: input.to },
      now,
      7,
    );
    const db = ctx.database.db;
    const candidates = input.theatreId
      ? [await requireTheatre(db, input.theatreId)]
      : await db
          .select()
          .from(theatres)
          .where(
            input.specialty
              ? or(eq(theatres.specialty, input.specialty), isNull(theatres.specialty))
              : undefined,
          )
          .orderBy(asc(theatres.id));
    const maxTurnover = Math.max(0, ...candidates.map((t) => t.turnoverMinutes));
    const busy =
      candidates.length === 0
        ? []
        : await db
            .select()
            .from(theatreBookings)
            .where(
              and(
                inArray(
                  theatreBookings.theatreId,
                  candidates.map((t) => t.id),
                ),
                eq(theatreBookings.status, 'booked'),
                gt(theatreBookings.turnoverEndsAt, new Date(window.from)),
                lt(theatreBookings.startsAt, new Date(window.to + maxTurnover * MINUTE_MS)),
              ),
            );
    const hours = input.sessionHours;
    const sessions = hours
      ? sessionSpans(
          {
            opensMinute: minuteOfDay(hours.opens)!,
            closesMinute: minuteOfDay(hours.closes)!,
            timeZone: hours.timeZone,
          },
          { start: window.from, end: window.to },
        )
      : null;
    const slots = candidates.flatMap((t) =>
      freeSlots({
        durationMinutes: input.durationMinutes,
        turnoverMinutes: t.turnoverMinutes,
        window: { start: window.from, end: window.to },
        sessions,
        busy: busy
          .filter((b) => b.theatreId === t.id)
          .map((b) => ({ start: b.startsAt.getTime(), end: b.turnoverEndsAt.getTime() })),
      }).map((s) => ({ theatre: t, ...s })),
    );
    // Earliest first; at the same time a theatre kept for the specialty before a general one.
    const dedicated = (s: string | null) => (input.specialty && s === input.specialty ? 0 : 1);
    slots.sort(
      (a, b) =>
        a.start - b.start ||
        dedicated(a.theatre.specialty) - dedicated(b.theatre.specialty) ||
        (a.theatre.id < b.theatre.id ? -1 : 1),
    );
    return {
      from: at(new Date(window.from)),
      to: at(new Date(window.to)),
      slots: slots.slice(0, input.limit).map(({ theatre, start, latestStart }) => {
        const end = start + input.durationMinutes * MINUTE_MS;
        return {
          theatreId: theatre.id,
          theatreName: theatre.name,
          specialty: theatre.specialty,
          startsAt: at(new Date(start)),
          endsAt: at(new Date(end)),
          turnoverEndsAt: at(new Date(end + theatre.turnoverMinutes * MINUTE_MS)),
          latestStartsAt: at(new Date(latestStart)),
        };
      }),
    };
  },
});

const bookedSchema = theatreBookingSchema.extend({
  replayed: z.boolean().describe('True when an earlier call with the same bookingId already made it'),
});

export const bookTheatre = defineOperation({
  name: 'book_theatre',
  module: 'beds',
  title: 'Book a theatre',
  description:
    'Books a theatre for a patient’s procedure from startsAt for durationMinutes (or until endsAt); the ' +
    'theatre is then taken until the case ends plus its turnover. Refused with a conflict naming the ' +
    'booking in the way when the time overlaps another case or its turnover (use find_theatre_slots ' +
    'first), and when startsAt is in the past. The surgeon, when given, must be a physician. Send a ' +
    'bookingId of your own to make retries safe: repeating the call returns the booking already made.',
  input: z
    .object({
      theatreId: z.string().min(1),
      patientId: z.string().min(1),
      procedure: z.string().min(3).max(200).describe('What is to be done, e.g. laparoscopic cholecystectomy'),
      surgeonStaffId: z.string().min(1).optional().describe('The operating surgeon, a physician'),
      startsAt: isoTime.describe('ISO 8601 time the case starts (knife-to-skin preparation included)'),
      ...caseLength,
      bookingId: bookingIdSchema.optional().describe('Your id for the booking, for safe retries'),
    })
    .superRefine((v, issue) => checkCaseLength(v, issue, true)),
  output: bookedSchema,
  scope: 'beds:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const db = ctx.database.db;
    const now = ctx.clock.now();
    const theatre = await requireTheatre(db, input.theatreId);
    const times = caseTimes(input, theatre.turnoverMinutes, 0);
    const replay = (b: BookingRow) => {
      if (b.patientId !== input.patientId || !sameCase(b, theatre.id, times))
        throw idTaken('bookingId', b.id);
      return { ...presentBooking(b), replayed: true };
    };
    const earlier = input.bookingId ? await bookingById(db, input.bookingId) : undefined;
    if (earlier) return replay(earlier);
    assertBookable(times.startsAt, now);
    await requirePatient(db, input.patientId);
    if (input.surgeonStaffId) await requireSurgeon(db, input.surgeonStaffId);
    return auditedWrite(
      ctx,
      'book_theatre',
      input,
      async (tx) => {
        const row: BookingRow = {
          id: input.bookingId ?? randomUUID(),
          theatreId: theatre.id,
          patientId: input.patientId,
          procedure: input.procedure,
          surgeonStaffId: input.surgeonStaffId ?? null,
          ...times,
          status: 'booked',
          rescheduledTo: null,
          cancelReason: null,
          createdBy: ctx.actor.id,
          createdAt: now,
          updatedAt: now,
        };
        const stored = await insertBooking(tx, row);
        return stored ? replay(stored) : { ...presentBooking(row), replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const cancelTheatreBooking = defineOperation({
  name: 'cancel_theatre_booking',
  module: 'beds',
  title: 'Cancel a theatre booking',
  description:
    'Cancels a theatre booking with a reason, freeing its time (turnover included) for other cases. ' +
    'Cancelling a booking already cancelled changes nothing and returns it. Returns the booking.',
  input: z.object({ bookingId: z.string().min(1), reason: z.string().min(3).max(500) }),
  output: bookedSchema.extend({ replayed: z.boolean().describe('True when it was already cancelled') }),
  scope: 'beds:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    return auditedWrite(
      ctx,
      'cancel_theatre_booking',
      input,
      async (tx) => {
        const row = await lockBooking(tx, input.bookingId);
        assertPatientAccess(ctx, row.patientId);
        if (row.status === 'cancelled') return { ...presentBooking(row), replayed: true };
        if (row.status !== 'booked')
          throw new OperationError('conflict', `Booking ${row.id} is ${row.status}; it cannot be cancelled`, [
            { field: 'bookingId', message: `the booking is ${row.status}` },
          ]);
        const [cancelled] = await tx
          .update(theatreBookings)
          .set({ status: 'cancelled', cancelReason: input.reason, updatedAt: ctx.clock.now() })
          .where(eq(theatreBookings.id, row.id))
          .returning();
        return { ...presentBooking(cancelled!), replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const rescheduleTheatreBooking = defineOperation({
  name: 'reschedule_theatre_booking',
  module: 'beds',
  title: 'Reschedule a theatre booking',
  description:
    'Moves a booked case to a new start (and optionally another theatre and length; by default the same ' +
    'theatre and duration) in one step: the old booking is cancelled with rescheduledTo naming the new ' +
    'one. When the new time clashes with another booking nothing changes and the conflict names it. ' +
    'Send newBookingId to make retries safe. Returns the previous and the new booking.',
  input: z
    .object({
      bookingId: z.string().min(1),
      startsAt: isoTime.describe('ISO 8601 time the case now starts'),
      theatreId: z.string().min(1).optional().describe('Move to this theatre; default the same one'),
      ...caseLength,
      reason: z.string().min(3).max(500),
      newBookingId: bookingIdSchema.optional().describe('Your id for the new booking, for safe retries'),
    })
    .superRefine((v, issue) => checkCaseLength(v, issue, false)),
  output: z.object({
    previous: theatreBookingSchema,
    booking: theatreBookingSchema,
    replayed: z.boolean().describe('True when an earlier identical call already moved it'),
  }),
  scope: 'beds:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const target = input.theatreId ? await requireTheatre(ctx.database.db, input.theatreId) : undefined;
    return auditedWrite(
      ctx,
      'reschedule_theatre_booking',
      input,
      async (tx) => {
        const old = await lockBooking(tx, input.bookingId);
        assertPatientAccess(ctx, old.patientId);
        const theatre = target ?? (await requireTheatre(tx, old.theatreId));
        const oldMinutes = (old.endsAt.getTime() - old.startsAt.getTime()) / MINUTE_MS;
        const times = caseTimes(input, theatre.turnoverMinutes, oldMinutes);
        if (old.status === 'cancelled' && old.rescheduledTo) {
          const next = await bookingById(tx, old.rescheduledTo);
          const sameId = !input.newBookingId || input.newBookingId === old.rescheduledTo;
          if (next && sameId && sameCase(next, theatre.id, times))
            return { previous: presentBooking(old), booking: presentBooking(next), replayed: true };
          throw new OperationError(
            'conflict',
            `Booking ${old.id} was already rescheduled to ${old.rescheduledTo}; reschedule that booking instead`,
            [{ field: 'bookingId', message: `already rescheduled to ${old.rescheduledTo}` }],
          );
        }
        if (old.status !== 'booked')
          throw new OperationError(
            'conflict',
            `Booking ${old.id} is ${old.status}; it cannot be rescheduled`,
            [{ field: 'bookingId', message: `the booking is ${old.status}` }],
          );
        assertBookable(times.startsAt, now);
        const newId = input.newBookingId ?? randomUUID();
        // The old booking leaves the no-overlap constraint first, so the case may move within its own time.
        const [previous] = await tx
          .update(theatreBookings)
          .set({
            status: 'cancelled',
            rescheduledTo: newId,
            cancelReason: `rescheduled: ${input.reason}`,
            updatedAt: now,
          })
          .where(eq(theatreBookings.id, old.id))
          .returning();
        const row: BookingRow = {
          ...old,
          id: newId,
          theatreId: theatre.id,
          ...times,
          status: 'booked',
          rescheduledTo: null,
          cancelReason: null,
          createdBy: ctx.actor.id,
          createdAt: now,
          updatedAt: now,
        };
        // Any refusal from here rolls the whole transaction back: the old booking stays as it was.
        if (await insertBooking(tx, row)) throw idTaken('newBookingId', newId);
        return { previous: presentBooking(previous!), booking: presentBooking(row), replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const theatreOperations = [
  completeTheatreBooking,
  listTheatres,
  getTheatreSchedule,
  findTheatreSlots,
  bookTheatre,
  cancelTheatreBooking,
  rescheduleTheatreBooking,
];
