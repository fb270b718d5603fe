/**
 * The cheapest row for one employee under given per-cell costs, exactly, by dynamic programming over
 * the days: the pricing problem of column generation (columns.ts), where a cell's cost is its request
 * penalty less the cover row's dual price. Every hard rule concerns one row, so a row this finds meets
 * them all: days off, shift successions, maximum shifts of each type, total minutes, maximum and
 * minimum consecutive shifts and days off (blocks touching the horizon's ends exempt from the
 * minimums, as in validate.ts) and maximum weekends.
 *
 * A state at the end of a day is (that day's value, length of the block it ends, whether that block
 * began on day 0, weekends worked, minutes worked, and counts of the shift types whose maximum can
 * bind); only the cheapest path to each state is kept. States beyond `maxStates` on one day make the
 * search give up (null), so a pathological instance costs time, not memory.
 */
import { OFF, type RosterModel } from './model.ts';

export interface PricedRow {
  row: Int8Array;
  cost: number;
  /** States the search made: its work, which grows with the instance, not with the machine. */
  work: number;
}

/**
 * cellCost(d, v): the cost of value v (OFF or a shift) on day d. Returns the cheapest feasible row,
 * or null when there is none or the states of a day grew past maxStates.
 */
let denseIndex = new Int32Array(0);

