import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { agentRuns } from '../../db/schema/index.ts';

/**
 * Records that an agent works on a thread: one row per (agent, thread), so a resumed or retried run
 * counts another attempt of the same run. Returns the run id the audit entries carry.
 */
export async function beginAgentRun(
  database: Database,
  run: { agent: string; threadId: string; escalationId?: string; mode: 'deterministic' | 'model'; now: Date },
): Promise<string> {
  const [row] = await database.db
    .insert(agentRuns)
    .values({
      id: randomUUID(),
      agent: run.agent,
      threadId: run.threadId,
      escalationId: run.escalationId ?? null,
      mode: run.mode,
      status: 'running',
      startedAt: run.now,
    })
    .onConflictDoUpdate({
      target: [agentRuns.agent, agentRuns.threadId],
      set: { attempts: sql`${agentRuns.attempts} + 1`, status: 'running', error: null },
    })
    .returning({ id: agentRuns.id });
  return row!.id;
}

/** Records how a run ended; a failure keeps its error for the admins' view. */
export async function endAgentRun(
  database: Database,
  runId: string,
  status: 'completed' | 'waiting' | 'failed',
  now: Date,
  err?: unknown,
): Promise<void> {
  await database.db
    .update(agentRuns)
    .set({
      status,
      finishedAt: now,
      ...(status === 'failed' ? { error: err instanceof Error ? err.message : String(err) } : {}),
    })
    .where(eq(agentRuns.id, runId));
}
