import { describe, expect, it } from 'vitest';
import { Random } from '../../../db/seed/random.ts';
import { loadHighsRunner, type MilpRunner } from '../../core/highs.ts';
import { bedRefusal } from '../candidates.ts';
import { firstFit } from './greedy.ts';
import { solveAssignmentMilp } from './milp.ts';
import { compileProblem, objectiveOf } from './compile.ts';
import {
  type AssignableBed,
  type AssignmentProblem,
  assignmentCost,
  type PendingBedRequest,
  type RequestPriority,
  unassignedPenalty,
} from './model.ts';
import type { AssignmentPlan } from './plan.ts';
import { greedyPlan, type MilpSolve, planBedAssignments } from './solve.ts';
import { syntheticProblem } from './synthetic.ts';
import { planViolations } from './validate.ts';

/** A few beds and requests from three unit types, random enough to contend, small enough to enumerate. */
function smallProblem(seed: number): AssignmentProblem {
  const rnd = new Random(seed);
  const types = ['med-surg', 'telemetry', 'icu'] as const;
  const beds: AssignableBed[] = Array.from({ length: rnd.int(3, 7) }, (_, i) => ({
    bedId: `b${i}`,
    label: `B${i}`,
    unitId: `u${i % 3}`,
    unitType: types[i % 3] ?? 'med-surg',
    roomId: `r${Math.floor(i / 2)}`,
    roomSexPolicy: rnd.pick(['mixed', 'mixed', 'male', 'female'] as const),
    roomIsolation: rnd.pick(['none', 'none', 'contact', 'airborne'] as const),
    status: rnd.chance(0.85) ? 'U' : 'O',
    housekeeping: rnd.pick(['clean', 'inspected'] as const),
    telemetry: rnd.chance(0.5),
    bariatric: rnd.chance(0.2),
    reserved: rnd.chance(0.05),
    unitSpecialty: rnd.pick(['cardiology', 'internal-medicine', null]),
    unitMinAgeYears: rnd.chance(0.3) ? 18 : null,
    unitMaxAgeYears: rnd.chance(0.2) ? 17 : null,
  }));
  const requests: PendingBedRequest[] = Array.from({ length: rnd.int(2, 6) }, (_, i) => ({
    requestId: `q${i}`,
    patientId: `p${i}`,
    need: {
      unitTypes: rnd.pick([
        ['med-surg'],
        ['telemetry', 'med-surg'],
        ['icu', 'telemetry'],
        ['med-surg', 'icu'],
      ]),
      isolation: rnd.pick(['none', 'none', 'contact', 'airborne'] as const),
      telemetry: rnd.chance(0.3),
      bariatric: rnd.chance(0.1),
      sex: rnd.pick(['male', 'female', 'unknown'] as const),
    },
    priority: rnd.pick(['emergency', 'urgent', 'routine'] as const),
    specialty: rnd.pick(['cardiology', 'internal-medicine', null]),
    ageYears: rnd.pick([8, 40, 80, null]),
    preferredFeatures: rnd.chance(0.2) ? ['telemetry'] : [],
    currentBedId: rnd.chance(0.2) ? 'b0' : null,
  }));
  return { beds, requests };
}

/** The best objective by trying every way to give each request one bed or none. */
function bruteForceOptimum({ beds, requests }: AssignmentProblem): number {
  const used = new Set<number>();
  const search = (r: number): number => {
    const request = requests[r];
    if (!request) return 0;
    let best = unassignedPenalty[request.priority] + search(r + 1);
    beds.forEach((bed, b) => {
      if (used.has(b) || bedRefusal(bed, request.need) !== null) return;
      used.add(b);
      best = Math.min(best, assignmentCost(bed, request) + search(r + 1));
      used.delete(b);
    });
    return best;
  };
  return search(0);
}

/** Hard rules, read straight off the plan and the problem (apart from the validator). */
function expectHardRulesKept(problem: AssignmentProblem, plan: AssignmentPlan) {
  const beds = new Map(problem.beds.map((b) => [b.bedId, b]));
  const needs = new Map(problem.requests.map((r) => [r.requestId, r.need]));
  const given = plan.assignments.map((a) => a.bedId);
  expect(new Set(given).size).toBe(given.length);
  for (const a of plan.assignments) {
    const bed = beds.get(a.bedId);
    const need = needs.get(a.requestId);
    expect(bed && need && bedRefusal(bed, need)).toBeNull();
  }
  expect(plan.assignments.length + plan.unassigned.length).toBe(problem.requests.length);
  expect(planViolations(problem, plan)).toEqual([]);
}

