import type { CoverRequestView } from '../../tools/staffing/cover/requests.ts';
import type { Actor } from '../../tools/core/actor.ts';
import {
  runThread,
  type ThreadAgent,
  type ThreadResult,
  type ThreadRuntime,
} from '../runtime/thread-runner.ts';
import { buildCoverAgentGraph } from './graph.ts';
import type { CoverAgentInterrupt } from './state.ts';

// The agent prices cover, so it may read pay; it rosters cover, so it may write staffing.
export const staffingAgent: Actor = {
  id: 'agent:staffing',
  kind: 'agent',
  scopes: ['staffing:read', 'staffing:write', 'payroll:read'],
};

const coverAgent: ThreadAgent<CoverAgentInterrupt> = {
  agent: 'staffing',
  table: 'cover_requests',
  actor: staffingAgent,
  modules: ['staffing'],
  build: (tools, checkpointer) => buildCoverAgentGraph(tools, checkpointer),
  async answer(tools, waiting) {
    const r = await tools.call<CoverRequestView>('get_cover_request', { requestId: waiting.requestId });
    return r.status === 'awaiting-approval' ? null : r;
  },
  waitingId: (waiting) => waiting.candidateStaffId,
};

/**
 * Runs the staffing agent on one cover request as far as it can go: a call-out's job, and every answer
 * of a staffing manager (which queues another), poke it (agents/runtime/thread-runner.ts).
 */
export function runCoverAgent(rt: ThreadRuntime, requestId: string): Promise<ThreadResult> {
  return runThread(coverAgent, rt, requestId);
}
