/**
 * `carebridge bench` (solver section): the batch bed-assignment solver on a synthetic 1,000-bed hospital
 * with 500 pending requests, built in memory from a fixed seed. In one run: first fit (greedy); the
 * solver as plan_bed_assignments runs it (HiGHS in a worker thread, 2 s limit; the first HiGHS run in
 * this process, so it starts cold); and the optimum, from HiGHS's branch and cut on the full MILP with
 * its default settings (presolve, heuristics, cuts) and a 60 s limit, so that it does not rest on the
 * solver's own shortcut (the LP relaxation). Target: within 1% of the optimum in ≤ 2 s.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadHighsRunner } from '../tools/core/highs.ts';
import { firstFit } from '../tools/beds/assign/greedy.ts';
import { buildAssignmentMilp, milpStart, readMilpChoice } from '../tools/beds/assign/milp.ts';
import { compileProblem } from '../tools/beds/assign/compile.ts';
import type { AssignmentProblem } from '../tools/beds/assign/model.ts';
import { type AssignmentPlan, presentPlan } from '../tools/beds/assign/plan.ts';
import { assertValidPlan } from '../tools/beds/assign/validate.ts';
import { greedyPlan, planBedAssignments } from '../tools/beds/assign/solve.ts';
import { syntheticProblem } from '../tools/beds/assign/synthetic.ts';

const SEED = 42;
const BEDS = 1000;
const REQUESTS = 500;
const LIMIT_SECONDS = 2;
const OPTIMUM_LIMIT_SECONDS = 60;
const TARGET_RATIO = 1.01;

function figures(plan: AssignmentPlan, optimum: number | null) {
  const left = (priority: string) => plan.unassigned.filter((u) => u.priority === priority).length;
  return {
    method: plan.method,
    status: plan.status,
    fallbackReason: plan.fallbackReason,
    objective: plan.objective,
    assignmentCost: plan.assignmentCost,
    unassignedPenalty: plan.unassignedPenalty,
    unassigned: { emergency: left('emergency'), urgent: left('urgent'), routine: left('routine') },
    bound: plan.bound,
    seconds: plan.seconds,
    ratioToOptimum: optimum === null ? null : plan.objective / optimum,
  };
}

/** HiGHS's branch and cut on the full MILP, in this thread, warm-started from first fit. */
async function branchAndCutOptimum(problem: AssignmentProblem): Promise<AssignmentPlan> {
  const startedAt = performance.now();
  const runner = await loadHighsRunner();
  if (!runner) throw new Error('HiGHS could not be loaded');
  const c = compileProblem(problem);
  const run = runner(buildAssignmentMilp(c), milpStart(c, firstFit(c)), {
    timeLimitSeconds: OPTIMUM_LIMIT_SECONDS,
  });
  const choice = run.values ? readMilpChoice(c, run.values) : null;
  if (!choice) throw new Error(`HiGHS's branch and cut gave no assignment (${run.status})`);
  const plan = presentPlan(problem, c, choice, {
    method: 'milp',
    status: run.status === 'optimal' ? 'optimal' : 'time-limit',
    fallbackReason: null,
    bound: run.dualBound === null ? null : Math.ceil(run.dualBound - 1e-6),
    seconds: (performance.now() - startedAt) / 1000,
  });
  return assertValidPlan(problem, plan);
}