const rank: Record<RequestPriority, number> = { emergency: 0, urgent: 1, routine: 2 };

/** No request is left out while a bed it fits is free or held by a request of lower priority. */
function expectPriorityRespected(problem: AssignmentProblem, plan: AssignmentPlan) {
  const holder = new Map(plan.assignments.map((a) => [a.bedId, a.priority]));
  for (const u of plan.unassigned) {
    const request = problem.requests.find((r) => r.requestId === u.requestId) as PendingBedRequest;
    for (const bed of problem.beds) {
      if (bedRefusal(bed, request.need) !== null) continue;
      const taker = holder.get(bed.bedId);
      expect(taker, `bed ${bed.bedId} fits ${u.requestId} but is left free`).toBeDefined();
      expect(rank[taker as RequestPriority]).toBeLessThanOrEqual(rank[u.priority]);
    }
  }
}

const runner = await loadHighsRunner();
const seeds = Array.from({ length: 40 }, (_, i) => i + 1);

describe('the MILP against exhaustive search (small random problems)', () => {
  it('finds HiGHS', () => {
    expect(runner).not.toBeNull();
  });

  it.each(seeds)('seed %i: reaches the brute-force optimum and proves it', (seed) => {
    const problem = smallProblem(seed);
    const c = compileProblem(problem);
    const outcome = solveAssignmentMilp(c, firstFit(c), runner!, 10);
    expect(outcome.kind).toBe('solved');
    if (outcome.kind !== 'solved') return;
    const optimum = bruteForceOptimum(problem);
    expect(objectiveOf(c, outcome.choice)).toBe(optimum);
    expect(outcome.status).toBe('optimal');
    expect(outcome.via).toBe('lp-relaxation');
    expect(outcome.bound).toBe(optimum);
    expect(objectiveOf(c, firstFit(c))).toBeGreaterThanOrEqual(optimum);
  });

  it('turns to branch and cut when the relaxation comes back fractional, and still finds the optimum', () => {
    const fractional: MilpRunner = (model, start, limits) =>
      typeof model !== 'string' && model.integrality === undefined
        ? {
            status: 'optimal',
            value: () => undefined,
            values: new Float64Array(model.numCols).fill(0.5),
            dualBound: null,
          }
        : (runner as MilpRunner)(model, start, limits);
    for (const seed of [2, 5, 9]) {
      const problem = smallProblem(seed);
      const c = compileProblem(problem);
      const outcome = solveAssignmentMilp(c, firstFit(c), fractional, 10);
      expect(outcome).toMatchObject({ kind: 'solved', status: 'optimal', via: 'branch-and-cut' });
      if (outcome.kind === 'solved') expect(objectiveOf(c, outcome.choice)).toBe(bruteForceOptimum(problem));
    }
  });

  it('reports a failure, not a plan, when HiGHS runs out of time', () => {
    const slow: MilpRunner = () => ({
      status: 'time-limit',
      value: () => undefined,
      values: null,
      dualBound: null,
    });
    const c = compileProblem(smallProblem(2));
    expect(solveAssignmentMilp(c, firstFit(c), slow, 0.5)).toEqual({
      kind: 'failed',
      detail: 'HiGHS did not solve the model within 0.50 s',
    });
  });

  it('beats first fit on some of them (the comparison has teeth)', () => {
    const better = seeds.filter((seed) => {
      const problem = smallProblem(seed);
      const c = compileProblem(problem);
      return bruteForceOptimum(problem) < objectiveOf(c, firstFit(c));
    });
    expect(better.length).toBeGreaterThan(0);
  });
});

