/**
 * The full integer model of Curtois & Qu (2014, section 3) written as CPLEX LP text for HiGHS (the
 * `highs` WebAssembly package). x{e}_{d}_{s} = 1 when employee e works shift s on day d; variables for
 * days off and for shift types an employee may never work are left out. The objective's constant
 * part (every shift-on request counted as missed) is kept apart in `constant`.
 *
 * The minimum-consecutive rules are written in their strong form (a block that starts after a day of
 * the other kind lasts at least the minimum, unless it reaches the horizon's end): one row per block
 * start and length, each tight in the LP relaxation, rather than one row per forbidden pattern.
 */
import { compileModel, OFF, type RosterModel } from './model.ts';
import type { Instance } from './instance.ts';

export interface MilpModel {
  lp: string;
  /** Added to HiGHS's objective to give the model's objective (full model only). */
  constant: number;
  model: RosterModel;
  /** freeDays[d] = 1 when day d has variables (every day unless the model was restricted to blocks of days). */
  freeDays: Uint8Array;
}

/** Which part of a roster a sub-model re-solves; everything else keeps its value in `fixed`. */
export interface MilpRestriction {
  /** Employees whose rows (or the `window` part of them) are free. */
  free: readonly number[];
  /** A roster meeting every hard rule: the values of everything not free. */
  fixed: Int8Array;
  /** Only these blocks of days (inclusive) of the free employees are free. */
  window?: DayBlock | readonly DayBlock[];
}

export interface DayBlock {
  from: number;
  to: number;
}

const x = (e: number, d: number, s: number) => `x${e}_${d}_${s}`;

/** A linear term over "employee e works shift s on day d" (s = -1: works any shift that day). */
type Term = readonly [coefficient: number, day: number, shift: number];

/**
 * Builds the model for the employees in `free` (default: everyone); the other employees keep their
 * rows in `fixed`, which enter only through the cover they already provide. A sub-model over a few
 * employees is exact for them, since every hard rule concerns one employee's row. With `window`, only
 * the free employees' days inside [from, to] have variables: their other days are constants taken
 * from `fixed`, moved to the right-hand sides, so the model stays as small as the block it re-solves.
 * With `rowsOnly`, the cover rows are left out: the free rows' own rules alone (a row's model, against
 * which the tests check the column-generation pricing).
 */
