import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import {
  coverRequests,
  coverRequestStatuses,
  notifications,
  shifts,
  staffRoles,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../../core/operation.ts';
import { addDays, shiftKinds, shiftSlots } from '../demand/forecast.ts';
import { requireShift, requireStaff, requireUnit } from '../records.ts';
import {
  type CoverDecision,
  type CoverQuestion,
  coverRequestSchema,
  fileCoverForShift,
  insertCoverRequest,
  liveCoverStatuses,
  presentCoverRequest,
  skillLeftUncovered,
  wakeStaffingAgent,
} from './requests.ts';
import {
  type Candidate,
  coverableRoles,
  DEFAULT_APPROVAL_THRESHOLD_CENTS,
  FATIGUE_LIMITS,
  rankCover,
  type Refusal,
} from './rules.ts';
import { type CoverRequestRow, loadCandidateFacts, requireCoverRequest, slotOf } from './store.ts';

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

const candidateSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.enum(staffRoles),
  homeUnitId: z.string().nullable(),
  employmentType: z.string(),
  tier: z.enum(['float', 'extra-shift', 'overtime', 'agency']),
  costCents: z.number().int().describe('Estimated cost of the shift to the hospital'),
  overtimeMinutes: z.number().int(),
  weekMinutesBefore: z.number().int().describe('Minutes already rostered in the workweek'),
  needsApproval: z.boolean().describe("Overtime or agency above the request's threshold"),
  why: z.string(),
});

const refusedSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  refusals: z.array(z.object({ rule: z.string(), message: z.string() })),
});

const thresholdSchema = z
  .number()
  .int()
  .min(0)
  .max(10_000_000)
  .describe(
    `Overtime or agency cover costing more (cents) needs a staffing manager's approval; default ${DEFAULT_APPROVAL_THRESHOLD_CENTS}`,
  );

async function calledOutStaff(db: Tx | OperationContext['database']['db'], r: CoverRequestRow) {
  if (!r.shiftId) return null;
  const [shift] = await db.select({ staffId: shifts.staffId }).from(shifts).where(eq(shifts.id, r.shiftId));
  return shift?.staffId ?? null;
}

/** Ranks everyone for a request: the declined candidates are left out (a manager said no to them). */
async function rankRequest(db: Tx | OperationContext['database']['db'], r: CoverRequestRow) {
  const slot = slotOf(r, await calledOutStaff(db, r));
  const ranked = rankCover(await loadCandidateFacts(db, slot), slot, r.approvalThresholdCents);
  const declined = new Set(
    (r.decisions as CoverDecision[]).filter((d) => d.decision === 'decline').map((d) => d.candidateStaffId),
  );
  return { ...ranked, candidates: ranked.candidates.filter((c) => !declined.has(c.staffId)) };
}

const refusalText = (refusals: readonly Refusal[]) =>
  refusals.map((r) => `${r.rule}: ${r.message}`).join('; ');

/**
 * The candidate checked again, under lock of the request and the person's staff row, against the data
 * as it is now: the one check every assignment passes, whoever proposed it.
 */
async function lockedCandidate(tx: Tx, r: CoverRequestRow, staffId: string): Promise<Candidate> {
  await requireStaff(tx, staffId, { lock: true });
  const slot = slotOf(r, await calledOutStaff(tx, r));
  const facts = await loadCandidateFacts(tx, slot, { staffIds: [staffId] });
  const ranked = rankCover(facts, slot, r.approvalThresholdCents);
  const refused = ranked.refused[0];
  if (refused) {
    throw new OperationError(
      'conflict',
      `${refused.name} may not cover ${r.id}: ${refusalText(refused.refusals)}`,
      refused.refusals.map((x) => ({ field: 'staffId', message: `${x.rule}: ${x.message}` })),
    );
  }
  return ranked.candidates[0]!;
}

function assertLive(r: CoverRequestRow): void {
  if (!liveCoverStatuses.includes(r.status)) {
    throw new OperationError(
      'conflict',
      `Cover request ${r.id} is ${r.status}${r.filledBy ? ` (filled by ${r.filledBy})` : ''}${r.outcome ? `: ${r.outcome}` : ''}`,
      [{ field: 'requestId', message: `the request is ${r.status}` }],
    );
  }
}

const setRequest = async (tx: Tx, id: string, change: Partial<CoverRequestRow>) => {
  const [updated] = await tx.update(coverRequests).set(change).where(eq(coverRequests.id, id)).returning();
  return updated!;
};