describe('planning a batch', () => {
  it.each([1, 2, 3])(
    'seed %i, 300 beds and 150 requests: every hard rule and priority kept, never worse than first fit',
    async (seed) => {
      const problem = syntheticProblem({ seed, beds: 300, requests: 150 });
      const greedy = greedyPlan(problem);
      const plan = await planBedAssignments(problem, { timeLimitSeconds: 30 });
      expect(plan.method).toBe('milp');
      expect(plan.status).toBe('optimal');
      expectHardRulesKept(problem, plan);
      expectHardRulesKept(problem, greedy);
      expectPriorityRespected(problem, plan);
      expectPriorityRespected(problem, greedy);
      expect(plan.objective).toBeLessThanOrEqual(greedy.objective);
      expect(plan.bound).toBe(plan.objective);
      expect(plan.gap).toBe(0);
      expect(greedy.method).toBe('greedy');
    },
  );

  it('gives the same plan for the same problem', async () => {
    const problem = syntheticProblem({ seed: 7, beds: 400, requests: 200 });
    const [first, second] = await Promise.all([
      planBedAssignments(problem, { timeLimitSeconds: 30 }),
      planBedAssignments(problem, { timeLimitSeconds: 30 }),
    ]);
    expect(first.status).toBe('optimal');
    const strip = ({ seconds: _, ...rest }: AssignmentPlan) => rest;
    expect(strip(second)).toEqual(strip(first));
  });

  it('gives the last bed to the emergency, wherever it stands in the list', async () => {
    const icu: AssignableBed = {
      bedId: 'icu-1',
      label: 'ICU1',
      unitId: 'icu',
      unitType: 'icu',
      roomId: 'r1',
      roomSexPolicy: 'mixed',
      roomIsolation: 'none',
      status: 'U',
      housekeeping: 'inspected',
      telemetry: true,
      bariatric: false,
      reserved: false,
      unitSpecialty: 'critical-care',
      unitMinAgeYears: null,
      unitMaxAgeYears: null,
    };
    const ask = (id: string, priority: RequestPriority, specialty: string): PendingBedRequest => ({
      requestId: id,
      patientId: `p-${id}`,
      need: { unitTypes: ['icu'], isolation: 'none', telemetry: true, bariatric: false, sex: 'male' },
      priority,
      specialty,
      ageYears: 60,
      preferredFeatures: [],
      currentBedId: null,
    });
    // The routine request fits the bed better (its specialty) and comes first.
    const problem = {
      beds: [icu],
      requests: [ask('routine', 'routine', 'critical-care'), ask('emergency', 'emergency', 'cardiology')],
    };
    for (const plan of [await planBedAssignments(problem), greedyPlan(problem)]) {
      expect(plan.assignments.map((a) => a.requestId)).toEqual(['emergency']);
      expect(plan.unassigned).toEqual([
        expect.objectContaining({
          requestId: 'routine',
          reason: 'outranked',
          detail: expect.stringMatching(/1 emergency/),
        }),
      ]);
    }
  });

  it('places more emergencies than first fit when their beds overlap', async () => {
    // E1 fits both beds and is first; E2 fits only the telemetry bed. First fit gives E1 the cheaper
    // telemetry bed... unless the optimiser sees that E2 has nowhere else to go.
    const base = {
      unitId: 'u',
      roomSexPolicy: 'mixed' as const,
      roomIsolation: 'none' as const,
      status: 'U',
      housekeeping: 'inspected',
      bariatric: false,
      reserved: false,
      unitSpecialty: null,
      unitMinAgeYears: null,
      unitMaxAgeYears: null,
    };
    const beds: AssignableBed[] = [
      { ...base, bedId: 'tele', label: 'T', roomId: 'r1', unitType: 'telemetry', telemetry: true },
      { ...base, bedId: 'ms', label: 'M', roomId: 'r2', unitType: 'med-surg', telemetry: false },
    ];
    const ask = (
      id: string,
      unitTypes: ('telemetry' | 'med-surg')[],
      telemetry: boolean,
    ): PendingBedRequest => ({
      requestId: id,
      patientId: id,
      need: { unitTypes, isolation: 'none', telemetry, bariatric: false, sex: 'female' },
      priority: 'emergency',
      specialty: null,
      ageYears: null,
      preferredFeatures: [],
      currentBedId: null,
    });
    const problem = {
      beds,
      requests: [ask('E1', ['telemetry', 'med-surg'], false), ask('E2', ['telemetry'], true)],
    };
    const greedy = greedyPlan(problem);
    const plan = await planBedAssignments(problem);
    expect(greedy.unassigned.map((u) => u.requestId)).toEqual(['E2']);
    expect(plan.unassigned).toEqual([]);
    expect(plan.assignments.map((a) => [a.requestId, a.bedId])).toEqual([
      ['E1', 'ms'],
      ['E2', 'tele'],
    ]);
  });

  it('says why a request has no bed when nothing fits', async () => {
    const problem = smallProblem(3);
    const plan = await planBedAssignments({
      beds: problem.beds,
      requests: [
        {
          ...(problem.requests[0] as PendingBedRequest),
          need: {
            unitTypes: ['maternity'],
            isolation: 'none',
            telemetry: false,
            bariatric: false,
            sex: 'female',
          },
        },
      ],
    });
    expect(plan.unassigned).toEqual([
      expect.objectContaining({
        reason: 'no-fitting-bed',
        detail: expect.stringMatching(/unit type .* is not among maternity/),
      }),
    ]);
  });

  it('answers an empty batch with an empty plan', async () => {
    const plan = await planBedAssignments({ beds: smallProblem(1).beds, requests: [] });
    expect(plan).toMatchObject({ assignments: [], unassigned: [], objective: 0, status: 'optimal' });
  });
});

