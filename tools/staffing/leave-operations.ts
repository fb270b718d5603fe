import { randomUUID } from 'node:crypto';
import { and, asc, eq, gte, inArray, lt, lte, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import { leaveKinds, shiftRequests, shifts, staffLeave } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../core/operation.ts';
import {
  daysBetween,
  isoDay,
  leaveRecordSchema,
  presentLeave,
  presentShiftRequest,
  requireStaff,
  type StaffRow,
  shiftRequestRecordSchema,
} from './records.ts';

// A year and a day: the longest leave recorded in one request (parental leave included).
const MAX_LEAVE_DAYS = 366;
// Shift requests are for the coming rosters; a wish a year out is noise.
const MAX_REQUEST_AHEAD_DAYS = 366;

/** The person's requested or approved leave that shares a day with the range (minus one leave). */
async function overlappingLeave(
  tx: Tx,
  staffId: string,
  range: { startsOn: string; endsOn: string },
  statuses: ('requested' | 'approved')[],
  except?: string,
) {
  return tx
    .select()
    .from(staffLeave)
    .where(
      and(
        eq(staffLeave.staffId, staffId),
        inArray(staffLeave.status, statuses),
        lte(staffLeave.startsOn, range.endsOn),
        gte(staffLeave.endsOn, range.startsOn),
        ...(except ? [ne(staffLeave.id, except)] : []),
      ),
    )
    .orderBy(asc(staffLeave.startsOn));
}

export const requestLeave = defineOperation({
  name: 'request_leave',
  module: 'staffing',
  title: 'Request leave',
  description:
    'Records a leave request (annual, sick, study, parental, other) for a staff member from startsOn to ' +
    'endsOn inclusive (at most 366 days). Only sick leave may start in the past. Refused when it overlaps ' +
    "leave the person already requested or was granted. It waits for the home unit's charge nurse (or an " +
    'admin) to decide with decide_leave. Returns the request.',
  input: z
    .object({
      staffId: z.string().min(1),
      kind: z.enum(leaveKinds),
      startsOn: z.iso.date().describe('First day of leave, YYYY-MM-DD'),
      endsOn: z.iso.date().describe('Last day of leave, YYYY-MM-DD, inclusive'),
      note: z.string().trim().min(1).max(500).optional(),
    })
    .superRefine((v, issue) => {
      if (v.endsOn < v.startsOn)
        issue.addIssue({ code: 'custom', path: ['endsOn'], message: 'must be on or after startsOn' });
      else if (daysBetween(v.startsOn, v.endsOn) + 1 > MAX_LEAVE_DAYS)
        issue.addIssue({
          code: 'custom',
          path: ['endsOn'],
          message: `leave is at most ${MAX_LEAVE_DAYS} days`,
        });
    }),
  output: leaveRecordSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const today = isoDay(now);
    if (input.kind !== 'sick' && input.startsOn < today) {
      throw new OperationError(
        'invalid',
        `${input.kind} leave cannot start in the past (${input.startsOn})`,
        [
          {
            field: 'startsOn',
            message: `must be today (${today}) or later; only sick leave is recorded afterwards`,
          },
        ],
      );
    }
    await requireStaff(ctx.database.db, input.staffId);
    const row = await auditedWrite(ctx, 'request_leave', input, async (tx) => {
      // The person's row lock serialises their leave: two overlapping requests cannot both pass the check.
      await requireStaff(tx, input.staffId, { lock: true });
      const [clash] = await overlappingLeave(tx, input.staffId, input, ['requested', 'approved']);
      if (clash) {
        throw new OperationError(
          'conflict',
          `${input.staffId} already has ${clash.status} ${clash.kind} leave ${clash.id} from ${clash.startsOn} to ${clash.endsOn}`,
          [{ field: 'startsOn', message: `overlaps ${clash.status} leave ${clash.id}` }],
        );
      }
      const [inserted] = await tx
        .insert(staffLeave)
        .values({
          id: `lv-${randomUUID()}`,
          staffId: input.staffId,
          kind: input.kind,
          startsOn: input.startsOn,
          endsOn: input.endsOn,
          status: 'requested',
          note: input.note ?? null,
          createdAt: now,
        })
        .returning();
      return inserted!;
    });
    return presentLeave(row);
  },
});

