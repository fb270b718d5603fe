/**
 * First fit: requests in priority order (emergency, urgent, routine), then in the order given, each
 * take their best-ranked bed still free. What placing them one at a time with find_candidate_beds would
 * do; the baseline the MILP is measured against, and its warm start and fallback.
 */
import { type Choice, type CompiledProblem, priorityOrder } from './compile.ts';

/**
 * Places every request of `start` (default: none) that has no bed yet in its first pair whose class
 * still has a free bed. Starting from another plan this only adds placements, and each lowers the
 * objective (a penalty always exceeds a cost), so it also repairs a plan that left a fitting bed free.
 */
export function firstFit(c: CompiledProblem, start?: Choice): Choice {
  const choice = start ? Int32Array.from(start) : new Int32Array(c.requestCount).fill(-1);
  const free = new Int32Array(c.classCount);
  for (let k = 0; k < c.classCount; k++) free[k] = (c.classStart[k + 1] ?? 0) - (c.classStart[k] ?? 0);
  for (let r = 0; r < c.requestCount; r++) {
    const p = choice[r] ?? -1;
    if (p < 0) continue;
    const k = c.pairClass[p] ?? 0;
    free[k] = (free[k] ?? 0) - 1;
  }
  for (const r of priorityOrder(c)) {
    if ((choice[r] ?? -1) >= 0) continue;
    for (let p = c.pairStart[r] ?? 0; p < (c.pairStart[r + 1] ?? 0); p++) {
      const k = c.pairClass[p] ?? 0;
      if ((free[k] ?? 0) > 0) {
        free[k] = (free[k] ?? 0) - 1;
        choice[r] = p;
        break;
      }
    }
  }
  return choice;
}
