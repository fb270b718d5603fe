import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../db/seed/random.ts';
import { loadHighsSolvers } from '../../core/highs.ts';
import { type Instance, parseInstance } from './instance.ts';
import { buildMilp } from './milp.ts';
import { compileModel, OFF, type RosterModel, rowViolation } from './model.ts';
import { cheapestRow } from './pricing.ts';

const dataDir = fileURLToPath(new URL('../../../bench/data/curtois/', import.meta.url));
const load = (n: number) => {
  const file = `${dataDir}Instance${n}.txt`;
  return parseInstance(readFileSync(file, 'utf8'), file);
};

const highs = await loadHighsSolvers();
if (!highs) throw new Error('HiGHS did not load');

/** The same question asked of HiGHS on the integer model's rows for employee e alone (milp.ts). */
function cheapestByMilp(
  instance: Instance,
  m: RosterModel,
  e: number,
  cost: (d: number, v: number) => number,
) {
  const lp = buildMilp(instance, { free: [e], fixed: new Int8Array(m.employees * m.days).fill(OFF) }, m, {
    rowsOnly: true,
  }).lp;
  const model = highs?.models.create();
  if (!model) throw new Error('no model');
  try {
    model.readModel({ format: 'lp', data: lp });
    model.options.set({ output_flag: false, mip_rel_gap: 0 });
    const n = model.getDimensions().numCols;
    const costs = new Float64Array(n);
    let constant = 0;
    for (let d = 0; d < m.days; d++) constant += cost(d, OFF);
    for (let j = 0; j < n; j++) {
      const cell = /^x\d+_(\d+)_(\d+)$/.exec(model.getColName(j));
      if (cell) costs[j] = cost(Number(cell[1]), Number(cell[2])) - cost(Number(cell[1]), OFF);
    }
    model.changeColsCost({ kind: 'range', from: 0, to: n - 1 }, costs);
    model.run();
    expect(model.getModelStatus()).toBe(highs?.models.optimal);
    return model.getObjectiveValue() + constant;
  } finally {
    model.dispose();
  }
}

describe('the exact cheapest row (column generation pricing)', () => {
  // Instance2: two shift types, short horizon; Instance5: a bounded shift type (L=14) and two kinds of
  // contract; Instance8: four shift types, two of them bounded, forbidden successions, 30 employees.
  it.each([
    [2, [0, 3, 7, 13]],
    [5, [0, 2, 10, 15]],
    [8, [1, 20]],
  ])(
    'agrees with HiGHS on Instance%i under random prices, and its rows meet every hard rule',
    (n, employees) => {
      const instance = load(n);
      const m = compileModel(instance);
      const rng = new Random(n);
      for (const e of employees) {
        for (let trial = 0; trial < 3; trial++) {
          const prices = new Float64Array(m.days * (m.shifts + 1));
          for (let k = 0; k < prices.length; k++) prices[k] = (rng.int(0, 200) - 120) / 7;
          const cost = (d: number, v: number) => prices[d * (m.shifts + 1) + v + 1] ?? 0;
          const priced = cheapestRow(m, e, cost);
          if (!priced) throw new Error(`no row for employee ${e}`);
          expect(priced.cost).toBeCloseTo(cheapestByMilp(instance, m, e, cost), 6);
          let total = 0;
          for (let d = 0; d < m.days; d++) total += cost(d, priced.row[d] ?? OFF);
          expect(total).toBeCloseTo(priced.cost, 6);
          const roster = new Int8Array(m.employees * m.days).fill(OFF);
          roster.set(priced.row, e * m.days);
          expect(rowViolation(m, roster, e, new Int32Array(m.shifts))).toBe(0);
        }
      }
    },
    60_000,
  );

  it('leaves blocks touching the horizon short, as the published model does, but not blocks inside it', () => {
    // One employee, 7 days, at least 3 shifts in a row and 2 days off in a row; 2 to 4 shifts in all.
    const instance = parseInstance(
      [
        'SECTION_HORIZON',
        '7',
        'SECTION_SHIFTS',
        'D,480,',
        'SECTION_STAFF',
        'A,D=7,1920,960,5,3,2,1',
        'SECTION_DAYS_OFF',
        'SECTION_SHIFT_ON_REQUESTS',
        'SECTION_SHIFT_OFF_REQUESTS',
        'SECTION_COVER',
        ...Array.from({ length: 7 }, (_, d) => `${d},D,1,100,1`),
      ].join('\n'),
    );
    const m = compileModel(instance);
    // Working Monday and Sunday is cheapest: blocks of one at both ends are allowed.
    const ends = cheapestRow(m, 0, (d, v) => (v === OFF ? 0 : d === 0 || d === 6 ? -10 : 1));
    expect(Array.from(ends?.row ?? [])).toEqual([0, OFF, OFF, OFF, OFF, OFF, 0]);
    // Wednesday alone is not allowed inside the horizon: the block must grow to three shifts.
    const inside = cheapestRow(m, 0, (d, v) => (v === OFF ? 0 : d === 2 ? -10 : 1));
    expect(inside?.cost).toBe(-8);
    const row = Array.from(inside?.row ?? []);
    expect(row.filter((v) => v === 0)).toHaveLength(3);
    expect(row[2]).toBe(0);
  });
});
