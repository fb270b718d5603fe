/**
 * The assignment as a mixed-integer program for HiGHS (tools/core/highs.ts), passed as column arrays:
 *
 *   minimise   Σ cost(p)·x_p + Σ penalty(r)·u_r
 *   subject to Σ_{p of r} x_p + u_r = 1        for every request r     (a bed, or none)
 *              Σ_{p in k} x_p ≤ |k|            for every bed class k   (one patient per bed)
 *              x, u binary
 *
 * x_p is one (request, bed class) pair that bedRefusal allows, so every hard rule holds by
 * construction; a class is a set of beds interchangeable for every request (model.ts), and its row is
 * the sum of its beds' "at most one patient" rows. The constraint matrix is that of a transportation
 * problem plus slack columns, which is totally unimodular: the LP relaxation already has an integral
 * optimal vertex (see solveAssignmentMilp).
 */
import type { MilpArrays, MilpRunner } from '../../core/highs.ts';
import { type Choice, type CompiledProblem, objectiveOf } from './compile.ts';

const BINARY = 1;

/**
 * The model as HiGHS column arrays: columns 0 … P-1 are the pairs x_p, then P + r is u_r; rows 0 … R-1
 * are the requests, then one row per bed class that more requests fit than it has beds (a class with
 * beds enough for every request that fits it needs no row).
 */
