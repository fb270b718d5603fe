/**
 * How a roster is solved, step by step: construct a feasible roster; with HiGHS, column generation
 * (columns.ts) where its work fits the time limit, whose dive gives a roster near the optimum and whose
 * bound may prove it, and then straight to the large-neighbourhood search below. Otherwise: anneal
 * it (in independent starts from fresh constructions when the budget holds several, which may then cross infeasible rosters;
 * the best is kept, see annealStarts), then (when HiGHS is available) solve the root node of the full
 * integer model warm-started from it, on models of up to 1000 shift variables (small instances end
 * here, proven optimal, and the others get a lower bound); then
 * large-neighbourhood search: re-solve a block of days for everyone, a group of employees' whole rows,
 * or two short blocks around a slot short of cover and a slot with cover to spare, exactly with HiGHS
 * (warm-started, so never worse) against the rest of the roster held fixed; then anneal again. Every kept roster meets every hard rule; without HiGHS the annealing alone runs.
 *
 * Determinism: every phase is bounded by a count (pricing states, anneal moves, neighbourhood rounds,
 * HiGHS nodes)
 * that derives from the time limit, not by the clock, so the same instance, seed and time limit give
 * the same roster. The clock is only a safety net that stops a phase early; a run it touched reports
 * stoppedBy 'time-limit' and may differ from machine to machine.
 */
import { Random } from '../../../db/seed/random.ts';
import type { Instance } from './instance.ts';
import type { HighsModels, MilpRunner } from '../../core/highs.ts';
import { generateColumns } from './columns.ts';
import { buildMilp, type DayBlock, milpStart, readMilpRows } from './milp.ts';
import { compileModel, OFF, objectiveOf, type RosterModel, rowViolation } from './model.ts';
import { anneal, constructRoster } from './search.ts';
import type { Roster } from './validate.ts';

/** Above this many shift variables the full model is not tried (see the comment where it is). */
const FULL_MODEL_MAX_BINARIES = 1000;
/** Up to this many shift variables the full model gets a branch and bound (10 000 nodes), not just its root. */
const FULL_MODEL_SEARCH_MAX_BINARIES = 200;

/**
 * Pricing states column generation may make per second of time limit, in every run of a portfolio
 * (about 3 million are made per second here): Instance5 to Instance7 (4 to 31 million states in all)
 * fit a 60-s limit in every run. Run 0 may make twice as many, so it takes on Instance8 (83 million,
 * about 41 s here beside the other run) while the other run anneals, in case the clock stops the dive.
 */
const COLUMN_WORK_PER_SECOND = 1_000_000;
/** Branch-and-bound nodes for the integer master over the rows column generation found. */
const INTEGER_MASTER_NODES = 500;

/**
 * Anneal moves in one start of the first anneal, per squared roster cell (employee × day): a start
 * needs each cell visited a number of times that grows with the roster. Instance5 (448 cells) gets at
 * least 16 million moves a start (its starts through infeasible rosters reached 11 slots short on 2 of
 * 7 seeds at 16 million, 3 of 32 at 8 million, none of 12 at 4 million); Instance8 (840 cells) gets
 * one start of the whole budget (8 million moves end near 1800 there, 24 million near 1500).
 */
const ANNEAL_MOVES_PER_SQUARED_CELL = 80;

/**
 * How the first anneal is spent: in independent starts (as many full-length starts as the budget
 * holds), from a temperature at which leaving one slot short of cover is accepted about one time in
 * three (the objective moves by whole slots when the way of covering changes). Several starts cross
 * infeasible rosters, at a violation price of three slots (two and five did worse on Instance5); a
 * single start keeps to feasible rosters, which ends better on Instance8. On Instance5 a
 * feasible-only start ended 12 slots short on all 16 seeds tried.
 */
