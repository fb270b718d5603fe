import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../db/seed/random.ts';
import { loadHighsRunner } from '../../core/highs.ts';
import { parseInstance } from './instance.ts';
import { buildMilp, milpStart, readMilpRows } from './milp.ts';
import { compileModel, objectiveOf, rowViolation } from './model.ts';
import { anneal, constructRoster } from './search.ts';

const dataDir = fileURLToPath(new URL('../../../bench/data/curtois/', import.meta.url));
const load = (n: number) => {
  const file = `${dataDir}Instance${n}.txt`;
  return parseInstance(readFileSync(file, 'utf8'), file);
};

describe('the roster integer model', () => {
  it('proves Instance1 optimal at its published optimum (607)', async () => {
    const runner = await loadHighsRunner();
    if (!runner) throw new Error('HiGHS did not load');
    const instance = load(1);
    const full = buildMilp(instance);
    const run = runner(full.lp, null, { timeLimitSeconds: 60 });
    expect(run.status).toBe('optimal');
    const m = full.model;
    const roster = new Int8Array(m.employees * m.days);
    const everyone = Array.from({ length: m.employees }, (_, e) => e);
    readMilpRows(full, everyone, run.value, roster);
    expect(everyone.map((e) => rowViolation(m, roster, e, new Int32Array(m.shifts)))).toEqual(
      everyone.map(() => 0),
    );
    expect(objectiveOf(m, roster, new Int32Array(m.days * m.shifts))).toBe(607);
  }, 60_000);

  it('re-solves only the free blocks of days, keeps every hard rule and never worsens the roster', async () => {
    const runner = await loadHighsRunner();
    if (!runner) throw new Error('HiGHS did not load');
    const instance = load(5);
    const m = compileModel(instance);
    const rng = new Random(3);
    const built = constructRoster(m, rng);
    expect(built.feasible).toBe(true);
    const start = anneal(m, built.roster, rng, { iterations: 20_000, outOfTime: () => false }).best;
    const cover = new Int32Array(m.days * m.shifts);
    const before = objectiveOf(m, start, cover);
    const everyone = Array.from({ length: m.employees }, (_, e) => e);
    const window = [
      { from: 2, to: 5 },
      { from: 19, to: 23 },
    ];
    const model = buildMilp(instance, { free: everyone, fixed: start, window }, m);
    // Only the free days have variables: 9 of the 28 days.
    expect(model.lp).toMatch(/x\d+_2_\d/);
    expect(model.lp).not.toMatch(/x\d+_(0|1|6|18|24)_\d/);
    const run = runner(model.lp, milpStart(model, everyone, start), { timeLimitSeconds: 60, maxNodes: 50 });
    expect(run.status).not.toBe('failed');
    const after = start.slice();
    readMilpRows(model, everyone, run.value, after);
    for (let e = 0; e < m.employees; e++) {
      expect(rowViolation(m, after, e, new Int32Array(m.shifts))).toBe(0);
      for (let d = 0; d < m.days; d++) {
        const free = (d >= 2 && d <= 5) || (d >= 19 && d <= 23);
        if (!free) expect(after[e * m.days + d]).toBe(start[e * m.days + d]);
      }
    }
    const objective = objectiveOf(m, after, cover);
    expect(objective).toBeLessThanOrEqual(before);
    // A short anneal leaves plenty to gain in two blocks of days for everyone.
    expect(objective).toBeLessThan(before);
  }, 60_000);
});
