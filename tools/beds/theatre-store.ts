import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx, Tx } from '../../db/client.ts';
import { patients, staff, theatreBookingStatuses, theatreBookings, theatres } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { MAX_BOOKING_AHEAD_DAYS, MAX_CASE_MINUTES, MAX_WINDOW_DAYS, MIN_CASE_MINUTES } from './theatres.ts';

// What the theatre operations share: the shapes they return, the checks on a case's times, and the
// one insert path that turns the database's no-overlap refusals into readable conflicts.

export const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const NO_OVERLAP = 'theatre_bookings_no_overlap';
// One case at a time for a surgeon and for a patient, whatever the theatre (migration 0009).
const PERSON_NO_OVERLAP = {
  theatre_bookings_surgeon_no_overlap: 'surgeonStaffId',
  theatre_bookings_patient_no_overlap: 'patientId',
} as const;
export type BookingRow = typeof theatreBookings.$inferSelect;

export const isoTime = z.iso.datetime({ offset: true });
export const at = (d: Date) => d.toISOString();

export const theatreSchema = z.object({
  theatreId: z.string(),
  name: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  specialty: z.string().nullable().describe('The specialty the theatre is kept for; null: any'),
  turnoverMinutes: z.number().int(),
});

export const theatreBookingSchema = z.object({
  bookingId: z.string(),
  theatreId: z.string(),
  patientId: z.string(),
  procedure: z.string(),
  surgeonStaffId: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  turnoverEndsAt: z
    .string()
    .describe('endsAt plus the theatre’s turnover: the earliest the next case may start'),
  status: z.enum(theatreBookingStatuses),
  rescheduledTo: z.string().nullable().describe('For a rescheduled booking: the booking that replaced it'),
  cancelReason: z.string().nullable(),
});

export function presentBooking(b: BookingRow): z.infer<typeof theatreBookingSchema> {
  return {
    bookingId: b.id,
    theatreId: b.theatreId,
    patientId: b.patientId,
    procedure: b.procedure,
    surgeonStaffId: b.surgeonStaffId,
    startsAt: at(b.startsAt),
    endsAt: at(b.endsAt),
    turnoverEndsAt: at(b.turnoverEndsAt),
    status: b.status,
    rescheduledTo: b.rescheduledTo,
    cancelReason: b.cancelReason,
  };
}

export const bookingIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/, 'expected 8–100 letters, digits or . _ : - (a UUID will do)');

export const caseLength = {
  durationMinutes: z
    .number()
    .int()
    .min(MIN_CASE_MINUTES)
    .max(MAX_CASE_MINUTES)
    .optional()
    .describe('Length of the case, turnover not included; give this or endsAt'),
  endsAt: isoTime
    .optional()
    .describe('ISO 8601 time the case ends, turnover not included; or durationMinutes'),
};

/** durationMinutes or endsAt (one when `required`, never both), and a case of sensible length. */
export function checkCaseLength(
  v: { startsAt: string; durationMinutes?: number | undefined; endsAt?: string | undefined },
  issue: z.core.$RefinementCtx,
  required: boolean,
) {
  if (v.durationMinutes !== undefined && v.endsAt !== undefined)
    issue.addIssue({ code: 'custom', path: ['endsAt'], message: 'give durationMinutes or endsAt, not both' });
  else if (required && v.durationMinutes === undefined && v.endsAt === undefined)
    issue.addIssue({ code: 'custom', path: ['durationMinutes'], message: 'give durationMinutes or endsAt' });
  else if (v.endsAt !== undefined) {
    const minutes = (Date.parse(v.endsAt) - Date.parse(v.startsAt)) / MINUTE_MS;
    if (minutes < MIN_CASE_MINUTES || minutes > MAX_CASE_MINUTES)
      issue.addIssue({
        code: 'custom',
        path: ['endsAt'],
        message: `must be ${MIN_CASE_MINUTES} minutes to ${MAX_CASE_MINUTES / 60} hours after startsAt`,
      });
  }
}

export function caseTimes(
  input: { startsAt: string; durationMinutes?: number | undefined; endsAt?: string | undefined },
  turnoverMinutes: number,
  defaultMinutes: number,
) {
  const startsAt = new Date(input.startsAt);
  const endsAt = input.endsAt
    ? new Date(input.endsAt)
    : new Date(startsAt.getTime() + (input.durationMinutes ?? defaultMinutes) * MINUTE_MS);
  return { startsAt, endsAt, turnoverEndsAt: new Date(endsAt.getTime() + turnoverMinutes * MINUTE_MS) };
}

