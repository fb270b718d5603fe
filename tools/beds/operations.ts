import { eq } from 'drizzle-orm';
import { bedBookingOperations } from './bed-booking-operations.ts';
import { z } from 'zod';
import { bedReservations, beds } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import { assignmentOperations } from './assign/operations.ts';
import { bedBoardOperations } from './board-operations.ts';
import { bedRefusal, rankCandidateBeds } from './candidates.ts';
import { negotiationOperations } from './negotiation-operations.ts';
import { patientFlowOperations } from './patient-flow-operations.ts';
import { bedNeedSchema, candidateBedSchema, reservationSchema } from './schema.ts';
import {
  expireLapsedHolds,
  holdBed,
  liveReservationForEscalation,
  loadBedFacts,
  releaseHold,
  requirePatient,
} from './store.ts';
import { theatreOperations } from './theatre-operations.ts';

export const findCandidateBeds = defineOperation({
  name: 'find_candidate_beds',
  module: 'beds',
  title: 'Find candidate beds',
  description:
    'Lists beds that can take a patient with the given needs right now (unoccupied, clean or inspected, ' +
    'not reserved, matching unit type, isolation, telemetry and room sex policy), best first, with the ' +
    'reasons for each rank. Use before reserve_bed. Returns at most `limit` beds.',
  input: z.object({ need: bedNeedSchema, limit: z.number().int().min(1).max(50).default(10) }),
  output: z.object({ candidates: z.array(candidateBedSchema), considered: z.number().int() }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ need, limit }, ctx) {
    const facts = await loadBedFacts(ctx.database.db, need.unitTypes, ctx.clock.now());
    return { candidates: rankCandidateBeds(facts, need).slice(0, limit), considered: facts.length };
  },
});

export const reserveBed = defineOperation({
  name: 'reserve_bed',
  module: 'beds',
  title: 'Reserve a bed',
  description:
    'Places a time-limited hold on one bed for a patient. Fails with a conflict if another request holds ' +
    'the bed (then try the next candidate). With an escalationId the call is idempotent: repeating it ' +
    'returns the reservation already made for that escalation. Returns the reservation and when it lapses.',
  input: z.object({
    bedId: z.string().min(1),
    patientId: z.string().min(1),
    escalationId: z.string().min(1).optional(),
    need: bedNeedSchema.optional().describe('When given, the bed is checked against it before it is held'),
    holdMinutes: z.number().int().min(5).max(240).default(30),
    reason: z.string().min(3).max(500),
  }),
  output: reservationSchema,
  scope: 'beds:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const now = ctx.clock.now();
    if (input.escalationId) {
      const existing = await liveReservationForEscalation(ctx.database.db, input.escalationId);
      if (existing) return presentReservation(existing, true);
    }
    await requirePatient(ctx.database.db, input.patientId);
    if (input.need) {
      const [facts] = (await loadBedFacts(ctx.database.db, input.need.unitTypes, now)).filter(
        (b) => b.bedId === input.bedId,
      );
      const refusal = facts
        ? bedRefusal(facts, input.need)
        : `bed is not in a ${input.need.unitTypes.join('/')} unit`;
      if (refusal)
        throw new OperationError('conflict', `Bed ${input.bedId} does not fit the need: ${refusal}`);
    }
    return auditedWrite(ctx, 'reserve_bed', input, async (tx) => {
      const held = await holdBed(
        tx,
        {
          bedId: input.bedId,
          patientId: input.patientId,
          escalationId: input.escalationId,
          reason: input.reason,
          holdMinutes: input.holdMinutes,
          createdBy: ctx.actor.id,
        },
        now,
      );
      return presentReservation(held, false);
    });
  },
});

export const releaseBedReservation = defineOperation({
  name: 'release_bed_reservation',
  module: 'beds',
  title: 'Release a bed reservation',
  description:
    'Cancels a held or accepted reservation so the bed is free again. Releasing twice is harmless.',
  input: z.object({ reservationId: z.string().min(1), reason: z.string().min(3).max(500) }),
  output: reservationSchema,
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    let replayed = false;
    return auditedWrite(
      ctx,
      'release_bed_reservation',
      input,
      async (tx) => {
        const [row] = await tx
          .select({ r: bedReservations, unitId: beds.unitId })
          .from(bedReservations)
          .innerJoin(beds, eq(beds.id, bedReservations.bedId))
          .where(eq(bedReservations.id, input.reservationId))
          .for('update');
        if (!row) {
          throw new OperationError('not_found', `No reservation ${input.reservationId}`, [
            { field: 'reservationId', message: 'unknown reservation' },
          ]);
        }
        assertPatientAccess(ctx, row.r.patientId);
        if (row.r.status === 'released' || row.r.status === 'expired') {
          replayed = true;
          return presentReservation({ ...row.r, unitId: row.unitId }, true);
        }
        if (row.r.status === 'fulfilled') {
          throw new OperationError(
            'conflict',
            `Reservation ${row.r.id} is used up: patient ${row.r.patientId} was admitted to bed ${row.r.bedId}; discharge or transfer the patient instead`,
            [{ field: 'reservationId', message: 'the patient was admitted to the bed' }],
          );
        }
        // A bed request's hold belongs to its negotiation: released here, it would leave the request
        // waiting on a hold that no longer exists.
        if (row.r.requestId) {
          throw new OperationError(
            'conflict',
            `Reservation ${row.r.id} is held for bed request ${row.r.requestId}; cancel the request (close_bed_request) or decline the bed (answer_approval) instead`,
            [{ field: 'reservationId', message: `belongs to bed request ${row.r.requestId}` }],
          );
        }
        const updated = await releaseHold(tx, row.r, ctx.clock.now(), ctx.actor.id);
        return presentReservation({ ...updated!, unitId: row.unitId }, false);
      },
      () => !replayed,
    );
  },
});

export const expireBedHolds = defineOperation({
  name: 'expire_bed_holds',
  module: 'beds',
  title: 'Expire lapsed bed holds',
  description: 'Marks every hold whose time has passed as expired, freeing its bed. Run by the scheduler.',
  input: z.object({}),
  output: z.object({ expired: z.array(z.string()) }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'expire_bed_holds',
      input,
      async (tx) => ({ expired: await expireLapsedHolds(tx, now, undefined, ctx.actor.id) }),
      (outcome) => outcome.expired.length > 0,
    );
  },
});

function presentReservation(
  r: { id: string; bedId: string; unitId: string; patientId: string; status: string; holdExpiresAt: Date },
  replayed: boolean,
): z.infer<typeof reservationSchema> {
  return {
    reservationId: r.id,
    bedId: r.bedId,
    unitId: r.unitId,
    patientId: r.patientId,
    status: r.status as z.infer<typeof reservationSchema>['status'],
    holdExpiresAt: r.holdExpiresAt.toISOString(),
    replayed,
  };
}

export const bedOperations = [
  findCandidateBeds,
  reserveBed,
  releaseBedReservation,
  expireBedHolds,
  ...bedBoardOperations,
  ...patientFlowOperations,
  ...negotiationOperations,
  ...theatreOperations,
  ...assignmentOperations,
  ...bedBookingOperations,
];
