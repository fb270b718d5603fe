import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, lte, ne } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../db/client.ts';
import {
  approvals,
  bedRequests,
  bedReservations,
  beds,
  encounters,
  staff,
  units,
  unitTypes,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import {
  assertPatientAccess,
  auditedWrite,
  defineOperation,
  type OperationContext,
} from '../core/operation.ts';
import { type BedChange, recordBedChanges } from './bed-events.ts';
import { type BedFacts, bedRefusal } from './candidates.ts';
import {
  type ApprovalRow,
  type BedRequestRow,
  loadBedRequestView,
  lockLiveHold,
  presentApproval,
  requireApproval,
  requireBedRequest,
  wakeBedAgent,
} from './negotiation.ts';
import {
  approvalSchema,
  type BedNeed,
  type BedOption,
  bedNeedSchema,
  bedOptionSchema,
  bedRequestSchema,
  bedRequestStatusSchema,
} from './schema.ts';
import {
  expireLapsedHolds,
  holdBed,
  isUniqueViolation,
  loadBedFacts,
  releaseHold,
  requirePatient,
} from './store.ts';

const closedStatuses = new Set(['assigned', 'no-fit', 'cancelled']);

export const requestBed = defineOperation({
  name: 'request_bed',
  module: 'beds',
  title: 'Request a bed',
  description:
    'Asks the bed agent to find a bed for a patient with the given needs. The agent ranks the beds that ' +
    "fit, holds the best for holdMinutes and asks the receiving unit's charge nurse to accept; a decline " +
    'moves on to the next bed, an unanswered question goes to the bed manager after escalateAfterMinutes, ' +
    'and when nothing fits it proposes options (expedite a discharge, overflow, transfer out). Returns the ' +
    'request at once; follow it with get_bed_request. Idempotent per escalationId and per requestId.',
  input: z.object({
    requestId: z.uuid().optional().describe('Your own id for the request, so that a retry is harmless'),
    patientId: z.string().min(1),
    need: bedNeedSchema,
    requester: z.enum(['triage', 'ed', 'surgery', 'transfer', 'admissions']),
    priority: z.enum(['emergency', 'urgent', 'routine']).default('urgent'),
    escalationId: z.string().min(1).optional(),
    holdMinutes: z.number().int().min(5).max(240).default(30),
    escalateAfterMinutes: z
      .number()
      .int()
      .min(1)
      .max(120)
      .default(10)
      .describe('How long the charge nurse has before the bed manager is asked; shorter than the hold'),
  }),
  output: bedRequestSchema,
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    if (input.escalateAfterMinutes >= input.holdMinutes) {
      throw new OperationError(
        'invalid',
        `escalateAfterMinutes (${input.escalateAfterMinutes}) must be shorter than holdMinutes (${input.holdMinutes}), or the hold lapses before the bed manager is asked`,
        [{ field: 'escalateAfterMinutes', message: `must be less than holdMinutes (${input.holdMinutes})` }],
      );
    }
    const db = ctx.database.db;
    const existing = await findExistingRequest(ctx, input);
    if (existing) return loadBedRequestView(db, existing.id, true);
    await requirePatient(db, input.patientId);
    const now = ctx.clock.now();
    const id = input.requestId ?? randomUUID();
    try {
      await auditedWrite(ctx, 'request_bed', input, async (tx) => {
        await tx.insert(bedRequests).values({
          id,
          patientId: input.patientId,
          need: input.need,
          requester: input.requester,
          priority: input.priority,
          escalationId: input.escalationId ?? null,
          holdMinutes: input.holdMinutes,
          escalateAfterMinutes: input.escalateAfterMinutes,
          createdBy: ctx.actor.id,
          createdAt: now,
          updatedAt: now,
        });
        await wakeBedAgent(tx, id, now);
        return { requestId: id };
      });
    } catch (err) {
      // Two identical requests raced: the loser answers with the winner's request.
      if (
        isUniqueViolation(err, 'bed_requests_escalation_uq') ||
        isUniqueViolation(err, 'bed_requests_pkey')
      ) {
        const winner = await findExistingRequest(ctx, input);
        if (winner) return loadBedRequestView(db, winner.id, true);
      }
      throw err;
    }
    return loadBedRequestView(db, id);
  },
});

