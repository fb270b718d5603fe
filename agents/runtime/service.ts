import type { Database } from '../../db/client.ts';
import { enqueueJob, type Job } from '../../db/jobs.ts';
import { BEDS_QUEUE } from '../../tools/beds/negotiation.ts';
import { escalateOverdueApprovals } from '../../tools/beds/negotiation-operations.ts';
import { expireBedHolds } from '../../tools/beds/operations.ts';
import { systemActor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { TRIAGE_QUEUE } from '../../tools/health-data/ingest.ts';
import { sweepStaleDevices } from '../../tools/health-data/stale.ts';
import { postInbox } from '../../tools/revenue/clearinghouse/inbox.ts';
import { REVENUE_QUEUE } from '../../tools/revenue/tasks.ts';
import { STAFFING_QUEUE } from '../../tools/staffing/cover/requests.ts';
import { SURGERY_QUEUE } from '../../tools/surgery/store.ts';
import type { BatchPlanCache } from '../beds/graph.ts';
import { runBedAgent } from '../beds/run.ts';
import { revenueAgent, runRevenueAgent } from '../revenue/run.ts';
import { runCoverAgent } from '../staffing/run.ts';
import { runSurgeryAgent } from '../surgery/run.ts';
import { runTriage } from '../triage/run.ts';
import { createCheckpointer } from './checkpointer.ts';
import type { ThreadResult } from './thread-runner.ts';
import type { ModelSettings } from './model.ts';
import { Worker } from './worker.ts';

export interface AgentWorkerOptions {
  database: Database;
  clock: Clock;
  model?: ModelSettings | null;
  leaseMs?: number;
  concurrency?: number;
  tickMs?: number;
  log?: (line: string) => void;
  /** Where the clearinghouse drops 835 files for the revenue agent to post; none: no inbox. */
  inboxDir?: string | null;
}

/**
 * The job worker with the agents' handlers (triage, beds, staffing cover, revenue, surgery) and the periodic duties: lapsed holds, unanswered bed
 * acceptances, silent devices, and 835 files waiting in the remittance inbox. The duties run on the injected clock, so tests move time instead of waiting.
 */
export async function startAgentWorker(
  opts: AgentWorkerOptions,
): Promise<{ worker: Worker; stop(): Promise<void> }> {
  const checkpointer = await createCheckpointer(opts.database.url, opts.log);
  const system = { database: opts.database, clock: opts.clock, actor: systemActor };
  const plans: BatchPlanCache = { last: null };
  const rt = { database: opts.database, clock: opts.clock, checkpointer: checkpointer.saver };
  // A thread agent's job: advance its request; when another process holds the request, look again
  // shortly rather than wait holding a worker slot.
  const threadJob =
    (queue: string, key: string, label: string, run: (id: string) => Promise<ThreadResult>) =>
    async (job: Job) => {
      const id = (job.payload as Record<string, string>)[key]!;
      const r = await run(id);
      if (r.busy)
        await enqueueJob(
          opts.database.db,
          queue,
          { [key]: id },
          opts.clock.now(),
          new Date(opts.clock.now().getTime() + 2_000),
        );
      else if (r.advanced)
        opts.log?.(
          `${label} ${id}: ${r.status}${r.waitingOn ? ` (waiting on ${r.waitingOn})` : `: ${r.outcome}`}`,
        );
    };
  const worker = new Worker({
    database: opts.database,
    clock: opts.clock,
    leaseMs: opts.leaseMs,
    concurrency: opts.concurrency,
    tickMs: opts.tickMs,
    log: opts.log,
    handlers: {
      [TRIAGE_QUEUE]: async (job) => {
        const { escalationId } = job.payload as { escalationId: string };
        const r = await runTriage(
          { database: opts.database, clock: opts.clock, checkpointer: checkpointer.saver, model: opts.model },
          escalationId,
        );
        opts.log?.(`escalation ${escalationId}: ${r.status}: ${r.outcome}`);
      },
      [BEDS_QUEUE]: threadJob(BEDS_QUEUE, 'requestId', 'bed request', (id) =>
        runBedAgent({ ...rt, plans }, id),
      ),
      [STAFFING_QUEUE]: threadJob(STAFFING_QUEUE, 'requestId', 'cover request', (id) =>
        runCoverAgent(rt, id),
      ),
      [REVENUE_QUEUE]: threadJob(REVENUE_QUEUE, 'taskId', 'revenue task', (id) => runRevenueAgent(rt, id)),
      [SURGERY_QUEUE]: threadJob(SURGERY_QUEUE, 'requestId', 'surgery request', (id) =>
        runSurgeryAgent(rt, id),
      ),
    },
    onTick: async () => {
      await invokeOperation(expireBedHolds, {}, system);
      await invokeOperation(escalateOverdueApprovals, {}, system);
      await sweepStaleDevices(system);
      if (opts.inboxDir) {
        const posted = await postInbox({ ...system, actor: revenueAgent }, opts.inboxDir);
        for (const f of posted)
          opts.log?.(
            `inbox ${f.file}: ${f.outcome}${f.error ? `: ${f.error}` : ` (${f.claims} claims, ${f.held} held)`}`,
          );
      }
    },
  });
  await worker.start();
  return {
    worker,
    async stop() {
      await worker.stop();
      await checkpointer.close();
    },
  };
}
