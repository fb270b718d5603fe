import { and, desc, eq, lte, ne } from 'drizzle-orm';
import { z } from 'zod';
import { encounters, theatreBookings } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { assertPatientAccess, auditedWrite, defineOperation } from '../core/operation.ts';
import { openRevenueTask } from '../revenue/tasks.ts';
import { completeSurgeryCase } from '../surgery/completion.ts';
import { lockBooking, presentBooking, theatreBookingSchema } from './theatre-store.ts';

export const completeTheatreBooking = defineOperation({
  name: 'complete_theatre_booking',
  module: 'beds',
  title: 'Mark a surgical case done',
  description:
    'Records that a booked case has been performed (at or after its start). An outpatient or emergency ' +
    'case’s encounter is then billed by the revenue agent from what was recorded for it (record the ' +
    'procedure with record_encounter_service and the booking id first); an inpatient’s surgery is billed ' +
    'with the stay at discharge. Completing a completed booking changes nothing. Returns the booking and ' +
    'the revenue task, if one was started.',
  input: z.object({ bookingId: z.string().min(1) }),
  output: theatreBookingSchema.extend({
    encounterId: z.string().nullable().describe('The encounter the case belongs to, when there is one'),
    revenueTaskId: z.string().nullable().describe('The billing task started for an outpatient case'),
    surgeryRequestId: z.string().nullable().describe('The surgery request the case was planned by, if any'),
    replayed: z.boolean().describe('True when it was already completed'),
  }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'complete_theatre_booking',
      input,
      async (tx) => {
        const row = await lockBooking(tx, input.bookingId);
        assertPatientAccess(ctx, row.patientId);
        if (row.status === 'cancelled') {
          throw new OperationError('conflict', `Booking ${row.id} was cancelled; it cannot be completed`, [
            { field: 'bookingId', message: 'the booking is cancelled' },
          ]);
        }
        if (row.startsAt > now) {
          throw new OperationError(
            'conflict',
            `Booking ${row.id} starts at ${row.startsAt.toISOString()}: a case is completed after it starts`,
            [{ field: 'bookingId', message: 'the case has not started' }],
          );
        }
        // The encounter the patient was in when the case started: the latest one begun by then.
        const [encounter] = await tx
          .select({ id: encounters.id, class: encounters.class, status: encounters.status })
          .from(encounters)
          .where(
            and(
              eq(encounters.patientId, row.patientId),
              ne(encounters.status, 'cancelled'),
              lte(encounters.startedAt, row.startsAt),
            ),
          )
          .orderBy(desc(encounters.startedAt))
          .limit(1);
        const replayed = row.status === 'completed';
        let completed = row;
        if (!replayed) {
          const [updated] = await tx
            .update(theatreBookings)
            .set({ status: 'completed', updatedAt: now })
            .where(eq(theatreBookings.id, row.id))
            .returning();
          completed = updated!;
        }
        const billNow = !replayed && encounter !== undefined && encounter.class !== 'IMP';
        const revenueTaskId = billNow
          ? await openRevenueTask(tx, {
              kind: 'bill-encounter',
              subjectId: encounter.id,
              by: ctx.actor.id,
              now,
            })
          : null;
        // A planned surgery's reserved stock is used and charged before the bill is built.
        const surgeryRequestId = replayed
          ? null
          : await completeSurgeryCase(tx, ctx, {
              theatreBookingId: row.id,
              encounterId: encounter?.status === 'in-progress' ? encounter.id : null,
              revenueTaskId,
            });
        return {
          surgeryRequestId,
          ...presentBooking(completed),
          encounterId: encounter?.id ?? null,
          revenueTaskId,
          replayed,
        };
      },
      (outcome) => !outcome.replayed,
    );
  },
});