const int = (n: number) => n.toLocaleString('en-US');
const time = (s: number) => (s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`);

function row(label: string, f: ReturnType<typeof figures>, note: string) {
  const { emergency, urgent, routine } = f.unassigned;
  return (
    `  ${label.padEnd(22)} ${int(f.objective).padStart(10)}   ${(f.ratioToOptimum?.toFixed(4) ?? '—').padStart(8)}   ` +
    `${int(f.assignmentCost).padStart(8)}   ${`${emergency}/${urgent}/${routine}`.padStart(10)}   ${time(f.seconds).padStart(8)}   ${note}`
  );
}

/**
 * Runs the solver benchmark and prints its table. With `json`, adds the figures under `bedSolver` to
 * that file, keeping what an earlier section wrote there when `merge` is true. Returns 0, or 1 when a
 * result contradicts another (a plan below the proven optimum, or an optimum run that proves nothing).
 */
export async function runSolverBench(
  values: Record<string, string | boolean | undefined>,
  merge: boolean,
): Promise<number> {
  const problem = syntheticProblem({ seed: SEED, beds: BEDS, requests: REQUESTS });
  const compiled = compileProblem(problem);
  const free = problem.beds.filter(
    (b) => b.status === 'U' && (b.housekeeping === 'clean' || b.housekeeping === 'inspected') && !b.reserved,
  ).length;
  const byPriority = (p: string) => problem.requests.filter((r) => r.priority === p).length;
  process.stderr.write('Bed-assignment solver: first fit, HiGHS with a 2 s limit, then branch and cut…\n');
  const greedy = greedyPlan(problem);
  const solver = await planBedAssignments(problem, { timeLimitSeconds: LIMIT_SECONDS });
  const exact = await branchAndCutOptimum(problem);
  const proven = exact.status === 'optimal' && exact.bound === exact.objective;
  const optimum = proven ? exact.objective : null;
  const g = figures(greedy, optimum);
  const s = figures(solver, optimum);
  const o = figures(exact, optimum);
  const within = optimum !== null && solver.objective <= TARGET_RATIO * optimum;
  const fast = solver.seconds <= LIMIT_SECONDS;
  const pass = within && fast;
  const verdict =
    optimum === null
      ? 'MISS (the optimum was not proven, so the gap is unknown)'
      : `${pass ? 'PASS' : 'MISS'} (${((s.ratioToOptimum ?? 0) * 100 - 100).toFixed(2)}% above the optimum in ${time(solver.seconds)})`;
  process.stdout.write(
    [
      `Batch bed assignment: ${REQUESTS} requests (${byPriority('emergency')} emergency, ${byPriority('urgent')} urgent, ` +
        `${byPriority('routine')} routine) into a synthetic ${int(BEDS)}-bed hospital (seed ${SEED}: ${free} beds free, ` +
        `${int(compiled.pairClass.length)} request–bed-class pairs):`,
      `  ${'run'.padEnd(22)} ${'objective'.padStart(10)}   ${'÷ optimum'.padStart(8)}   ${'mismatch'.padStart(8)}   ${'left E/U/R'.padStart(10)}   ${'time'.padStart(8)}`,
      row('greedy first fit', g, greedy.method),
      row(
        `solver (${LIMIT_SECONDS} s limit)`,
        s,
        `${solver.method}, ${solver.status}${solver.fallbackReason ? ` (${solver.fallbackReason})` : ''}`,
      ),
      row(
        'optimum (branch & cut)',
        o,
        `${exact.status}, bound ${exact.bound === null ? '—' : int(exact.bound)}, ${OPTIMUM_LIMIT_SECONDS} s limit`,
      ),
      `  target: within 1% of the optimum in ≤ ${LIMIT_SECONDS} s: ${verdict}`,
      '',
    ].join('\n'),
  );
  if (values.json) {
    const file = String(values.json);
    const earlier = merge && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as object) : {};
    const bedSolver = {
      instance: {
        seed: SEED,
        beds: BEDS,
        bedsFree: free,
        requests: REQUESTS,
        pairs: compiled.pairClass.length,
      },
      greedy: g,
      solver: s,
      optimum: { ...o, proven },
      target: { ratio: TARGET_RATIO, seconds: LIMIT_SECONDS, pass },
    };
    writeFileSync(file, JSON.stringify({ ...earlier, bedSolver }, null, 2));
  }
  const contradiction =
    !proven || [greedy, solver].some((plan) => optimum !== null && plan.objective < optimum);
  return contradiction ? 1 : 0;
}