export function buildMilp(
  instance: Instance,
  restriction?: MilpRestriction,
  compiled?: RosterModel,
  options: { rowsOnly?: boolean } = {},
): MilpModel {
  const m = compiled ?? compileModel(instance);
  const { employees: E, days: H, shifts: S } = m;
  const free = restriction?.free ?? Array.from({ length: E }, (_, e) => e);
  const blocks = restriction?.window ?? { from: 0, to: H - 1 };
  const freeDays = new Uint8Array(H);
  for (const block of Array.isArray(blocks) ? blocks : [blocks as DayBlock])
    for (let d = Math.max(0, block.from); d <= Math.min(H - 1, block.to); d++) freeDays[d] = 1;
  const fixed = restriction?.fixed;
  const inWindow = (d: number) => freeDays[d] === 1;
  const fixedCover = new Int32Array(H * S);
  if (fixed) {
    const isFree = new Uint8Array(E);
    for (const e of free) isFree[e] = 1;
    for (let e = 0; e < E; e++) {
      for (let d = 0; d < H; d++) {
        if (isFree[e] && inWindow(d)) continue;
        const v = fixed[e * H + d] ?? OFF;
        if (v !== OFF) fixedCover[d * S + v] = (fixedCover[d * S + v] ?? 0) + 1;
      }
    }
  }
  const has = (e: number, d: number, s: number) =>
    d >= 0 && d < H && !m.dayOff[e * H + d] && (m.maxShifts[e * S + s] ?? 0) > 0;
  const rows: string[] = [];
  /**
   * One row over employee e's terms: terms on free days become variables, terms on fixed days become
   * constants on the right-hand side. A row left with no variable is met by `fixed` and dropped.
   */
  const row = (e: number, terms: readonly Term[], sense: '<=' | '>=', rhs: number, extra = '') => {
    const parts: string[] = [];
    let right = rhs;
    for (const [c, d, shift] of terms) {
      for (let s = Math.max(shift, 0); s < (shift < 0 ? S : shift + 1); s++) {
        if (!has(e, d, s)) continue;
        if (inWindow(d))
          parts.push(`${c < 0 ? '-' : '+'} ${Math.abs(c) === 1 ? '' : `${Math.abs(c)} `}${x(e, d, s)}`);
        else if ((fixed?.[e * H + d] ?? OFF) === s) right -= c;
      }
    }
    if (parts.length > 0 || extra !== '')
      rows.push(` c${rows.length}: ${extra}${parts.join(' ')} ${sense} ${right}`);
  };
  const objective: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  let constant = 0;

  for (const e of free) {
    for (let d = 0; d < H; d++) {
      if (!inWindow(d)) continue;
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
      row(e, [[1, d, -1]], '<=', 1);
      for (let a = 0; a < S; a++) {
        for (let b = 0; b < S; b++) {
          if (!m.forbidden[a * S + b]) continue;
          // Pairs (d, d + 1), and (d - 1, d) when day d - 1 is fixed (else the pair is written there).
          if (d + 1 < H)
            row(
              e,
              [
                [1, d, a],
                [1, d + 1, b],
              ],
              '<=',
              1,
            );
          if (d > 0 && !inWindow(d - 1))
            row(
              e,
              [
                [1, d - 1, a],
                [1, d, b],
              ],
              '<=',
              1,
            );
        }
      }
    }
    const minutes: Term[] = [];
    for (let s = 0; s < S; s++) {
      const count: Term[] = [];
      for (let d = 0; d < H; d++) {
        if (!has(e, d, s)) continue;
        count.push([1, d, s]);
        minutes.push([m.shiftMinutes[s] ?? 0, d, s]);
      }
      const max = m.maxShifts[e * S + s] ?? H;
      if (max < count.length) row(e, count, '<=', max);
    }
    row(e, minutes, '<=', m.maxMinutes[e] ?? 0);
    row(e, minutes, '>=', m.minMinutes[e] ?? 0);
    // Rows that touch no free day are dropped by `row`; the loops below only visit days near the window.
    const near = (d: number, reach: number) => {
      for (let j = Math.max(0, d - reach); j <= Math.min(H - 1, d + reach); j++) if (freeDays[j]) return true;
      return false;
    };
    const maxC = m.maxConsecutive[e] ?? H;
    for (let d = 0; d + maxC < H; d++) {
      if (!near(d, maxC)) continue;
      const terms: Term[] = [];
      for (let j = d; j <= d + maxC; j++) terms.push([1, j, -1]);
      row(e, terms, '<=', maxC);
    }
    // Min consecutive shifts / days off, only for blocks bounded inside the horizon (see validate.ts):
    // a block that starts on day d + 1 after a day of the other kind goes on to day d + 1 + j, for every
    // j below the minimum, unless the horizon ends first.
    const minOn = m.minConsecutive[e] ?? 0;
    const minOff = m.minConsecutiveOff[e] ?? 0;
    for (let d = 0; d + 2 < H; d++) {
      if (!near(d, Math.max(minOn, minOff) + 1)) continue;
      for (let j = 1; j < minOn && d + 1 + j < H; j++)
        row(
          e,
          [
            [1, d + 1, -1],
            [-1, d, -1],
            [-1, d + 1 + j, -1],
          ],
          '<=',
          0,
        );
      for (let j = 1; j < minOff && d + 1 + j < H; j++)
        row(
          e,
          [
            [1, d, -1],
            [-1, d + 1, -1],
            [1, d + 1 + j, -1],
          ],
          '<=',
          1,
        );
    }
    // Weekends: k = 1 when Saturday or Sunday is worked. A weekend outside the window is a constant.
    const weekends: string[] = [];
    let weekendsFixed = 0;
    for (let sat = 5; sat < H; sat += 7) {
      if (!inWindow(sat) && !(sat + 1 < H && inWindow(sat + 1))) {
        const worked = [sat, sat + 1].some((d) => d < H && (fixed?.[e * H + d] ?? OFF) !== OFF);
        if (worked) weekendsFixed++;
        continue;
      }
      const k = `k${e}_${sat}`;
      for (const day of [sat, sat + 1]) if (day < H) row(e, [[-1, day, -1]], '>=', 0, `+ ${k} `);
      binaries.push(k);
      weekends.push(`+ ${k}`);
    }
    const maxWeekends = (m.maxWeekends[e] ?? H) - weekendsFixed;
    if (weekends.length > maxWeekends) rows.push(` c${rows.length}: ${weekends.join(' ')} <= ${maxWeekends}`);
  }

  for (let d = 0; d < H && !options.rowsOnly; d++) {
    if (!inWindow(d)) continue;
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
  return { lp, constant, model: m, freeDays };
}

/** Writes HiGHS's column values for the `free` employees' free days into a flat roster (OFF where nothing is worked). */
export function readMilpRows(
  milp: MilpModel,
  free: readonly number[],
  value: (column: string) => number | undefined,
  roster: Int8Array,
): void {
  const { days: H, shifts: S } = milp.model;
  for (const e of free) {
    for (let d = 0; d < H; d++) {
      if (!milp.freeDays[d]) continue;
      roster[e * H + d] = OFF;
      for (let s = 0; s < S; s++) if ((value(x(e, d, s)) ?? 0) > 0.5) roster[e * H + d] = s;
    }
  }
}

/**
 * A complete start for HiGHS from a feasible roster: x from the rows of `free`, the weekend indicators
 * k, and the cover slacks u/o that make each cover row an equality. Columns the model lacks are ignored.
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
