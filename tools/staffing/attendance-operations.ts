import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { shifts } from '../../db/schema/index.ts';
import { fileCoverForShift } from './cover/requests.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../core/operation.ts';
import {
  type AttendanceEvent,
  attendanceChange,
  presentShift,
  requireShift,
  shiftRecordSchema,
} from './records.ts';

/** Applies one attendance event to a locked shift: the state machine in records.ts decides. */
async function recordAttendance(
  ctx: OperationContext,
  tool: string,
  input: { shiftId: string; at?: string | undefined },
  event: AttendanceEvent,
) {
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  await requireShift(ctx.database.db, input.shiftId, false);
  return auditedWrite(ctx, tool, input, async (tx) => {
    const shift = await requireShift(tx, input.shiftId, true);
    const next = attendanceChange(shift, event, at, now);
    const [updated] = await tx.update(shifts).set(next).where(eq(shifts.id, shift.id)).returning();
    // A shift still to come (or under way) that someone called out of needs cover: the staffing agent
    // is woken in this same transaction.
    const cover =
      event === 'called-out' && updated!.endsAt > now
        ? await fileCoverForShift(tx, updated!, { actorId: ctx.actor.id, now })
        : null;
    return { ...presentShift(updated!), coverRequestId: cover?.row.id ?? null };
  });
}

export const clockShift = defineOperation({
  name: 'clock_shift',
  module: 'staffing',
  title: 'Clock in or out of a shift',
  description:
    'Clocks a staff member in to a scheduled shift (from 2 hours before it starts until it ends) or out ' +
    'of it (after the clock-in, within 24 hours; the shift is then worked and counts for payroll). `at` ' +
    'defaults to now and may not be in the future. A cancelled, called-out or already worked shift ' +
    'cannot be clocked. Returns the shift.',
  input: z.object({
    shiftId: z.string().min(1),
    event: z.enum(['in', 'out']),
    at: z.iso.datetime({ offset: true }).optional().describe('When, ISO 8601; defaults to now'),
  }),
  output: shiftRecordSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  handler: (input, ctx) =>
    recordAttendance(ctx, 'clock_shift', input, input.event === 'in' ? 'clock-in' : 'clock-out'),
});

const reasoned = z.object({ shiftId: z.string().min(1), reason: z.string().trim().min(3).max(500) });

export const markShiftCalledOut = defineOperation({
  name: 'mark_shift_called_out',
  module: 'staffing',
  title: 'Mark a shift called out',
  description:
    'Records that the staff member called out (sick, emergency) of a scheduled shift they had not clocked ' +
    'in to, with the reason. A shift not yet over gets a cover request and the staffing agent looks for ' +
    'the least-cost cover at once. Returns the shift and its cover request.',
  input: reasoned,
  output: shiftRecordSchema.extend({
    coverRequestId: z
      .string()
      .nullable()
      .describe('The cover request filed for the shift (get_cover_request); null once the shift is over'),
  }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  handler: (input, ctx) => recordAttendance(ctx, 'mark_shift_called_out', input, 'called-out'),
});

export const cancelShift = defineOperation({
  name: 'cancel_shift',
  module: 'staffing',
  title: 'Cancel a shift',
  description:
    'Cancels a scheduled shift nobody has clocked in to (low census, roster change), with the reason. ' +
    'A cancelled shift cannot be clocked and is not paid. Returns the shift.',
  input: reasoned,
  output: shiftRecordSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  handler: (input, ctx) => recordAttendance(ctx, 'cancel_shift', input, 'cancelled'),
});

export const attendanceOperations = [clockShift, markShiftCalledOut, cancelShift];
