import { randomUUID } from 'node:crypto';
import { Command, type BaseCheckpointSaver, type StateSnapshot } from '@langchain/langgraph';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import { OperationError } from '../../tools/core/errors.ts';
import type { ServedModule } from '../../tools/registry.ts';
import { HmsTools } from './mcp-client.ts';
import { beginAgentRun, endAgentRun } from './runs.ts';

/** The compiled graph as the runner uses it (any StateGraph compiled with a checkpointer). */
export interface ThreadGraph {
  getState(config: { configurable: { thread_id: string } }): Promise<StateSnapshot>;
  invoke(input: unknown, config: { configurable: { thread_id: string } }): Promise<unknown>;
}

/**
 * An agent that works one request per thread (the thread id is the request id), stops at interrupts
 * while it waits for a person, and is resumed once the person has answered.
 */
export interface ThreadAgent<Wait> {
  agent: string;
  /** The request table; it has agent_lease_by and agent_lease_until columns. */
  table: 'bed_requests' | 'cover_requests' | 'revenue_tasks' | 'surgery_requests';
  actor: Actor;
  modules: readonly ServedModule[];
  /** Whom the agent acts for, from the request row (e.g. the patient), for the audit trail. */
  onBehalfOf?: (row: Record<string, unknown>) => string | undefined;
  build(tools: HmsTools, checkpointer: BaseCheckpointSaver): ThreadGraph;
  /** What the person answered, or null while the question is still waiting. */
  answer(tools: HmsTools, waiting: Wait): Promise<unknown>;
  /** The id shown to callers of what the agent waits on. */
  waitingId(waiting: Wait): string;
  /** A finished thread whose request has new work (e.g. late charges on a billed encounter) runs again. */
  reopened?: (row: Record<string, unknown>) => boolean;
  /** The input that starts (or restarts) a run; `{ requestId }` by default. */
  start?: (requestId: string) => Record<string, unknown>;
}

export interface ThreadRuntime {
  database: Database;
  clock: Clock;
  checkpointer: BaseCheckpointSaver;
}

export interface ThreadResult {
  status: string;
  outcome: string | null;
  /** What the agent now waits on, if anything. */
  waitingOn: string | null;
  /** False when there was nothing to do (still waiting for an answer, or already finished). */
  advanced: boolean;
  /** Another process is running the agent on this request; poke it again later. */
  busy?: boolean;
}

/** How long a run may hold a request before another process may take it over (a run takes ms to s). */
const LEASE_MS = 30_000;

/** Runs in this process, by agent and request: a second poke waits for the first instead of racing it. */
const inProcess = new Map<string, Promise<unknown>>();

/**
 * Runs the agent on one request as far as it can go: starts it, resumes it once the question it waits
 * on is answered, or continues a run cut off by a crash. Any number of callers may poke the same
 * request. In one process they take turns; across processes a lease on the request row lets one run at
 * a time, and a poke that finds the lease taken returns `busy` (its job is retried) without holding a
 * connection while it waits. Each run finds the thread where the last one left it.
 */
export async function runThread<Wait>(
  spec: ThreadAgent<Wait>,
  rt: ThreadRuntime,
  requestId: string,
): Promise<ThreadResult> {
  const key = `${spec.agent}:${requestId}`;
  const previous = inProcess.get(key) ?? Promise.resolve();
  const mine = previous.catch(() => {}).then(() => leased(spec, rt, requestId));
  inProcess.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inProcess.get(key) === mine) inProcess.delete(key);
  }
}

/**
 * For a caller that wants the request advanced now: when another process holds the request, waits for
 * it, at most until a dead holder's lease would have lapsed.
 */
