import type { Actor } from '../../tools/core/actor.ts';
import type { RevenueTaskView } from '../../tools/revenue/tasks.ts';
import {
  runThread,
  type ThreadAgent,
  type ThreadResult,
  type ThreadRuntime,
} from '../runtime/thread-runner.ts';
import { buildRevenueAgentGraph } from './graph.ts';
import type { RevenueWait } from './state.ts';
import type { ClaimSummary, DenialView } from './views.ts';

// The agent bills and works denials; it reads encounters (beds) for the facts it bills.
export const revenueAgent: Actor = {
  id: 'agent:revenue',
  kind: 'agent',
  scopes: ['revenue:read', 'revenue:write', 'beds:read'],
};

const revenueThread: ThreadAgent<RevenueWait> = {
  agent: 'revenue',
  table: 'revenue_tasks',
  actor: revenueAgent,
  modules: ['revenue'],
  build: (tools, checkpointer) => buildRevenueAgentGraph(tools, checkpointer),
  async answer(tools, waiting) {
    if (waiting.kind === 'claim-review') {
      const c = await tools.call<ClaimSummary>('get_claim', { claimId: waiting.id });
      return c.status === 'needs-review' ? null : c;
    }
    const d = await tools.call<DenialView>('get_denial', { workItemId: waiting.id });
    // An approved replacement stays awaiting its submission: approval is the answer.
    return d.status === 'awaiting-approval' && !d.draft?.approvedBy ? null : d;
  },
  waitingId: (waiting) => waiting.id,
  // start_revenue_task reopens a finished task (late charges, a retry): the thread runs again.
  reopened: (row) => row.status === 'open',
  start: (requestId) => ({ requestId, built: false, failed: false, outcome: null, waitingOn: null }),
};

/**
 * Runs the revenue agent on one task as far as it can go: a discharge's, a completed surgery's or a
 * posted remittance's job, and each coder answer (which queues another), poke it.
 */
export function runRevenueAgent(rt: ThreadRuntime, taskId: string): Promise<ThreadResult> {
  return runThread(revenueThread, rt, taskId);
}

export type { RevenueTaskView };