function annealStarts(m: RosterModel, budget: number) {
  let slot = 8;
  for (const w of m.underWeight) slot = Math.max(slot, w);
  const cells = m.employees * m.days;
  const perStart = ANNEAL_MOVES_PER_SQUARED_CELL * cells * cells;
  const starts = Math.max(1, Math.floor(budget / perStart));
  return { starts, temperature: slot, violationWeight: starts > 1 ? 3 * slot : undefined };
}

export interface SolveOptions {
  seed: number;
  timeLimitMs: number;
  /** Anneal moves in total; default 1 500 000 per second of time limit (1 000 000 with HiGHS, 4/5 before and 1/5 after the HiGHS phases: the first anneal decides how many slots stay short, which no later phase changes on Instance5). */
  iterations?: number;
  /** Large-neighbourhood rounds; default 10 per second of time limit. */
  neighbourhoodRounds?: number;
  /**
   * Which run of a portfolio this is (solve.ts): run 0 takes on column generation up to twice the work
   * the others do, so an instance whose column generation needs most of the time limit (Instance8) gets
   * it from run 0 while the others anneal.
   */
  run?: number;
}

export interface SolveProgress {
  elapsedMs: number;
  phase: 'construct' | 'columns' | 'anneal' | 'milp' | 'milp-lns' | 'polish';
  bestObjective: number;
}

export interface SolveResult {
  roster: Roster;
  objective: number;
  /** A proven lower bound on the optimum (from HiGHS's full model), when there is one. */
  lowerBound: number | null;
  /** True when HiGHS proved the roster optimal. */
  provenOptimal: boolean;
  feasible: boolean;
  timeToFirstFeasibleMs: number | null;
  stoppedBy: 'budget' | 'time-limit';
  method: string;
  annealIterations: number;
  neighbourhoodRounds: number;
  /** Best objective over time (one point per improvement, throttled). */
  progress: SolveProgress[];
}