describe('when HiGHS cannot be used', () => {
  const problem = syntheticProblem({ seed: 4, beds: 200, requests: 120 });
  const greedy = greedyPlan(problem);
  const expectFirstFit = (plan: AssignmentPlan, reason: RegExp) => {
    expect(plan.method).toBe('greedy-fallback');
    expect(plan.status).toBe('heuristic');
    expect(plan.fallbackReason).toMatch(reason);
    expect(plan.assignments).toEqual(greedy.assignments);
    expect(plan.objective).toBe(greedy.objective);
    expect(plan.bound).toBeNull();
    expectHardRulesKept(problem, plan);
  };

  it('falls back to first fit when the worker dies', async () => {
    const solveMilp: MilpSolve = async () => {
      throw new Error('bed-assignment MILP worker exited with code 1');
    };
    expectFirstFit(await planBedAssignments(problem, { solveMilp }), /worker failed: .*exited with code 1/);
  });

  it('falls back when HiGHS does not load', async () => {
    const solveMilp: MilpSolve = async () => ({ kind: 'unavailable' });
    expectFirstFit(await planBedAssignments(problem, { solveMilp }), /HiGHS could not be loaded/);
  });

  it('falls back when HiGHS returns no solution', async () => {
    const solveMilp: MilpSolve = async () => ({ kind: 'failed', detail: 'HiGHS returned no solution' });
    expectFirstFit(await planBedAssignments(problem, { solveMilp }), /HiGHS returned no solution/);
  });

  it('stops a worker that stays silent past the time limit and falls back', async () => {
    let stopped = false;
    const solveMilp: MilpSolve = (_job, signal) =>
      new Promise((_resolve, reject) => {
        signal.addEventListener('abort', () => {
          stopped = true;
          reject(signal.reason);
        });
      });
    expectFirstFit(
      await planBedAssignments(problem, { solveMilp, timeLimitSeconds: 0.1 }),
      /no answer within 1\.1 s/,
    );
    expect(stopped).toBe(true);
  });

  it('falls back through the real worker when told not to load HiGHS', async () => {
    expectFirstFit(await planBedAssignments(problem, { useHighs: false }), /HiGHS was not used/);
  });

  it('never returns a plan that breaks a rule: it throws', async () => {
    // A "solution" that puts request 0 in a pair belonging to another request, whose bed it may not fit.
    const c = compileProblem(problem);
    const wrong = new Int32Array(c.requestCount).fill(-1);
    const refusedPair = Array.from({ length: c.pairClass.length }, (_, p) => p).find((p) => {
      const k = c.pairClass[p] ?? 0;
      const bed = problem.beds[c.classBeds[c.classStart[k] ?? 0] ?? -1] as AssignableBed;
      return bedRefusal(bed, (problem.requests[0] as PendingBedRequest).need) !== null;
    }) as number;
    wrong[0] = refusedPair;
    const solveMilp: MilpSolve = async () => ({
      kind: 'solved',
      status: 'optimal',
      choice: wrong,
      bound: 0,
      via: 'lp-relaxation',
    });
    await expect(planBedAssignments(problem, { solveMilp })).rejects.toThrow(/breaks a hard rule/);
  });
});
