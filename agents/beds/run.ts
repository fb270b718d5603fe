import type { BaseCheckpointSaver } from '@langchain/langgraph';
import type { ApprovalView } from '../../tools/beds/schema.ts';
import type { Actor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import type { Database } from '../../db/client.ts';
import { runThread, runThreadNow, type ThreadAgent, type ThreadResult } from '../runtime/thread-runner.ts';
import { type BatchPlanCache, buildBedAgentGraph } from './graph.ts';
import type { BedAgentInterrupt } from './state.ts';

export const bedAgent: Actor = { id: 'agent:beds', kind: 'agent', scopes: ['beds:read', 'beds:write'] };

export interface BedAgentRuntime {
  database: Database;
  clock: Clock;
  checkpointer: BaseCheckpointSaver;
  plans?: BatchPlanCache | undefined;
}

export type BedAgentResult = ThreadResult;

/** The bed agent on one bed request: it waits on an approval, resumed once that is no longer pending. */
function bedThreadAgent(plans: BatchPlanCache | undefined): ThreadAgent<BedAgentInterrupt> {
  return {
    agent: 'beds',
    table: 'bed_requests',
    actor: bedAgent,
    modules: ['beds'],
    onBehalfOf: (row) => row.patient_id as string,
    build: (tools, checkpointer) => buildBedAgentGraph({ tools, plans }, checkpointer),
    async answer(tools, waiting) {
      const approval = await tools.call<ApprovalView>('get_approval', { approvalId: waiting.approvalId });
      return approval.status === 'pending' ? null : approval;
    },
    waitingId: (waiting) => waiting.approvalId,
  };
}

/**
 * Runs the bed agent on one request as far as it can go (agents/runtime/thread-runner.ts): the queued
 * job, the triage agent inline and an answered approval may all poke the same request.
 */
export function runBedAgent(rt: BedAgentRuntime, requestId: string): Promise<BedAgentResult> {
  return runThread(bedThreadAgent(rt.plans), rt, requestId);
}

/** For a caller that wants the request advanced now (triage reporting the bed it got). */
export function runBedAgentNow(rt: BedAgentRuntime, requestId: string): Promise<BedAgentResult> {
  return runThreadNow(bedThreadAgent(rt.plans), rt, requestId);
}