export function cheapestRow(
  m: RosterModel,
  e: number,
  cellCost: (d: number, v: number) => number,
  maxStates = 400_000,
): PricedRow | null {
  const H = m.days;
  const S = m.shifts;
  const maxRun = m.maxConsecutive[e] ?? H;
  const minOn = m.minConsecutive[e] ?? 0;
  const minOff = m.minConsecutiveOff[e] ?? 0;
  const maxWeekends = m.maxWeekends[e] ?? H;
  let unit = 0;
  let longest = 0;
  for (let s = 0; s < S; s++) {
    unit = gcd(unit, m.shiftMinutes[s] ?? 0);
    longest = Math.max(longest, m.shiftMinutes[s] ?? 0);
  }
  unit = Math.max(1, unit);
  const maxUnits = Math.floor((m.maxMinutes[e] ?? 0) / unit);
  const minMinutes = m.minMinutes[e] ?? 0;
  let available = 0;
  for (let d = 0; d < H; d++) if (!m.dayOff[e * H + d]) available++;
  // Shift types whose maximum is below the days they could be worked: only their counts are state.
  const boundOf = new Int32Array(S).fill(-1);
  const bounds: number[] = [];
  for (let s = 0; s < S; s++) {
    const max = m.maxShifts[e * S + s] ?? H;
    if (max > 0 && max < available) {
      boundOf[s] = bounds.length;
      bounds.push(max);
    }
  }
  const values: number[] = [OFF];
  for (let s = 0; s < S; s++) if ((m.maxShifts[e * S + s] ?? 0) > 0) values.push(s);
  const offCap = Math.max(minOff, 1);
  const runCap = Math.max(maxRun, offCap) + 1;
  // State fields and their sizes, for a mixed-radix key. (Keeping a Pareto front over weekends and
  // bounded counts instead of exact states was tried: 4 times slower on Instance8.)
  const B = bounds.length;
  const width = 5 + B;
  // A bounded count that can no longer reach its maximum (too few days or minutes left) is replaced by
  // a mark one above it: such states no longer differ by that count (Instance8's rows were priced 4 times
  // faster for it).
  const radix = [S + 1, runCap + 1, 2, maxWeekends + 2, maxUnits + 1, ...bounds.map((b) => b + 2)];
  const boundedShift = bounds.map((_, b) => boundOf.indexOf(b));
  // moreOf[b * (maxUnits + 1) + u]: how many more shifts of bounded type b fit in the minutes left.
  const moreOf = new Int32Array(Math.max(1, B * (maxUnits + 1)));
  for (let b = 0; b < B; b++) {
    const length = m.shiftMinutes[boundedShift[b] ?? 0] ?? 1;
    for (let u = 0; u <= maxUnits; u++)
      moreOf[b * (maxUnits + 1) + u] = Math.floor(((m.maxMinutes[e] ?? 0) - u * unit) / length);
  }
  const settle = (d: number, units: number) => {
    for (let b = 0; b < B; b++) {
      const max = bounds[b] ?? 0;
      const c = candidate[5 + b] ?? 0;
      if (c > max) continue;
      if (c + Math.min(H - 1 - d, moreOf[b * (maxUnits + 1) + units] ?? 0) <= max) candidate[5 + b] = max + 1;
    }
  };
  let product = 1;
  for (const r of radix) product *= r;
  // The index of a day's states by key: one buffer kept between calls (every entry back at -1 when a
  // call ends), since allocating and clearing it per call cost more than the search on Instance8.
  if (product <= 1 << 24 && denseIndex.length < product) denseIndex = new Int32Array(product).fill(-1);
  const dense = product <= 1 << 24 ? denseIndex : null;
  const sparse = dense ? null : new Map<number, number>();
  const keyOf = (st: Int32Array) => {
    let key = 0;
    for (let i = 0; i < width; i++) key = key * (radix[i] ?? 1) + (st[i] ?? 0);
    return key;
  };

  // One day's labels: state fields (v + 1, run, atStart, weekends, minute units, counts…), cost, parent.
  let count = 0;
  let work = 0;
  let states = new Int32Array(1024 * width);
  let costs = new Float64Array(1024);
  let parents = new Int32Array(1024);
  let keys = new Float64Array(1024);
  const parentsByDay: Int32Array[] = [];
  const valuesByDay: Int8Array[] = [];
  const candidate = new Int32Array(width);
  const grow = <T extends Int32Array | Float64Array>(a: T): T => {
    const b = new (a.constructor as new (n: number) => T)(a.length * 2);
    b.set(a);
    return b;
  };
  const offer = (cost: number, parent: number, key = keyOf(candidate)) => {
    const at = dense ? (dense[key] ?? -1) : (sparse?.get(key) ?? -1);
    if (at >= 0) {
      if (cost < (costs[at] ?? Infinity)) {
        costs[at] = cost;
        parents[at] = parent;
      }
      return;
    }
    if (count === costs.length) {
      states = grow(states);
      costs = grow(costs);
      parents = grow(parents);
      keys = grow(keys);
    }
    work++;
    states.set(candidate, count * width);
    costs[count] = cost;
    parents[count] = parent;
    keys[count] = key;
    if (dense) dense[key] = count;
    else sparse?.set(key, count);
    count++;
  };
  const clearIndex = () => {
    if (dense) for (let i = 0; i < count; i++) dense[keys[i] ?? 0] = -1;
    else sparse?.clear();
  };
  const weekendDay = (d: number) => d % 7 === 5 || d % 7 === 6;
  const allowed = (d: number, v: number) => v === OFF || !m.dayOff[e * H + d];

  // The day's costs, asked once per cell.
  const table = new Float64Array(H * (S + 1));
  for (let d = 0; d < H; d++) for (const v of values) table[d * (S + 1) + v + 1] = cellCost(d, v);
  const unitsOf = new Int32Array(S);
  for (let s = 0; s < S; s++) unitsOf[s] = (m.shiftMinutes[s] ?? 0) / unit;
  const r1 = runCap + 1;
  const r3 = maxWeekends + 2;
  const r4 = maxUnits + 1;

  for (const v of values) {
    if (!allowed(0, v)) continue;
    const units = v === OFF ? 0 : (m.shiftMinutes[v] ?? 0) / unit;
    if (units > maxUnits) continue;
    candidate.fill(0);
    candidate[0] = v + 1;
    candidate[1] = 1;
    candidate[2] = 1;
    candidate[3] = v !== OFF && weekendDay(0) ? 1 : 0;
    candidate[4] = units;
    const b = v === OFF ? -1 : (boundOf[v] ?? -1);
    if (b >= 0) candidate[5 + b] = 1;
    settle(0, units);
    offer(table[v + 1] ?? 0, -1);
  }
  for (let d = 1; d < H; d++) {
    const prevCount = count;
    const prevStates = states.slice(0, prevCount * width);
    const prevCosts = costs.slice(0, prevCount);
    parentsByDay.push(parents.slice(0, prevCount));
    const dayValues = new Int8Array(prevCount);
    for (let p = 0; p < prevCount; p++) dayValues[p] = (prevStates[p * width] ?? 0) - 1;
    valuesByDay.push(dayValues);
    clearIndex();
    count = 0;
    const saturday = d % 7 === 5;
    const sunday = d % 7 === 6;
    // Minutes still reachable after day d, to drop states that can no longer meet the minimum.
    const reachLeft = (H - 1 - d) * longest;
    const closed = m.dayOff[e * H + d] === 1;
    const dayAt = d * (S + 1);
    for (let p = 0; p < prevCount; p++) {
      const at = p * width;
      const v = (prevStates[at] ?? 0) - 1;
      const run = prevStates[at + 1] ?? 0;
      const atStart = prevStates[at + 2] ?? 0;
      const weekends = prevStates[at + 3] ?? 0;
      const units = prevStates[at + 4] ?? 0;
      const from = prevCosts[p] ?? 0;
      for (const w of values) {
        if (w !== OFF && closed) continue;
        let nextRun: number;
        let nextStart = atStart;
        if (w === OFF) {
          if (v === OFF) nextRun = Math.min(run + 1, offCap);
          else {
            if (!atStart && run < minOn) continue;
            nextRun = 1;
            nextStart = 0;
          }
        } else if (v === OFF) {
          if (!atStart && run < minOff) continue;
          nextRun = 1;
          nextStart = 0;
        } else {
          if (m.forbidden[v * S + w]) continue;
          nextRun = run + 1;
          if (nextRun > maxRun) continue;
        }
        let nextUnits = units;
        let nextWeekends = weekends;
        if (B > 0) for (let i = 5; i < width; i++) candidate[i] = prevStates[at + i] ?? 0;
        if (w !== OFF) {
          nextUnits += unitsOf[w] ?? 0;
          if (nextUnits > maxUnits) continue;
          const b = boundOf[w] ?? -1;
          if (b >= 0 && (candidate[5 + b] ?? 0) <= (bounds[b] ?? 0)) {
            const c = (candidate[5 + b] ?? 0) + 1;
            if (c > (bounds[b] ?? 0)) continue;
            candidate[5 + b] = c;
          }
          if (saturday || (sunday && v === OFF)) nextWeekends++;
          if (nextWeekends > maxWeekends) continue;
        }
        if (nextUnits * unit + reachLeft < minMinutes) continue;
        let key = ((((w + 1) * r1 + nextRun) * 2 + nextStart) * r3 + nextWeekends) * r4 + nextUnits;
        if (B > 0) {
          settle(d, nextUnits);
          for (let i = 5; i < width; i++) key = key * (radix[i] ?? 1) + (candidate[i] ?? 0);
        }
        candidate[0] = w + 1;
        candidate[1] = nextRun;
        candidate[2] = nextStart;
        candidate[3] = nextWeekends;
        candidate[4] = nextUnits;
        offer(from + (table[dayAt + w + 1] ?? 0), p, key);
      }
    }
    if (count > maxStates) {
      clearIndex();
      return null;
    }
  }
  clearIndex();
  let best = -1;
  for (let i = 0; i < count; i++) {
    if ((states[i * width + 4] ?? 0) * unit < minMinutes) continue;
    if (best < 0 || (costs[i] ?? 0) < (costs[best] ?? 0)) best = i;
  }
  if (best < 0) return null;
  const row = new Int8Array(H).fill(OFF);
  const cost = costs[best] ?? 0;
  row[H - 1] = (states[best * width] ?? 0) - 1;
  let at = parents[best] ?? -1;
  for (let d = H - 2; d >= 0; d--) {
    row[d] = valuesByDay[d]?.[at] ?? OFF;
    at = parentsByDay[d]?.[at] ?? -1;
  }
  return { row, cost, work };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
