import { END, interrupt, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { CoverRequestView } from '../../tools/staffing/cover/requests.ts';
import { type HmsTools, ToolCallError } from '../runtime/mcp-client.ts';
import { type CoverAgentInterrupt, CoverAgentState, type CoverAgentStateType } from './state.ts';

interface Ranked {
  candidates: {
    staffId: string;
    name: string;
    tier: string;
    costCents: number;
    needsApproval: boolean;
    why: string;
  }[];
  refused: { staffId: string; refusals: { rule: string }[] }[];
}

type Step = Partial<CoverAgentStateType>;

/**
 * review → choose | await | finish. The cover request in the database decides each step, so a resumed,
 * retried or crashed run picks up where the roster stands. The choice is the code's: the least-cost
 * cover that breaks no rule (find_cover_candidates ranks, assign_cover checks again under lock), and a
 * staffing manager's approval first when that cover is overtime or agency above the threshold.
 */
export function buildCoverAgentGraph(tools: HmsTools, checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(CoverAgentState)
    .addNode('review', (s: CoverAgentStateType) => review(s, tools))
    .addNode('choose', (s: CoverAgentStateType) => choose(s, tools))
    .addNode('await', awaitAnswer)
    .addNode('finish', finish)
    .addEdge(START, 'review')
    .addConditionalEdges('review', route, ['choose', 'await', 'finish'])
    .addConditionalEdges('choose', (s: CoverAgentStateType) => (s.waitingOn ? 'await' : 'finish'), [
      'await',
      'finish',
    ])
    .addEdge('await', 'review')
    .addEdge('finish', END)
    .compile({ checkpointer, name: 'staffing' });
}

async function review(s: CoverAgentStateType, tools: HmsTools): Promise<Step> {
  return { request: await tools.call<CoverRequestView>('get_cover_request', { requestId: s.requestId }) };
}

function route(s: CoverAgentStateType): string {
  const r = s.request!;
  if (r.status === 'open') return 'choose';
  if (r.status === 'awaiting-approval') return 'await';
  return 'finish';
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The manager's last answer, for the notes. */
function lastAnswer(r: CoverRequestView): string | null {
  const d = r.decisions.at(-1);
  if (!d) return null;
  if (d.decision === 'decline') return `${d.answeredBy} declined ${d.candidateStaffId}: ${d.reason}`;
  if (d.decision === 'void') return `Approval of ${d.candidateStaffId} void: ${d.reason}`;
  return null;
}

async function choose(s: CoverAgentStateType, tools: HmsTools): Promise<Step> {
  // Read again: a run resumed after a crash may find its question already asked or the shift filled.
  const r = await tools.call<CoverRequestView>('get_cover_request', { requestId: s.requestId });
  if (r.status === 'awaiting-approval' && r.question)
    return { request: r, waitingOn: r.question.candidateStaffId };
  if (r.status !== 'open') return { request: r, waitingOn: null };
  const notes: string[] = [];
  const answered = lastAnswer(r);
  if (answered && !s.notes.includes(answered)) notes.push(answered);
  const ranked = await tools.call<Ranked>('find_cover_candidates', {
    requestId: r.requestId,
    limit: 50,
    includeRefused: true,
  });
  for (const c of ranked.candidates) {
    try {
      if (c.needsApproval) {
        const asked = await tools.call<CoverRequestView>('ask_cover_approval', {
          requestId: r.requestId,
          staffId: c.staffId,
        });
        notes.push(`Least-cost cover is ${c.why}: asked a staffing manager to approve`);
        return { request: asked, waitingOn: c.staffId, notes };
      }
      const filled = await tools.call<CoverRequestView>('assign_cover', {
        requestId: r.requestId,
        staffId: c.staffId,
      });
      notes.push(`Rostered ${c.why}`);
      return { request: filled, waitingOn: null, notes };
    } catch (err) {
      // The roster moved between the ranking and the assignment (someone took the person or the
      // shift): try the next; a closed request ends the run at review.
      if (err instanceof ToolCallError && /is (filled|cancelled|unfilled)/.test(err.message)) break;
      if (err instanceof ToolCallError) {
        notes.push(`Skipped ${c.name}: ${err.message}`);
        continue;
      }
      throw err;
    }
  }
  const now = await tools.call<CoverRequestView>('get_cover_request', { requestId: r.requestId });
  if (now.status !== 'open') return { request: now, waitingOn: null, notes };
  const byRule = new Map<string, number>();
  for (const p of ranked.refused)
    for (const x of p.refusals) byRule.set(x.rule, (byRule.get(x.rule) ?? 0) + 1);
  const declined = r.decisions.filter((d) => d.decision === 'decline').length;
  const outcome =
    `Nobody may cover the ${r.role} ${r.kind} shift on ${r.unitId} at ${r.startsAt}` +
    `${r.requiredSkill ? ` (needs ${r.requiredSkill})` : ''}: ` +
    `${ranked.refused.length} staff considered, refused for ${[...byRule].map(([rule, n]) => `${rule} ×${n}`).join(', ') || 'nothing'}` +
    `${declined > 0 ? `; ${declined} declined by a staffing manager` : ''}. Escalate to the house supervisor.`;
  const closed = await tools.call<CoverRequestView>('close_cover_request', {
    requestId: r.requestId,
    status: 'unfilled',
    outcome,
  });
  notes.push(outcome);
  return { request: closed, waitingOn: null, notes };
}

function awaitAnswer(s: CoverAgentStateType): Step {
  const q = s.request?.question;
  const payload: CoverAgentInterrupt = {
    requestId: s.requestId,
    candidateStaffId: q?.candidateStaffId ?? s.waitingOn ?? '',
    question: q?.text ?? '',
  };
  // Resumed (by the runner) once the request no longer waits for approval; review reads what happened.
  interrupt(payload);
  return { waitingOn: null };
}

function finish(s: CoverAgentStateType): Step {
  const r = s.request!;
  const cost = r.costCents === null ? '' : ` at ${money(r.costCents)}`;
  return { outcome: r.outcome ?? `Request ${r.status}${cost}` };
}