export function assertBookable(startsAt: Date, now: Date) {
  if (startsAt < now)
    throw new OperationError('invalid', `startsAt ${at(startsAt)} is in the past`, [
      { field: 'startsAt', message: `must not be before now (${at(now)})` },
    ]);
  if (startsAt.getTime() > now.getTime() + MAX_BOOKING_AHEAD_DAYS * DAY_MS)
    throw new OperationError('invalid', `startsAt ${at(startsAt)} is too far ahead`, [
      { field: 'startsAt', message: `must be within ${MAX_BOOKING_AHEAD_DAYS} days of now` },
    ]);
}

/** [from, to) from optional ISO times: from defaults to `defaultFrom`, to to `defaultDays` later. */
export function timeWindow(
  input: { from?: string | undefined; to?: string | undefined },
  defaultFrom: number,
  defaultDays: number,
) {
  const from = input.from ? Date.parse(input.from) : defaultFrom;
  const to = input.to ? Date.parse(input.to) : from + defaultDays * DAY_MS;
  if (to <= from)
    throw new OperationError('invalid', `to must be after from (${new Date(from).toISOString()})`, [
      { field: 'to', message: `must be after ${new Date(from).toISOString()}` },
    ]);
  if (to - from > MAX_WINDOW_DAYS * DAY_MS)
    throw new OperationError('invalid', `The window from ${new Date(from).toISOString()} is too long`, [
      { field: 'to', message: `must be at most ${MAX_WINDOW_DAYS} days after from` },
    ]);
  return { from, to };
}

export async function requireTheatre(db: DbOrTx, theatreId: string) {
  const [theatre] = await db.select().from(theatres).where(eq(theatres.id, theatreId));
  if (!theatre)
    throw new OperationError('not_found', `No theatre ${theatreId}`, [
      { field: 'theatreId', message: 'unknown theatre' },
    ]);
  return theatre;
}

export async function requireSurgeon(db: DbOrTx, staffId: string) {
  const [person] = await db.select({ role: staff.role }).from(staff).where(eq(staff.id, staffId));
  if (!person)
    throw new OperationError('not_found', `No staff member ${staffId}`, [
      { field: 'surgeonStaffId', message: 'unknown staff member' },
    ]);
  if (person.role !== 'physician')
    throw new OperationError('invalid', `Staff member ${staffId} is a ${person.role}, not a physician`, [
      { field: 'surgeonStaffId', message: 'must be a physician' },
    ]);
}

export async function lockBooking(tx: Tx, bookingId: string) {
  const [row] = await tx
    .select()
    .from(theatreBookings)
    .where(eq(theatreBookings.id, bookingId))
    .for('update');
  if (!row)
    throw new OperationError('not_found', `No theatre booking ${bookingId}`, [
      { field: 'bookingId', message: 'unknown theatre booking' },
    ]);
  return row;
}

export async function bookingById(db: DbOrTx, bookingId: string) {
  return (await db.select().from(theatreBookings).where(eq(theatreBookings.id, bookingId)))[0];
}

function pgError(err: unknown): { code?: string; constraint_name?: string } {
  const e = err as {
    code?: string;
    constraint_name?: string;
    cause?: { code?: string; constraint_name?: string };
  };
  return e.cause ?? e;
}

/** The conflict a refused insert answers with: which live booking is in the way, and when. */
async function clashError(tx: Tx, row: BookingRow): Promise<OperationError> {
  const [clash] = await tx
    .select()
    .from(theatreBookings)
    .where(
      and(
        eq(theatreBookings.theatreId, row.theatreId),
        eq(theatreBookings.status, 'booked'),
        lt(theatreBookings.startsAt, row.turnoverEndsAt),
        gt(theatreBookings.turnoverEndsAt, row.startsAt),
      ),
    )
    .orderBy(asc(theatreBookings.startsAt))
    .limit(1);
  const wanted = `${at(row.startsAt)} to ${at(row.turnoverEndsAt)} (turnover included)`;
  const taken = clash
    ? `booking ${clash.id} runs ${at(clash.startsAt)} to ${at(clash.endsAt)}, turnover until ${at(clash.turnoverEndsAt)}`
    : 'another booking overlaps it';
  return new OperationError(
    'conflict',
    `Theatre ${row.theatreId} is not free ${wanted}: ${taken}. Use find_theatre_slots for a free slot.`,
    [{ field: 'startsAt', message: clash ? `overlaps booking ${clash.id}` : 'overlaps another booking' }],
  );
}