async function findExistingRequest(
  ctx: OperationContext,
  input: { requestId?: string | undefined; escalationId?: string | undefined; patientId: string },
): Promise<BedRequestRow | undefined> {
  const db = ctx.database.db;
  const byId = input.requestId
    ? (await db.select().from(bedRequests).where(eq(bedRequests.id, input.requestId)))[0]
    : undefined;
  const byEscalation = input.escalationId
    ? (await db.select().from(bedRequests).where(eq(bedRequests.escalationId, input.escalationId)))[0]
    : undefined;
  const found = byId ?? byEscalation;
  if (found && found.patientId !== input.patientId) {
    const field = byId ? 'requestId' : 'escalationId';
    throw new OperationError(
      'conflict',
      `Bed request ${found.id} for that ${field} is for patient ${found.patientId}, not ${input.patientId}`,
      [{ field, message: 'already used for another patient' }],
    );
  }
  return found;
}

export const getBedRequest = defineOperation({
  name: 'get_bed_request',
  module: 'beds',
  title: 'Get a bed request',
  description:
    'Returns a bed request with its status (negotiating, awaiting-acceptance, assigned, no-fit, cancelled), ' +
    'every hold placed for it, every question put to a charge nurse or bed manager with the answer, the ' +
    'assigned bed, and the options proposed when nothing fits.',
  input: z.object({ requestId: z.string().min(1) }),
  output: bedRequestSchema,
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler({ requestId }, ctx) {
    const view = await loadBedRequestView(ctx.database.db, requestId);
    assertPatientAccess(ctx, view.patientId);
    return view;
  },
});

