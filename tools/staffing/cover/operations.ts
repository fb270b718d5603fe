import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import { coverRequests, coverRequestStatuses, notifications } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { addDays, type ShiftKind, shiftKinds, shiftSlots } from '../demand/forecast.ts';
import { requireShift, requireUnit } from '../records.ts';
import {
  coverRequestSchema,
  fileCoverForShift,
  insertCoverRequest,
  presentCoverRequest,
  skillLeftUncovered,
  wakeStaffingAgent,
} from './requests.ts';
import {
  type CoverSlot,
  coverableRoles,
  DEFAULT_APPROVAL_THRESHOLD_CENTS,
  FATIGUE_LIMITS,
  rankCover,
} from './rules.ts';
import { type CoverRequestRow, loadCandidateFacts, requireCoverRequest } from './store.ts';
import {
  assertLive,
  candidateSchema,
  changeRequest,
  rankRequest,
  refusedSchema,
  setRequest,
  thresholdSchema,
} from './workflow.ts';
import { answerCoverApproval, askCoverApproval, assignCover } from './approval-operations.ts';

const requestIdInput = z.object({ requestId: z.string().min(1) });

/** A unit's shift named by day and kind, as request_cover and find_cover_candidates take it. */
const unitShiftFields = {
  unitId: z.string().min(1),
  day: z.iso.date().describe('The date the shift starts, YYYY-MM-DD'),
  kind: z.enum(shiftKinds),
  requiredSkill: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .optional()
    .describe("Default: the unit's required certification when nobody rostered on the shift holds it"),
};

/** That shift's times, and the certification its cover needs: the one asked for, else the unit's when nobody on it holds it. */
async function unitShift(
  db: DbOrTx,
  input: { unitId: string; role: string; day: string; kind: ShiftKind; requiredSkill?: string | undefined },
): Promise<CoverSlot> {
  await requireUnit(db, input.unitId, 'unitId');
  const { startsAt, endsAt } = shiftSlots(input.day, 1).find((s) => s.kind === input.kind)!;
  return {
    unitId: input.unitId,
    role: input.role as CoverSlot['role'],
    startsAt,
    endsAt,
    requiredSkill:
      input.requiredSkill ?? (await skillLeftUncovered(db, { unitId: input.unitId, startsAt, endsAt })),
    calledOutStaffId: null,
  };
}

export const requestCover = defineOperation({
  name: 'request_cover',
  module: 'staffing',
  title: 'Ask for cover for a shift',
  description:
    'Files a cover request: for a called-out shift (`shiftId`; mark_shift_called_out files one itself), or ' +
    'an open shift on a unit (`unitId`, `role`, `day`, `kind`). The staffing agent then finds the least-cost ' +
    'cover that breaks no rule and asks a staffing manager before overtime or agency above the threshold. ' +
    'Idempotent for a shift: returns the request already filed for it.',
  input: z.union([
    z.object({
      shiftId: z.string().min(1),
      approvalThresholdCents: thresholdSchema.optional(),
    }),
    z.object({
      ...unitShiftFields,
      role: z.enum(coverableRoles as [string, ...string[]]).describe('RN, LPN, CNA or charge-nurse'),
      approvalThresholdCents: thresholdSchema.optional(),
    }),
  ]),
  output: z.object({ request: coverRequestSchema, replayed: z.boolean() }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    let replayed = false;
    const row = await auditedWrite(ctx, 'request_cover', input, async (tx) => {
      if ('shiftId' in input) {
        const shift = await requireShift(tx, input.shiftId, true);
        if (shift.status !== 'called-out') {
          throw new OperationError(
            'conflict',
            `Shift ${shift.id} is ${shift.status}: only a called-out shift needs cover (mark it called out first)`,
            [{ field: 'shiftId', message: `the shift is ${shift.status}` }],
          );
        }
        if (shift.endsAt <= now) {
          throw new OperationError('conflict', `Shift ${shift.id} ended at ${shift.endsAt.toISOString()}`, [
            { field: 'shiftId', message: 'the shift is over' },
          ]);
        }
        const filed = await fileCoverForShift(tx, shift, {
          actorId: ctx.actor.id,
          now,
          approvalThresholdCents: input.approvalThresholdCents,
        });
        replayed = filed.replayed;
        return filed.row;
      }
      const slot = await unitShift(tx, input);
      if (slot.endsAt <= now) {
        throw new OperationError('invalid', `The ${input.kind} shift of ${input.day} is over`, [
          { field: 'day', message: 'in the past' },
        ]);
      }
      if (input.day > addDays(now.toISOString().slice(0, 10), 90)) {
        throw new OperationError('invalid', 'Open shifts are posted at most 90 days ahead', [
          { field: 'day', message: 'more than 90 days ahead' },
        ]);
      }
      return insertCoverRequest(tx, {
        shiftId: null,
        unitId: input.unitId,
        role: input.role as CoverRequestRow['role'],
        kind: input.kind,
        startsAt: slot.startsAt,
        endsAt: slot.endsAt,
        requiredSkill: slot.requiredSkill,
        approvalThresholdCents: input.approvalThresholdCents ?? DEFAULT_APPROVAL_THRESHOLD_CENTS,
        actorId: ctx.actor.id,
        now,
      });
    });
    return { request: await presentCoverRequest(ctx.database.db, row), replayed };
  },
});