export async function runThreadNow<Wait>(
  spec: ThreadAgent<Wait>,
  rt: ThreadRuntime,
  requestId: string,
): Promise<ThreadResult> {
  const deadline = Date.now() + LEASE_MS + 5_000;
  for (;;) {
    const result = await runThread(spec, rt, requestId);
    if (!result.busy || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function statusOf(rt: ThreadRuntime, table: string, requestId: string) {
  const [row] = await rt.database.db.execute<{ status: string; outcome: string | null }>(
    sql`select status, outcome from ${sql.identifier(table)} where id = ${requestId}`,
  );
  return row;
}

async function leased<Wait>(
  spec: ThreadAgent<Wait>,
  rt: ThreadRuntime,
  requestId: string,
): Promise<ThreadResult> {
  const holder = `run-${randomUUID().slice(0, 8)}`;
  const now = rt.clock.now();
  const table = sql.identifier(spec.table);
  const [row] = await rt.database.db.execute<Record<string, unknown>>(
    sql`update ${table} set agent_lease_by = ${holder}, agent_lease_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}
        where id = ${requestId} and (agent_lease_until is null or agent_lease_until < ${now.toISOString()})
        returning *`,
  );
  if (!row) {
    const exists = await statusOf(rt, spec.table, requestId);
    if (!exists)
      throw new OperationError('not_found', `No ${spec.table.replace(/_/g, ' ').slice(0, -1)} ${requestId}`);
    return { status: exists.status, outcome: exists.outcome, waitingOn: null, advanced: false, busy: true };
  }
  try {
    return await advance(spec, rt, requestId, row);
  } finally {
    await rt.database.db.execute(
      sql`update ${table} set agent_lease_by = null, agent_lease_until = null
          where id = ${requestId} and agent_lease_by = ${holder}`,
    );
  }
}

async function advance<Wait>(
  spec: ThreadAgent<Wait>,
  rt: ThreadRuntime,
  requestId: string,
  row: Record<string, unknown>,
): Promise<ThreadResult> {
  const onBehalfOf = spec.onBehalfOf?.(row);
  const start = spec.start?.(requestId) ?? { requestId };
  const runId = await beginAgentRun(rt.database, {
    agent: spec.agent,
    threadId: requestId,
    mode: 'deterministic',
    now: rt.clock.now(),
  });
  const tools = await HmsTools.connectInProcess(spec.modules, {
    database: rt.database,
    clock: rt.clock,
    actor: spec.actor,
    onBehalfOf,
    agentRunId: runId,
  });
  const graph = spec.build(tools, rt.checkpointer);
  const config = { configurable: { thread_id: requestId } };
  const waitingOf = (state: StateSnapshot) =>
    state.tasks.flatMap((t) => t.interrupts).map((i) => i.value as Wait)[0];
  try {
    const saved = await graph.getState(config);
    const waiting = waitingOf(saved);
    if (waiting) {
      const answer = await spec.answer(tools, waiting);
      if (answer === null) return await settle(rt, spec, runId, requestId, spec.waitingId(waiting), false);
      await graph.invoke(new Command({ resume: answer }), config);
    } else if (saved.next.length > 0) {
      await graph.invoke(null, config); // cut off mid-run: continue from the last checkpoint
    } else if ((saved.values as { requestId?: string }).requestId && !spec.reopened?.(row)) {
      return await settle(rt, spec, runId, requestId, null, false);
    } else {
      await graph.invoke(start, config);
    }
    const next = waitingOf(await graph.getState(config));
    return await settle(rt, spec, runId, requestId, next === undefined ? null : spec.waitingId(next), true);
  } catch (err) {
    await endAgentRun(rt.database, runId, 'failed', rt.clock.now(), err);
    throw err;
  } finally {
    await tools.close();
  }
}

async function settle<Wait>(
  rt: ThreadRuntime,
  spec: ThreadAgent<Wait>,
  runId: string,
  requestId: string,
  waitingOn: string | null,
  advanced: boolean,
): Promise<ThreadResult> {
  const request = await statusOf(rt, spec.table, requestId);
  await endAgentRun(rt.database, runId, waitingOn ? 'waiting' : 'completed', rt.clock.now());
  return { status: request!.status, outcome: request!.outcome, waitingOn, advanced };
}
