import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { stockReservations } from '../../db/schema/index.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { presentReservation, reasonSchema, reservationSchema } from './schema.ts';

export const releaseStockReservationsFor = defineOperation({
  name: 'release_stock_reservations_for',
  module: 'inventory',
  title: 'Release everything reserved for a purpose',
  description:
    'Gives back every held reservation of one purpose and subject (all the stock reserved for a surgery ' +
    'request that was cancelled or could not be planned), with the reason. Releasing when nothing is held ' +
    'is not an error: it returns an empty list, so a retried clean-up is safe.',
  input: z.object({
    purpose: z.string().min(1).max(80),
    subjectId: z.string().min(1).max(200),
    reason: reasonSchema,
  }),
  output: z.object({ released: z.array(reservationSchema) }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'release_stock_reservations_for',
      input,
      async (tx) => {
        // A release changes no lot, so the row lock on the reservations is the only lock it needs.
        const rows = await tx
          .update(stockReservations)
          .set({ status: 'released', closedAt: now, closedReason: input.reason })
          .where(
            and(
              eq(stockReservations.purpose, input.purpose),
              eq(stockReservations.subjectId, input.subjectId),
              eq(stockReservations.status, 'held'),
            ),
          )
          .returning();
        rows.sort((a, b) => (a.id < b.id ? -1 : 1));
        return { released: rows.map(presentReservation) };
      },
      (outcome) => outcome.released.length > 0,
    );
  },
});
