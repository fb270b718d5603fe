import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../db/seed/random.ts';
import { parseInstance } from './instance.ts';
import { compileModel, OFF, objectiveOf, rowViolation } from './model.ts';
import { anneal, constructRoster } from './search.ts';

const dataDir = fileURLToPath(new URL('../../../bench/data/curtois/', import.meta.url));

/**
 * A 14-day instance with one 8-hour shift D whose employees must each work exactly one shift
 * (minimum = maximum = 480 minutes), so no move that changes one employee's number of shifts is
 * feasible: work can only move between days of one row, or between rows.
 */
function oneShiftEach(staff: string[], cover: string[], offRequests: string[] = []) {
  const text = [
    'SECTION_HORIZON',
    '14',
    'SECTION_SHIFTS',
    'D,480,',
    'SECTION_STAFF',
    ...staff.map((id) => `${id},D=14,480,480,14,1,1,2`),
    'SECTION_DAYS_OFF',
    'SECTION_SHIFT_ON_REQUESTS',
    'SECTION_SHIFT_OFF_REQUESTS',
    ...offRequests,
    'SECTION_COVER',
    ...cover,
    '',
  ].join('\n');
  return compileModel(parseInstance(text, 'one-shift-each.txt'));
}

describe('simulated annealing over feasible rosters', () => {
  it('moves a shift from one day to a distant one within a row whose total is at its bound', () => {
    // Working day 0 costs 100 (over cover); day 9 lacks its one shift (100).
    const m = oneShiftEach(['A'], ['0,D,0,0,100', '9,D,1,100,100']);
    const roster = new Int8Array(14).fill(OFF);
    roster[0] = 0;
    const cover = new Int32Array(14);
    expect(objectiveOf(m, roster, cover)).toBe(200);
    expect(rowViolation(m, roster, 0, new Int32Array(1))).toBe(0);
    const result = anneal(m, roster, new Random(1), { iterations: 200_000, outOfTime: () => false });
    expect(result.bestObjective).toBe(0);
    expect(Array.from(result.best).flatMap((v, d) => (v === OFF ? [] : [d]))).toEqual([9]);
  });

  it('swaps two distant days between two employees (a chain that keeps cover and both totals)', () => {
    // A works day 0 and B day 10, each against a request (weight 5); both days need exactly one.
    const m = oneShiftEach(['A', 'B'], ['0,D,1,100,100', '10,D,1,100,100'], ['A,0,D,5', 'B,10,D,5']);
    const roster = new Int8Array(28).fill(OFF);
    roster[0] = 0;
    roster[14 + 10] = 0;
    expect(objectiveOf(m, roster, new Int32Array(14))).toBe(10);
    const result = anneal(m, roster, new Random(2), { iterations: 200_000, outOfTime: () => false });
    expect(result.bestObjective).toBe(0);
    expect(result.best[10]).toBe(0);
    expect(result.best[14]).toBe(0);
  });

  it('crosses infeasible rosters with a violation weight, where no feasible move leads to the optimum', () => {
    // A must work exactly four shifts in one block of four, and may work only days 2-5 and 9-12, so
    // its only feasible rows are those two blocks. Days 2-5 want nobody (100 each), days 9-12 one each
    // (100 each). Going from one block to the other changes eight cells at once, more than any move
    // changes in one row: the feasible-only search stays put, while the search through infeasible rows
    // walks over a few days at a time.
    const daysOff = [0, 1, 6, 7, 8, 13].join(',');
    const text = [
      'SECTION_HORIZON',
      '14',
      'SECTION_SHIFTS',
      'D,480,',
      'SECTION_STAFF',
      'A,D=14,1920,1920,4,4,1,2',
      'SECTION_DAYS_OFF',
      `A,${daysOff}`,
      'SECTION_SHIFT_ON_REQUESTS',
      'SECTION_SHIFT_OFF_REQUESTS',
      'SECTION_COVER',
      ...[2, 3, 4, 5].map((d) => `${d},D,0,100,100`),
      ...[9, 10, 11, 12].map((d) => `${d},D,1,100,100`),
      '',
    ].join('\n');
    const m = compileModel(parseInstance(text, 'two-blocks.txt'));
    const start = new Int8Array(14).fill(OFF);
    start.fill(0, 2, 6);
    expect(rowViolation(m, start, 0, new Int32Array(1))).toBe(0);
    expect(objectiveOf(m, start, new Int32Array(14))).toBe(800);
    const options = { iterations: 20_000, outOfTime: () => false, temperatureStart: 10 };
    const stuck = anneal(m, start.slice(), new Random(4), options);
    expect(stuck.bestObjective).toBe(800);
    const crossed = anneal(m, start.slice(), new Random(4), { ...options, violationWeight: 30 });
    expect(crossed.bestObjective).toBe(0);
    expect(Array.from(crossed.best).flatMap((v, d) => (v === OFF ? [] : [d]))).toEqual([9, 10, 11, 12]);
    expect(rowViolation(m, crossed.best, 0, new Int32Array(1))).toBe(0);
  });

  it('keeps the best roster feasible when it crosses infeasible rosters on Instance5, deterministically', () => {
    const file = `${dataDir}Instance5.txt`;
    const m = compileModel(parseInstance(readFileSync(file, 'utf8'), file));
    const run = () => {
      const rng = new Random(3);
      const built = constructRoster(m, rng);
      const options = { iterations: 300_000, outOfTime: () => false, temperatureStart: 100 };
      return anneal(m, built.roster, rng, { ...options, violationWeight: 300 });
    };
    const first = run();
    const scratch = new Int32Array(m.shifts);
    for (let e = 0; e < m.employees; e++) expect(rowViolation(m, first.best, e, scratch)).toBe(0);
    expect(objectiveOf(m, first.best, new Int32Array(m.days * m.shifts))).toBe(first.bestObjective);
    expect(run().best).toEqual(first.best);
  });

  it('keeps every row feasible on Instance5, reports the objective of the roster it returns, and is deterministic', () => {
    const file = `${dataDir}Instance5.txt`;
    const m = compileModel(parseInstance(readFileSync(file, 'utf8'), file));
    const run = () => {
      const rng = new Random(9);
      const built = constructRoster(m, rng);
      expect(built.feasible).toBe(true);
      const start = objectiveOf(m, built.roster, new Int32Array(m.days * m.shifts));
      const result = anneal(m, built.roster, rng, { iterations: 300_000, outOfTime: () => false });
      expect(result.bestObjective).toBeLessThan(start);
      return result;
    };
    const first = run();
    const scratch = new Int32Array(m.shifts);
    for (let e = 0; e < m.employees; e++) expect(rowViolation(m, first.best, e, scratch)).toBe(0);
    expect(objectiveOf(m, first.best, new Int32Array(m.days * m.shifts))).toBe(first.bestObjective);
    expect(run().best).toEqual(first.best);
  });
});
