/** Worker-thread entry for solve.ts: runs one solve and posts progress and the result. */
import { workerData } from 'node:worker_threads';
import { loadHighsSolvers } from '../../core/highs.ts';
import { postToParent } from '../../core/worker.ts';
import type { RosterSolveRequest, WorkerMessage } from './solve.ts';
import { solveWithStrategy } from './strategy.ts';

const post = (message: WorkerMessage) => postToParent(message);
const request = workerData as RosterSolveRequest;
try {
  const highs = request.useMilp ? await loadHighsSolvers() : null;
  const result = solveWithStrategy(request.instance, request.options, {
    now: () => performance.now(),
    milp: highs?.runner ?? null,
    models: highs?.models ?? null,
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}
