/**
 * How a batch of bed requests is planned. First fit runs first (milliseconds); then HiGHS solves the
 * MILP in a worker thread, warm-started from it, until the time limit (default 2 s). When HiGHS cannot
 * load, gives no plan, or the worker fails or stays silent past the limit, the first-fit plan is
 * returned as 'greedy-fallback' with the reason. Every plan passes the validator before it is returned;
 * one that breaks a rule throws.
 *
 * Determinism: the same problem gives the same plan whenever HiGHS proves it optimal (status
 * 'optimal'); a plan cut short by the time limit ('time-limit') may differ from machine to machine.
 */
import { compileHighsModule } from '../../core/highs.ts';
import { runInWorker } from '../../core/worker.ts';
import { firstFit } from './greedy.ts';
import type { MilpOutcome } from './milp.ts';
import { type Choice, type CompiledProblem, compileProblem, objectiveOf } from './compile.ts';
import type { AssignmentProblem } from './model.ts';
import { type AssignmentPlan, type PlanMeta, presentPlan } from './plan.ts';
import { assertValidPlan } from './validate.ts';

export interface MilpJob {
  compiled: CompiledProblem;
  /** The warm start: first fit's choice. */
  start: Choice;
  /** Date.now() by which HiGHS must have stopped. */
  deadline: number;
  useHighs: boolean;
  /** HiGHS compiled by the caller, so the worker need not compile it again; null: the worker compiles it. */
  wasmModule: WebAssembly.Module | null;
}

/** Runs one MILP job; rejects when it cannot, and stops when `signal` aborts. */
export type MilpSolve = (job: MilpJob, signal: AbortSignal) => Promise<MilpOutcome>;

export const solveMilpInWorker: MilpSolve = (job, signal) =>
  runInWorker<MilpOutcome>(new URL('./solve-worker.ts', import.meta.url), job, {
    name: 'bed-assignment MILP',
    signal,
  });

export interface PlanOptions {
  /** Seconds for the whole plan, default 2. */
  timeLimitSeconds?: number;
  /** false: do not load HiGHS, so the plan is first fit's (reported as greedy-fallback). */
  useHighs?: boolean;
  /** How the MILP job runs: by default in a worker thread. */
  solveMilp?: MilpSolve;
}

/** How long past the time limit a silent worker is waited for before it is stopped. */
const graceSeconds = (limit: number) => Math.max(1, limit / 4);

export async function planBedAssignments(
  problem: AssignmentProblem,
  options: PlanOptions = {},
): Promise<AssignmentPlan> {
  const { timeLimitSeconds: limit = 2, useHighs = true, solveMilp = solveMilpInWorker } = options;
  const startedAt = performance.now();
  const deadline = Date.now() + limit * 1000;
  const seconds = () => (performance.now() - startedAt) / 1000;
  const c = compileProblem(problem);
  const greedy = firstFit(c);
  const present = (choice: Choice, meta: Omit<PlanMeta, 'seconds'>) =>
    assertValidPlan(problem, presentPlan(problem, c, choice, { ...meta, seconds: seconds() }));
  const fallback = (reason: string) =>
    present(greedy, { method: 'greedy-fallback', status: 'heuristic', fallbackReason: reason, bound: null });
  // Nothing to place: the empty plan is optimal, and there is no need to start HiGHS.
  if (c.requestCount === 0)
    return present(greedy, { method: 'milp', status: 'optimal', fallbackReason: null, bound: 0 });

  const wait = Number((limit + graceSeconds(limit)).toFixed(2));
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${wait} s`)),
    Math.max(0, deadline + graceSeconds(limit) * 1000 - Date.now()),
  );
  let outcome: MilpOutcome;
  try {
    const wasmModule = useHighs ? await compileHighsModule().catch(() => null) : null;
    outcome = await solveMilp(
      { compiled: c, start: greedy, deadline, useHighs, wasmModule },
      controller.signal,
    );
  } catch (err) {
    return fallback(
      controller.signal.aborted
        ? `HiGHS gave no answer within ${wait} s; its worker was stopped`
        : `the MILP worker failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (outcome.kind === 'unavailable')
    return fallback(useHighs ? 'HiGHS could not be loaded' : 'HiGHS was not used (useHighs: false)');
  if (outcome.kind === 'failed') return fallback(outcome.detail);
  // A plan cut short by the time limit may leave free a bed that a request fits: first fit fills it.
  const choice = outcome.status === 'optimal' ? outcome.choice : firstFit(c, outcome.choice);
  const plan = present(choice, {
    method: 'milp',
    status: outcome.status,
    fallbackReason: null,
    bound: outcome.status === 'optimal' ? objectiveOf(c, choice) : outcome.bound,
  });
  const greedyObjective = objectiveOf(c, greedy);
  if (plan.objective > greedyObjective) {
    return fallback(
      `HiGHS's plan (${outcome.status}, objective ${plan.objective}) is worse than first fit's (${greedyObjective})`,
    );
  }
  return plan;
}

/** First fit alone, reported as method 'greedy': the baseline. */
export function greedyPlan(problem: AssignmentProblem): AssignmentPlan {
  const startedAt = performance.now();
  const c = compileProblem(problem);
  const choice = firstFit(c);
  return assertValidPlan(
    problem,
    presentPlan(problem, c, choice, {
      method: 'greedy',
      status: 'heuristic',
      fallbackReason: null,
      bound: null,
      seconds: (performance.now() - startedAt) / 1000,
    }),
  );
}
