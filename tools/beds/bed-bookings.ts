import { and, asc, eq, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import {
  bedBookings,
  bedReservations,
  beds,
  encounters,
  type UnitType,
  units,
} from '../../db/schema/index.ts';

// Capacity of a unit on nights to come, for beds booked ahead (a post-operative stay): the pure
// arithmetic first, then the queries that feed it and the lock that makes a booking's count hold.

const DAY_MS = 86_400_000;
export const MAX_BOOKING_NIGHTS = 30;

/**
 * The nights a stay spans: each UTC date from fromAt's date up to, not including, untilAt's date
 * (a stay from Monday 14:00 to Wednesday 10:00 spans the nights of Monday and Tuesday). A night is
 * counted at 23:59 UTC of its date, the usual midnight-census convention (NHS KH03 counts occupied
 * beds at midnight; AHRQ HCUP counts a day per midnight in hospital): whoever is expected in the unit
 * then takes a bed that night.
 */
export function nightsOf(fromAt: Date, untilAt: Date): string[] {
  const nights: string[] = [];
  const last = Date.parse(untilAt.toISOString().slice(0, 10));
  for (let d = Date.parse(fromAt.toISOString().slice(0, 10)); d < last; d += DAY_MS) {
    nights.push(new Date(d).toISOString().slice(0, 10));
  }
  return nights;
}

/** The instant a night is counted at: 23:59 UTC of its date. */
export const censusAt = (night: string) => new Date(`${night}T23:59:00.000Z`);

/** What a unit holds now and has promised, as the capacity arithmetic needs it. */
export interface UnitLoad {
  unitId: string;
  name: string;
  specialty: string | null;
  /** Beds that count as capacity: every bed not closed (HL7 v2-0116 C). */
  capacity: number;
  /** In-progress encounters in the unit, by patient. */
  stays: { patientId: string; expectedDischargeAt: Date | null }[];
  /** Patients holding a live reservation (held, not lapsed, or accepted) of one of the unit's beds. */
  holds: string[];
  /** Other live ('booked') bookings of the unit. */
  bookings: { fromAt: Date; untilAt: Date }[];
}

export interface NightCount {
  date: string;
  /** Patients in the unit or on their way to it now who are still expected there that night. */
  expected: number;
  /** Beds booked ahead for that night. */
  booked: number;
  /** capacity − expected − booked; negative when the unit is already promised beyond its beds. */
  free: number;
}

export interface UnitNights {
  unitId: string;
  name: string;
  specialty: string | null;
  capacity: number;
  minFree: number;
  nights: NightCount[];
}

const covers = (b: { fromAt: Date; untilAt: Date }, night: string) =>
  nightsOf(b.fromAt, b.untilAt).includes(night);

export function countNights(load: UnitLoad, nights: readonly string[]): UnitNights {
  // A patient with a hold on a bed of the unit they are already in is one patient, not two.
  const staying = new Set(load.stays.map((s) => s.patientId));
  const arriving = new Set(load.holds.filter((p) => !staying.has(p))).size;
  const counts = nights.map((date) => {
    const at = censusAt(date).getTime();
    const expected =
      load.stays.filter((s) => s.expectedDischargeAt === null || s.expectedDischargeAt.getTime() > at)
        .length + arriving;
    const booked = load.bookings.filter((b) => covers(b, date)).length;
    return { date, expected, booked, free: load.capacity - expected - booked };
  });
  return {
    unitId: load.unitId,
    name: load.name,
    specialty: load.specialty,
    capacity: load.capacity,
    minFree: Math.min(...counts.map((n) => n.free)),
    nights: counts,
  };
}

/** Units with a free bed every night first, then the wanted specialty's, then the most room, then id. */
export function rankUnits(candidates: UnitNights[], specialty?: string): UnitNights[] {
  const fits = (u: UnitNights) => (u.minFree > 0 ? 0 : 1);
  const own = (u: UnitNights) => (specialty !== undefined && u.specialty === specialty ? 0 : 1);
  return [...candidates].sort(
    (a, b) =>
      fits(a) - fits(b) ||
      own(a) - own(b) ||
      b.minFree - a.minFree ||
      (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0),
  );
}

/** The nights a unit has no free bed on. */
export const fullNights = (u: UnitNights) => u.nights.filter((n) => n.free <= 0);

export type BedBookingRow = typeof bedBookings.$inferSelect;

/** The units of a type, or the one unit, with what they hold and have promised over the nights. */
export async function loadUnitLoads(
  db: DbOrTx,
  which: { unitIds: readonly string[] } | { unitType: UnitType },
  nights: readonly string[],
  now: Date,
  /** A booking not to count (the one being replaced), if any. */
  exceptBookingId?: string,
): Promise<UnitLoad[]> {
  const unitRows = await db
    .select()
    .from(units)
    .where('unitType' in which ? eq(units.type, which.unitType) : inArray(units.id, [...which.unitIds]))
    .orderBy(asc(units.id));
  if (unitRows.length === 0 || nights.length === 0) return [];
  const ids = unitRows.map((u) => u.id);
  const first = new Date(`${nights[0]}T00:00:00.000Z`);
  const afterLast = new Date(Date.parse(`${nights[nights.length - 1]}T00:00:00.000Z`) + DAY_MS);
  const [capacity, stays, holds, booked] = await Promise.all([
    // HL7 v2 table 0116: C closed, H housekeeping, I isolated, K contaminated, O occupied, U unoccupied.
    // Only a closed bed (out of service, housekeeping 'blocked') is out of the nights ahead; the others
    // are states a bed leaves within hours, and an occupied bed's patient is counted by their encounter.
    db
      .select({ unitId: beds.unitId, n: sql<number>`count(*)::int` })
      .from(beds)
      .where(and(inArray(beds.unitId, ids), ne(beds.status, 'C')))
      .groupBy(beds.unitId),
    db
      .select({
        unitId: encounters.unitId,
        patientId: encounters.patientId,
        expectedDischargeAt: encounters.expectedDischargeAt,
      })
      .from(encounters)
      .where(and(inArray(encounters.unitId, ids), eq(encounters.status, 'in-progress'))),
    db
      .select({ unitId: beds.unitId, patientId: bedReservations.patientId })
      .from(bedReservations)
      .innerJoin(beds, eq(beds.id, bedReservations.bedId))
      .where(
        and(
          inArray(beds.unitId, ids),
          // A lapsed hold no longer counts, even before the sweeper has marked it expired (as loadBedFacts).
          or(
            eq(bedReservations.status, 'accepted'),
            and(eq(bedReservations.status, 'held'), gt(bedReservations.holdExpiresAt, now)),
          ),
        ),
      ),
    db
      .select({
        id: bedBookings.id,
        unitId: bedBookings.unitId,
        fromAt: bedBookings.fromAt,
        untilAt: bedBookings.untilAt,
      })
      .from(bedBookings)
      .where(
        and(
          inArray(bedBookings.unitId, ids),
          eq(bedBookings.status, 'booked'),
          lt(bedBookings.fromAt, afterLast),
          // A booking ending on the first night's date has no night left in the window.
          gt(bedBookings.untilAt, new Date(first.getTime() + DAY_MS - 1)),
        ),
      ),
  ]);
  return unitRows.map((u) => ({
    unitId: u.id,
    name: u.name,
    specialty: u.specialty,
    capacity: capacity.find((c) => c.unitId === u.id)?.n ?? 0,
    stays: stays.filter((s) => s.unitId === u.id),
    holds: holds.filter((h) => h.unitId === u.id).map((h) => h.patientId),
    bookings: booked.filter((b) => b.unitId === u.id && b.id !== exceptBookingId),
  }));
}

/**
 * Serialises the bookings of the given units until the transaction ends, in id order so that two
 * bookers of overlapping sets of units queue rather than deadlock. Counting free beds and inserting
 * the booking is a read-then-write the database cannot guard with a constraint (capacity is a count),
 * so without this two bookers could both see the last bed free and both take it.
 */
export async function lockUnits(tx: Tx, unitIds: readonly string[]): Promise<void> {
  for (const unitId of [...new Set(unitIds)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bed-bookings'), hashtext(${unitId}))`);
  }
}

/**
 * Serialises bookings for one purpose and subject (and one booking id), taken before any unit lock:
 * a retry racing its own first call then finds the booking made instead of tripping the unique index.
 */
export async function lockSubject(tx: Tx, purpose: string, subjectId: string, bookingId?: string) {
  if (bookingId)
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bed-booking-id'), hashtext(${bookingId}))`);
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext('bed-booking-subject'), hashtext(${JSON.stringify([purpose, subjectId])}))`,
  );
}

export async function bedBookingById(db: DbOrTx, id: string): Promise<BedBookingRow | undefined> {
  return (await db.select().from(bedBookings).where(eq(bedBookings.id, id)))[0];
}

/** The live booking for a purpose and subject, or else its latest closed one. */
export async function bedBookingForSubject(
  db: DbOrTx,
  purpose: string,
  subjectId: string,
): Promise<BedBookingRow | undefined> {
  const rows = await db
    .select()
    .from(bedBookings)
    .where(and(eq(bedBookings.purpose, purpose), eq(bedBookings.subjectId, subjectId)))
    .orderBy(
      sql`${bedBookings.status} = 'booked' desc`,
      sql`${bedBookings.createdAt} desc`,
      asc(bedBookings.id),
    )
    .limit(1);
  return rows[0];
}
