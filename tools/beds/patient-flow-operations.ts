import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { openRevenueTask } from '../revenue/tasks.ts';
import { bedReservations, beds, encounters, isolationKinds } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import { recordBedChanges } from './bed-events.ts';
import { requirePatient } from './store.ts';
import { lockInpatientStays, lockOccupiedBed, lockTransferBeds, stricterIsolation } from './patient-flow.ts';

const noStay = (patientId: string) =>
  new OperationError('not_found', `Patient ${patientId} has no in-progress inpatient encounter`, [
    { field: 'patientId', message: 'no in-progress inpatient encounter (class IMP or EMER)' },
  ]);

export const recordPendingDischarge = defineOperation({
  name: 'record_pending_discharge',
  module: 'beds',
  title: 'Record a pending discharge',
  description:
    "Records when an inpatient is expected to leave, on the patient's in-progress encounter; the bed " +
    'board shows it as the bed’s expected availability, so bed planning can count on it. ' +
    'expectedAt null cancels the pending discharge. Returns the encounter, the bed and the time.',
  input: z.object({
    patientId: z.string().min(1),
    expectedAt: z.iso
      .datetime({ offset: true })
      .nullable()
      .describe('ISO 8601 time the discharge is expected; null cancels it'),
  }),
  output: z.object({
    patientId: z.string(),
    encounterId: z.string(),
    bedId: z.string().nullable(),
    expectedAt: z.string().nullable(),
  }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    const expectedAt = input.expectedAt === null ? null : new Date(input.expectedAt);
    if (expectedAt && expectedAt < now) {
      throw new OperationError('invalid', `expectedAt ${input.expectedAt} is in the past`, [
        { field: 'expectedAt', message: `must not be before now (${now.toISOString()})` },
      ]);
    }
    await requirePatient(ctx.database.db, input.patientId);
    return auditedWrite(ctx, 'record_pending_discharge', input, async (tx) => {
      const [stay] = await lockInpatientStays(tx, input.patientId);
      if (!stay) throw noStay(input.patientId);
      await tx.update(encounters).set({ expectedDischargeAt: expectedAt }).where(eq(encounters.id, stay.id));
      const bed = await lockOccupiedBed(tx, input.patientId);
      if (bed)
        await recordBedChanges(tx, [{ bedId: bed.id, change: 'pending-discharge' }], now, ctx.actor.id);
      return {
        patientId: input.patientId,
        encounterId: stay.id,
        bedId: bed?.id ?? null,
        expectedAt: expectedAt?.toISOString() ?? null,
      };
    });
  },
});

export const dischargePatient = defineOperation({
  name: 'discharge_patient',
  module: 'beds',
  title: 'Discharge a patient',
  description:
    'Discharges an inpatient: finishes the in-progress encounter (cancelling any pending discharge; the ' +
    'revenue agent then bills it) and ' +
    'frees the bed into housekeeping (status H, housekeeping dirty, no occupant), where it waits for ' +
    'cleaning before it is offered again. Refused when the patient occupies no bed. Returns the bed ' +
    'freed and the encounter finished.',
  input: z.object({
    patientId: z.string().min(1),
    reason: z.string().min(3).max(500).optional(),
  }),
  output: z.object({
    patientId: z.string(),
    encounterId: z.string().nullable(),
    bedId: z.string(),
    bedStatus: z.literal('H'),
    housekeeping: z.literal('dirty'),
    dischargedAt: z.string(),
  }),
  scope: 'beds:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    await requirePatient(ctx.database.db, input.patientId);
    return auditedWrite(ctx, 'discharge_patient', input, async (tx) => {
      const bed = await lockOccupiedBed(tx, input.patientId);
      if (!bed) {
        throw new OperationError('conflict', `Patient ${input.patientId} occupies no bed`, [
          { field: 'patientId', message: 'the patient occupies no bed (already discharged?)' },
        ]);
      }
      const stays = await lockInpatientStays(tx, input.patientId);
      if (stays.length > 0) {
        await tx
          .update(encounters)
          .set({ status: 'finished', endedAt: now, expectedDischargeAt: null })
          .where(
            inArray(
              encounters.id,
              stays.map((s) => s.id),
            ),
          );
      }
      await tx
        .update(beds)
        .set({ status: 'H', housekeeping: 'dirty', occupantPatientId: null })
        .where(eq(beds.id, bed.id));
      await recordBedChanges(tx, [{ bedId: bed.id, change: 'discharged' }], now, ctx.actor.id);
      // The stay is billed once it ends: the revenue agent's task commits with the discharge.
      for (const stay of stays) {
        await openRevenueTask(tx, { kind: 'bill-encounter', subjectId: stay.id, by: ctx.actor.id, now });
      }
      return {
        patientId: input.patientId,
        encounterId: (stays.find((s) => s.bedId === bed.id) ?? stays[0])?.id ?? null,
        bedId: bed.id,
        bedStatus: 'H' as const,
        housekeeping: 'dirty' as const,
        dischargedAt: now.toISOString(),
      };
    });
  },
});

