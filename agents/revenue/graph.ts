import { END, interrupt, START, StateGraph } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { RevenueTaskView } from '../../tools/revenue/tasks.ts';
import type { HmsTools } from '../runtime/mcp-client.ts';
import { billEncounter } from './bill.ts';
import { workDenials } from './denials.ts';
import { RevenueAgentState, type RevenueAgentStateType, type RevenueWait } from './state.ts';

type Step = Partial<RevenueAgentStateType>;

/**
 * review → bill | denials → park → await (a coder answers) → review … | finish. Each pass reads the claims and work items as they stand
 * and does what is left, so a resumed, retried or crashed run picks up where the record is. The choices
 * are the code's: the scrubber decides what may be submitted (submit_claims scrubs again and refuses any
 * error), fixes come only from the record, and what needs judgement waits for a coder.
 */
export function buildRevenueAgentGraph(tools: HmsTools, checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(RevenueAgentState)
    .addNode('review', (s: RevenueAgentStateType) => review(s, tools))
    .addNode('bill', (s: RevenueAgentStateType) => billEncounter(s, tools))
    .addNode('denials', (s: RevenueAgentStateType) => workDenials(s, tools))
    .addNode('park', (s: RevenueAgentStateType) => park(s, tools))
    .addNode('await', awaitAnswer)
    .addNode('finish', (s: RevenueAgentStateType) => finish(s, tools))
    .addEdge(START, 'review')
    .addConditionalEdges('review', route, ['bill', 'denials', 'finish'])
    .addConditionalEdges('bill', next, ['park', 'finish'])
    .addConditionalEdges('denials', next, ['park', 'finish'])
    .addEdge('park', 'await')
    .addEdge('await', 'review')
    .addEdge('finish', END)
    .compile({ checkpointer, name: 'revenue' });
}

async function review(s: RevenueAgentStateType, tools: HmsTools): Promise<Step> {
  return { task: await tools.call<RevenueTaskView>('get_revenue_task', { taskId: s.requestId }) };
}

function route(s: RevenueAgentStateType): string {
  const t = s.task!;
  if (t.status === 'failed') return 'finish';
  return t.kind === 'bill-encounter' ? 'bill' : 'denials';
}

function next(s: RevenueAgentStateType): string {
  return s.waitingOn ? 'park' : 'finish';
}

/** Notes not yet written to the task. */
function fresh(s: RevenueAgentStateType): string[] {
  return s.notes.slice(s.recorded ?? 0);
}

/**
 * Records what the agent did and that it waits, in a step of its own: a node that is interrupted runs
 * again from its start when resumed, so nothing that writes may come before the interrupt in it.
 */
async function park(s: RevenueAgentStateType, tools: HmsTools): Promise<Step> {
  await tools.call('record_revenue_task', { taskId: s.requestId, status: 'waiting', notes: fresh(s) });
  return { recorded: s.notes.length };
}

function awaitAnswer(s: RevenueAgentStateType): Step {
  const payload: RevenueWait = s.waitingOn!;
  // Resumed (by the runner) once the coder has answered; review reads what happened.
  interrupt(payload);
  return { waitingOn: null };
}

async function finish(s: RevenueAgentStateType, tools: HmsTools): Promise<Step> {
  const failed = s.failed === true || s.task?.status === 'failed';
  const outcome = s.outcome ?? 'Nothing left to do';
  await tools.call('record_revenue_task', {
    taskId: s.requestId,
    status: failed ? 'failed' : 'done',
    notes: fresh(s),
    outcome,
  });
  return { outcome, recorded: s.notes.length };
}
