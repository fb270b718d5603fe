import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { agentRuns, escalations } from '../../db/schema/index.ts';
import type { Actor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import { OperationError } from '../../tools/core/errors.ts';
import { runBedAgentNow } from '../beds/run.ts';
import { HmsTools } from '../runtime/mcp-client.ts';
import { beginAgentRun, endAgentRun } from '../runtime/runs.ts';
import { createChatModel, type ModelSettings } from '../runtime/model.ts';
import { buildTriageGraph } from './graph.ts';

export const triageAgent: Actor = {
  id: 'agent:triage',
  kind: 'agent',
  scopes: [
    'health-data:read',
    'health-data:write',
    'escalations:read',
    'beds:read',
    'beds:write',
    'staffing:read',
    'notifications:write',
  ],
};

export interface TriageRuntime {
  database: Database;
  clock: Clock;
  checkpointer: BaseCheckpointSaver;
  model?: ModelSettings | null | undefined;
}

/**
 * Runs (or resumes) the triage agent for one escalation. The thread is the escalation id, so a run
 * cut off by a crash continues from its last checkpoint instead of starting over.
 */
export async function runTriage(
  rt: TriageRuntime,
  escalationId: string,
): Promise<{ status: string; outcome: string | null }> {
  const [esc] = await rt.database.db
    .select({ patientId: escalations.patientId, status: escalations.status, outcome: escalations.outcome })
    .from(escalations)
    .where(eq(escalations.id, escalationId));
  if (!esc) throw new OperationError('not_found', `No escalation ${escalationId}`);
  if (esc.status === 'completed' || esc.status === 'suppressed') {
    // A run cut off after it closed the escalation but before it recorded its own end is over too.
    await rt.database.db
      .update(agentRuns)
      .set({ status: 'completed', finishedAt: rt.clock.now() })
      .where(
        and(
          eq(agentRuns.agent, 'triage'),
          eq(agentRuns.threadId, escalationId),
          eq(agentRuns.status, 'running'),
        ),
      );
    return { status: esc.status, outcome: esc.outcome };
  }
  const mode = rt.model ? 'model' : 'deterministic';
  const runId = await beginAgentRun(rt.database, {
    agent: 'triage',
    threadId: escalationId,
    escalationId,
    mode,
    now: rt.clock.now(),
  });
  const tools = await HmsTools.connectInProcess(['health-data', 'beds', 'staffing'], {
    database: rt.database,
    clock: rt.clock,
    actor: triageAgent,
    onBehalfOf: esc.patientId,
    agentRunId: runId,
  });
  const graph = buildTriageGraph(
    {
      tools,
      model: rt.model ? createChatModel(rt.model) : undefined,
      // The bed agent runs its own thread: outside this graph's async context, or LangGraph would
      // adopt it as a subgraph and its interrupt (waiting for the charge nurse) would halt triage too.
      negotiateBed: (requestId) =>
        AsyncLocalStorageProviderSingleton.getInstance().run(undefined, () => runBedAgentNow(rt, requestId)),
    },
    rt.checkpointer,
  );
  const config = { configurable: { thread_id: escalationId } };
  try {
    const saved = await graph.getState(config);
    const resuming = saved.next.length > 0;
    if (!resuming) {
      await tools.call('record_escalation_event', {
        escalationId,
        step: 'triage-started',
        message: `Triage agent started (${mode} mode)`,
        data: { agentRunId: runId },
      });
    }
    const final = await graph.invoke(resuming ? null : { escalationId }, config);
    await endAgentRun(rt.database, runId, 'completed', rt.clock.now());
    const [done] = await rt.database.db
      .select({ status: escalations.status })
      .from(escalations)
      .where(eq(escalations.id, escalationId));
    return { status: done!.status, outcome: final.outcome };
  } catch (err) {
    await endAgentRun(rt.database, runId, 'failed', rt.clock.now(), err);
    throw err;
  } finally {
    await tools.close();
  }
}
