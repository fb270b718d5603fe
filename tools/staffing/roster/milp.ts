/**
 * The full integer model of Curtois & Qu (2014, section 3) written as CPLEX LP text for HiGHS (the
 * `highs` WebAssembly package). x{e}_{d}_{s} = 1 when employee e works shift s on day d; variables for
 * days off and for shift types an employee may never work are left out. The objective's constant
 * part (every shift-on request counted as missed) is kept apart and added back by `rosterFromMilp`.
 */
import { compileModel, OFF, type RosterModel } from './model.ts';
import type { Instance } from './instance.ts';

export interface MilpModel {
  lp: string;
  /** Added to HiGHS's objective to give the model's objective. */
  constant: number;
  model: RosterModel;
}

const x = (e: number, d: number, s: number) => `x${e}_${d}_${s}`;

/**
 * Builds the model for the employees in `free` (default: everyone); the other employees keep their
 * rows in `fixed`, which enter only through the cover they already provide. A sub-model over a few
 * employees is exact for them, since every hard rule concerns one employee's row. With `window`, the
 * free employees' days outside [from, to] are also held at their `fixed` values (by equality rows,
 * which HiGHS's presolve removes), so that only a block of days is re-solved.
 */
export function buildMilp(
  instance: Instance,
  restriction?: { free: readonly number[]; fixed: Int8Array; window?: { from: number; to: number } },
  compiled?: RosterModel,
): MilpModel {
  const m = compiled ?? compileModel(instance);
  const { employees: E, days: H, shifts: S } = m;
  const free = restriction?.free ?? Array.from({ length: E }, (_, e) => e);
  const fixedCover = new Int32Array(H * S);
  if (restriction) {
    const isFree = new Uint8Array(E);
    for (const e of free) isFree[e] = 1;
    for (let e = 0; e < E; e++) {
      if (isFree[e]) continue;
      for (let d = 0; d < H; d++) {
        const v = restriction.fixed[e * H + d] ?? OFF;
        if (v !== OFF) fixedCover[d * S + v] = (fixedCover[d * S + v] ?? 0) + 1;
      }
    }
  }
  const has = (e: number, d: number, s: number) =>
    !m.dayOff[e * H + d] && (m.maxShifts[e * S + s] ?? 0) > 0 && d >= 0 && d < H;
  /** The terms of "employee e works on day d", with a sign. */
  const worked = (e: number, d: number, sign: '+' | '-'): string[] => {
    const terms: string[] = [];
    for (let s = 0; s < S; s++) if (has(e, d, s)) terms.push(`${sign} ${x(e, d, s)}`);
    return terms;
  };
  const rows: string[] = [];
  const row = (terms: string[], sense: '<=' | '>=' | '=', rhs: number) => {
    if (terms.length > 0) rows.push(` c${rows.length}: ${terms.join(' ')} ${sense} ${rhs}`);
  };
  const objective: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  let constant = 0;

  for (const e of free) {
    for (let d = 0; d < H; d++) {
      for (let s = 0; s < S; s++) {
        if (!has(e, d, s)) continue;
        binaries.push(x(e, d, s));
        // requestCost holds on-request weights on every value but the wanted one, so the cost of
        // working s relative to being off is requestCost(s) - requestCost(off).
        const base = (e * H + d) * (S + 1);
        const cost = (m.requestCost[base + s + 1] ?? 0) - (m.requestCost[base] ?? 0);
        if (cost !== 0) objective.push(`${cost < 0 ? '-' : '+'} ${Math.abs(cost)} ${x(e, d, s)}`);
      }
      constant += m.requestCost[(e * H + d) * (S + 1) + OFF + 1] ?? 0;
      row(worked(e, d, '+'), '<=', 1);
      if (d + 1 < H) {
        for (let a = 0; a < S; a++) {
          for (let b = 0; b < S; b++) {
            if (m.forbidden[a * S + b] && has(e, d, a) && has(e, d + 1, b))
              row([`+ ${x(e, d, a)}`, `+ ${x(e, d + 1, b)}`], '<=', 1);
          }
        }
      }
    }
    const window = restriction?.window;
    if (window && restriction) {
      for (let d = 0; d < H; d++) {
        if (d >= window.from && d <= window.to) continue;
        for (let s = 0; s < S; s++)
          if (has(e, d, s)) row([`+ ${x(e, d, s)}`], '=', restriction.fixed[e * H + d] === s ? 1 : 0);
      }
    }
    const minutes: string[] = [];
    for (let s = 0; s < S; s++) {
      const count: string[] = [];
      for (let d = 0; d < H; d++) {
        if (!has(e, d, s)) continue;
        count.push(`+ ${x(e, d, s)}`);
        minutes.push(`+ ${m.shiftMinutes[s]} ${x(e, d, s)}`);
      }
      const max = m.maxShifts[e * S + s] ?? H;
      if (max < count.length) row(count, '<=', max);
    }
    row(minutes, '<=', m.maxMinutes[e] ?? 0);
    row(minutes, '>=', m.minMinutes[e] ?? 0);
    const maxC = m.maxConsecutive[e] ?? H;
    for (let d = 0; d + maxC < H; d++) {
      const terms: string[] = [];
      for (let j = d; j <= d + maxC; j++) terms.push(...worked(e, j, '+'));
      row(terms, '<=', maxC);
    }
    // Min consecutive shifts / days off, only for blocks bounded inside the horizon (see validate.ts).
    for (let length = 1; length < (m.minConsecutive[e] ?? 0); length++) {
      for (let d = 0; d + length + 1 < H; d++) {
        const terms = [...worked(e, d, '+'), ...worked(e, d + length + 1, '+')];
        for (let j = d + 1; j <= d + length; j++) terms.push(...worked(e, j, '-'));
        row(terms, '>=', 1 - length);
      }
    }
    for (let length = 1; length < (m.minConsecutiveOff[e] ?? 0); length++) {
      for (let d = 0; d + length + 1 < H; d++) {
        const terms = [...worked(e, d, '-'), ...worked(e, d + length + 1, '-')];
        for (let j = d + 1; j <= d + length; j++) terms.push(...worked(e, j, '+'));
        row(terms, '>=', -1);
      }
    }
    const weekends: string[] = [];
    for (let sat = 5; sat < H; sat += 7) {
      const k = `k${e}_${sat}`;
      for (const day of [sat, sat + 1]) {
        if (day >= H) continue;
        const terms = worked(e, day, '+');
        if (terms.length > 0) row([`+ ${k}`, ...worked(e, day, '-')], '>=', 0);
      }
      binaries.push(k);
      weekends.push(`+ ${k}`);
    }
    if (weekends.length > (m.maxWeekends[e] ?? H)) row(weekends, '<=', m.maxWeekends[e] ?? 0);
  }

  for (let d = 0; d < H; d++) {
    for (let s = 0; s < S; s++) {
      const i = d * S + s;
      const terms: string[] = [];
      for (const e of free) if (has(e, d, s)) terms.push(`+ ${x(e, d, s)}`);
      const under = `u${d}_${s}`;
      const over = `o${d}_${s}`;
      generals.push(under, over);
      if (m.underWeight[i]) objective.push(`+ ${m.underWeight[i]} ${under}`);
      if (m.overWeight[i]) objective.push(`+ ${m.overWeight[i]} ${over}`);
      rows.push(
        ` c${rows.length}: ${[...terms, `+ ${under}`, `- ${over}`].join(' ')} = ${(m.coverRequirement[i] ?? 0) - (fixedCover[i] ?? 0)}`,
      );
    }
  }

  const lp = [
    'Minimize',
    ` obj: ${objective.length > 0 ? objective.join(' ') : `0 ${binaries[0] ?? generals[0]}`}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...generals.map((g) => ` ${g} >= 0`),
    'Generals',
    ` ${generals.join(' ')}`,
    'Binary',
    ` ${binaries.join(' ')}`,
    'End',
    '',
  ].join('\n');
  return { lp, constant, model: m };
}

/** Writes HiGHS's column values for the `free` employees into a flat roster (OFF where nothing is worked). */
export function readMilpRows(
  milp: MilpModel,
  free: readonly number[],
  value: (column: string) => number | undefined,
  roster: Int8Array,
): void {
  const { days: H, shifts: S } = milp.model;
  for (const e of free) {
    for (let d = 0; d < H; d++) {
      roster[e * H + d] = OFF;
      for (let s = 0; s < S; s++) if ((value(x(e, d, s)) ?? 0) > 0.5) roster[e * H + d] = s;
    }
  }
}

/**
 * A complete start for HiGHS from a feasible roster: x from the rows of `free`, the weekend indicators
 * k, and the cover slacks u/o that make each cover row an equality.
 */
export function milpStart(milp: MilpModel, free: readonly number[], roster: Int8Array): Map<string, number> {
  const { days: H, shifts: S, employees: E } = milp.model;
  const start = new Map<string, number>();
  const isFree = new Uint8Array(E);
  for (const e of free) isFree[e] = 1;
  const cover = new Int32Array(H * S);
  for (let e = 0; e < E; e++) {
    for (let d = 0; d < H; d++) {
      const v = roster[e * H + d] ?? OFF;
      if (v === OFF) continue;
      cover[d * S + v] = (cover[d * S + v] ?? 0) + 1;
      if (isFree[e]) start.set(x(e, d, v), 1);
    }
  }
  for (const e of free) {
    for (let sat = 5; sat < H; sat += 7) {
      const worked =
        (roster[e * H + sat] ?? OFF) !== OFF || (sat + 1 < H && (roster[e * H + sat + 1] ?? OFF) !== OFF);
      start.set(`k${e}_${sat}`, worked ? 1 : 0);
    }
  }
  for (let i = 0; i < H * S; i++) {
    const d = Math.floor(i / S);
    const s = i % S;
    const gap = (milp.model.coverRequirement[i] ?? 0) - (cover[i] ?? 0);
    start.set(`u${d}_${s}`, Math.max(0, gap));
    start.set(`o${d}_${s}`, Math.max(0, -gap));
  }
  return start;
}