export const transferPatient = defineOperation({
  name: 'transfer_patient',
  module: 'beds',
  title: 'Transfer a patient to another bed',
  description:
    'Moves an inpatient from the bed they occupy to a target bed that is free now: unoccupied, clean ' +
    'or inspected, not reserved for anyone else (a hold for this patient is used up), and fitting the ' +
    "patient's needs (isolation at least the patient's recorded one, telemetry, bariatric, room sex " +
    'policy). The old bed goes to housekeeping (dirty). Refusals name the reason; nothing changes then. ' +
    'Use find_candidate_beds to choose the target.',
  input: z.object({
    patientId: z.string().min(1),
    toBedId: z.string().min(1),
    isolation: z
      .enum(isolationKinds)
      .optional()
      .describe("Isolation needed; the stricter of this and the patient's recorded isolation applies"),
    telemetry: z.boolean().default(false).describe('Whether the target must have cardiac telemetry'),
    bariatric: z.boolean().default(false),
    reason: z.string().min(3).max(500),
  }),
  output: z.object({
    patientId: z.string(),
    fromBedId: z.string(),
    toBedId: z.string(),
    encounterId: z.string().nullable(),
    usedReservationId: z.string().nullable(),
    transferredAt: z.string(),
  }),
  scope: 'beds:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    const patient = await requirePatient(ctx.database.db, input.patientId);
    return auditedWrite(ctx, 'transfer_patient', input, async (tx) => {
      const { source, target, ownHold } = await lockTransferBeds(tx, {
        patientId: input.patientId,
        toBedId: input.toBedId,
        need: {
          isolation: stricterIsolation(patient.isolation, input.isolation ?? 'none'),
          telemetry: input.telemetry,
          bariatric: input.bariatric,
          sex: patient.sex,
        },
        now,
      });
      // The old bed is emptied first: the unique index on occupants allows one bed per patient.
      await tx
        .update(beds)
        .set({ status: 'H', housekeeping: 'dirty', occupantPatientId: null })
        .where(eq(beds.id, source.id));
      // Guarded as well as locked: the update only fills an empty bed, whatever a caller did first.
      const [filled] = await tx
        .update(beds)
        .set({ status: 'O', occupantPatientId: input.patientId })
        .where(and(eq(beds.id, target.id), isNull(beds.occupantPatientId)))
        .returning({ id: beds.id });
      if (!filled) {
        throw new OperationError('conflict', `Bed ${target.id} was taken meanwhile`, [
          { field: 'toBedId', message: 'the bed is occupied' },
        ]);
      }
      if (ownHold) {
        await tx
          .update(bedReservations)
          .set({ status: 'released', closedAt: now })
          .where(eq(bedReservations.id, ownHold.id));
      }
      const stays = await lockInpatientStays(tx, input.patientId);
      const stay = stays.find((s) => s.bedId === source.id) ?? stays[0];
      if (stay) {
        await tx
          .update(encounters)
          .set({ bedId: target.id, unitId: target.unitId })
          .where(eq(encounters.id, stay.id));
      }
      await recordBedChanges(
        tx,
        [
          { bedId: source.id, change: 'transferred-out' },
          { bedId: target.id, change: 'transferred-in' },
        ],
        now,
        ctx.actor.id,
      );
      return {
        patientId: input.patientId,
        fromBedId: source.id,
        toBedId: target.id,
        encounterId: stay?.id ?? null,
        usedReservationId: ownHold?.id ?? null,
        transferredAt: now.toISOString(),
      };
    });
  },
});