export const listBedRequests = defineOperation({
  name: 'list_bed_requests',
  module: 'beds',
  title: 'List bed requests',
  description: 'Lists bed requests, newest first, optionally by status.',
  input: z.object({
    status: bedRequestStatusSchema.optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: z.object({
    requests: z.array(
      z.object({
        requestId: z.string(),
        patientId: z.string(),
        requester: z.string(),
        priority: z.string(),
        status: bedRequestStatusSchema,
        bedId: z.string().nullable(),
        createdAt: z.string(),
      }),
    ),
  }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler({ status, limit }, ctx) {
    const rows = await ctx.database.db
      .select()
      .from(bedRequests)
      .where(status ? eq(bedRequests.status, status) : undefined)
      .orderBy(asc(bedRequests.createdAt), asc(bedRequests.id))
      .limit(limit);
    return {
      requests: rows.reverse().map((r) => ({
        requestId: r.id,
        patientId: r.patientId,
        requester: r.requester,
        priority: r.priority,
        status: r.status,
        bedId: r.bedId,
        createdAt: r.createdAt.toISOString(),
      })),
    };
  },
});

/** One bed's facts for the fit check, read in the caller's transaction. */
async function bedFacts(tx: Tx, bedId: string, now: Date): Promise<BedFacts> {
  // One bed, not the hospital's: offer_bed is on every negotiation's path.
  const [facts] = await loadBedFacts(tx, unitTypes, now, bedId);
  if (!facts) {
    throw new OperationError('not_found', `No bed ${bedId}`, [{ field: 'bedId', message: 'unknown bed' }]);
  }
  return facts;
}

function assertOpen(request: BedRequestRow) {
  if (closedStatuses.has(request.status)) {
    throw new OperationError('conflict', `Bed request ${request.id} is already ${request.status}`, [
      { field: 'requestId', message: `the request is ${request.status}` },
    ]);
  }
}

export const offerBed = defineOperation({
  name: 'offer_bed',
  module: 'beds',
  title: 'Offer a bed to the receiving unit',
  description:
    'For a bed request: holds the bed (it must fit the request and be free now) and asks the unit’s charge ' +
    'nurse, or the bed manager, to accept the patient. The answer comes through answer_approval; the ' +
    'charge nurse’s question goes to the bed manager if it is not answered in time. Idempotent: offering ' +
    'the bed already held to the same role returns the question already asked. A request holds one bed ' +
    'at a time; a conflict means another request took the bed (offer the next).',
  input: z.object({
    requestId: z.string().min(1),
    bedId: z.string().min(1),
    assignee: z.enum(['charge-nurse', 'bed-manager']).default('charge-nurse'),
  }),
  output: z.object({ approval: approvalSchema, replayed: z.boolean() }),
  scope: 'beds:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    let replayed = false;
    const approval = await auditedWrite(
      ctx,
      'offer_bed',
      input,
      async (tx) => {
        const request = await requireBedRequest(tx, input.requestId, true);
        assertPatientAccess(ctx, request.patientId);
        assertOpen(request);
        let live = await lockLiveHold(tx, request.id);
        if (live && live.status === 'held' && live.holdExpiresAt <= now) {
          await expireLapsedHolds(tx, now, live.bedId, ctx.actor.id);
          live = undefined;
        }
        if (live && live.bedId !== input.bedId) {
          throw new OperationError(
            'conflict',
            `Bed request ${request.id} already holds bed ${live.bedId}; a request holds one bed at a time`,
            [{ field: 'bedId', message: `the request holds ${live.bedId}` }],
          );
        }
        const [pending] = await tx
          .select()
          .from(approvals)
          .where(and(eq(approvals.subjectId, request.id), eq(approvals.status, 'pending')));
        if (pending) {
          if (live && pending.assigneeRole === input.assignee) {
            replayed = true;
            return pending;
          }
          throw new OperationError(
            'conflict',
            `Bed request ${request.id} already waits for the ${pending.assigneeRole}'s answer (approval ${pending.id})`,
          );
        }
        const need = request.need as BedNeed;
        const facts = await bedFacts(tx, input.bedId, now);
        let reservation: { id: string; holdExpiresAt: Date } | undefined = live;
        if (!reservation) {
          const refusal = bedRefusal(facts, need);
          if (refusal) {
            throw new OperationError('conflict', `Bed ${input.bedId} does not fit the request: ${refusal}`, [
              { field: 'bedId', message: refusal },
            ]);
          }
          reservation = await holdBed(
            tx,
            {
              bedId: input.bedId,
              patientId: request.patientId,
              escalationId: request.escalationId ?? undefined,
              requestId: request.id,
              reason: `Bed request ${request.id} (${request.requester}, ${request.priority})`,
              holdMinutes: request.holdMinutes,
              createdBy: ctx.actor.id,
            },
            now,
          );
        }
        const held = reservation;
        const [unit] = await tx.select({ name: units.name }).from(units).where(eq(units.id, facts.unitId));
        const askedStaff = await tx
          .select({ staffId: staff.id, name: staff.name, role: staff.role })
          .from(staff)
          .where(
            input.assignee === 'charge-nurse'
              ? and(eq(staff.role, 'charge-nurse'), eq(staff.unitId, facts.unitId))
              : eq(staff.role, 'bed-manager'),
          )
          .orderBy(asc(staff.id));
        const expires = held.holdExpiresAt.toISOString();
        const [row] = await tx
          .insert(approvals)
          .values({
            id: randomUUID(),
            kind: 'bed-acceptance',
            agent: 'beds',
            threadId: request.id,
            subjectId: request.id,
            assigneeRole: input.assignee,
            unitId: facts.unitId,
            question: {
              text:
                `Accept patient ${request.patientId} (${request.priority}, from ${request.requester}) into bed ` +
                `${facts.label} on ${unit?.name ?? facts.unitId}? Needs: isolation ${need.isolation}, ` +
                `telemetry ${need.telemetry ? 'yes' : 'no'}, bariatric ${need.bariatric ? 'yes' : 'no'}. ` +
                `The bed is held until ${expires}.`,
              patientId: request.patientId,
              reservationId: held.id,
              bedId: facts.bedId,
              bedLabel: facts.label,
              holdExpiresAt: expires,
              priority: request.priority,
              requester: request.requester,
              need,
              askedStaff,
            },
            createdAt: now,
            dueAt:
              input.assignee === 'charge-nurse'
                ? new Date(now.getTime() + request.escalateAfterMinutes * 60_000)
                : null,
          })
          .returning();
        await tx
          .update(bedRequests)
          .set({ status: 'awaiting-acceptance', updatedAt: now })
          .where(eq(bedRequests.id, request.id));
        return row!;
      },
      () => !replayed,
    );
    return { approval: presentApproval(approval), replayed };
  },
});

const answerInput = z
  .object({
    approvalId: z.string().min(1),
    staffId: z.string().min(1).describe('The charge nurse or bed manager answering'),
    decision: z.enum(['accept', 'decline', 'counter']),
    reason: z.string().min(3).max(500).optional().describe('Required to decline'),
    bedId: z.string().min(1).optional().describe('For counter: the bed offered instead'),
  })
  .superRefine((v, issue) => {
    if (v.decision === 'decline' && !v.reason)
      issue.addIssue({ code: 'custom', path: ['reason'], message: 'a decline needs a reason' });
    if (v.decision === 'counter' && !v.bedId)
      issue.addIssue({ code: 'custom', path: ['bedId'], message: 'a counter-offer names the bed offered' });
  });

/** Why an approval can no longer be answered, in words the person answering can act on. */
async function closedApprovalMessage(tx: Tx, approval: ApprovalRow): Promise<string> {
  const question = approval.question as { bedLabel: string; holdExpiresAt: string; reservationId: string };
  const lapsed = `The hold on bed ${question.bedLabel} lapsed at ${question.holdExpiresAt} before anyone answered; the bed is no longer held for this patient and the bed agent has moved on`;
  switch (approval.status) {
    case 'answered':
      return `Approval ${approval.id} was already answered: ${approval.decision} by ${approval.answeredBy} at ${approval.closedAt?.toISOString()}`;
    case 'expired':
      return lapsed;
    case 'escalated': {
      // The charge nurse's question, passed to the bed manager, is closed once its hold is no longer live.
      const [hold] = await tx
        .select({ status: bedReservations.status })
        .from(bedReservations)
        .where(eq(bedReservations.id, question.reservationId));
      if (hold?.status === 'expired') return lapsed;
      return `Approval ${approval.id} went to the bed manager at ${approval.closedAt?.toISOString()} and the hold it asked about is ${hold?.status ?? 'gone'} now; it can no longer be answered`;
    }
    case 'cancelled': {
      const [next] = await tx
        .select({ id: approvals.id })
        .from(approvals)
        .where(and(eq(approvals.subjectId, approval.subjectId), eq(approvals.status, 'pending')));
      return next
        ? `Approval ${approval.id} was withdrawn; the current question is approval ${next.id}`
        : `Approval ${approval.id} was withdrawn at ${approval.closedAt?.toISOString()} (the request was answered elsewhere or cancelled)`;
    }
    default:
      return `Approval ${approval.id} is ${approval.status}`;
  }
}

export const answerApproval = defineOperation({
  name: 'answer_approval',
  module: 'beds',
  title: 'Answer a bed acceptance',
  description:
    "A charge nurse's or bed manager's answer to a bed agent's question: accept the patient into the held " +
    'bed, decline with a reason (the agent offers the next bed), or counter-offer another free bed that ' +
    'fits (it is held and accepted at once). Refused with a clear message when the hold has lapsed, the ' +
    'question was already answered, or the staff member may not answer it. A charge nurse may still answer ' +
    'after the question went to the bed manager, as long as the bed manager has not.',
  input: answerInput,
  output: approvalSchema,
  scope: 'beds:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const [person] = await ctx.database.db.select().from(staff).where(eq(staff.id, input.staffId));
    if (!person) {
      throw new OperationError('not_found', `No staff member ${input.staffId}`, [
        { field: 'staffId', message: 'unknown staff member' },
      ]);
    }
    const updated = await auditedWrite(ctx, 'answer_approval', input, async (tx) => {
      // Lock order: the request, then its approval and hold, as offer_bed, close_bed_request and the
      // hold sweeper take them; the approval first would deadlock against a sweep expiring its hold.
      const { subjectId } = await requireApproval(tx, input.approvalId);
      const request = await requireBedRequest(tx, subjectId, true);
      const approval = await requireApproval(tx, input.approvalId, true);
      assertPatientAccess(ctx, request.patientId);
      const live = await lockLiveHold(tx, request.id);
      const question = approval.question as {
        reservationId: string;
        bedLabel: string;
        holdExpiresAt: string;
      };
      // An escalated question stays answerable by its charge nurse while its hold is the live one.
      const answerable =
        approval.status === 'pending' ||
        (approval.status === 'escalated' &&
          request.status === 'awaiting-acceptance' &&
          live?.id === question.reservationId);
      if (!answerable) {
        throw new OperationError('conflict', await closedApprovalMessage(tx, approval), [
          { field: 'approvalId', message: `the approval is ${approval.status}` },
        ]);
      }
      const mayAnswer =
        person.role === 'bed-manager' ||
        (approval.assigneeRole === 'charge-nurse' &&
          person.role === 'charge-nurse' &&
          person.unitId === approval.unitId);
      if (!mayAnswer) {
        throw new OperationError(
          'forbidden',
          `${person.name} (${person.role}${person.unitId ? ` on ${person.unitId}` : ''}) may not answer this question; it is for the ${approval.assigneeRole}${approval.assigneeRole === 'charge-nurse' ? ` of ${approval.unitId} or a bed manager` : ''}`,
          [{ field: 'staffId', message: `not the ${approval.assigneeRole} for this bed` }],
        );
      }
      if (
        !live ||
        live.id !== question.reservationId ||
        (live.status === 'held' && live.holdExpiresAt <= now)
      ) {
        throw new OperationError(
          'conflict',
          `The hold on bed ${question.bedLabel} lapsed at ${question.holdExpiresAt}; this ${input.decision} at ${now.toISOString()} is too late and is refused. The bed agent will offer another bed`,
          [{ field: 'approvalId', message: 'the hold this question is about has lapsed' }],
        );
      }
      const changes: { bedId: string; change: BedChange }[] = [];
      let outcome: string | null = null;
      let status: BedRequestRow['status'] = 'negotiating';
      let assignedBed: string | null = null;
      if (input.decision === 'accept') {
        await tx.update(bedReservations).set({ status: 'accepted' }).where(eq(bedReservations.id, live.id));
        changes.push({ bedId: live.bedId, change: 'reservation-accepted' });
        status = 'assigned';
        assignedBed = live.bedId;
        outcome = `Bed ${question.bedLabel} accepted by ${person.name} (${person.role})`;
      } else {
        await releaseHold(tx, live, now, ctx.actor.id);
        if (input.decision === 'counter') {
          const offered = await counterOffer(tx, ctx, request, approval, person, input.bedId!, now);
          changes.push(
            { bedId: offered.bedId, change: 'reserved' },
            { bedId: offered.bedId, change: 'reservation-accepted' },
          );
          status = 'assigned';
          assignedBed = offered.bedId;
          outcome = `${person.name} (${person.role}) counter-offered bed ${offered.label} instead of ${question.bedLabel}; accepted`;
        }
      }
      await tx
        .update(bedRequests)
        .set({ status, bedId: assignedBed, outcome, updatedAt: now })
        .where(eq(bedRequests.id, request.id));
      // The other question about the same hold (the bed manager's, after an escalation) is moot now.
      await tx
        .update(approvals)
        .set({ status: 'cancelled', closedAt: now })
        .where(
          and(
            eq(approvals.subjectId, request.id),
            eq(approvals.status, 'pending'),
            ne(approvals.id, approval.id),
          ),
        );
      const [row] = await tx
        .update(approvals)
        .set({
          status: 'answered',
          decision: input.decision,
          answer: { reason: input.reason ?? null, bedId: input.bedId ?? null, staffId: person.id },
          answeredBy: `${person.name} (${person.id}) via ${ctx.actor.id}`,
          closedAt: now,
        })
        .where(eq(approvals.id, approval.id))
        .returning();
      await recordBedChanges(tx, changes, now, ctx.actor.id);
      await wakeBedAgent(tx, request.id, now);
      return row!;
    });
    return presentApproval(updated);
  },
});

/** Holds and accepts the bed a charge nurse or bed manager offered instead; it must be free and fit. */
async function counterOffer(
  tx: Tx,
  ctx: OperationContext,
  request: BedRequestRow,
  approval: ApprovalRow,
  person: { role: string; unitId: string | null },
  bedId: string,
  now: Date,
) {
  const facts = await bedFacts(tx, bedId, now);
  if (person.role === 'charge-nurse' && facts.unitId !== approval.unitId) {
    throw new OperationError(
      'forbidden',
      `A charge nurse counter-offers a bed of their own unit (${approval.unitId}); ${bedId} is on ${facts.unitId}`,
      [{ field: 'bedId', message: `not on ${approval.unitId}` }],
    );
  }
  const refusal = bedRefusal(facts, request.need as BedNeed);
  if (refusal) {
    throw new OperationError('conflict', `Counter-offered bed ${bedId} does not fit: ${refusal}`, [
      { field: 'bedId', message: refusal },
    ]);
  }
  const held = await holdBed(
    tx,
    {
      bedId,
      patientId: request.patientId,
      escalationId: request.escalationId ?? undefined,
      requestId: request.id,
      reason: `Counter-offer for bed request ${request.id}`,
      holdMinutes: request.holdMinutes,
      createdBy: ctx.actor.id,
    },
    now,
  );
  await tx.update(bedReservations).set({ status: 'accepted' }).where(eq(bedReservations.id, held.id));
  return { bedId, label: facts.label };
}

export const listApprovals = defineOperation({
  name: 'list_approvals',
  module: 'beds',
  title: 'List approvals',
  description:
    'Lists the questions agents have put to charge nurses and bed managers, oldest first: by default the ' +
    'pending ones, optionally for one unit or one role.',
  input: z.object({
    status: z.enum(['pending', 'answered', 'escalated', 'expired', 'cancelled']).default('pending'),
    unitId: z.string().min(1).optional(),
    assigneeRole: z.enum(['charge-nurse', 'bed-manager']).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  }),
  output: z.object({ approvals: z.array(approvalSchema) }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const conditions = [eq(approvals.status, input.status)];
    if (input.unitId) conditions.push(eq(approvals.unitId, input.unitId));
    if (input.assigneeRole) conditions.push(eq(approvals.assigneeRole, input.assigneeRole));
    const rows = await ctx.database.db
      .select()
      .from(approvals)
      .where(and(...conditions))
      .orderBy(asc(approvals.createdAt), asc(approvals.id))
      .limit(input.limit);
    return { approvals: rows.map(presentApproval) };
  },
});

export const getApproval = defineOperation({
  name: 'get_approval',
  module: 'beds',
  title: 'Get an approval',
  description: 'Returns one question an agent put to a person, with its status and answer.',
  input: z.object({ approvalId: z.string().min(1) }),
  output: approvalSchema,
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler({ approvalId }, ctx) {
    return presentApproval(await requireApproval(ctx.database.db, approvalId));
  },
});

export const escalateOverdueApprovals = defineOperation({
  name: 'escalate_overdue_approvals',
  module: 'beds',
  title: 'Escalate unanswered bed acceptances',
  description:
    "Passes every charge nurse's question that is past its time to the bed manager (the bed agent asks " +
    'them next). Run by the scheduler.',
  input: z.object({}),
  output: z.object({ escalated: z.array(z.string()) }),
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'escalate_overdue_approvals',
      input,
      async (tx) => {
        // A question locked by another transaction (being answered, or its hold expiring) is left to
        // that one or the next sweep: waiting for it here could deadlock against the hold sweeper.
        const overdue = tx
          .select({ id: approvals.id })
          .from(approvals)
          .where(
            and(
              eq(approvals.status, 'pending'),
              eq(approvals.assigneeRole, 'charge-nurse'),
              isNotNull(approvals.dueAt),
              lte(approvals.dueAt, now),
            ),
          )
          .for('update', { skipLocked: true });
        const rows = await tx
          .update(approvals)
          .set({ status: 'escalated', closedAt: now })
          .where(and(inArray(approvals.id, overdue), eq(approvals.status, 'pending')))
          .returning({ id: approvals.id, subjectId: approvals.subjectId });
        for (const r of rows) await wakeBedAgent(tx, r.subjectId, now);
        return { escalated: rows.map((r) => r.id) };
      },
      (outcome) => outcome.escalated.length > 0,
    );
  },
});