/**
 * Who may decide: an admin key, or the charge nurse of the requester's home unit named as approver
 * (as a charge nurse answers a bed request). Nobody decides their own leave.
 */
function assertMayDecide(ctx: OperationContext, requester: StaffRow, approver: StaffRow | null): string {
  if (approver?.id === requester.id) {
    throw new OperationError('forbidden', `${approver.name} may not decide their own leave`, [
      { field: 'approverStaffId', message: 'the requester cannot decide their own leave' },
    ]);
  }
  if (approver) {
    if (approver.role !== 'charge-nurse' || !requester.unitId || approver.unitId !== requester.unitId) {
      throw new OperationError(
        'forbidden',
        `${approver.name} (${approver.role}${approver.unitId ? ` on ${approver.unitId}` : ''}) may not decide leave of ${requester.name}: that is for the charge nurse of ${requester.unitId ?? 'their unit'} or an admin`,
        [
          {
            field: 'approverStaffId',
            message: `not the charge nurse of ${requester.unitId ?? "the requester's unit"}`,
          },
        ],
      );
    }
    return `${approver.name} (${approver.id}) via ${ctx.actor.id}`;
  }
  if (ctx.actor.kind !== 'admin') {
    throw new OperationError(
      'forbidden',
      `Leave is decided by a manager: name the approver (approverStaffId)`,
      [{ field: 'approverStaffId', message: "required: the charge nurse of the requester's home unit" }],
    );
  }
  return ctx.actor.id;
}

export const decideLeave = defineOperation({
  name: 'decide_leave',
  module: 'staffing',
  title: 'Approve or decline leave',
  description:
    "A manager's decision on a leave request: approve, or decline with a reason. The approver is the " +
    "charge nurse of the requester's home unit (approverStaffId), or an admin key. Approval is refused " +
    'when it would overlap leave already approved. Returns the leave and, when approved, the ids of the ' +
    'scheduled shifts it covers (they need cover: repair the roster).',
  input: z
    .object({
      leaveId: z.string().min(1),
      decision: z.enum(['approve', 'decline']),
      approverStaffId: z
        .string()
        .min(1)
        .optional()
        .describe('The deciding charge nurse; optional for admin keys'),
      reason: z.string().trim().min(3).max(500).optional().describe('Required to decline'),
    })
    .superRefine((v, issue) => {
      if (v.decision === 'decline' && !v.reason)
        issue.addIssue({ code: 'custom', path: ['reason'], message: 'a decline needs a reason' });
    }),
  output: leaveRecordSchema.extend({ scheduledShiftsDuringLeave: z.array(z.string()) }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const approver = input.approverStaffId
      ? await requireStaff(db, input.approverStaffId, { field: 'approverStaffId' })
      : null;
    const [found] = await db.select().from(staffLeave).where(eq(staffLeave.id, input.leaveId));
    if (!found) {
      throw new OperationError('not_found', `No leave ${input.leaveId}`, [
        { field: 'leaveId', message: 'unknown leave request' },
      ]);
    }
    return auditedWrite(ctx, 'decide_leave', input, async (tx) => {
      // Lock order: the person, then their leave (as request_leave takes the person first).
      const requester = await requireStaff(tx, found.staffId, { lock: true });
      const decidedBy = assertMayDecide(ctx, requester, approver);
      const [leave] = await tx
        .select()
        .from(staffLeave)
        .where(eq(staffLeave.id, input.leaveId))
        .for('update');
      if (leave!.status !== 'requested') {
        throw new OperationError(
          'conflict',
          `Leave ${leave!.id} is already ${leave!.status}${leave!.decidedBy ? ` by ${leave!.decidedBy}` : ''}`,
          [{ field: 'leaveId', message: `already ${leave!.status}` }],
        );
      }
      if (input.decision === 'approve') {
        const [clash] = await overlappingLeave(tx, leave!.staffId, leave!, ['approved'], leave!.id);
        if (clash) {
          throw new OperationError(
            'conflict',
            `Approving would overlap approved leave ${clash.id} (${clash.startsOn} to ${clash.endsOn})`,
            [{ field: 'leaveId', message: `overlaps approved leave ${clash.id}` }],
          );
        }
      }
      const [updated] = await tx
        .update(staffLeave)
        .set({ status: input.decision === 'approve' ? 'approved' : 'declined', decidedBy })
        .where(eq(staffLeave.id, leave!.id))
        .returning();
      const covered =
        input.decision === 'approve'
          ? await tx
              .select({ id: shifts.id })
              .from(shifts)
              .where(
                and(
                  eq(shifts.staffId, leave!.staffId),
                  eq(shifts.status, 'scheduled'),
                  gte(shifts.startsAt, new Date(`${leave!.startsOn}T00:00:00Z`)),
                  lt(shifts.startsAt, new Date(Date.parse(`${leave!.endsOn}T00:00:00Z`) + 86_400_000)),
                ),
              )
              .orderBy(asc(shifts.startsAt))
          : [];
      return { ...presentLeave(updated!), scheduledShiftsDuringLeave: covered.map((s) => s.id) };
    });
  },
});

