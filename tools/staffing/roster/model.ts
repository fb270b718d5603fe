/**
 * The solver's compiled form of an instance: flat typed arrays indexed by employee, day and shift, and
 * the per-employee rule check the search runs after every move. Every hard rule of the Curtois & Qu
 * model concerns one employee's row only; employees interact only through the soft cover terms.
 * This file is the solver's own reading of the rules; validate.ts checks its output independently.
 */
import type { Instance } from './instance.ts';

export const OFF = -1;

export interface RosterModel {
  employees: number;
  days: number;
  shifts: number;
  shiftMinutes: Int32Array;
  /** forbidden[a * shifts + b] = 1 when shift b may not be worked the day after shift a. */
  forbidden: Uint8Array;
  /** maxShifts[e * shifts + s]. */
  maxShifts: Int32Array;
  maxMinutes: Int32Array;
  minMinutes: Int32Array;
  maxConsecutive: Int32Array;
  minConsecutive: Int32Array;
  minConsecutiveOff: Int32Array;
  maxWeekends: Int32Array;
  /** dayOff[e * days + d] = 1 when employee e may not work day d. */
  dayOff: Uint8Array;
  /** Request penalty of giving employee e value v (OFF or a shift) on day d: requestCost[(e * days + d) * (shifts + 1) + v + 1]. */
  requestCost: Int32Array;
  /** Cover per (day, shift), index d * shifts + s. */
  coverRequirement: Int32Array;
  underWeight: Int32Array;
  overWeight: Int32Array;
  /** Values (OFF and the shifts the employee may work at all) to try for each employee. */
  choices: Int8Array[];
}

export function compileModel(instance: Instance): RosterModel {
  const E = instance.employees.length;
  const H = instance.horizonDays;
  const S = instance.shifts.length;
  const shiftIndex = new Map(instance.shifts.map((s, i) => [s.id, i]));
  const employeeIndex = new Map(instance.employees.map((e, i) => [e.id, i]));
  const at = (map: Map<string, number>, id: string) => map.get(id) ?? 0;

  const forbidden = new Uint8Array(S * S);
  instance.shifts.forEach((s, a) => {
    for (const next of s.cannotFollow) forbidden[a * S + at(shiftIndex, next)] = 1;
  });
  const maxShifts = new Int32Array(E * S);
  const dayOff = new Uint8Array(E * H);
  const choices: Int8Array[] = [];
  instance.employees.forEach((e, i) => {
    const allowed = [OFF];
    instance.shifts.forEach((s, j) => {
      const max = e.maxShifts[s.id] ?? H;
      maxShifts[i * S + j] = max;
      if (max > 0) allowed.push(j);
    });
    choices.push(Int8Array.from(allowed));
    for (const d of e.daysOff) dayOff[i * H + d] = 1;
  });

  const requestCost = new Int32Array(E * H * (S + 1));
  for (const r of instance.shiftOnRequests) {
    const base = (at(employeeIndex, r.employee) * H + r.day) * (S + 1);
    const wanted = at(shiftIndex, r.shift);
    for (let v = OFF; v < S; v++)
      if (v !== wanted) requestCost[base + v + 1] = (requestCost[base + v + 1] ?? 0) + r.weight;
  }
  for (const r of instance.shiftOffRequests) {
    const index = (at(employeeIndex, r.employee) * H + r.day) * (S + 1) + at(shiftIndex, r.shift) + 1;
    requestCost[index] = (requestCost[index] ?? 0) + r.weight;
  }
  const coverRequirement = new Int32Array(H * S);
  const underWeight = new Int32Array(H * S);
  const overWeight = new Int32Array(H * S);
  for (const c of instance.cover) {
    const i = c.day * S + at(shiftIndex, c.shift);
    coverRequirement[i] = c.requirement;
    underWeight[i] = c.underWeight;
    overWeight[i] = c.overWeight;
  }
  const perEmployee = (f: (e: Instance['employees'][number]) => number) =>
    Int32Array.from(instance.employees, f);
  return {
    employees: E,
    days: H,
    shifts: S,
    shiftMinutes: Int32Array.from(instance.shifts, (s) => s.minutes),
    forbidden,
    maxShifts,
    maxMinutes: perEmployee((e) => e.maxTotalMinutes),
    minMinutes: perEmployee((e) => e.minTotalMinutes),
    maxConsecutive: perEmployee((e) => e.maxConsecutiveShifts),
    minConsecutive: perEmployee((e) => e.minConsecutiveShifts),
    minConsecutiveOff: perEmployee((e) => e.minConsecutiveDaysOff),
    maxWeekends: perEmployee((e) => e.maxWeekends),
    dayOff,
    requestCost,
    coverRequirement,
    underWeight,
    overWeight,
    choices,
  };
}

