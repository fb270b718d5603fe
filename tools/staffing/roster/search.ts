/**
 * The pure-TypeScript roster search: build a roster that meets every hard rule (one employee row at
 * a time, since every hard rule concerns one row), then improve it by simulated annealing over
 * feasible rosters only. Moves re-assign a block of one employee's days, or swap a block of days
 * between two employees (which leaves cover unchanged). A move is costed first, and the touched rows
 * are checked against the hard rules only when the move would be accepted.
 *
 * Deterministic: the result depends only on the model, the random stream and the iteration budget;
 * `outOfTime` is a safety stop, and a run it cuts short says so.
 */
import type { Random } from '../../../db/seed/random.ts';
import { coverCost, OFF, objectiveOf, type RosterModel, rowViolation } from './model.ts';

/** Descends on one employee's rule violations by re-assigning days and blocks, restarting when stuck. */
function constructRow(
  m: RosterModel,
  roster: Int8Array,
  e: number,
  rng: Random,
  scratch: Int32Array,
): boolean {
  const H = m.days;
  const base = e * H;
  const choices = m.choices[e] ?? Int8Array.of(OFF);
  const saved = new Int8Array(4);
  for (let attempt = 0; attempt < 50; attempt++) {
    for (let d = 0; d < H; d++) roster[base + d] = attempt === 0 ? OFF : (rng.pick([...choices]) ?? OFF);
    let current = rowViolation(m, roster, e, scratch);
    for (let step = 0; step < 20_000 && current > 0; step++) {
      const length = rng.chance(0.5) ? 1 : rng.int(2, 4);
      const start = rng.int(0, H - 1);
      const end = Math.min(H, start + length);
      const value = choices[rng.int(0, choices.length - 1)] ?? OFF;
      for (let d = start; d < end; d++) {
        saved[d - start] = roster[base + d] ?? OFF;
        roster[base + d] = value;
      }
      const next = rowViolation(m, roster, e, scratch);
      if (next <= current || rng.chance(0.002)) current = next;
      else for (let d = start; d < end; d++) roster[base + d] = saved[d - start] ?? OFF;
    }
    if (current === 0) return true;
  }
  return false;
}

/** A roster meeting every hard rule, or the closest found (feasible: false) when a row resists. */
export function constructRoster(m: RosterModel, rng: Random): { roster: Int8Array; feasible: boolean } {
  const scratch = new Int32Array(m.shifts);
  const roster = new Int8Array(m.employees * m.days).fill(OFF);
  let feasible = true;
  for (let e = 0; e < m.employees; e++) if (!constructRow(m, roster, e, rng, scratch)) feasible = false;
  return { roster, feasible };
}

export interface AnnealOptions {
  iterations: number;
  outOfTime: () => boolean;
  temperatureStart?: number;
  temperatureEnd?: number;
  onImprove?: (objective: number, iteration: number) => void;
}

export interface AnnealResult {
  best: Int8Array;
  bestObjective: number;
  iterations: number;
  stoppedBy: 'iterations' | 'time-limit';
}

/** Simulated annealing from a feasible roster; returns the best roster met (the input is left as the last state). */
export function anneal(m: RosterModel, roster: Int8Array, rng: Random, options: AnnealOptions): AnnealResult {
  const { employees: E, days: H, shifts: S } = m;
  const scratch = new Int32Array(S);
  const cover = new Int32Array(H * S);
  let objective = objectiveOf(m, roster, cover);
  let best = roster.slice();
  let bestObjective = objective;
  const request = (e: number, d: number, v: number) => m.requestCost[(e * H + d) * (S + 1) + v + 1] ?? 0;
  const coverDelta = (d: number, v: number, change: number) => {
    if (v === OFF) return 0;
    const i = d * S + v;
    const count = cover[i] ?? 0;
    return coverCost(m, i, count + change) - coverCost(m, i, count);
  };
  const saved = new Int8Array(H);
  const saved2 = new Int8Array(H);
  const temperatureStart = options.temperatureStart ?? 8;
  const temperatureEnd = options.temperatureEnd ?? 0.2;
  const iterations = options.iterations;
  let stoppedBy: AnnealResult['stoppedBy'] = 'iterations';
  let iteration = 0;
  for (; iteration < iterations; iteration++) {
    if ((iteration & 4095) === 0 && options.outOfTime()) {
      stoppedBy = 'time-limit';
      break;
    }
    const temperature = temperatureStart * (temperatureEnd / temperatureStart) ** (iteration / iterations);
    const e = rng.int(0, E - 1);
    const base = e * H;
    if (E > 1 && rng.chance(0.4)) {
      // Swap a block of days with another employee: cover is unchanged, only requests move.
      let other = rng.int(0, E - 2);
      if (other >= e) other++;
      const otherBase = other * H;
      const length = rng.chance(0.5) ? 1 : rng.int(2, 7);
      const start = rng.int(0, H - 1);
      const end = Math.min(H, start + length);
      let delta = 0;
      let changed = false;
      for (let d = start; d < end; d++) {
        const a = roster[base + d] ?? OFF;
        const b = roster[otherBase + d] ?? OFF;
        if (a === b) continue;
        changed = true;
        delta += request(e, d, b) - request(e, d, a) + request(other, d, a) - request(other, d, b);
      }
      if (!changed || (delta > 0 && rng.next() >= Math.exp(-delta / temperature))) continue;
      for (let d = start; d < end; d++) {
        saved[d] = roster[base + d] ?? OFF;
        saved2[d] = roster[otherBase + d] ?? OFF;
        roster[base + d] = saved2[d] ?? OFF;
        roster[otherBase + d] = saved[d] ?? OFF;
      }
      if (rowViolation(m, roster, e, scratch) > 0 || rowViolation(m, roster, other, scratch) > 0) {
        for (let d = start; d < end; d++) {
          roster[base + d] = saved[d] ?? OFF;
          roster[otherBase + d] = saved2[d] ?? OFF;
        }
        continue;
      }
      objective += delta;
    } else {
      // Re-assign a block of one employee's days to one value (a shift or off).
      const choices = m.choices[e] ?? Int8Array.of(OFF);
      const value = choices[rng.int(0, choices.length - 1)] ?? OFF;
      const length = rng.chance(0.6) ? 1 : rng.int(2, 4);
      const start = rng.int(0, H - 1);
      const end = Math.min(H, start + length);
      let delta = 0;
      let changed = false;
      for (let d = start; d < end; d++) {
        const old = roster[base + d] ?? OFF;
        if (old === value) continue;
        changed = true;
        delta += request(e, d, value) - request(e, d, old) + coverDelta(d, old, -1) + coverDelta(d, value, 1);
      }
      if (!changed || (delta > 0 && rng.next() >= Math.exp(-delta / temperature))) continue;
      for (let d = start; d < end; d++) {
        saved[d] = roster[base + d] ?? OFF;
        roster[base + d] = value;
      }
      if (rowViolation(m, roster, e, scratch) > 0) {
        for (let d = start; d < end; d++) roster[base + d] = saved[d] ?? OFF;
        continue;
      }
      for (let d = start; d < end; d++) {
        const old = saved[d] ?? OFF;
        if (old === value) continue;
        if (old !== OFF) cover[d * S + old] = (cover[d * S + old] ?? 0) - 1;
        if (value !== OFF) cover[d * S + value] = (cover[d * S + value] ?? 0) + 1;
      }
      objective += delta;
    }
    if (objective < bestObjective) {
      bestObjective = objective;
      best = roster.slice();
      options.onImprove?.(bestObjective, iteration);
    }
  }
  return { best, bestObjective, iterations: iteration, stoppedBy };
}
