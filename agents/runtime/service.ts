import type { Database } from '../../db/client.ts';
import { enqueueJob } from '../../db/jobs.ts';
import { BEDS_QUEUE } from '../../tools/beds/negotiation.ts';
import { escalateOverdueApprovals } from '../../tools/beds/negotiation-operations.ts';
import { expireBedHolds } from '../../tools/beds/operations.ts';
import { systemActor } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { TRIAGE_QUEUE } from '../../tools/health-data/ingest.ts';
import { sweepStaleDevices } from '../../tools/health-data/stale.ts';
import { STAFFING_QUEUE } from '../../tools/staffing/cover/requests.ts';
import type { BatchPlanCache } from '../beds/graph.ts';
import { runBedAgent } from '../beds/run.ts';
import { runCoverAgent } from '../staffing/run.ts';
import { runTriage } from '../triage/run.ts';
import { createCheckpointer } from './checkpointer.ts';
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
}

/**
 * The job worker with the agents' handlers (triage, beds, staffing cover) and the periodic duties: lapsed holds, unanswered bed
 * acceptances, silent devices. The duties run on the injected clock, so tests move time instead of waiting.
 */
export async function startAgentWorker(
  opts: AgentWorkerOptions,
): Promise<{ worker: Worker; stop(): Promise<void> }> {
  const checkpointer = await createCheckpointer(opts.database.url, opts.log);
  const system = { database: opts.database, clock: opts.clock, actor: systemActor };
  const plans: BatchPlanCache = { last: null };
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
      [BEDS_QUEUE]: async (job) => {
        const { requestId } = job.payload as { requestId: string };
        const r = await runBedAgent(
          { database: opts.database, clock: opts.clock, checkpointer: checkpointer.saver, plans },
          requestId,
        );
        // Another process holds the request: look again shortly rather than wait holding a worker slot.
        if (r.busy)
          await enqueueJob(
            opts.database.db,
            BEDS_QUEUE,
            { requestId },
            opts.clock.now(),
            new Date(opts.clock.now().getTime() + 2_000),
          );
        else if (r.advanced)
          opts.log?.(
            `bed request ${requestId}: ${r.status}${r.waitingOn ? ` (waiting on ${r.waitingOn})` : `: ${r.outcome}`}`,
          );
      },
      [STAFFING_QUEUE]: async (job) => {
        const { requestId } = job.payload as { requestId: string };
        const r = await runCoverAgent(
          { database: opts.database, clock: opts.clock, checkpointer: checkpointer.saver },
          requestId,
        );
        if (r.busy)
          await enqueueJob(
            opts.database.db,
            STAFFING_QUEUE,
            { requestId },
            opts.clock.now(),
            new Date(opts.clock.now().getTime() + 2_000),
          );
        else if (r.advanced)
          opts.log?.(
            `cover request ${requestId}: ${r.status}${r.waitingOn ? ` (waiting on approval of ${r.waitingOn})` : `: ${r.outcome}`}`,
          );
      },
    },
    onTick: async () => {
      await invokeOperation(expireBedHolds, {}, system);
      await invokeOperation(escalateOverdueApprovals, {}, system);
      await sweepStaleDevices(system);
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