export const admitPatient = defineOperation({
  name: 'admit_patient',
  module: 'beds',
  title: 'Admit a patient to their accepted bed',
  description:
    'The patient has arrived: they take the bed accepted for them (the reservation is used up, the bed ' +
    'becomes occupied and the in-progress inpatient encounter, created if there is none, records the bed). ' +
    'Refused when the patient has no accepted bed or already occupies one (use transfer_patient).',
  input: z.object({ patientId: z.string().min(1) }),
  output: z.object({
    patientId: z.string(),
    bedId: z.string(),
    unitId: z.string(),
    encounterId: z.string(),
    reservationId: z.string(),
    admittedAt: z.string(),
  }),
  scope: 'beds:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    await requirePatient(ctx.database.db, input.patientId);
    return auditedWrite(ctx, 'admit_patient', input, async (tx) => {
      const [accepted] = await tx
        .select()
        .from(bedReservations)
        .where(and(eq(bedReservations.patientId, input.patientId), eq(bedReservations.status, 'accepted')))
        .orderBy(asc(bedReservations.createdAt))
        .for('update');
      if (!accepted) {
        throw new OperationError(
          'conflict',
          `Patient ${input.patientId} has no accepted bed to be admitted to`,
          [{ field: 'patientId', message: 'no accepted bed reservation' }],
        );
      }
      const occupied = await lockOccupiedBed(tx, input.patientId);
      if (occupied) {
        throw new OperationError(
          'conflict',
          `Patient ${input.patientId} already occupies bed ${occupied.id}; use transfer_patient`,
          [{ field: 'patientId', message: `occupies ${occupied.id}` }],
        );
      }
      const [filled] = await tx
        .update(beds)
        .set({ status: 'O', occupantPatientId: input.patientId })
        .where(and(eq(beds.id, accepted.bedId), isNull(beds.occupantPatientId), eq(beds.status, 'U')))
        .returning({ id: beds.id, unitId: beds.unitId });
      if (!filled) {
        throw new OperationError(
          'conflict',
          `Bed ${accepted.bedId} is not empty; it cannot take the patient`,
          [{ field: 'patientId', message: `bed ${accepted.bedId} is occupied or closed` }],
        );
      }
      await tx
        .update(bedReservations)
        .set({ status: 'fulfilled', closedAt: now })
        .where(eq(bedReservations.id, accepted.id));
      const [stay] = await lockInpatientStays(tx, input.patientId);
      let encounterId = stay?.id;
      if (encounterId) {
        await tx
          .update(encounters)
          .set({ bedId: filled.id, unitId: filled.unitId })
          .where(eq(encounters.id, encounterId));
      } else {
        encounterId = randomUUID();
        await tx.insert(encounters).values({
          id: encounterId,
          patientId: input.patientId,
          class: 'IMP',
          status: 'in-progress',
          unitId: filled.unitId,
          bedId: filled.id,
          startedAt: now,
        });
      }
      await recordBedChanges(tx, [{ bedId: filled.id, change: 'admitted' }], now, ctx.actor.id);
      return {
        patientId: input.patientId,
        bedId: filled.id,
        unitId: filled.unitId,
        encounterId,
        reservationId: accepted.id,
        admittedAt: now.toISOString(),
      };
    });
  },
});

export const patientFlowOperations = [
  recordPendingDischarge,
  dischargePatient,
  transferPatient,
  admitPatient,
];
