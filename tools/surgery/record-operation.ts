import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { bedBookings, surgeryRequests } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import {
  alternativeSchema,
  attemptSchema,
  lockRequest,
  planSchema,
  presentRequest,
  requireProcedure,
  type SurgeryAttempt,
  surgeryRequestSchema,
} from './store.ts';

// Which status the orchestration may move a request to, from which. Cancelled is the office's
// (cancel_surgery), completed the theatre's (complete_theatre_booking): the agent records only.
const MOVES: Record<string, readonly string[]> = {
  booked: ['planning'],
  failed: ['planning'],
  billed: ['completed'],
};

export const recordSurgeryPlan = defineOperation({
  name: 'record_surgery_plan',
  module: 'surgery',
  title: 'Record the surgery orchestration’s progress',
  description:
    'For the surgery orchestration: appends notes and tried slots, and moves the request to booked (with ' +
    'the plan it holds), failed (with alternatives) or billed. Moving a request that was cancelled ' +
    'meanwhile is refused, so the caller releases what it holds. On an inpatient case already performed, ' +
    'bedRequestId records the bed request filed for the post-op bed booked ahead.',
  input: z
    .object({
      requestId: z.string().min(1),
      status: z.enum(['booked', 'failed', 'billed']).optional(),
      plan: planSchema.optional().describe('Required with status booked'),
      attempts: z.array(attemptSchema).default([]).describe('Slots tried since the last record'),
      alternatives: z.array(alternativeSchema).optional(),
      notes: z.array(z.string().min(1).max(1000)).default([]),
      outcome: z.string().min(1).max(1000).optional(),
      bedRequestId: z.string().min(1).optional(),
    })
    .refine((v) => v.status !== 'booked' || v.plan !== undefined, {
      path: ['plan'],
      message: 'a booked request needs its plan',
    }),
  output: surgeryRequestSchema,
  scope: 'surgery:write',
  risk: 'write',
  idempotent: false,
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'record_surgery_plan', input, async (tx) => {
      const row = await lockRequest(tx, input.requestId);
      const procedure = await requireProcedure(tx, row.procedureCode);
      if (input.status) {
        const from = MOVES[input.status]!;
        if (!from.includes(row.status)) {
          throw new OperationError(
            'conflict',
            `Request ${row.id} is ${row.status}; it cannot become ${input.status}`,
            [{ field: 'status', message: `the request is ${row.status}` }],
          );
        }
      }
      if (input.bedRequestId) {
        if (row.status !== 'completed' && input.status !== 'billed') {
          throw new OperationError(
            'conflict',
            `Request ${row.id} is ${row.status}: no patient to admit yet`,
            [{ field: 'bedRequestId', message: 'the case has not been performed' }],
          );
        }
        await tx
          .update(bedBookings)
          .set({
            status: 'admitted',
            bedRequestId: input.bedRequestId,
            closedAt: now,
            closedReason: 'case done',
          })
          .where(
            and(
              eq(bedBookings.purpose, 'post-op'),
              eq(bedBookings.subjectId, row.id),
              eq(bedBookings.status, 'booked'),
            ),
          );
      }
      const [updated] = await tx
        .update(surgeryRequests)
        .set({
          ...(input.status ? { status: input.status } : {}),
          ...(input.plan ? { plan: input.plan, theatreBookingId: input.plan.theatreBookingId } : {}),
          ...(input.status === 'failed' ? { plan: null, theatreBookingId: null } : {}),
          ...(input.alternatives ? { alternatives: input.alternatives } : {}),
          ...(input.outcome ? { outcome: input.outcome } : {}),
          attempts: [...(row.attempts as SurgeryAttempt[]), ...input.attempts],
          notes: [...row.notes, ...input.notes],
          updatedAt: now,
        })
        .where(eq(surgeryRequests.id, row.id))
        .returning();
      return presentRequest(updated!, procedure);
    });
  },
});
