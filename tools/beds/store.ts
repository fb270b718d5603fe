import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client.ts';
import type { UnitType } from '../../db/schema/hospital.ts';
import { bedRequests, bedReservations, beds, patients, rooms, units } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { recordBedChanges } from './bed-events.ts';
import { returnLapsedOffers } from './negotiation.ts';
import type { BedFacts } from './candidates.ts';

/** The patient row, or a not_found error naming patientId. */
export async function requirePatient(db: DbOrTx, patientId: string) {
  const [patient] = await db.select().from(patients).where(eq(patients.id, patientId));
  if (!patient) {
    throw new OperationError('not_found', `No patient ${patientId}`, [
      { field: 'patientId', message: 'unknown patient' },
    ]);
  }
  return patient;
}

/**
 * Beds of the given unit types (or the one bed `bedId`) with their room and whether a live hold or
 * acceptance covers them.
 */
export async function loadBedFacts(
  db: DbOrTx,
  unitTypes: readonly UnitType[],
  now: Date,
  bedId?: string,
): Promise<BedFacts[]> {
  const rows = await db
    .select({
      bedId: beds.id,
      label: beds.label,
      unitId: beds.unitId,
      unitType: units.type,
      roomId: beds.roomId,
      roomSexPolicy: rooms.sexPolicy,
      roomIsolation: rooms.isolation,
      status: beds.status,
      housekeeping: beds.housekeeping,
      telemetry: beds.telemetry,
      bariatric: beds.bariatric,
      // A lapsed hold no longer counts, even before the sweeper has marked it expired.
      reserved: sql<boolean>`exists (select 1 from ${bedReservations} r where r.bed_id = ${beds.id}
        and (r.status = 'accepted' or (r.status = 'held' and r.hold_expires_at > ${now.toISOString()})))`,
    })
    .from(beds)
    .innerJoin(units, eq(units.id, beds.unitId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    .where(and(inArray(units.type, unitTypes), bedId === undefined ? undefined : eq(beds.id, bedId)));
  return rows as BedFacts[];
}

/**
 * Marks lapsed holds expired (on one bed, or all); returns the reservations it expired.
 *
 * Lock order, as offer_bed, answer_approval and close_bed_request take them: the bed request first,
 * then its approvals and its reservation. So the requests of the lapsed holds are locked before their
 * holds are touched (in id order, so that two sweeps queue rather than deadlock). A caller that already
 * holds another request (an offer or counter-offer taking a bed whose last hold lapsed) passes `noWait`:
 * waiting there for a second request is how two offers crossing each other's lapsed beds deadlock, so
 * it gives up at once with a conflict instead, and the caller offers another bed.
 */
export async function expireLapsedHolds(
  tx: DbOrTx,
  now: Date,
  bedId?: string,
  actor = 'system',
  opts: { noWait?: boolean } = {},
): Promise<string[]> {
  const conditions = [eq(bedReservations.status, 'held'), lte(bedReservations.holdExpiresAt, now)];
  if (bedId) conditions.push(eq(bedReservations.bedId, bedId));
  const lapsed = await tx
    .select({ id: bedReservations.id, requestId: bedReservations.requestId })
    .from(bedReservations)
    .where(and(...conditions));
  if (lapsed.length === 0) return [];
  const ids = lapsed.map((r) => r.id);
  const requestIds = [...new Set(lapsed.flatMap((r) => (r.requestId ? [r.requestId] : [])))].sort();
  if (opts.noWait) {
    try {
      // In a savepoint, so that the caller's transaction stays usable when the lock is refused.
      await tx.transaction(async (sp) => {
        if (requestIds.length > 0) {
          await sp
            .select({ id: bedRequests.id })
            .from(bedRequests)
            .where(inArray(bedRequests.id, requestIds))
            .for('update', { noWait: true });
        }
        await sp
          .select({ id: bedReservations.id })
          .from(bedReservations)
          .where(inArray(bedReservations.id, ids))
          .for('update', { noWait: true });
      });
    } catch (err) {
      if (pgErrorCode(err) === LOCK_NOT_AVAILABLE) {
        throw new OperationError(
          'conflict',
          `${bedId ? `Bed ${bedId}` : 'A bed'} is being released from a lapsed hold by another request right now; offer another bed or try again`,
        );
      }
      throw err;
    }
  } else if (requestIds.length > 0) {
    await tx
      .select({ id: bedRequests.id })
      .from(bedRequests)
      .where(inArray(bedRequests.id, requestIds))
      .orderBy(asc(bedRequests.id))
      .for('update');
  }
  // Only the holds whose requests are locked; one that lapsed since is the next sweep's.
  const expired = await tx
    .update(bedReservations)
    .set({ status: 'expired', closedAt: now })
    .where(and(...conditions, inArray(bedReservations.id, ids)))
    .returning({
      id: bedReservations.id,
      bedId: bedReservations.bedId,
      requestId: bedReservations.requestId,
    });
  await returnLapsedOffers(tx, expired, now);
  await recordBedChanges(
    tx,
    expired.map((r) => ({ bedId: r.bedId, change: 'reservation-expired' as const })),
    now,
    actor,
  );
  return expired.map((r) => r.id);
}

export interface NewHold {
  bedId: string;
  patientId: string;
  escalationId?: string | undefined;
  requestId?: string | undefined;
  reason: string;
  holdMinutes: number;
  createdBy: string;
}

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as {
    code?: string;
    constraint_name?: string;
    cause?: { code?: string; constraint_name?: string };
  };
  const pgErr = e.cause ?? e;
  return pgErr.code === '23505' && pgErr.constraint_name === constraint;
}

const LOCK_NOT_AVAILABLE = '55P03';

function pgErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return (e.cause ?? e).code;
}