export function buildAssignmentMilp(c: CompiledProblem): MilpArrays {
  const P = c.pairClass.length;
  const R = c.requestCount;
  const columns = P + R;
  const fitting = new Int32Array(c.classCount);
  for (let p = 0; p < P; p++) {
    const k = c.pairClass[p] ?? 0;
    fitting[k] = (fitting[k] ?? 0) + 1;
  }
  const classRow = new Int32Array(c.classCount).fill(-1);
  const rowUpper: number[] = Array.from({ length: R }, () => 1);
  for (let k = 0; k < c.classCount; k++) {
    const size = (c.classStart[k + 1] ?? 0) - (c.classStart[k] ?? 0);
    if ((fitting[k] ?? 0) > size) {
      classRow[k] = rowUpper.length;
      rowUpper.push(size);
    }
  }
  const rows = rowUpper.length;
  const rowLower = new Float64Array(rows).fill(-Infinity);
  rowLower.fill(1, 0, R);
  const colCost = new Float64Array(columns);
  colCost.set(c.pairCost);
  colCost.set(c.penalty, P);
  // Column-wise: a pair sits in its request's row and maybe its class's row; u_r in row r only.
  const starts = new Int32Array(columns + 1);
  const indices: number[] = [];
  for (let r = 0; r < R; r++) {
    for (let p = c.pairStart[r] ?? 0; p < (c.pairStart[r + 1] ?? 0); p++) {
      starts[p] = indices.length;
      indices.push(r);
      const row = classRow[c.pairClass[p] ?? 0] ?? -1;
      if (row >= 0) indices.push(row);
    }
  }
  for (let r = 0; r < R; r++) {
    starts[P + r] = indices.length;
    indices.push(r);
  }
  starts[columns] = indices.length;
  return {
    numCols: columns,
    numRows: rows,
    colCost,
    colLower: new Float64Array(columns),
    colUpper: new Float64Array(columns).fill(1),
    rowLower,
    rowUpper: Float64Array.from(rowUpper),
    matrix: {
      format: 'csc',
      numRows: rows,
      numCols: columns,
      starts,
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
    integrality: new Int32Array(columns).fill(BINARY),
  };
}

/** A choice as HiGHS column values, for a warm start. */
export function milpStart(c: CompiledProblem, choice: Choice): Float64Array {
  const P = c.pairClass.length;
  const start = new Float64Array(P + c.requestCount);
  for (let r = 0; r < c.requestCount; r++) {
    const p = choice[r] ?? -1;
    start[p >= 0 ? p : P + r] = 1;
  }
  return start;
}

/** The choice HiGHS's column values describe, or null when they are not one (a request with two beds, …). */
export function readMilpChoice(c: CompiledProblem, values: Float64Array): Choice | null {
  const P = c.pairClass.length;
  const choice = new Int32Array(c.requestCount).fill(-1);
  const free = new Int32Array(c.classCount);
  for (let k = 0; k < c.classCount; k++) free[k] = (c.classStart[k + 1] ?? 0) - (c.classStart[k] ?? 0);
  for (let r = 0; r < c.requestCount; r++) {
    let chosen = (values[P + r] ?? 0) > 0.5 ? 1 : 0;
    for (let p = c.pairStart[r] ?? 0; p < (c.pairStart[r + 1] ?? 0); p++) {
      if ((values[p] ?? 0) <= 0.5) continue;
      chosen++;
      const k = c.pairClass[p] ?? 0;
      if ((free[k] ?? 0) <= 0) return null;
      free[k] = (free[k] ?? 0) - 1;
      choice[r] = p;
    }
    if (chosen !== 1) return null;
  }
  return choice;
}

export type MilpOutcome =
  | { kind: 'unavailable' }
  | { kind: 'failed'; detail: string }
  | {
      kind: 'solved';
      status: 'optimal' | 'time-limit';
      choice: Choice;
      /** HiGHS's proven lower bound on the objective, rounded up (costs are integers); null if none. */
      bound: number | null;
      /** How HiGHS solved it: its simplex on the LP relaxation, or its branch and cut. */
      via: 'lp-relaxation' | 'branch-and-cut';
    };

const isIntegral = (values: Float64Array) => values.every((v) => Math.abs(v - Math.round(v)) <= 1e-6);

/**
 * Solves the MILP with HiGHS within the time limit. The constraint matrix is totally unimodular, so
 * an optimal vertex of the LP relaxation is integral and is an optimal assignment: HiGHS's simplex on
 * the relaxation solves the MILP several times faster than its branch and cut, which spends most of
 * its time here on root-node heuristics. Should the relaxation's answer be fractional all the same
 * (numerical trouble), branch and cut, warm-started from `start`, gets the time left.
 */
export function solveAssignmentMilp(
  c: CompiledProblem,
  start: Choice,
  runner: MilpRunner,
  timeLimitSeconds: number,
  now: () => number = () => performance.now(),
): MilpOutcome {
  const startedAt = now();
  const model = buildAssignmentMilp(c);
  // Presolve off: on this network model it costs more than it saves.
  const relaxed = runner({ ...model, integrality: undefined }, null, { timeLimitSeconds, presolve: false });
  if (relaxed.status === 'optimal' && relaxed.values && isIntegral(relaxed.values)) {
    const choice = readMilpChoice(c, relaxed.values);
    if (choice)
      return {
        kind: 'solved',
        status: 'optimal',
        choice,
        bound: objectiveOf(c, choice),
        via: 'lp-relaxation',
      };
  }
  const left = timeLimitSeconds - (now() - startedAt) / 1000;
  if (relaxed.status !== 'optimal' || left <= 0.01)
    return {
      kind: 'failed',
      detail: `HiGHS did not solve the model within ${timeLimitSeconds.toFixed(2)} s`,
    };
  const run = runner(model, milpStart(c, start), { timeLimitSeconds: left, presolve: false });
  if (run.status === 'failed' || !run.values) return { kind: 'failed', detail: 'HiGHS returned no solution' };
  const choice = readMilpChoice(c, run.values);
  if (!choice) return { kind: 'failed', detail: `HiGHS's solution (${run.status}) is not an assignment` };
  const bound = run.dualBound === null ? null : Math.ceil(run.dualBound - 1e-6);
  return {
    kind: 'solved',
    status: run.status === 'optimal' ? 'optimal' : 'time-limit',
    choice,
    bound,
    via: 'branch-and-cut',
  };
}