/** The conflict when the surgeon or the patient already has a case at that time, in any theatre. */
async function personClashError(
  tx: Tx,
  row: BookingRow,
  field: 'surgeonStaffId' | 'patientId',
): Promise<OperationError> {
  const who = field === 'surgeonStaffId' ? theatreBookings.surgeonStaffId : theatreBookings.patientId;
  const id = field === 'surgeonStaffId' ? row.surgeonStaffId! : row.patientId;
  const [clash] = await tx
    .select()
    .from(theatreBookings)
    .where(
      and(
        eq(who, id),
        eq(theatreBookings.status, 'booked'),
        lt(theatreBookings.startsAt, row.endsAt),
        gt(theatreBookings.endsAt, row.startsAt),
      ),
    )
    .orderBy(asc(theatreBookings.startsAt))
    .limit(1);
  const role = field === 'surgeonStaffId' ? 'Surgeon' : 'Patient';
  const taken = clash
    ? `booking ${clash.id} in ${clash.theatreId} runs ${at(clash.startsAt)} to ${at(clash.endsAt)}`
    : 'another case overlaps it';
  return new OperationError(
    'conflict',
    `${role} ${id} already has a case from ${at(row.startsAt)} to ${at(row.endsAt)}: ${taken}`,
    [{ field, message: clash ? `already in booking ${clash.id} at that time` : 'already has a case then' }],
  );
}

/**
 * Inserts a booking. The exclusion constraint theatre_bookings_no_overlap is what guarantees no two
 * live bookings of a theatre overlap, however many callers race; this turns its refusal into a
 * readable conflict. Returns the row already stored under the same id, if there is one (a retry).
 */
export async function insertBooking(tx: Tx, row: BookingRow): Promise<BookingRow | undefined> {
  // PostgreSQL checks an exclusion constraint after adding the new index entry, so two overlapping
  // inserts in flight can each wait for the other and one dies as a deadlock (40P01, seen under load).
  // Queueing the theatre's writers on its row makes each see the last one committed and get 23P01.
  await tx
    .select({ id: theatres.id })
    .from(theatres)
    .where(eq(theatres.id, row.theatreId))
    .for('no key update');
  // The same for the surgeon's and the patient's cases in other theatres, always in this order.
  if (row.surgeonStaffId) {
    await tx
      .select({ id: staff.id })
      .from(staff)
      .where(eq(staff.id, row.surgeonStaffId))
      .for('no key update');
  }
  await tx
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.id, row.patientId))
    .for('no key update');
  try {
    // A savepoint keeps the transaction usable after a refused insert, to read what refused it.
    await tx.transaction(async (sp) => {
      await sp.insert(theatreBookings).values(row);
    });
    return undefined;
  } catch (err) {
    const pg = pgError(err);
    const clash = pg.code === '23P01' && pg.constraint_name === NO_OVERLAP;
    const person =
      pg.code === '23P01' && pg.constraint_name && Object.hasOwn(PERSON_NO_OVERLAP, pg.constraint_name)
        ? PERSON_NO_OVERLAP[pg.constraint_name as keyof typeof PERSON_NO_OVERLAP]
        : null;
    if (!clash && !person && !(pg.code === '23505' && pg.constraint_name === 'theatre_bookings_pkey'))
      throw err;
    const same = await bookingById(tx, row.id);
    if (same) return same;
    if (clash) throw await clashError(tx, row);
    if (person) throw await personClashError(tx, row, person);
    throw err;
  }
}

export const sameCase = (b: BookingRow, theatreId: string, t: { startsAt: Date; endsAt: Date }) =>
  b.theatreId === theatreId &&
  b.startsAt.getTime() === t.startsAt.getTime() &&
  b.endsAt.getTime() === t.endsAt.getTime();

export function idTaken(field: string, id: string) {
  return new OperationError('conflict', `${field} ${id} already names a different booking`, [
    { field, message: 'already used for a different booking; choose a new id for a new booking' },
  ]);
}