export const closeBedRequest = defineOperation({
  name: 'close_bed_request',
  module: 'beds',
  title: 'Close a bed request',
  description:
    'Ends a bed request: cancelled (the patient no longer needs the bed; any hold is released and any ' +
    'open question withdrawn) or no-fit (nothing fits; record the options proposed for the bed manager). ' +
    'Closing twice the same way is harmless.',
  input: z.object({
    requestId: z.string().min(1),
    status: z.enum(['cancelled', 'no-fit']),
    outcome: z.string().min(3).max(1000),
    options: z.array(bedOptionSchema).max(20).optional(),
  }),
  output: bedRequestSchema,
  scope: 'beds:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const replayed = await auditedWrite(
      ctx,
      'close_bed_request',
      input,
      async (tx) => {
        const request = await requireBedRequest(tx, input.requestId, true);
        assertPatientAccess(ctx, request.patientId);
        if (request.status === input.status) return true;
        if (
          request.status === 'cancelled' ||
          request.status === 'no-fit' ||
          (request.status === 'assigned' && input.status === 'no-fit')
        ) {
          throw new OperationError('conflict', `Bed request ${request.id} is already ${request.status}`, [
            { field: 'requestId', message: `the request is ${request.status}` },
          ]);
        }
        const live = await lockLiveHold(tx, request.id);
        // Assigned without a live hold: the patient was admitted (the hold is fulfilled) and lies in the bed.
        if (request.status === 'assigned' && !live) {
          throw new OperationError(
            'conflict',
            `Bed request ${request.id} is done: patient ${request.patientId} was admitted to bed ${request.bedId}; discharge or transfer the patient instead`,
            [{ field: 'requestId', message: 'the patient was admitted to the assigned bed' }],
          );
        }
        if (live) await releaseHold(tx, live, now, ctx.actor.id);
        await tx
          .update(approvals)
          .set({ status: 'cancelled', closedAt: now })
          .where(and(eq(approvals.subjectId, request.id), eq(approvals.status, 'pending')));
        await tx
          .update(bedRequests)
          .set({
            status: input.status,
            outcome: input.outcome,
            options: input.options ?? null,
            updatedAt: now,
          })
          .where(eq(bedRequests.id, request.id));
        if (input.status === 'cancelled') await wakeBedAgent(tx, request.id, now);
        return false;
      },
      (wasReplay) => !wasReplay,
    );
    return loadBedRequestView(ctx.database.db, input.requestId, replayed);
  },
});

