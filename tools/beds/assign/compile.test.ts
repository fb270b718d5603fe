import { describe, expect, it } from 'vitest';
import { bedRefusal } from '../candidates.ts';
import { bedsOf, compileProblem } from './compile.ts';
import { type AssignableBed, assignmentCost } from './model.ts';
import { syntheticProblem } from './synthetic.ts';
import { bed, request } from './test-fixtures.ts';

describe('the compiled problem', () => {
  const problem = syntheticProblem({ seed: 11, beds: 400, requests: 120 });
  const c = compileProblem(problem);

  it('offers a request exactly the beds bedRefusal allows, cheapest first, at the cost of each', () => {
    problem.requests.forEach((r, i) => {
      const offered: string[] = [];
      let previous = -1;
      for (let p = c.pairStart[i] ?? 0; p < (c.pairStart[i + 1] ?? 0); p++) {
        const k = c.pairClass[p] ?? 0;
        expect(c.pairCost[p]).toBeGreaterThanOrEqual(previous);
        previous = c.pairCost[p] ?? 0;
        for (let s = c.classStart[k] ?? 0; s < (c.classStart[k + 1] ?? 0); s++) {
          const b = problem.beds[c.classBeds[s] ?? -1] as AssignableBed;
          expect(assignmentCost(b, r)).toBe(c.pairCost[p]);
          offered.push(b.bedId);
        }
      }
      const allowed = problem.beds.filter((b) => bedRefusal(b, r.need) === null).map((b) => b.bedId);
      expect(offered.sort()).toEqual(allowed.sort());
    });
  });

  it('hands out each class’s beds once, in bed id order', () => {
    const choice = new Int32Array(c.requestCount).fill(-1);
    // Two requests into the same class, if one has two free beds.
    const k = Array.from({ length: c.classCount }, (_, i) => i).find(
      (i) => (c.classStart[i + 1] ?? 0) - (c.classStart[i] ?? 0) >= 2,
    ) as number;
    const takers: number[] = [];
    for (let r = 0; r < c.requestCount && takers.length < 2; r++) {
      for (let p = c.pairStart[r] ?? 0; p < (c.pairStart[r + 1] ?? 0); p++) {
        if (c.pairClass[p] === k) {
          choice[r] = p;
          takers.push(r);
          break;
        }
      }
    }
    const beds = bedsOf(c, choice);
    const given = takers.map((r) => problem.beds[beds[r] ?? -1]?.bedId);
    expect(new Set(given).size).toBe(takers.length);
    expect(given).toEqual([...given].sort());
  });

  it('refuses a problem that names a bed or a request twice', () => {
    expect(() => compileProblem({ beds: [bed(), bed()], requests: [] })).toThrow(/bed b1 appears twice/);
    expect(() => compileProblem({ beds: [], requests: [request(), request()] })).toThrow(
      /request q1 appears twice/,
    );
  });
});