/** Writes the cover shift and fills the request; tells the person. */
async function fill(tx: Tx, ctx: OperationContext, r: CoverRequestRow, c: Candidate, via: string) {
  const now = ctx.clock.now();
  const [shift] = await tx
    .insert(shifts)
    .values({
      id: `shf-${randomUUID()}`,
      staffId: c.staffId,
      unitId: r.unitId,
      kind: r.kind,
      startsAt: r.startsAt,
      endsAt: r.endsAt,
      status: 'scheduled',
    })
    .returning();
  const outcome = `Filled by ${c.name} (${c.tier}, ${money(c.costCents)}${via})`;
  const updated = await setRequest(tx, r.id, {
    status: 'filled',
    filledBy: c.staffId,
    coverShiftId: shift!.id,
    costCents: c.costCents,
    tier: c.tier,
    question: null,
    outcome,
    updatedAt: now,
  });
  // An agent run waiting on this request (for an approval, or overtaken by a person) ends.
  await wakeStaffingAgent(tx, r.id, now);
  await tx.insert(notifications).values({
    id: randomUUID(),
    channel: 'notify',
    recipientKind: 'staff',
    recipientId: c.staffId,
    message: `You are rostered on ${r.unitId} ${r.kind} shift ${r.startsAt.toISOString()} to ${r.endsAt.toISOString()} (cover request ${r.id}).`,
    createdAt: now,
    createdBy: ctx.actor.id,
  });
  return updated;
}

const requestIdInput = z.object({ requestId: z.string().min(1) });

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
      unitId: z.string().min(1),
      role: z.enum(coverableRoles as [string, ...string[]]).describe('RN, LPN, CNA or charge-nurse'),
      day: z.iso.date().describe('The date the shift starts, YYYY-MM-DD'),
      kind: z.enum(shiftKinds),
      requiredSkill: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .optional()
        .describe("Default: the unit's required certification when nobody rostered on the shift holds it"),
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
      await requireUnit(tx, input.unitId, 'unitId');
      const slot = shiftSlots(input.day, 1).find((s) => s.kind === input.kind)!;
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
        requiredSkill:
          input.requiredSkill ?? (await skillLeftUncovered(tx, { ...slot, unitId: input.unitId })),
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
      unitId: z.string().min(1),
      day: z.iso.date(),
      kind: z.enum(shiftKinds),
      role: z.enum(coverableRoles as [string, ...string[]]).default('RN'),
      requiredSkill: z
        .string()
        .trim()
        .min(1)
        .max(60)
        .optional()
        .describe("Default: the unit's required certification when nobody rostered on the shift holds it"),
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
      await requireUnit(db, input.unitId, 'unitId');
      const s = shiftSlots(input.day, 1).find((x) => x.kind === input.kind)!;
      const slot = {
        unitId: input.unitId,
        role: input.role as CoverRequestRow['role'],
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        requiredSkill: input.requiredSkill ?? (await skillLeftUncovered(db, { ...s, unitId: input.unitId })),
        calledOutStaffId: null,
      };
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

export const assignCover = defineOperation({
  name: 'assign_cover',
  module: 'staffing',
  title: 'Assign cover to a shift',
  description:
    'Rosters a staff member on a cover request’s shift. Every rule is checked again against the roster as ' +
    'it is now (role, unit or float pool, certification, leave, overlap, fatigue limits): a proposal that ' +
    'breaks one is refused with the rules it breaks, and nothing is written. Overtime or agency above the ' +
    'threshold is refused until a staffing manager approves it (ask_cover_approval). Returns the filled request.',
  input: z.object({ requestId: z.string().min(1), staffId: z.string().min(1) }),
  output: coverRequestSchema,
  scope: 'staffing:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const row = await auditedWrite(ctx, 'assign_cover', input, async (tx) => {
      const r = await requireCoverRequest(tx, input.requestId, true);
      assertLive(r);
      const c = await lockedCandidate(tx, r, input.staffId);
      if (c.needsApproval) {
        throw new OperationError(
          'conflict',
          `${c.name} would cost ${money(c.costCents)} as ${c.tier}, above the ${money(r.approvalThresholdCents)} threshold: a staffing manager must approve (ask_cover_approval)`,
          [{ field: 'staffId', message: 'needs a staffing manager’s approval' }],
        );
      }
      return fill(tx, ctx, r, c, '');
    });
    return presentCoverRequest(ctx.database.db, row);
  },
});

