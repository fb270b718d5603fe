import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { beds, bedStatuses, housekeepingStates } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { recordBedChanges } from './bed-events.ts';
import { bedBoardRowSchema, boardStatuses, loadBedBoard } from './board.ts';
import { housekeepingRefusal, unoccupiedStatusFor } from './housekeeping.ts';
import { liveReservationOnBed } from './patient-flow.ts';

export const bedBoardInputSchema = z.object({
  unit: z.string().min(1).optional().describe('Only the beds of this unit id'),
  status: z
    .enum(boardStatuses)
    .optional()
    .describe('Only beds with this status: an HL7 v2-0116 code (C, H, I, K, O, U) or reserved'),
  limit: z.number().int().min(1).max(500).default(100).describe('Beds per page (at most 500)'),
  cursor: z.string().min(1).optional().describe('The nextCursor of the previous page'),
});

export const getBedBoard = defineOperation({
  name: 'get_bed_board',
  module: 'beds',
  title: 'Bed board',
  description:
    'The live bed board: every bed with its unit, room, attributes (isolation, negative pressure, ' +
    'telemetry, bariatric, room sex policy), status (HL7 v2-0116: C closed, H housekeeping, I isolated, ' +
    'K contaminated, O occupied, U unoccupied; or reserved while a hold is live, with its expiry), ' +
    'housekeeping state, occupant and, for occupied beds, the expected time of a pending discharge. ' +
    'Filter by unit or status; one page of at most `limit` beds, and nextCursor for the next page.',
  input: bedBoardInputSchema,
  output: z.object({ beds: z.array(bedBoardRowSchema), nextCursor: z.string().nullable() }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    return loadBedBoard(ctx.database.db, input, ctx.clock.now());
  },
});

export const setHousekeepingState = defineOperation({
  name: 'set_housekeeping_state',
  module: 'beds',
  title: 'Set a bed’s housekeeping state',
  description:
    'Moves an unoccupied bed through housekeeping: dirty → cleaning → clean → inspected, any state → ' +
    'blocked (out of service), blocked → dirty; clean/inspected → dirty when soiled again. A clean or ' +
    'inspected bed becomes available (status U), dirty or cleaning makes it H, blocked makes it C. ' +
    'Refuses other transitions, naming the allowed next states. Setting the state a bed already has ' +
    'changes nothing. Returns the previous and new state and the bed status.',
  input: z.object({
    bedId: z.string().min(1),
    state: z.enum(housekeepingStates).describe('The new housekeeping state'),
    note: z.string().min(1).max(500).optional(),
  }),
  output: z.object({
    bedId: z.string(),
    previousState: z.enum(housekeepingStates),
    housekeeping: z.enum(housekeepingStates),
    status: z.enum(bedStatuses),
    changed: z.boolean(),
  }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'set_housekeeping_state',
      input,
      async (tx) => {
        const [bed] = await tx.select().from(beds).where(eq(beds.id, input.bedId)).for('update');
        if (!bed) {
          throw new OperationError('not_found', `No bed ${input.bedId}`, [
            { field: 'bedId', message: 'unknown bed' },
          ]);
        }
        const unchanged = {
          bedId: bed.id,
          previousState: bed.housekeeping,
          housekeeping: bed.housekeeping,
          status: bed.status,
          changed: false,
        };
        if (bed.housekeeping === input.state) return unchanged;
        if (bed.occupantPatientId !== null || bed.status === 'O') {
          throw new OperationError(
            'conflict',
            `Bed ${bed.id} is occupied; discharge or transfer the patient before housekeeping`,
            [{ field: 'bedId', message: 'the bed is occupied' }],
          );
        }
        const refusal = housekeepingRefusal(bed.housekeeping, input.state);
        if (refusal) {
          throw new OperationError('conflict', `Bed ${bed.id}: ${refusal}`, [
            { field: 'state', message: refusal },
          ]);
        }
        const status = unoccupiedStatusFor(input.state);
        if (status !== 'U') {
          const hold = await liveReservationOnBed(tx, bed.id, now);
          if (hold) {
            throw new OperationError(
              'conflict',
              `Bed ${bed.id} is reserved for ${hold.patientId} until ${hold.holdExpiresAt.toISOString()}; ` +
                'release the reservation before taking the bed out of use',
              [{ field: 'bedId', message: 'the bed is reserved' }],
            );
          }
        }
        await tx.update(beds).set({ housekeeping: input.state, status }).where(eq(beds.id, bed.id));
        await recordBedChanges(tx, [{ bedId: bed.id, change: 'housekeeping' }], now, ctx.actor.id);
        return { ...unchanged, housekeeping: input.state, status, changed: true };
      },
      (outcome) => outcome.changed,
    );
  },
});

export const bedBoardOperations = [getBedBoard, setHousekeepingState];
