import { randomUUID } from 'node:crypto';
import { Command, type BaseCheckpointSaver } from '@langchain/langgraph';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { bedRequests } from '../../db/schema/index.ts';
import type { ApprovalView } from '../../tools/beds/schema.ts';
import type { Actor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import { OperationError } from '../../tools/core/errors.ts';
import { HmsTools } from '../runtime/mcp-client.ts';
import { beginAgentRun, endAgentRun } from '../runtime/runs.ts';
import { type BatchPlanCache, buildBedAgentGraph } from './graph.ts';
import type { BedAgentInterrupt } from './state.ts';

export const bedAgent: Actor = { id: 'agent:beds', kind: 'agent', scopes: ['beds:read', 'beds:write'] };

export interface BedAgentRuntime {
  database: Database;
  clock: Clock;
  checkpointer: BaseCheckpointSaver;
  plans?: BatchPlanCache | undefined;
}

export interface BedAgentResult {
  status: string;
  outcome: string | null;
  /** The approval the agent now waits on, if any. */
  waitingOn: string | null;
  /** False when there was nothing to do (still waiting for an answer, or already finished). */
  advanced: boolean;
  /** Another process is running the agent on this request; poke it again later. */
  busy?: boolean;
}

/** Runs in this process, by request: a second poke waits for the first instead of racing it. */
const inProcess = new Map<string, Promise<unknown>>();

/** How long a run may hold a request before another process may take it over (a run takes ms to s). */
const LEASE_MS = 30_000;

/**
 * Runs the bed agent on one request as far as it can go: starts it, resumes it once the question it
 * waits on is answered, escalated, lapsed or withdrawn, or continues a run cut off by a crash. Any
 * number of callers may poke the same request (the queued job, the triage agent inline, an answered
 * approval). In one process they take turns; across processes a lease on the request row lets one run
 * at a time, and a poke that finds the lease taken returns `busy` (its job is retried) without holding
 * a connection while it waits. Each run finds the thread where the last one left it.
 */
export async function runBedAgent(rt: BedAgentRuntime, requestId: string): Promise<BedAgentResult> {
  const previous = inProcess.get(requestId) ?? Promise.resolve();
  const mine = previous.catch(() => {}).then(() => leased(rt, requestId));
  inProcess.set(requestId, mine);
  try {
    return await mine;
  } finally {
    if (inProcess.get(requestId) === mine) inProcess.delete(requestId);
  }
}

/**
 * For a caller that wants the request advanced now (triage reporting the bed it got): when another
 * process holds the request, waits for it, at most until a dead holder's lease would have lapsed.
 */
export async function runBedAgentNow(rt: BedAgentRuntime, requestId: string): Promise<BedAgentResult> {
  const deadline = Date.now() + LEASE_MS + 5_000;
  for (;;) {
    const result = await runBedAgent(rt, requestId);
    if (!result.busy || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function leased(rt: BedAgentRuntime, requestId: string): Promise<BedAgentResult> {
  const holder = `run-${randomUUID().slice(0, 8)}`;
  const now = rt.clock.now();
  const [request] = await rt.database.db
    .update(bedRequests)
    .set({ agentLeaseBy: holder, agentLeaseUntil: new Date(now.getTime() + LEASE_MS) })
    .where(
      and(
        eq(bedRequests.id, requestId),
        or(isNull(bedRequests.agentLeaseUntil), lt(bedRequests.agentLeaseUntil, now)),
      ),
    )
    .returning({ patientId: bedRequests.patientId, status: bedRequests.status });
  if (!request) {
    const [exists] = await rt.database.db
      .select({ status: bedRequests.status, outcome: bedRequests.outcome })
      .from(bedRequests)
      .where(eq(bedRequests.id, requestId));
    if (!exists) throw new OperationError('not_found', `No bed request ${requestId}`);
    return { status: exists.status, outcome: exists.outcome, waitingOn: null, advanced: false, busy: true };
  }
  try {
    return await advance(rt, requestId, request.patientId);
  } finally {
    await rt.database.db
      .update(bedRequests)
      .set({ agentLeaseBy: null, agentLeaseUntil: null })
      .where(and(eq(bedRequests.id, requestId), eq(bedRequests.agentLeaseBy, holder)));
  }
}

async function advance(rt: BedAgentRuntime, requestId: string, patientId: string): Promise<BedAgentResult> {
  const runId = await beginAgentRun(rt.database, {
    agent: 'beds',
    threadId: requestId,
    mode: 'deterministic',
    now: rt.clock.now(),
  });
  const tools = await HmsTools.connectInProcess(['beds'], {
    database: rt.database,
    clock: rt.clock,
    actor: bedAgent,
    onBehalfOf: patientId,
    agentRunId: runId,
  });
  const graph = buildBedAgentGraph({ tools, plans: rt.plans }, rt.checkpointer);
  const config = { configurable: { thread_id: requestId } };
  try {
    const saved = await graph.getState(config);
    const waiting = saved.tasks.flatMap((t) => t.interrupts).map((i) => i.value as BedAgentInterrupt)[0];
    if (waiting) {
      const approval = await tools.call<ApprovalView>('get_approval', { approvalId: waiting.approvalId });
      if (approval.status === 'pending') return await settle(rt, runId, requestId, waiting.approvalId, false);
      await graph.invoke(new Command({ resume: approval }), config);
    } else if (saved.next.length > 0) {
      await graph.invoke(null, config); // cut off mid-run: continue from the last checkpoint
    } else if (saved.values.requestId) {
      return await settle(rt, runId, requestId, null, false);
    } else {
      await graph.invoke({ requestId }, config);
    }
    const after = await graph.getState(config);
    const next = after.tasks.flatMap((t) => t.interrupts).map((i) => i.value as BedAgentInterrupt)[0];
    return await settle(rt, runId, requestId, next?.approvalId ?? null, true);
  } catch (err) {
    await endAgentRun(rt.database, runId, 'failed', rt.clock.now(), err);
    throw err;
  } finally {
    await tools.close();
  }
}

async function settle(
  rt: BedAgentRuntime,
  runId: string,
  requestId: string,
  waitingOn: string | null,
  advanced: boolean,
): Promise<BedAgentResult> {
  const [request] = await rt.database.db
    .select({ status: bedRequests.status, outcome: bedRequests.outcome })
    .from(bedRequests)
    .where(eq(bedRequests.id, requestId));
  await endAgentRun(rt.database, runId, waitingOn ? 'waiting' : 'completed', rt.clock.now());
  return { status: request!.status, outcome: request!.outcome, waitingOn, advanced };
}
