/**
 * Solves a roster in worker threads, so the caller's event loop stays free for the whole time limit.
 * Each worker (solve-worker.ts) loads HiGHS when asked and runs the strategy in strategy.ts; progress
 * (best objective over time) streams back as messages.
 *
 * A solve is a small portfolio: `solves` independent runs of the strategy side by side (two by
 * default, one per core of the benchmark machine), each with its own seed derived from the caller's,
 * and the best roster wins (ties go to the first run, whose seed is the caller's). Each run is as
 * deterministic as a single one, so the portfolio is too; the number of runs is fixed, never taken
 * from the machine, so the same seed gives the same roster everywhere. Whether the first anneal ends
 * 11 or 12 slots short of cover on Instance5 (and 12 or 13 on Instance8) depends on the seed, and no
 * later phase changes it, so two seeds are two chances.
 */
import { runInWorker, type WorkerMessage as CoreWorkerMessage } from '../../core/worker.ts';
import type { Instance } from './instance.ts';
import type { SolveOptions, SolveProgress, SolveResult } from './strategy.ts';

export type { SolveOptions, SolveProgress, SolveResult } from './strategy.ts';

/** Independent seeded runs per solve. */
export const PORTFOLIO_RUNS = 2;

export interface RosterSolveRequest {
  instance: Instance;
  options: SolveOptions;
  /** Use HiGHS when it loads (default true); false runs the pure-TypeScript search only. */
  useMilp: boolean;
}

export type WorkerMessage = CoreWorkerMessage<SolveResult, SolveProgress>;

/** The seed of run k: the caller's for run 0, then seeds spread by the golden-ratio increment. */
export function runSeed(seed: number, run: number): number {
  return run === 0 ? seed : (seed + run * 0x9e3779b9) >>> 0;
}

export async function solveRoster(
  instance: Instance,
  options: SolveOptions & { useMilp?: boolean; solves?: number; signal?: AbortSignal | undefined },
  onProgress?: (progress: SolveProgress) => void,
): Promise<SolveResult> {
  // An abort terminates every run's worker and rejects with the signal's reason.
  const { useMilp = true, solves = PORTFOLIO_RUNS, signal, ...solveOptions } = options;
  const runs = Math.max(1, Math.floor(solves));
  // Progress is the best objective of any run so far, so it never gets worse.
  const merged: SolveProgress[] = [];
  let best = Number.POSITIVE_INFINITY;
  const relay = (progress: SolveProgress) => {
    if (progress.bestObjective >= best) return;
    best = progress.bestObjective;
    merged.push(progress);
    onProgress?.(progress);
  };
  const results = await Promise.all(
    Array.from({ length: runs }, (_, k) => {
      const request: RosterSolveRequest = {
        instance,
        options: { ...solveOptions, seed: runSeed(solveOptions.seed, k), run: k },
        useMilp,
      };
      return runInWorker<SolveResult, SolveProgress>(new URL('./solve-worker.ts', import.meta.url), request, {
        name: 'roster solver',
        onProgress: relay,
        signal,
      });
    }),
  );
  return combine(results, merged);
}

/** The portfolio's answer: the best feasible run (the first among equals), with what all runs proved. */
function combine(results: SolveResult[], progress: SolveProgress[]): SolveResult {
  const rank = (r: SolveResult) => (r.feasible ? 0 : 1);
  let chosen = results[0] as SolveResult;
  for (const r of results) {
    if (rank(r) < rank(chosen) || (rank(r) === rank(chosen) && r.objective < chosen.objective)) chosen = r;
  }
  const bounds = results.flatMap((r) => (r.lowerBound === null ? [] : [r.lowerBound]));
  const lowerBound = bounds.length > 0 ? Math.max(...bounds) : null;
  const firstFeasible = results.flatMap((r) =>
    r.timeToFirstFeasibleMs === null ? [] : [r.timeToFirstFeasibleMs],
  );
  return {
    ...chosen,
    lowerBound,
    provenOptimal:
      results.some((r) => r.provenOptimal && r.objective === chosen.objective) ||
      (lowerBound !== null && chosen.feasible && chosen.objective <= lowerBound),
    timeToFirstFeasibleMs: firstFeasible.length > 0 ? Math.min(...firstFeasible) : null,
    stoppedBy: results.some((r) => r.stoppedBy === 'time-limit') ? 'time-limit' : 'budget',
    method: results.length > 1 ? `best of ${results.length} seeded runs of: ${chosen.method}` : chosen.method,
    annealIterations: results.reduce((sum, r) => sum + r.annealIterations, 0),
    neighbourhoodRounds: results.reduce((sum, r) => sum + r.neighbourhoodRounds, 0),
    progress: progress.length > 0 ? progress : chosen.progress,
  };
}
