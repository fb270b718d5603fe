import { END, interrupt, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { BedOption, BedRequestView, CandidateBed } from '../../tools/beds/schema.ts';
import { type HmsTools, ToolCallError } from '../runtime/mcp-client.ts';
import { type BedAgentInterrupt, BedAgentState, type BedAgentStateType } from './state.ts';

export interface BedAgentDeps {
  tools: HmsTools;
  /** The last batch plan, shared by the runs of one worker so a surge is planned once, not per request. */
  plans?: BatchPlanCache | undefined;
}

/**
 * A plan stays usable while the requests it covered only leave (they got beds); a request it did not
 * cover arriving means the competition changed and the plan is made again. Deterministic: the same
 * sequence of requests gives the same plans.
 */
export interface BatchPlanCache {
  last: { requestIds: Set<string>; beds: Map<string, string>; method: string } | null;
}

interface PlanResult {
  method: string;
  assignments: { requestId: string; bedId: string }[];
}

interface PlannedBeds {
  /** This request's bed in the plan, or null when the plan leaves it out (others outrank it). */
  bedId: string | null;
  /** Beds the plan gives to the other requests still negotiating: not this request's to take. */
  othersBeds: Set<string>;
  method: string;
  competing: number;
}

/** When several requests negotiate at once, what the batch optimiser gives this one and the others. */
async function plannedBeds(deps: BedAgentDeps, requestId: string): Promise<PlannedBeds | null> {
  const { requests } = await deps.tools.call<{ requests: { requestId: string }[] }>('list_bed_requests', {
    status: 'negotiating',
    limit: 500,
  });
  if (requests.length < 2) return null;
  const cache = deps.plans ?? { last: null };
  const covered = cache.last && requests.every((r) => cache.last!.requestIds.has(r.requestId));
  if (!covered) {
    const plan = await deps.tools.call<PlanResult>('plan_bed_assignments', { pending: true });
    cache.last = {
      requestIds: new Set(requests.map((r) => r.requestId)),
      beds: new Map(plan.assignments.map((a) => [a.requestId, a.bedId])),
      method: plan.method,
    };
  }
  const planned = cache.last!;
  const othersBeds = new Set(
    requests.flatMap((r) => {
      const bed = r.requestId === requestId ? undefined : planned.beds.get(r.requestId);
      return bed ? [bed] : [];
    }),
  );
  return {
    bedId: planned.beds.get(requestId) ?? null,
    othersBeds,
    method: planned.method,
    competing: requests.length,
  };
}

type Step = Partial<BedAgentStateType>;

/**
 * review → offer | escalate | await | noFit | finish. The request's state in the database decides each
 * step, so a resumed, retried or crashed run picks up exactly where the hospital stands; the agent's own
 * state only carries what it is waiting on and its notes.
 */
export function buildBedAgentGraph(deps: BedAgentDeps, checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(BedAgentState)
    .addNode('review', (s: BedAgentStateType) => review(s, deps))
    .addNode('offer', (s: BedAgentStateType) => offer(s, deps))
    .addNode('escalate', (s: BedAgentStateType) => escalate(s, deps))
    .addNode('await', awaitAnswer)
    .addNode('noFit', (s: BedAgentStateType) => noFit(s, deps))
    .addNode('finish', finish)
    .addEdge(START, 'review')
    .addConditionalEdges('review', route, ['offer', 'escalate', 'await', 'noFit', 'finish'])
    .addConditionalEdges(
      'offer',
      (s: BedAgentStateType) =>
        s.waitingOn
          ? 'await'
          : s.request?.status === 'negotiating' || s.request?.status === 'awaiting-acceptance'
            ? 'noFit'
            : 'finish',
      ['await', 'noFit', 'finish'],
    )
    .addConditionalEdges('escalate', (s: BedAgentStateType) => (s.waitingOn ? 'await' : 'review'), [
      'await',
      'review',
    ])
    .addEdge('await', 'review')
    .addEdge('noFit', 'finish')
    .addEdge('finish', END)
    .compile({ checkpointer, name: 'beds' });
}

async function review(s: BedAgentStateType, { tools }: BedAgentDeps): Promise<Step> {
  const request = await tools.call<BedRequestView>('get_bed_request', { requestId: s.requestId });
  return { request };
}

function route(s: BedAgentStateType): string {
  const r = s.request!;
  if (r.status === 'assigned' || r.status === 'cancelled' || r.status === 'no-fit') return 'finish';
  if (r.status === 'awaiting-acceptance') {
    return r.approvals.some((a) => a.status === 'pending') ? 'await' : 'escalate';
  }
  return 'offer';
}

/** Beds this request already had and lost (declined, lapsed, withdrawn) are not offered again. */
function triedBeds(r: BedRequestView): Set<string> {
  return new Set(
    r.holds.filter((h) => h.status === 'released' || h.status === 'expired').map((h) => h.bedId),
  );
}

/** Why the last offer ended, for the notes. */
function lastOfferEnd(r: BedRequestView): string | null {
  const last = r.approvals.at(-1);
  if (!last) return null;
  const bed = last.question.bedLabel;
  if (last.status === 'answered' && last.decision === 'decline')
    return `Bed ${bed} declined by ${last.answeredBy}: ${last.answer?.reason}`;
  if (last.status === 'expired')
    return `Hold on bed ${bed} lapsed unanswered at ${last.question.holdExpiresAt}`;
  return null;
}

async function offer(s: BedAgentStateType, deps: BedAgentDeps): Promise<Step> {
  const { tools } = deps;
  // Read again: a run resumed after a crash may find its offer already made (the hold and the question
  // committed, the checkpoint after them lost), or the request closed meanwhile.
  const r = await tools.call<BedRequestView>('get_bed_request', { requestId: s.requestId });
  const asked = r.approvals.find((a) => a.status === 'pending');
  if (asked && r.holds.some((h) => h.status === 'held')) return { request: r, waitingOn: asked.approvalId };
  if (r.status !== 'negotiating' && r.status !== 'awaiting-acceptance')
    return { request: r, waitingOn: null };
  const notes: string[] = [];
  const ended = lastOfferEnd(r);
  if (ended) notes.push(ended);
  const tried = triedBeds(r);
  const { candidates } = await tools.call<{ candidates: CandidateBed[] }>('find_candidate_beds', {
    need: r.need,
    limit: 50,
  });
  // Competing requests: the bed the batch plan gives this one goes first, and beds it gives the others
  // are left to them, so a routine request filed first cannot take an emergency's bed.
  const planned = await plannedBeds(deps, r.requestId);
  if (planned) {
    const at = candidates.findIndex((c) => c.bedId === planned.bedId);
    if (at > 0) candidates.unshift(...candidates.splice(at, 1));
    notes.push(
      `${planned.competing} requests compete: the batch plan (${planned.method}) ${
        at >= 0 ? `gives this one bed ${candidates[0]!.label}` : 'gives this one no bed it can still take'
      }`,
    );
  }
  for (const bed of candidates) {
    if (tried.has(bed.bedId) || planned?.othersBeds.has(bed.bedId)) continue;
    try {
      const { approval } = await tools.call<{ approval: { approvalId: string } }>('offer_bed', {
        requestId: r.requestId,
        bedId: bed.bedId,
        assignee: 'charge-nurse',
      });
      notes.push(`Held bed ${bed.label} (${bed.unitId}) and asked its charge nurse to accept`);
      return { request: r, waitingOn: approval.approvalId, notes };
    } catch (err) {
      // Another request took the bed between the ranking and the hold: try the next one.
      if (err instanceof ToolCallError && err.code === 'conflict') continue;
      throw err;
    }
  }
  return { request: r, waitingOn: null, notes };
}

async function escalate(s: BedAgentStateType, { tools }: BedAgentDeps): Promise<Step> {
  const r = s.request!;
  const hold = r.holds.find((h) => h.status === 'held');
  if (!hold) return { waitingOn: null };
  try {
    const { approval } = await tools.call<{ approval: { approvalId: string } }>('offer_bed', {
      requestId: r.requestId,
      bedId: hold.bedId,
      assignee: 'bed-manager',
    });
    return {
      waitingOn: approval.approvalId,
      notes: [`No answer from the charge nurse in ${r.escalateAfterMinutes} min: asked the bed manager`],
    };
  } catch (err) {
    // The hold lapsed meanwhile; review again.
    if (err instanceof ToolCallError && err.code === 'conflict') return { waitingOn: null };
    throw err;
  }
}

function awaitAnswer(s: BedAgentStateType): Step {
  const pending = s.request?.approvals.find((a) => a.status === 'pending');
  const approvalId = pending?.approvalId ?? s.waitingOn;
  if (!approvalId) return {};
  const payload: BedAgentInterrupt = {
    approvalId,
    requestId: s.requestId,
    assigneeRole: pending?.assigneeRole ?? 'charge-nurse',
    question: pending?.question.text ?? '',
  };
  // Resumed (by the runner) once the approval is no longer pending; review reads what happened.
  interrupt(payload);
  return { waitingOn: null };
}

async function noFit(s: BedAgentStateType, { tools }: BedAgentDeps): Promise<Step> {
  const r = s.request!;
  const { options } = await tools.call<{ options: BedOption[] }>('propose_bed_options', {
    requestId: r.requestId,
  });
  const tried = triedBeds(r).size;
  const outcome =
    `No free ${r.need.unitTypes.join('/')} bed fits (isolation ${r.need.isolation}, telemetry ` +
    `${r.need.telemetry ? 'yes' : 'no'}, sex ${r.need.sex})${tried > 0 ? ` after ${tried} bed(s) offered` : ''}. ` +
    `Options: ${options.map((o) => o.summary).join('; ')}`;
  const closed = await tools.call<BedRequestView>('close_bed_request', {
    requestId: r.requestId,
    status: 'no-fit',
    outcome,
    options,
  });
  return { request: closed, notes: [outcome] };
}

function finish(s: BedAgentStateType): Step {
  const r = s.request!;
  const ended = r.status === 'assigned' ? null : lastOfferEnd(r);
  return {
    outcome: r.outcome ?? `Request ${r.status}`,
    notes: ended && !s.notes.includes(ended) ? [ended] : [],
  };
}