export const recordShiftRequest = defineOperation({
  name: 'record_shift_request',
  module: 'staffing',
  title: 'Record a shift request (on or off)',
  description:
    'Records a wish to work (on) or not work (off) a shift kind (day, evening, night, any) on a day, with ' +
    'a weight 1–10 the roster solver weighs it by. A new wish for the same day and kind replaces the ' +
    'old one. Refused for a past day, more than a year ahead, or a wish to work a day of approved leave.',
  input: z.object({
    staffId: z.string().min(1),
    day: z.iso.date().describe('YYYY-MM-DD'),
    kind: z.enum(['day', 'evening', 'night', 'any']),
    want: z.enum(['on', 'off']),
    weight: z.number().int().min(1).max(10).default(1),
  }),
  output: shiftRequestRecordSchema.extend({
    replaced: z.boolean().describe('True when it replaced an earlier wish for the same day and kind'),
  }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const today = isoDay(now);
    if (input.day < today || daysBetween(today, input.day) > MAX_REQUEST_AHEAD_DAYS) {
      throw new OperationError('invalid', `A shift request for ${input.day} is out of range`, [
        { field: 'day', message: `must be from today (${today}) to ${MAX_REQUEST_AHEAD_DAYS} days ahead` },
      ]);
    }
    await requireStaff(ctx.database.db, input.staffId);
    const row = await auditedWrite(ctx, 'record_shift_request', input, async (tx) => {
      await requireStaff(tx, input.staffId, { lock: true });
      if (input.want === 'on') {
        const [leave] = await overlappingLeave(
          tx,
          input.staffId,
          { startsOn: input.day, endsOn: input.day },
          ['approved'],
        );
        if (leave) {
          throw new OperationError(
            'conflict',
            `${input.staffId} is on approved leave ${leave.id} on ${input.day}`,
            [{ field: 'day', message: `a day of approved leave (${leave.id})` }],
          );
        }
      }
      const same = and(
        eq(shiftRequests.staffId, input.staffId),
        eq(shiftRequests.day, input.day),
        eq(shiftRequests.kind, input.kind),
      );
      const replaced = await tx.delete(shiftRequests).where(same).returning({ id: shiftRequests.id });
      const [inserted] = await tx
        .insert(shiftRequests)
        .values({ id: `srq-${randomUUID()}`, ...input, createdAt: now })
        .returning();
      return { ...presentShiftRequest(inserted!), replaced: replaced.length > 0 };
    });
    return row;
  },
});

export const leaveOperations = [requestLeave, decideLeave, recordShiftRequest];
