import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../db/seed/random.ts';
import { loadHighsSolvers } from '../../core/highs.ts';
import { parseBestKnown } from './best-known.ts';
import { generateColumns } from './columns.ts';
import { type Instance, parseInstance } from './instance.ts';
import { compileModel, OFF } from './model.ts';
import { constructRoster } from './search.ts';
import { type Roster, validateRoster } from './validate.ts';

const dataDir = fileURLToPath(new URL('../../../bench/data/curtois/', import.meta.url));
const load = (n: number) => {
  const file = `${dataDir}Instance${n}.txt`;
  return parseInstance(readFileSync(file, 'utf8'), file);
};
const bestKnown = parseBestKnown(readFileSync(`${dataDir}best-known.tsv`, 'utf8'));

const highs = await loadHighsSolvers();
if (!highs) throw new Error('HiGHS did not load');
const models = highs.models;

const rosterOf = (instance: Instance, flat: Int8Array): Roster => {
  const H = instance.horizonDays;
  return Object.fromEntries(
    instance.employees.map((employee, e) => [
      employee.id,
      Array.from(flat.subarray(e * H, (e + 1) * H), (v) =>
        v === OFF ? null : (instance.shifts[v]?.id ?? null),
      ),
    ]),
  );
};

const start = (instance: Instance) => {
  const m = compileModel(instance);
  const built = constructRoster(m, new Random(1));
  expect(built.feasible).toBe(true);
  return { m, roster: built.roster };
};
const generous = { maxWork: 100_000_000, integerNodes: 50, integerSeconds: () => 60, outOfTime: () => false };

describe('column generation over whole rows', () => {
  it('proves Instance2 optimal: its roster meets the bound, which is the published optimum', () => {
    const instance = load(2);
    const { m, roster } = start(instance);
    const run = generateColumns(m, models, [roster], generous);
    expect(run.stoppedBy).toBe('done');
    expect(run.lowerBound).toBe(828);
    expect(run.objective).toBe(828);
    const check = validateRoster(instance, rosterOf(instance, run.roster ?? new Int8Array()));
    expect(check.violations).toEqual([]);
    expect(check.objective).toBe(828);
  }, 60_000);

  it('dives on Instance6 from a bare construction to within 0.3% of the best known, under a bound below it', () => {
    const instance = load(6);
    const { m, roster } = start(instance);
    const run = generateColumns(m, models, [roster], generous);
    const best = bestKnown.get('Instance6')?.objective ?? 0;
    expect(best).toBe(1950);
    // The bound is valid (not above the best known roster) and tight (the published bound is 1949).
    expect(run.lowerBound).toBeLessThanOrEqual(best);
    expect(run.lowerBound).toBeGreaterThanOrEqual(1940);
    expect(run.objective).toBeLessThanOrEqual(best * 1.003);
    const check = validateRoster(instance, rosterOf(instance, run.roster ?? new Int8Array()));
    expect(check.violations).toEqual([]);
    expect(check.objective).toBe(run.objective);
  }, 60_000);

  it('gives up after one round when the run would not fit its work budget, keeping the roster it was given', () => {
    const instance = load(6);
    const { m, roster } = start(instance);
    const run = generateColumns(m, models, [roster], { ...generous, maxWork: 100_000 });
    expect(run.stoppedBy).toBe('budget');
    expect(run.rounds).toBe(1);
    expect(run.lowerBound).toBeNull();
    expect(run.roster).toEqual(roster);
  }, 60_000);
});