/**
 * Holds a bed for a patient. The partial unique index on live reservations is what makes double
 * booking impossible; the row lock on the bed only makes the common race fail fast and readable.
 */
export async function holdBed(tx: Tx, hold: NewHold, now: Date) {
  await expireLapsedHolds(tx, now, hold.bedId, hold.createdBy, { noWait: true });
  const [bed] = await tx.select().from(beds).where(eq(beds.id, hold.bedId)).for('update');
  if (!bed)
    throw new OperationError('not_found', `No bed ${hold.bedId}`, [
      { field: 'bedId', message: 'unknown bed' },
    ]);
  if (bed.status !== 'U' || (bed.housekeeping !== 'clean' && bed.housekeeping !== 'inspected')) {
    throw new OperationError(
      'conflict',
      `Bed ${hold.bedId} is not available (status ${bed.status}, housekeeping ${bed.housekeeping})`,
    );
  }
  const row = {
    id: randomUUID(),
    bedId: hold.bedId,
    patientId: hold.patientId,
    escalationId: hold.escalationId ?? null,
    requestId: hold.requestId ?? null,
    status: 'held' as const,
    reason: hold.reason,
    holdExpiresAt: new Date(now.getTime() + hold.holdMinutes * 60_000),
    createdAt: now,
    createdBy: hold.createdBy,
  };
  try {
    // A savepoint keeps the caller's transaction usable when the insert loses the race.
    await tx.transaction(async (sp) => {
      await sp.insert(bedReservations).values(row);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'bed_reservations_active_bed_uq')) {
      throw new OperationError('conflict', `Bed ${hold.bedId} is already reserved`);
    }
    if (isUniqueViolation(err, 'bed_reservations_active_request_uq')) {
      throw new OperationError('conflict', `Bed request ${hold.requestId} already holds another bed`);
    }
    throw err;
  }
  await recordBedChanges(tx, [{ bedId: hold.bedId, change: 'reserved' }], now, hold.createdBy);
  return { ...row, unitId: bed.unitId };
}

/** Releases a live hold or acceptance and shows it on the bed board, in the caller's transaction. */
export async function releaseHold(tx: DbOrTx, hold: { id: string; bedId: string }, now: Date, actor: string) {
  const [released] = await tx
    .update(bedReservations)
    .set({ status: 'released', closedAt: now })
    .where(and(eq(bedReservations.id, hold.id), inArray(bedReservations.status, ['held', 'accepted'])))
    .returning();
  await recordBedChanges(tx, [{ bedId: hold.bedId, change: 'reservation-released' }], now, actor);
  return released;
}

export async function liveReservationForEscalation(db: DbOrTx, escalationId: string) {
  const [row] = await db
    .select({ r: bedReservations, unitId: beds.unitId })
    .from(bedReservations)
    .innerJoin(beds, eq(beds.id, bedReservations.bedId))
    .where(
      and(
        eq(bedReservations.escalationId, escalationId),
        inArray(bedReservations.status, ['held', 'accepted']),
      ),
    );
  return row ? { ...row.r, unitId: row.unitId } : undefined;
}