export const askCoverApproval = defineOperation({
  name: 'ask_cover_approval',
  module: 'staffing',
  title: 'Ask a staffing manager to approve cover',
  description:
    'Puts overtime or agency cover above the threshold to a staffing manager: the request waits ' +
    '(awaiting-approval) until answer_cover_approval. Refused for a candidate who breaks a rule, or one who ' +
    'needs no approval (assign them). Idempotent: asking again for the same candidate returns the question.',
  input: z.object({ requestId: z.string().min(1), staffId: z.string().min(1) }),
  output: coverRequestSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const row = await auditedWrite(ctx, 'ask_cover_approval', input, async (tx) => {
      const r = await requireCoverRequest(tx, input.requestId, true);
      assertLive(r);
      const pending = r.question as CoverQuestion | null;
      if (pending) {
        if (pending.candidateStaffId === input.staffId) return r;
        throw new OperationError(
          'conflict',
          `Cover request ${r.id} already waits for approval of ${pending.name}`,
          [{ field: 'staffId', message: `${pending.candidateStaffId} is waiting for approval` }],
        );
      }
      const c = await lockedCandidate(tx, r, input.staffId);
      if (
        (r.decisions as CoverDecision[]).some(
          (d) => d.candidateStaffId === c.staffId && d.decision === 'decline',
        )
      ) {
        throw new OperationError('conflict', `A staffing manager already declined ${c.name} for ${r.id}`, [
          { field: 'staffId', message: 'declined before' },
        ]);
      }
      if (!c.needsApproval) {
        throw new OperationError(
          'invalid',
          `${c.name} costs ${money(c.costCents)} as ${c.tier}: no approval needed, assign them (assign_cover)`,
          [{ field: 'staffId', message: 'needs no approval' }],
        );
      }
      const ranked = await rankRequest(tx, r);
      const cheaper = ranked.candidates.filter((x) => !x.needsApproval).length;
      const question: CoverQuestion = {
        candidateStaffId: c.staffId,
        name: c.name,
        tier: c.tier,
        costCents: c.costCents,
        overtimeMinutes: c.overtimeMinutes,
        askedAt: now.toISOString(),
        text:
          `Approve ${c.tier} for ${c.name} to cover the ${r.role} ${r.kind} shift on ${r.unitId} ` +
          `${r.startsAt.toISOString()} to ${r.endsAt.toISOString()}: ${money(c.costCents)}` +
          `${c.overtimeMinutes > 0 ? ` (${c.overtimeMinutes / 60} h overtime)` : ''}, above the ` +
          `${money(r.approvalThresholdCents)} threshold. ${cheaper === 0 ? 'Nobody can cover it without approval.' : `${cheaper} cover(s) need no approval.`}`,
      };
      const updated = await setRequest(tx, r.id, { status: 'awaiting-approval', question, updatedAt: now });
      return updated;
    });
    return presentCoverRequest(ctx.database.db, row);
  },
});

export const answerCoverApproval = defineOperation({
  name: 'answer_cover_approval',
  module: 'staffing',
  title: 'Approve or decline cover',
  description:
    "A staffing manager's answer to the question on a cover request. approve: the candidate is checked " +
    'again and rostered (if they can no longer work it, the approval is void and the agent looks again); ' +
    'decline (with a reason): the agent looks for the next cover and does not ask for that person again.',
  input: z.object({
    requestId: z.string().min(1),
    staffId: z.string().min(1).describe('The staffing manager answering'),
    decision: z.enum(['approve', 'decline']),
    reason: z.string().trim().min(3).max(500).optional(),
  }),
  output: coverRequestSchema,
  scope: 'staffing:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const manager = await requireStaff(ctx.database.db, input.staffId);
    if (manager.role !== 'staffing-manager') {
      throw new OperationError(
        'forbidden',
        `${manager.name} (${manager.role}) may not approve cover; a staffing manager answers`,
        [{ field: 'staffId', message: 'not a staffing manager' }],
      );
    }
    if (input.decision === 'decline' && !input.reason) {
      throw new OperationError('invalid', 'A decline needs a reason', [
        { field: 'reason', message: 'required' },
      ]);
    }
    const row = await auditedWrite(ctx, 'answer_cover_approval', input, async (tx) => {
      const r = await requireCoverRequest(tx, input.requestId, true);
      const question = r.question as CoverQuestion | null;
      if (r.status !== 'awaiting-approval' || !question) {
        throw new OperationError(
          'conflict',
          `Cover request ${r.id} waits for no approval (it is ${r.status})`,
          [{ field: 'requestId', message: `the request is ${r.status}` }],
        );
      }
      const decision = (d: CoverDecision['decision'], reason: string | null): CoverDecision => ({
        candidateStaffId: question.candidateStaffId,
        decision: d,
        answeredBy: manager.id,
        reason,
        at: now.toISOString(),
      });
      const reopen = async (d: CoverDecision) => {
        const updated = await setRequest(tx, r.id, {
          status: 'open',
          question: null,
          decisions: [...(r.decisions as CoverDecision[]), d],
          updatedAt: now,
        });
        await wakeStaffingAgent(tx, r.id, now);
        return updated;
      };
      if (input.decision === 'decline') return reopen(decision('decline', input.reason ?? null));
      let c: Candidate;
      try {
        c = await lockedCandidate(tx, r, question.candidateStaffId);
      } catch (err) {
        if (!(err instanceof OperationError)) throw err;
        return reopen(decision('void', `approved, but ${err.message}`));
      }
      const approved = {
        ...r,
        decisions: [...(r.decisions as CoverDecision[]), decision('approve', input.reason ?? null)],
      };
      await setRequest(tx, r.id, { decisions: approved.decisions });
      return fill(tx, ctx, approved, c, `, approved by ${manager.name}`);
    });
    return presentCoverRequest(ctx.database.db, row);
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
    const row = await auditedWrite(ctx, 'close_cover_request', input, async (tx) => {
      const r = await requireCoverRequest(tx, input.requestId, true);
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
    return presentCoverRequest(ctx.database.db, row);
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