/**
 * How far employee e's row (roster[e * days … e * days + days - 1]) is from meeting every hard rule:
 * 0 when it meets them all, otherwise a sum of violation sizes that shrinks as the row gets closer,
 * which is what the construction phase descends on. Blocks touching the horizon's ends are exempt
 * from the minimum-consecutive rules, as in the published model (see validate.ts).
 */
export function rowViolation(m: RosterModel, roster: Int8Array, e: number, counts: Int32Array): number {
  const H = m.days;
  const S = m.shifts;
  const base = e * H;
  let penalty = 0;
  let minutes = 0;
  counts.fill(0, 0, S);
  let runStart = 0;
  for (let d = 0; d < H; d++) {
    const v = roster[base + d] ?? OFF;
    if (v !== OFF) {
      if (m.dayOff[base + d]) penalty += 1;
      counts[v] = (counts[v] ?? 0) + 1;
      minutes += m.shiftMinutes[v] ?? 0;
      if (d > 0) {
        const prev = roster[base + d - 1] ?? OFF;
        if (prev !== OFF && m.forbidden[prev * S + v]) penalty += 1;
      }
    }
    const next = d + 1 < H ? (roster[base + d + 1] ?? OFF) : v;
    if (d + 1 === H || (next === OFF) !== (v === OFF)) {
      const length = d - runStart + 1;
      const inside = runStart > 0 && d < H - 1;
      if (v !== OFF) {
        const max = m.maxConsecutive[e] ?? H;
        if (length > max) penalty += length - max;
        const min = m.minConsecutive[e] ?? 0;
        if (inside && length < min) penalty += min - length;
      } else {
        const min = m.minConsecutiveOff[e] ?? 0;
        if (inside && length < min) penalty += min - length;
      }
      runStart = d + 1;
    }
  }
  for (let s = 0; s < S; s++) {
    const over = (counts[s] ?? 0) - (m.maxShifts[e * S + s] ?? H);
    if (over > 0) penalty += over;
  }
  const maxMinutes = m.maxMinutes[e] ?? 0;
  const minMinutes = m.minMinutes[e] ?? 0;
  if (minutes > maxMinutes) penalty += (minutes - maxMinutes) / 240;
  if (minutes < minMinutes) penalty += (minMinutes - minutes) / 240;
  let weekends = 0;
  for (let sat = 5; sat < H; sat += 7) {
    if ((roster[base + sat] ?? OFF) !== OFF || (sat + 1 < H && (roster[base + sat + 1] ?? OFF) !== OFF))
      weekends++;
  }
  const overWeekends = weekends - (m.maxWeekends[e] ?? H);
  if (overWeekends > 0) penalty += overWeekends;
  return penalty;
}

export function coverCost(m: RosterModel, index: number, count: number): number {
  const req = m.coverRequirement[index] ?? 0;
  return count < req
    ? (req - count) * (m.underWeight[index] ?? 0)
    : (count - req) * (m.overWeight[index] ?? 0);
}

/** The objective of a whole roster, and the cover counts it implies. */
export function objectiveOf(m: RosterModel, roster: Int8Array, cover: Int32Array): number {
  const H = m.days;
  const S = m.shifts;
  cover.fill(0);
  let total = 0;
  for (let e = 0; e < m.employees; e++) {
    for (let d = 0; d < H; d++) {
      const v = roster[e * H + d] ?? OFF;
      total += m.requestCost[(e * H + d) * (S + 1) + v + 1] ?? 0;
      if (v !== OFF) cover[d * S + v] = (cover[d * S + v] ?? 0) + 1;
    }
  }
  for (let i = 0; i < H * S; i++) total += coverCost(m, i, cover[i] ?? 0);
  return total;
}
