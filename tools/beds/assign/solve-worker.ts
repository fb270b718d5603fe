/**
 * Worker-thread entry for solve.ts: loads HiGHS (from the module the caller compiled, when given) and
 * solves the assignment MILP until the job's deadline. Imports nothing that touches the database.
 */
import { workerData } from 'node:worker_threads';
import { loadHighsRunner } from '../../core/highs.ts';
import { postToParent } from '../../core/worker.ts';
import { type MilpOutcome, solveAssignmentMilp } from './milp.ts';
import type { MilpJob } from './solve.ts';

/** Kept back from HiGHS's time limit for reading and checking the plan after it stops. */
const MARGIN_MS = 100;

const job = workerData as MilpJob;
try {
  const runner = job.useHighs
    ? await loadHighsRunner(job.wasmModule ? { wasmModule: job.wasmModule } : {})
    : null;
  const result: MilpOutcome = runner
    ? solveAssignmentMilp(
        job.compiled,
        job.start,
        runner,
        Math.max(0.01, (job.deadline - Date.now() - MARGIN_MS) / 1000),
      )
    : { kind: 'unavailable' };
  postToParent<MilpOutcome>({ type: 'done', result });
} catch (err) {
  postToParent<MilpOutcome>({
    type: 'error',
    message: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });
}
