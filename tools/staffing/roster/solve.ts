/**
 * Solves a roster in a worker thread, so the caller's event loop stays free for the whole time limit.
 * The worker (solve-worker.ts) loads HiGHS when asked and runs the strategy in strategy.ts; progress
 * (best objective over time) streams back as messages.
 */
import { runInWorker, type WorkerMessage as CoreWorkerMessage } from '../../core/worker.ts';
import type { Instance } from './instance.ts';
import type { SolveOptions, SolveProgress, SolveResult } from './strategy.ts';

export type { SolveOptions, SolveProgress, SolveResult } from './strategy.ts';

export interface RosterSolveRequest {
  instance: Instance;
  options: SolveOptions;
  /** Use HiGHS when it loads (default true); false runs the pure-TypeScript search only. */
  useMilp: boolean;
}

export type WorkerMessage = CoreWorkerMessage<SolveResult, SolveProgress>;

export function solveRoster(
  instance: Instance,
  options: SolveOptions & { useMilp?: boolean },
  onProgress?: (progress: SolveProgress) => void,
): Promise<SolveResult> {
  const { useMilp = true, ...solveOptions } = options;
  const request: RosterSolveRequest = { instance, options: solveOptions, useMilp };
  return runInWorker<SolveResult, SolveProgress>(new URL('./solve-worker.ts', import.meta.url), request, {
    name: 'roster solver',
    ...(onProgress ? { onProgress } : {}),
  });
}
