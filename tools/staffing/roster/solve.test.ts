import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseInstance } from './instance.ts';
import { runSeed, solveRoster } from './solve.ts';
import { solveWithStrategy } from './strategy.ts';
import { validateRoster } from './validate.ts';
import { runCli } from '../../../test/cli.ts';

const dataDir = fileURLToPath(new URL('../../../bench/data/curtois/', import.meta.url));
const load = (n: number) => {
  const file = `${dataDir}Instance${n}.txt`;
  return parseInstance(readFileSync(file, 'utf8'), file);
};
const clock = { now: () => performance.now() };

describe('the roster solver', () => {
  it('gives the same roster for the same seed (pure-TypeScript search, fixed budget)', () => {
    const instance = load(2);
    const options = { seed: 42, timeLimitMs: 60_000, iterations: 200_000 };
    const first = solveWithStrategy(instance, options, { ...clock, milp: null });
    const second = solveWithStrategy(instance, options, { ...clock, milp: null });
    expect(first.stoppedBy).toBe('budget');
    expect(second.roster).toEqual(first.roster);
    expect(second.objective).toBe(first.objective);
  });

  it('gives the same roster for the same seed through the worker thread', async () => {
    const instance = load(3);
    const options = { seed: 7, timeLimitMs: 60_000, iterations: 100_000, useMilp: false };
    const [first, second] = await Promise.all([
      solveRoster(instance, options),
      solveRoster(instance, options),
    ]);
    expect(second.roster).toEqual(first.roster);
  });

  it('answers the best of its seeded runs, each the roster a single run with that seed gives', async () => {
    const instance = load(3);
    const options = { seed: 5, timeLimitMs: 60_000, iterations: 150_000, useMilp: false };
    const single = await Promise.all(
      [0, 1].map((k) => solveRoster(instance, { ...options, seed: runSeed(options.seed, k), solves: 1 })),
    );
    const portfolio = await solveRoster(instance, { ...options, solves: 2 });
    const objectives = single.map((r) => r.objective);
    expect(portfolio.objective).toBe(Math.min(...objectives));
    const winner = objectives[0] === portfolio.objective ? single[0] : single[1];
    expect(portfolio.roster).toEqual(winner?.roster);
    expect(portfolio.annealIterations).toBe(single.reduce((sum, r) => sum + r.annealIterations, 0));
    expect(runSeed(options.seed, 1)).not.toBe(options.seed);
  });

  it('gives the same roster for the same seed with HiGHS (every phase bounded by counts)', async () => {
    const instance = load(1);
    const options = { seed: 11, timeLimitMs: 60_000, iterations: 100_000, neighbourhoodRounds: 4 };
    const [first, second] = await Promise.all([
      solveRoster(instance, options),
      solveRoster(instance, options),
    ]);
    expect(first.stoppedBy).toBe('budget');
    expect(second.roster).toEqual(first.roster);
  }, 60_000);

  it('proves Instance4 optimal by column generation, the same roster for the same seed', async () => {
    const instance = load(4);
    const options = { seed: 2, timeLimitMs: 20_000 };
    const [first, second] = await Promise.all([
      solveRoster(instance, options),
      solveRoster(instance, options),
    ]);
    expect(first.method).toContain('column generation');
    expect(first).toMatchObject({
      objective: 1716,
      lowerBound: 1716,
      provenOptimal: true,
      stoppedBy: 'budget',
    });
    // Proven at the bound, so no neighbourhood search or anneal follows.
    expect(first.neighbourhoodRounds).toBe(0);
    expect(validateRoster(instance, first.roster)).toMatchObject({ violations: [], objective: 1716 });
    expect(second.roster).toEqual(first.roster);
  }, 60_000);

  it.each([1, 2, 3])(
    'returns a roster for Instance%i that the independent validator finds feasible, with the same objective',
    async (n) => {
      const instance = load(n);
      const progress: number[] = [];
      const result = await solveRoster(instance, { seed: 1, timeLimitMs: 4_000 }, (p) =>
        progress.push(p.bestObjective),
      );
      const check = validateRoster(instance, result.roster);
      expect(check.violations).toEqual([]);
      expect(result.feasible).toBe(true);
      expect(check.objective).toBe(result.objective);
      expect(result.timeToFirstFeasibleMs).not.toBeNull();
      // Progress is the best objective so far, so it never gets worse.
      expect(progress.length).toBeGreaterThan(0);
      expect(progress).toEqual([...progress].sort((a, b) => b - a));
      if (result.lowerBound !== null) expect(result.lowerBound).toBeLessThanOrEqual(result.objective);
    },
    30_000,
  );

  it('keeps every roster feasible without HiGHS too', async () => {
    const instance = load(3);
    const result = await solveRoster(instance, { seed: 3, timeLimitMs: 2_000, useMilp: false });
    expect(validateRoster(instance, result.roster).violations).toEqual([]);
  });
});

describe('carebridge roster solve', () => {
  const run = (args: string[]) => runCli(['roster', 'solve', ...args]);

  it('prints the roster and its objective as JSON, with the best-known value beside it', async () => {
    const { code, stdout } = await run([`${dataDir}Instance1.txt`, '--time-limit', '2', '--seed', '5']);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ instance: 'Instance1', feasible: true, bestKnown: 607, violations: [] });
    expect(output.gapPercent).toBeCloseTo(((output.objective - 607) / 607) * 100, 1);
    const { shiftOnRequests, shiftOffRequests, underCover, overCover } = output.breakdown;
    expect(shiftOnRequests + shiftOffRequests + underCover + overCover).toBe(output.objective);
    expect(Object.keys(output.roster)).toHaveLength(8);
    expect(validateRoster(load(1), output.roster).objective).toBe(output.objective);
  }, 30_000);

  it('exits non-zero naming the file and line of a malformed instance', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'roster-')), 'broken.txt');
    writeFileSync(file, 'SECTION_HORIZON\n14\nSECTION_SHIFTS\nD,eight hours,\n');
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:4: length of shift D must be an integer, got 'eight hours'`);
  });

  it('answers --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--time-limit');
  });
});