export function solveWithStrategy(
  instance: Instance,
  options: SolveOptions,
  context: {
    now: () => number;
    milp: MilpRunner | null;
    /** HiGHS's persistent models, for column generation; without them the solve skips that phase. */
    models?: HighsModels | null;
    onProgress?: (p: SolveProgress) => void;
  },
): SolveResult {
  const m = compileModel(instance);
  const rng = new Random(options.seed);
  const startedAt = context.now();
  const elapsed = () => context.now() - startedAt;
  const outOfTime = () => elapsed() > options.timeLimitMs;
  const remainingSeconds = () => Math.max(0.01, (options.timeLimitMs - elapsed()) / 1000);
  const seconds = options.timeLimitMs / 1000;
  const progress: SolveProgress[] = [];
  let lastPoint = -Infinity;
  const record = (phase: SolveProgress['phase'], bestObjective: number, force = false) => {
    const point = { elapsedMs: Math.round(elapsed()), phase, bestObjective };
    if (!force && point.elapsedMs - lastPoint < 50) return;
    lastPoint = point.elapsedMs;
    progress.push(point);
    context.onProgress?.(point);
  };

  const built = constructRoster(m, rng);
  const timeToFirstFeasibleMs = built.feasible ? Math.round(elapsed()) : null;
  const cover = new Int32Array(m.days * m.shifts);
  const scratch = new Int32Array(m.shifts);
  let current = built.roster;
  let objective = objectiveOf(m, current, cover);
  record('construct', objective, true);
  let stoppedBy: SolveResult['stoppedBy'] = 'budget';
  let annealIterations = 0;
  let rounds = 0;
  const withMilp = context.milp !== null && built.feasible;
  const totalIterations = options.iterations ?? Math.round(seconds * (withMilp ? 1_000_000 : 1_500_000));

  const annealPhase = (
    phase: 'anneal' | 'polish',
    iterations: number,
    temperatureStart: number,
    from = current,
    violationWeight?: number,
  ) => {
    const result = anneal(m, from.slice(), rng, {
      iterations,
      outOfTime,
      temperatureStart,
      ...(violationWeight === undefined ? {} : { violationWeight }),
      onImprove: (best) => {
        if (best < objective) record(phase, best);
      },
    });
    annealIterations += result.iterations;
    if (result.stoppedBy === 'time-limit') stoppedBy = 'time-limit';
    if (result.bestObjective <= objective) {
      current = result.best;
      objective = result.bestObjective;
    }
    record(phase, objective, true);
  };

  let lowerBound: number | null = null;
  let provenOptimal = false;
  // Column generation first, where its work fits the budget (see columns.ts): its dive reaches rosters
  // the annealing rarely does, and its bound often proves them optimal.
  let columnsSolved = false;
  const everyone = Array.from({ length: m.employees }, (_, e) => e);
  const models = context.models ?? null;
  if (withMilp && models) {
    const perSecond = (options.run ?? 0) === 0 ? 2 * COLUMN_WORK_PER_SECOND : COLUMN_WORK_PER_SECOND;
    const run = generateColumns(m, models, [current], {
      maxWork: Math.round(seconds * perSecond),
      integerNodes: INTEGER_MASTER_NODES,
      integerSeconds: () => Math.min(remainingSeconds(), seconds / 6),
      outOfTime,
    });
    if (run.stoppedBy === 'time-limit') stoppedBy = 'time-limit';
    // Without a dived roster (the clock stopped it), the annealing still runs on what time is left.
    columnsSolved = run.dived;
    lowerBound = run.lowerBound;
    const accepted =
      run.roster !== null &&
      everyone.every((e) => rowViolation(m, run.roster as Int8Array, e, scratch) === 0);
    if (accepted && run.roster && run.objective < objective) {
      current = run.roster;
      objective = run.objective;
    }
    if (lowerBound !== null && objective <= lowerBound) provenOptimal = true;
    record('columns', objective, true);
  }

  if (built.feasible && !columnsSolved) {
    const budget = withMilp ? Math.round((totalIterations * 4) / 5) : totalIterations;
    const { starts, temperature, violationWeight } = annealStarts(m, budget);
    const each = Math.round(budget / starts);
    for (let k = 0; k < starts && !outOfTime(); k++) {
      // Each start anneals its own construction (the first, the one built above); the best is kept.
      const fresh = k === 0 ? built : constructRoster(m, rng);
      const from = fresh.feasible ? fresh.roster : built.roster;
      annealPhase('anneal', each, temperature, from, violationWeight);
    }
  }
  const runner = context.milp;
  /** The full model, warm-started from the current roster: keeps HiGHS's roster when no worse, and its bound. */
  const fullModelPhase = (maxNodes: number) => {
    if (!runner) return;
    const full = buildMilp(instance, undefined, m);
    const run = runner(full.lp, milpStart(full, everyone, current), {
      maxNodes,
      timeLimitSeconds: remainingSeconds(),
    });
    if (run.status === 'time-limit') stoppedBy = 'time-limit';
    if (run.dualBound !== null) {
      const bound = Math.ceil(run.dualBound + full.constant - 1e-6);
      lowerBound = lowerBound === null ? bound : Math.max(lowerBound, bound);
    }
    if (run.status !== 'failed') {
      const candidate = current.slice();
      readMilpRows(full, everyone, run.value, candidate);
      const candidateObjective = objectiveOf(m, candidate, cover);
      if (
        everyone.every((e) => rowViolation(m, candidate, e, scratch) === 0) &&
        candidateObjective <= objective
      ) {
        current = candidate;
        objective = candidateObjective;
        if (run.status === 'optimal') provenOptimal = true;
      }
    }
    if (provenOptimal) lowerBound = objective;
    record('milp', objective, true);
  };

  // HiGHS's root node on the full model takes about 5 s here for Instance5, 13 s for Instance6 and 20 s
  // for Instance7. After the first anneal at the price of a slot (see annealStarts) it no longer
  // improves the roster on Instance5 to Instance7 (it did after a cold anneal), and on Instance6 the
  // time is worth more to the neighbourhood search, so only models up to 1000 variables get it (for
  // its lower bound; Instance6 and Instance7 have none now). It proves small instances optimal.
  const binaries = m.employees * m.days * m.shifts;
  // Models this small (Instance1) are solved outright by a bounded branch and bound, in a second or two.
  if (withMilp && !provenOptimal && binaries <= FULL_MODEL_SEARCH_MAX_BINARIES) fullModelPhase(10_000);
  else if (withMilp && !provenOptimal && !columnsSolved && binaries <= FULL_MODEL_MAX_BINARIES)
    fullModelPhase(1);
  if (withMilp && runner && !provenOptimal && stoppedBy === 'budget') {
    const target = options.neighbourhoodRounds ?? Math.max(1, Math.round(seconds * 10));
    const lns = neighbourhoodSearch(
      instance,
      m,
      runner,
      rng,
      current,
      objective,
      target,
      remainingSeconds,
      (o) => record('milp-lns', o),
    );
    current = lns.roster;
    objective = lns.objective;
    rounds = lns.rounds;
    if (lns.rounds < target) stoppedBy = 'time-limit';
    record('milp-lns', objective, true);
    if (stoppedBy === 'budget') annealPhase('polish', Math.round(totalIterations / 5), 1);
  }
  if (lowerBound !== null && objective <= lowerBound) provenOptimal = true;

  const roster: Roster = {};
  instance.employees.forEach((employee, e) => {
    roster[employee.id] = Array.from(current.subarray(e * m.days, (e + 1) * m.days), (v) =>
      v === OFF ? null : (instance.shifts[v]?.id ?? null),
    );
  });
  return {
    roster,
    objective,
    lowerBound,
    provenOptimal,
    feasible: built.feasible,
    timeToFirstFeasibleMs,
    stoppedBy,
    method: !withMilp
      ? 'construct + anneal'
      : columnsSolved
        ? 'construct + column generation (dive, integer master) + HiGHS large-neighbourhood search + anneal'
        : 'construct + anneal + HiGHS large-neighbourhood search + anneal',
    annealIterations,
    neighbourhoodRounds: rounds,
    progress,
  };
}