export const getCoverRequest = defineOperation({
  name: 'get_cover_request',
  module: 'staffing',
  title: 'A cover request',
  description:
    'A cover request with its status (open, awaiting-approval, filled, unfilled, cancelled), who filled it ' +
    'at what cost and tier, the question waiting for a staffing manager, and every answer given.',
  input: requestIdInput,
  output: coverRequestSchema,
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ requestId }, ctx) {
    return presentCoverRequest(ctx.database.db, await requireCoverRequest(ctx.database.db, requestId));
  },
});

export const listCoverRequests = defineOperation({
  name: 'list_cover_requests',
  module: 'staffing',
  title: 'List cover requests',
  description:
    'Cover requests by status and unit, soonest shift first: e.g. status awaiting-approval for what waits ' +
    'for a staffing manager, or unfilled for open shifts nobody could cover.',
  input: z.object({
    status: z.enum(coverRequestStatuses).optional(),
    unitId: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: z.object({ requests: z.array(coverRequestSchema) }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const rows = await db
      .select()
      .from(coverRequests)
      .where(
        and(
          input.status ? eq(coverRequests.status, input.status) : undefined,
          input.unitId ? eq(coverRequests.unitId, input.unitId) : undefined,
        ),
      )
      .orderBy(asc(coverRequests.startsAt), asc(coverRequests.id))
      .limit(input.limit);
    return { requests: await Promise.all(rows.map((r) => presentCoverRequest(db, r))) };
  },
});

export const findCoverCandidates = defineOperation({
  name: 'find_cover_candidates',
  module: 'staffing',
  title: 'Who can cover a shift',
  description:
    'Everyone who may work a shift without breaking a rule (role and scope of practice, home unit or float ' +
    `pool, required certification current, approved leave, no overlapping shift, at most 12 h in 24 h and ` +
    `60 h in 7 days per ${FATIGUE_LIMITS.source}), least estimated cost first, with tier (float, extra-shift, ` +
    'overtime, agency) and whether a staffing manager must approve. Give a cover request (`requestId`), or ' +
    'a unit, day and shift kind to ask "who can cover ICU nights tomorrow?". `includeRefused` also lists ' +
    'who may not, with every rule they would break.',
  input: z.union([
    z.object({
      requestId: z.string().min(1),
      limit: z.number().int().min(1).max(200).default(20),
      includeRefused: z.boolean().default(false),
    }),
    z.object({
      ...unitShiftFields,
      role: z.enum(coverableRoles as [string, ...string[]]).default('RN'),
      limit: z.number().int().min(1).max(200).default(20),
      includeRefused: z.boolean().default(false),
    }),
  ]),
  output: z.object({
    unitId: z.string(),
    role: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    requiredSkill: z.string().nullable(),
    candidates: z.array(candidateSchema),
    eligible: z.number().int(),
    refused: z.array(refusedSchema),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    let ranked: Awaited<ReturnType<typeof rankRequest>>;
    let shape: { unitId: string; role: string; startsAt: Date; endsAt: Date; requiredSkill: string | null };
    if ('requestId' in input) {
      const r = await requireCoverRequest(db, input.requestId);
      ranked = await rankRequest(db, r);
      shape = r;
    } else {
      const slot = await unitShift(db, input);
      ranked = rankCover(await loadCandidateFacts(db, slot), slot, DEFAULT_APPROVAL_THRESHOLD_CENTS);
      shape = slot;
    }
    return {
      unitId: shape.unitId,
      role: shape.role,
      startsAt: shape.startsAt.toISOString(),
      endsAt: shape.endsAt.toISOString(),
      requiredSkill: shape.requiredSkill,
      candidates: ranked.candidates.slice(0, input.limit),
      eligible: ranked.candidates.length,
      refused: input.includeRefused ? ranked.refused : [],
    };
  },
});

export const closeCoverRequest = defineOperation({
  name: 'close_cover_request',
  module: 'staffing',
  title: 'Close a cover request',
  description:
    'Ends a cover request that is still open or waiting for approval: unfilled (nobody can cover it; the ' +
    'outcome says why) or cancelled (the shift is no longer needed). The question to a manager is withdrawn.',
  input: z.object({
    requestId: z.string().min(1),
    status: z.enum(['unfilled', 'cancelled']),
    outcome: z.string().trim().min(3).max(2000),
  }),
  output: coverRequestSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return changeRequest(ctx, 'close_cover_request', input, async (tx, r) => {
      assertLive(r);
      const updated = await setRequest(tx, r.id, {
        status: input.status,
        question: null,
        outcome: input.outcome,
        updatedAt: now,
      });
      // An agent waiting on the withdrawn question ends its run.
      if (r.status === 'awaiting-approval') await wakeStaffingAgent(tx, r.id, now);
      return updated;
    });
  },
});

export const offerOpenShift = defineOperation({
  name: 'offer_open_shift',
  module: 'staffing',
  title: 'Offer an open shift to eligible staff',
  description:
    'Tells the staff who may work a cover request’s shift without approval (least cost first, up to ' +
    '`limit`) that it is open; whoever takes it is rostered with assign_cover. Each person is told once ' +
    'per request. Returns who was told.',
  input: z.object({ requestId: z.string().min(1), limit: z.number().int().min(1).max(50).default(10) }),
  output: z.object({
    requestId: z.string(),
    offeredTo: z.array(
      z.object({ staffId: z.string(), name: z.string(), tier: z.string(), replayed: z.boolean() }),
    ),
  }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'offer_open_shift', input, async (tx) => {
      const r = await requireCoverRequest(tx, input.requestId, true);
      if (r.status !== 'open' && r.status !== 'unfilled') assertLive(r);
      const ranked = await rankRequest(tx, r);
      const offer = ranked.candidates.filter((c) => !c.needsApproval).slice(0, input.limit);
      const marker = `(open shift ${r.id})`;
      const told = offer.length
        ? await tx
            .select({ recipientId: notifications.recipientId })
            .from(notifications)
            .where(
              and(
                inArray(
                  notifications.recipientId,
                  offer.map((c) => c.staffId),
                ),
                like(notifications.message, `%${marker}`),
              ),
            )
        : [];
      const already = new Set(told.map((t) => t.recipientId));
      const fresh = offer.filter((c) => !already.has(c.staffId));
      if (fresh.length > 0) {
        await tx.insert(notifications).values(
          fresh.map((c) => ({
            id: randomUUID(),
            channel: 'notify' as const,
            recipientKind: 'staff' as const,
            recipientId: c.staffId,
            message: `Open ${r.role} ${r.kind} shift on ${r.unitId}, ${r.startsAt.toISOString()} to ${r.endsAt.toISOString()}: you may take it ${marker}`,
            createdAt: now,
            createdBy: ctx.actor.id,
          })),
        );
      }
      return {
        requestId: r.id,
        offeredTo: offer.map((c) => ({
          staffId: c.staffId,
          name: c.name,
          tier: c.tier,
          replayed: already.has(c.staffId),
        })),
      };
    });
  },
});

export { answerCoverApproval, askCoverApproval, assignCover };

export const coverOperations = [
  requestCover,
  getCoverRequest,
  listCoverRequests,
  findCoverCandidates,
  assignCover,
  askCoverApproval,
  answerCoverApproval,
  closeCoverRequest,
  offerOpenShift,
];
