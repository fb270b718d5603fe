import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { IsolationKind } from '../../db/schema/hospital.ts';
import { bedReservations, beds, encounters, rooms, units } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { bedRefusal } from './candidates.ts';
import type { BedNeed } from './schema.ts';

// Inpatient stays: the encounters a bed, a discharge and a transfer belong to.
const inpatientClasses = ['IMP', 'EMER'] as const;

/** The patient's in-progress inpatient stays, locked for the caller's transaction. */
export async function lockInpatientStays(tx: Tx, patientId: string) {
  return tx
    .select()
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, patientId),
        eq(encounters.status, 'in-progress'),
        inArray(encounters.class, [...inpatientClasses]),
      ),
    )
    .orderBy(asc(encounters.id))
    .for('update');
}

/** The bed the patient occupies, locked; a concurrent move that took the patient out excludes the row. */
export async function lockOccupiedBed(tx: Tx, patientId: string) {
  const [bed] = await tx.select().from(beds).where(eq(beds.occupantPatientId, patientId)).for('update');
  return bed;
}

/** The live hold or acceptance covering a bed now (a lapsed hold no longer counts). */
export async function liveReservationOnBed(tx: Tx, bedId: string, now: Date) {
  const [row] = await tx
    .select()
    .from(bedReservations)
    .where(
      and(
        eq(bedReservations.bedId, bedId),
        sql`(${bedReservations.status} = 'accepted' or (${bedReservations.status} = 'held'
          and ${bedReservations.holdExpiresAt} > ${now.toISOString()}))`,
      ),
    );
  return row;
}

const isolationOrder: Record<IsolationKind, number> = { none: 0, contact: 1, droplet: 2, airborne: 3 };
export const stricterIsolation = (a: IsolationKind, b: IsolationKind): IsolationKind =>
  isolationOrder[a] >= isolationOrder[b] ? a : b;

export interface TransferPlan {
  patientId: string;
  toBedId: string;
  need: Omit<BedNeed, 'unitTypes'>;
  now: Date;
}

/**
 * Locks the patient's bed and the target bed (always in bed id order, so that two transfers crossing
 * the same beds wait for each other instead of deadlocking) and checks the target can take the
 * patient now. Under these locks no other transfer, discharge or hold can change either bed, so the
 * checks still hold when the caller writes. Returns both beds and the patient's own hold on the target.
 */
export async function lockTransferBeds(tx: Tx, plan: TransferPlan) {
  // Found without a lock: taking it here, then the target, could deadlock against a transfer the other
  // way round. Both are locked together below, in order, and the occupant is checked again after.
  const [current] = await tx
    .select({ id: beds.id })
    .from(beds)
    .where(eq(beds.occupantPatientId, plan.patientId));
  if (!current) {
    throw new OperationError(
      'conflict',
      `Patient ${plan.patientId} occupies no bed; only an inpatient moves`,
      [{ field: 'patientId', message: 'the patient occupies no bed' }],
    );
  }
  if (current.id === plan.toBedId) {
    throw new OperationError('invalid', `Patient ${plan.patientId} already occupies ${plan.toBedId}`, [
      { field: 'toBedId', message: 'the patient already occupies this bed' },
    ]);
  }
  const locked = await tx
    .select({ bed: beds, unitType: units.type, sexPolicy: rooms.sexPolicy, isolation: rooms.isolation })
    .from(beds)
    .innerJoin(units, eq(units.id, beds.unitId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    .where(inArray(beds.id, [current.id, plan.toBedId]))
    .orderBy(asc(beds.id))
    .for('update', { of: beds });
  const source = locked.find((r) => r.bed.id === current.id)?.bed;
  const target = locked.find((r) => r.bed.id === plan.toBedId);
  if (!target) {
    throw new OperationError('not_found', `No bed ${plan.toBedId}`, [
      { field: 'toBedId', message: 'unknown bed' },
    ]);
  }
  if (!source || source.occupantPatientId !== plan.patientId) {
    throw new OperationError('conflict', `Patient ${plan.patientId} was moved or discharged meanwhile`, [
      { field: 'patientId', message: 'the patient no longer occupies the bed they were in' },
    ]);
  }
  const refuse = (why: string) =>
    new OperationError('conflict', `Bed ${plan.toBedId} cannot take ${plan.patientId}: ${why}`, [
      { field: 'toBedId', message: why },
    ]);
  if (target.bed.occupantPatientId !== null || target.bed.status === 'O') throw refuse('the bed is occupied');
  const hold = await liveReservationOnBed(tx, target.bed.id, plan.now);
  if (hold && hold.patientId !== plan.patientId) {
    throw refuse(`the bed is reserved for another patient until ${hold.holdExpiresAt.toISOString()}`);
  }
  if (target.bed.housekeeping !== 'clean' && target.bed.housekeeping !== 'inspected') {
    throw refuse(`the bed is ${target.bed.housekeeping}; only a clean or inspected bed takes a patient`);
  }
  const refusal = bedRefusal(
    {
      bedId: target.bed.id,
      label: target.bed.label,
      unitId: target.bed.unitId,
      unitType: target.unitType,
      roomId: target.bed.roomId,
      roomSexPolicy: target.sexPolicy,
      roomIsolation: target.isolation,
      status: target.bed.status,
      housekeeping: target.bed.housekeeping,
      telemetry: target.bed.telemetry,
      bariatric: target.bed.bariatric,
      reserved: false,
    },
    { ...plan.need, unitTypes: [target.unitType] },
  );
  if (refusal) throw refuse(refusal);
  return { source, target: target.bed, ownHold: hold ?? null };
}
