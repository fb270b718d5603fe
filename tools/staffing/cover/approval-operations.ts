import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { notifications, staff } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { defineOperation } from '../../core/operation.ts';
import { requireStaff } from '../records.ts';
import { type CoverDecision, type CoverQuestion, coverRequestSchema, wakeStaffingAgent } from './requests.ts';
import type { Candidate } from './rules.ts';
import {
  assertLive,
  changeRequest,
  fill,
  lockedCandidate,
  money,
  rankRequest,
  setRequest,
} from './workflow.ts';

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
    return changeRequest(ctx, 'assign_cover', input, async (tx, r) => {
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
  },
});

export const askCoverApproval = defineOperation({
  name: 'ask_cover_approval',
  module: 'staffing',
  title: 'Ask a staffing manager to approve cover',
  description:
    'Puts overtime or agency cover above the threshold to a staffing manager: the request waits ' +
    '(awaiting-approval) until answer_cover_approval. Refused for a candidate who breaks a rule, or one who ' +
    'needs no approval (assign them). Every staffing manager is notified. Idempotent: asking again for the ' +
    'same candidate returns the question (and notifies nobody again).',
  input: z.object({ requestId: z.string().min(1), staffId: z.string().min(1) }),
  output: coverRequestSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return changeRequest(ctx, 'ask_cover_approval', input, async (tx, r) => {
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
      // Every staffing manager is told, in the same transaction: the question is not left to be found.
      const managers = await tx
        .select({ id: staff.id })
        .from(staff)
        .where(eq(staff.role, 'staffing-manager'));
      if (managers.length > 0) {
        await tx.insert(notifications).values(
          managers.map((m) => ({
            id: randomUUID(),
            channel: 'notify' as const,
            recipientKind: 'staff' as const,
            recipientId: m.id,
            message: `${question.text} Answer with answer_cover_approval on ${r.id}.`,
            createdAt: now,
            createdBy: ctx.actor.id,
          })),
        );
      }
      return updated;
    });
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
    return changeRequest(ctx, 'answer_cover_approval', input, async (tx, r) => {
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
  },
});