/**
 * The cycle of neighbourhood kinds: repairs around slots short of cover come twice as often, as they
 * make most of the gains on Instance8 (and cost the least per round).
 */
const KINDS = ['days', 'repair', 'employees', 'repair'] as const;

/**
 * Re-solves one neighbourhood per round exactly with HiGHS, warm-started from the current roster (so a
 * round never makes it worse). Rounds cycle through three kinds: a block of days for every employee,
 * a group of employees' whole rows, and two short blocks for everyone around a slot short of cover and
 * a slot with cover to spare. Blocks and groups are swept over the roster in shuffled order, and a
 * sweep that gains nothing enlarges the next sweep's blocks or groups: sizes follow the objective
 * only, never the clock, so the search stays deterministic. Every sub-solve is bounded by 10 nodes.
 */
function neighbourhoodSearch(
  instance: Instance,
  m: RosterModel,
  milp: MilpRunner,
  rng: Random,
  start: Int8Array,
  startObjective: number,
  rounds: number,
  remainingSeconds: () => number,
  onImprove: (objective: number) => void,
): { roster: Int8Array; objective: number; rounds: number } {
  const E = m.employees;
  const H = m.days;
  const scratch = new Int32Array(m.shifts);
  const cover = new Int32Array(H * m.shifts);
  const everyone = Array.from({ length: E }, (_, e) => e);
  let roster = start;
  let objective = startObjective;
  const shuffled = (items: readonly number[]) => {
    const order = items.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    return order;
  };
  // Two kinds of neighbourhood, each swept over the roster in a shuffled order: blocks of days for
  // everyone, and groups of employees' whole rows (which move work between distant days, as a block of
  // days cannot when an employee's total minutes are tight). A sweep without gain enlarges its kind.
  let length = Math.min(H, 6);
  let daySweep: number[] = [];
  let daySweepGain = true;
  let group = Math.min(E, 2);
  const employeeSweep: number[][] = [];
  let employeeSweepGain = true;
  let round = 0;
  for (; round < rounds && remainingSeconds() > 0.05; round++) {
    const kind: 'days' | 'employees' | 'repair' =
      H <= 7 ? 'employees' : (KINDS[round % KINDS.length] ?? 'days');
    let free = everyone;
    let window: DayBlock | DayBlock[] | undefined;
    if (kind === 'employees') {
      if (employeeSweep.length === 0) {
        if (!employeeSweepGain) group = Math.min(E, group + 1);
        employeeSweepGain = false;
        const order = shuffled(everyone);
        for (let i = 0; i < E; i += group) {
          const members = order.slice(i, i + group);
          // The last group is topped up from the first, so every group has `group` employees.
          for (let k = 0; members.length < group; k++) members.push(order[k] ?? 0);
          employeeSweep.push(members.sort((a, b) => a - b));
        }
      }
      free = employeeSweep.pop() ?? everyone;
    } else if (kind === 'repair') {
      // Two short blocks for everyone: around a slot short of cover, and around a slot with cover to
      // spare, so that work can move from the one to the other.
      objectiveOf(m, roster, cover);
      const short: number[] = [];
      const spare: number[] = [];
      for (let i = 0; i < H * m.shifts; i++) {
        const need = m.coverRequirement[i] ?? 0;
        const have = cover[i] ?? 0;
        if (have < need && m.underWeight[i]) short.push(Math.floor(i / m.shifts));
        if (have > need) spare.push(Math.floor(i / m.shifts));
      }
      const a = short.length > 0 ? (short[rng.int(0, short.length - 1)] ?? 0) : rng.int(0, H - 1);
      const b = spare.length > 0 ? (spare[rng.int(0, spare.length - 1)] ?? 0) : rng.int(0, H - 1);
      const reach = Math.max(2, Math.floor(length / 4));
      window = [
        { from: a - reach, to: a + reach },
        { from: b - reach, to: b + reach },
      ];
    } else {
      if (daySweep.length === 0) {
        if (!daySweepGain) length = Math.min(H, length + 2);
        daySweepGain = false;
        const stride = Math.max(1, Math.floor(length / 2));
        const starts: number[] = [];
        for (let from = 0; from < H - length; from += stride) starts.push(from);
        starts.push(H - length);
        daySweep = shuffled(starts);
      }
      const from = daySweep.pop() ?? 0;
      window = { from, to: from + length - 1 };
    }
    const model = buildMilp(instance, { free, fixed: roster, ...(window ? { window } : {}) }, m);
    const run = milp(model.lp, milpStart(model, free, roster), {
      maxNodes: 10,
      // A safety net only: the node limit bounds a sub-solve, and it does not depend on the clock.
      timeLimitSeconds: Math.min(10, remainingSeconds()),
    });
    if (run.status === 'time-limit' && remainingSeconds() <= 0.05) break;
    if (run.status === 'failed') continue;
    const candidate = roster.slice();
    readMilpRows(model, free, run.value, candidate);
    if (free.some((e) => rowViolation(m, candidate, e, scratch) > 0)) continue;
    const candidateObjective = objectiveOf(m, candidate, cover);
    const improved = candidateObjective < objective;
    if (candidateObjective <= objective) {
      if (improved) onImprove(candidateObjective);
      roster = candidate;
      objective = candidateObjective;
    }
    if (improved && kind === 'days') daySweepGain = true;
    if (improved && kind === 'employees') employeeSweepGain = true;
  }
  return { roster, objective, rounds: round };
}
