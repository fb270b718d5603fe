import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import { z } from 'zod';
import { onCallRota, staff, staffLeave } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { demandOperations } from './demand/operations.ts';
import { coverOperations } from './cover/operations.ts';
import { presentNotification, sendOnce } from './notifications.ts';
import { loadBlocks, onCallRotaOperations } from './oncall-operations.ts';
import { payrollOperations } from './payroll-operations.ts';
import { staffRecordOperations } from './records-operations.ts';
import { rosteringOperations } from './rostering/operations.ts';
import { surgicalTeamOperations } from './surgical-team/operations.ts';
import { coveringNow, minuteOfWeek } from './rota.ts';

const personSchema = z.object({ staffId: z.string(), name: z.string(), role: z.string(), pager: z.string() });

export const notificationSchema = z.object({
  notificationId: z.string(),
  channel: z.enum(['page', 'notify', 'advice']),
  recipientKind: z.enum(['patient', 'staff']),
  recipientId: z.string(),
  message: z.string(),
  sentAt: z.string(),
  replayed: z.boolean().describe('True when this exact message had already been sent for the escalation'),
});

export const onCallNow = defineOperation({
  name: 'on_call_now',
  module: 'staffing',
  title: 'Who is on call now',
  description:
    'Returns the primary and backup on-call clinicians for a specialty at the current time (or at `at`), ' +
    'from the weekly on-call rota, with their pagers; someone on approved leave that day is left out (and ' +
    'listed under onLeave). Use to decide whom to page: the primary, or the backup when there is none.',
  input: z.object({
    specialty: z.string().min(1).describe('e.g. endocrinology, cardiology, critical-care'),
    at: z.iso.datetime({ offset: true }).optional(),
  }),
  output: z.object({
    specialty: z.string(),
    at: z.string(),
    primary: personSchema.nullable(),
    backup: personSchema.nullable(),
    onLeave: z
      .array(
        z.object({
          staffId: z.string(),
          name: z.string(),
          tier: z.enum(['primary', 'backup']),
          startsOn: z.string(),
          endsOn: z.string(),
        }),
      )
      .describe('Rota entries for now whose person is on approved leave: not paged'),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ specialty, at }, ctx) {
    const when = at ? new Date(at) : ctx.clock.now();
    const rota = await loadBlocks(ctx.database.db, eq(onCallRota.specialty, specialty));
    if (rota.length === 0) {
      throw new OperationError('not_found', `No on-call rota for specialty ${specialty}`, [
        { field: 'specialty', message: 'no rota for this specialty' },
      ]);
    }
    const covering = coveringNow(rota, minuteOfWeek(when));
    // Someone on approved leave that day is not paged, whatever the rota says: the next tier answers.
    const day = when.toISOString().slice(0, 10);
    const away =
      covering.length === 0
        ? []
        : await ctx.database.db
            .select({ staffId: staffLeave.staffId, startsOn: staffLeave.startsOn, endsOn: staffLeave.endsOn })
            .from(staffLeave)
            .where(
              and(
                inArray(
                  staffLeave.staffId,
                  covering.map((c) => c.staffId),
                ),
                eq(staffLeave.status, 'approved'),
                lte(staffLeave.startsOn, day),
                gte(staffLeave.endsOn, day),
              ),
            );
    const onLeave = new Map(away.map((l) => [l.staffId, l]));
    const person = (tier: 'primary' | 'backup') => {
      const e = covering.find((c) => c.tier === tier && !onLeave.has(c.staffId));
      return e ? { staffId: e.staffId, name: e.name, role: e.role, pager: e.pager } : null;
    };
    return {
      specialty,
      at: when.toISOString(),
      primary: person('primary'),
      backup: person('backup'),
      onLeave: covering.flatMap((c) => {
        const l = onLeave.get(c.staffId);
        return l
          ? [{ staffId: c.staffId, name: c.name, tier: c.tier, startsOn: l.startsOn, endsOn: l.endsOn }]
          : [];
      }),
    };
  },
});

const messageInput = {
  staffId: z.string().min(1),
  escalationId: z.string().min(1).optional(),
  message: z.string().min(3).max(1000),
};

async function messageStaff(
  channel: 'page' | 'notify',
  input: { staffId: string; escalationId?: string | undefined; message: string },
  ctx: Parameters<typeof onCallNow.handler>[1],
) {
  const [person] = await ctx.database.db
    .select({ id: staff.id })
    .from(staff)
    .where(eq(staff.id, input.staffId));
  if (!person) {
    throw new OperationError('not_found', `No staff member ${input.staffId}`, [
      { field: 'staffId', message: 'unknown staff' },
    ]);
  }
  const tool = channel === 'page' ? 'page_staff' : 'notify_staff';
  return auditedWrite(ctx, tool, input, async (tx) => {
    const sent = await sendOnce(
      tx,
      { ...input, channel, recipientKind: 'staff', recipientId: input.staffId, createdBy: ctx.actor.id },
      ctx.clock.now(),
    );
    return presentNotification(sent.notification, sent.replayed);
  });
}

export const pageStaff = defineOperation({
  name: 'page_staff',
  module: 'staffing',
  title: 'Page a clinician',
  description:
    'Pages a clinician (e.g. the on-call specialist from on_call_now) about an escalation. Sent once per ' +
    'escalation and person: repeating the call returns the first page. Returns the page as sent.',
  input: z.object(messageInput),
  output: notificationSchema,
  scope: 'notifications:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  handler: (input, ctx) => messageStaff('page', input, ctx),
});

export const notifyStaff = defineOperation({
  name: 'notify_staff',
  module: 'staffing',
  title: 'Notify a nurse or clinician',
  description:
    "Sends a non-urgent notification (e.g. to the patient's assigned nurse for a ward-level review). " +
    'Sent once per escalation and person. Use page_staff for emergencies.',
  input: z.object(messageInput),
  output: notificationSchema,
  scope: 'notifications:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  handler: (input, ctx) => messageStaff('notify', input, ctx),
});

export const staffingOperations = [
  onCallNow,
  ...onCallRotaOperations,
  pageStaff,
  notifyStaff,
  ...demandOperations,
  ...staffRecordOperations,
  ...payrollOperations,
  ...coverOperations,
  ...rosteringOperations,
  ...surgicalTeamOperations,
];
