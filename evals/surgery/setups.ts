import { asc, eq } from 'drizzle-orm';
import { stockLots } from '../../db/schema/index.ts';
import type { Actor } from '../../tools/core/actor.ts';
import { OperationError } from '../../tools/core/errors.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import { bookBedAhead, releaseBedBooking } from '../../tools/beds/bed-booking-operations.ts';
import { bookTheatre } from '../../tools/beds/theatre-operations.ts';
import { adjustStock } from '../../tools/inventory/stock-operations.ts';
import { decideLeave, requestLeave } from '../../tools/staffing/leave-operations.ts';
import type { SurgeryFixture } from './types.ts';

// Changes to the fixture hospital before a scenario's steps, each made through the real operation as the
// person who would make it (theatre office, storekeeper, charge nurse, bed manager).

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The theatres' elective sessions open at 07:00 UTC (tools/beds/theatres.ts DEFAULT_SESSION_HOURS). */
const SESSION_HOURS = 13;
const admin: Actor = { id: 'eval:office', kind: 'admin', scopes: ['*'] };

const call = (f: SurgeryFixture, op: AnyOperation, input: unknown) =>
  invokeOperation(op, input, { database: f.database, clock: f.clock, actor: admin });

/** The Monday the trial starts, plus days, at 07:00 UTC. */
const sessionStart = (f: SurgeryFixture, day: number) => {
  const monday = new Date(f.clock.now().toISOString().slice(0, 10)).getTime();
  return new Date(monday + day * DAY_MS + 7 * HOUR_MS);
};

/** Other patients' cases fill every theatre for the whole session of each day given (0 = Monday). */
export async function fillTheatres(f: SurgeryFixture, days: number[], theatres = ['thr-01', 'thr-02']) {
  for (const day of days) {
    for (const theatreId of theatres) {
      await call(f, bookTheatre, {
        theatreId,
        patientId: f.patients[8 + theatres.indexOf(theatreId)]!,
        procedure: 'Elective list (other patients)',
        startsAt: sessionStart(f, day).toISOString(),
        durationMinutes: SESSION_HOURS * 60,
        bookingId: `fill-${theatreId}-d${day}`,
      });
    }
  }
}

/**
 * A stock count finds `left` of an item in all (or in the locations given): every lot counted down, the
 * first lots keeping `left`.
 */
export async function countStockTo(f: SurgeryFixture, itemId: string, left = 0, locationIds?: string[]) {
  const lots = (
    await f.database.db
      .select()
      .from(stockLots)
      .where(eq(stockLots.itemId, itemId))
      .orderBy(asc(stockLots.id))
  ).filter((l) => !locationIds || locationIds.includes(l.locationId));
  let keep = left;
  for (const lot of lots) {
    const counted = Math.min(lot.quantity, keep);
    keep -= counted;
    await call(f, adjustStock, { lotId: lot.id, countedQuantity: counted, reason: 'eval: cycle count' });
  }
}

/** Approved annual leave for each staff member, from Monday for `days` days. */
export async function onLeave(f: SurgeryFixture, staffIds: string[], days: number) {
  const from = sessionStart(f, 0);
  for (const staffId of staffIds) {
    const leave = (await call(f, requestLeave, {
      staffId,
      kind: 'annual',
      startsOn: from.toISOString().slice(0, 10),
      endsOn: new Date(from.getTime() + (days - 1) * DAY_MS).toISOString().slice(0, 10),
    })) as { leaveId: string };
    await call(f, decideLeave, { leaveId: leave.leaveId, decision: 'approve' });
  }
}

/**
 * Other patients' stays booked ahead in a unit from Monday 06:00 for `days` days, until `free` beds are
 * left on the fullest night: the unit is then full (or nearly) for any post-op stay in that span.
 */
export async function fillUnit(f: SurgeryFixture, unitId: string, days: number, free = 0) {
  const fromAt = new Date(f.clock.now().getTime() + 60_000).toISOString();
  const untilAt = new Date(Date.parse(fromAt) + days * DAY_MS).toISOString();
  const booked: string[] = [];
  for (let n = 10; n < f.patients.length; n++) {
    try {
      await call(f, bookBedAhead, {
        unitId,
        patientId: f.patients[n]!,
        purpose: 'eval-fill',
        subjectId: `fill-${n}`,
        fromAt,
        untilAt,
      });
      booked.push(`fill-${n}`);
    } catch (err) {
      if (err instanceof OperationError && err.code === 'conflict') break;
      throw err;
    }
  }
  if (booked.length === 0 && free === 0) return;
  // Give back `free` of them, so exactly that many beds are left.
  for (const subjectId of booked.slice(booked.length - free)) {
    await call(f, releaseBedBooking, { purpose: 'eval-fill', subjectId, reason: 'eval: leave a bed free' });
  }
}