const overflowExcluded = new Set(['ed', 'maternity', 'pediatrics']);

export const proposeBedOptions = defineOperation({
  name: 'propose_bed_options',
  module: 'beds',
  title: 'Propose options when no bed fits',
  description:
    'For a bed request that no free bed fits: the options a bed manager has, each with its reason — ' +
    'expedite a named pending discharge from a bed that would fit, overflow into a bed of another unit ' +
    'type that meets isolation, telemetry and room sex policy, or a transfer to another facility.',
  input: z.object({ requestId: z.string().min(1), limit: z.number().int().min(1).max(10).default(3) }),
  output: z.object({ options: z.array(bedOptionSchema) }),
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ requestId, limit }, ctx) {
    const db = ctx.database.db;
    const now = ctx.clock.now();
    const request = await requireBedRequest(db, requestId);
    assertPatientAccess(ctx, request.patientId);
    const need = request.need as BedNeed;
    const options: BedOption[] = [];
    const all = await loadBedFacts(db, unitTypes, now);
    const unitNames = new Map(
      (await db.select({ id: units.id, name: units.name }).from(units)).map((u) => [u.id, u.name]),
    );
    const wanted = need.unitTypes.join('/');

    // Beds that would fit once their patient leaves, soonest planned discharge first.
    const leaving = await db
      .select({ bedId: beds.id, patientId: encounters.patientId, expectedAt: encounters.expectedDischargeAt })
      .from(encounters)
      .innerJoin(beds, eq(beds.id, encounters.bedId))
      .where(and(eq(encounters.status, 'in-progress'), isNotNull(encounters.expectedDischargeAt)))
      .orderBy(asc(encounters.expectedDischargeAt), asc(beds.id));
    const byBed = new Map(all.map((b) => [b.bedId, b]));
    for (const l of leaving) {
      if (options.length >= limit) break;
      const bed = byBed.get(l.bedId);
      if (!bed || bedRefusal({ ...bed, status: 'U', housekeeping: 'clean', reserved: false }, need)) continue;
      options.push({
        kind: 'expedite-discharge',
        summary: `Expedite the discharge of patient ${l.patientId} from bed ${bed.label} (${unitNames.get(bed.unitId)})`,
        reason: `The bed fits (${wanted}, isolation ${need.isolation}, telemetry ${need.telemetry ? 'yes' : 'no'}) and the discharge is already planned for ${l.expectedAt!.toISOString()}`,
        bedId: bed.bedId,
        unitId: bed.unitId,
        patientId: l.patientId,
        expectedAt: l.expectedAt!.toISOString(),
      });
    }

    const overflowUnits = new Set<string>();
    for (const bed of all) {
      if (overflowUnits.size >= limit) break;
      if (
        need.unitTypes.includes(bed.unitType) ||
        overflowExcluded.has(bed.unitType) ||
        overflowUnits.has(bed.unitId)
      )
        continue;
      if (bedRefusal(bed, { ...need, unitTypes: [bed.unitType] })) continue;
      overflowUnits.add(bed.unitId);
      options.push({
        kind: 'overflow',
        summary: `Overflow into bed ${bed.label} on ${unitNames.get(bed.unitId)} (${bed.unitType})`,
        reason: `No ${wanted} bed is free; this bed is free now and meets isolation ${need.isolation}, telemetry and room sex policy`,
        bedId: bed.bedId,
        unitId: bed.unitId,
        patientId: null,
        expectedAt: null,
      });
    }

    options.push({
      kind: 'transfer-out',
      summary: 'Transfer the patient to another facility',
      reason:
        options.length === 0
          ? `No ${wanted} bed fits now, no planned discharge would free one and no overflow bed meets the patient's needs`
          : `If none of the options above can be used in time: no ${wanted} bed fits now`,
      bedId: null,
      unitId: null,
      patientId: null,
      expectedAt: null,
    });
    return { options };
  },
});

export const negotiationOperations = [
  requestBed,
  getBedRequest,
  listBedRequests,
  offerBed,
  answerApproval,
  listApprovals,
  getApproval,
  escalateOverdueApprovals,
  closeBedRequest,
  proposeBedOptions,
];
