/**
 * Solves a roster in a worker thread, so the caller's event loop stays free for the whole time limit.
 * The worker (solve-worker.ts) loads HiGHS when asked and runs the strategy in strategy.ts; progress
 * (best objective over time) streams back as messages.
 */
import { Worker } from 'node:worker_threads';
import type { Instance } from './instance.ts';
import type { SolveOptions, SolveProgress, SolveResult } from './strategy.ts';

export type { SolveOptions, SolveProgress, SolveResult } from './strategy.ts';

export interface RosterSolveRequest {
  instance: Instance;
  options: SolveOptions;
  /** Use HiGHS when it loads (default true); false runs the pure-TypeScript search only. */
  useMilp: boolean;
}

export type WorkerMessage =
  | { type: 'progress'; progress: SolveProgress }
  | { type: 'done'; result: SolveResult }
  | { type: 'error'; message: string };

export function solveRoster(
  instance: Instance,
  options: SolveOptions & { useMilp?: boolean },
  onProgress?: (progress: SolveProgress) => void,
): Promise<SolveResult> {
  const { useMilp = true, ...solveOptions } = options;
  const request: RosterSolveRequest = { instance, options: solveOptions, useMilp };
  const worker = new Worker(new URL('./solve-worker.ts', import.meta.url), { workerData: request });
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') onProgress?.(message.progress);
      else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new Error(`roster solver failed: ${message.message}`)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`roster solver worker exited with code ${code}`))),
    );
  });
}
