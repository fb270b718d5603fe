/**
 * `carebridge bench` (roster section): the roster solver on Curtois & Qu's staff-scheduling benchmark
 * instances in bench/data/curtois/, one after another, each in the solver's worker threads (two seeded
 * runs side by side, see tools/staffing/roster/solve.ts) as `carebridge roster solve` runs it, under
 * the same time limit (60 s per instance; `--seconds N` makes it N s, for CI). Every roster is checked by the independent validator: a hard violation, or an
 * objective that differs from the solver's, fails the bench. Prints, per instance, the objective, the
 * published best-known one (best-known.tsv, sources cited there), the gap, the time to the first
 * feasible roster, the lower bound and whether the roster was proven optimal, then PASS or MISS
 * against the target: within 5% of the best-known objective on every instance (a MISS is reported,
 * not an error).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gapPercent, parseBestKnown } from '../tools/staffing/roster/best-known.ts';
import { parseInstance } from '../tools/staffing/roster/instance.ts';
import { solveRoster } from '../tools/staffing/roster/solve.ts';
import { validateRoster } from '../tools/staffing/roster/validate.ts';

const DATA_DIR = fileURLToPath(new URL('./data/curtois/', import.meta.url));
const DEFAULT_SECONDS = 60;
const TARGET_GAP_PERCENT = 5;
const SEED = 1;

export interface RosterBenchRow {
  instance: string;
  employees: number;
  days: number;
  shiftTypes: number;
  objective: number;
  bestKnown: number | null;
  gapPercent: number | null;
  timeToFirstFeasibleMs: number | null;
  lowerBound: number | null;
  provenOptimal: boolean;
  feasible: boolean;
  violations: number;
  /** The validator's objective equals the solver's. */
  objectiveConfirmed: boolean;
  stoppedBy: string;
  seconds: number;
}

/** Instance files in the data folder, in their natural order (Instance2 before Instance10). */
function instanceFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^Instance\d+\.txt$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)?.[0]) - Number(b.match(/\d+/)?.[0]));
}

const cell = (value: string, width: number) => value.padStart(width);

/**
 * Runs the roster benchmark and prints its table. With `json`, adds the figures under `roster` to that
 * file, keeping what an earlier section wrote there when `merge` is true. Returns 0, or 1 when a roster
 * breaks a hard rule, its objective is not the validator's, or it beats a proven optimum.
 */
export async function runRosterBench(
  values: Record<string, string | boolean | undefined>,
  merge: boolean,
): Promise<number> {
  const seconds = values.seconds === undefined ? DEFAULT_SECONDS : Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    process.stderr.write(`--seconds must be a positive number, not ${values.seconds}\n`);
    return 2;
  }
  const files = instanceFiles(DATA_DIR);
  const bestKnown = parseBestKnown(readFileSync(`${DATA_DIR}best-known.tsv`, 'utf8'));
  process.stderr.write(
    `Roster solver: ${files.length} Curtois & Qu instances, ${seconds} s each, one after another…\n`,
  );
  const rows: RosterBenchRow[] = [];
  let contradiction = false;
  for (const file of files) {
    const instance = parseInstance(readFileSync(`${DATA_DIR}${file}`, 'utf8'), file);
    const startedAt = performance.now();
    const result = await solveRoster(instance, { seed: SEED, timeLimitMs: seconds * 1000 });
    const elapsed = (performance.now() - startedAt) / 1000;
    const check = validateRoster(instance, result.roster);
    const known = bestKnown.get(instance.name) ?? null;
    const row: RosterBenchRow = {
      instance: instance.name,
      employees: instance.employees.length,
      days: instance.horizonDays,
      shiftTypes: instance.shifts.length,
      objective: check.objective,
      bestKnown: known?.objective ?? null,
      gapPercent: known ? gapPercent(check.objective, known.objective) : null,
      timeToFirstFeasibleMs: result.timeToFirstFeasibleMs,
      lowerBound: result.lowerBound,
      provenOptimal: result.provenOptimal,
      feasible: check.feasible,
      violations: check.violations.length,
      objectiveConfirmed: check.objective === result.objective,
      stoppedBy: result.stoppedBy,
      seconds: Math.round(elapsed * 10) / 10,
    };
    rows.push(row);
    // A proven optimum (published lower bound = best known) cannot be beaten by a valid roster.
    const belowProven = known !== null && known.lowerBound !== null && check.objective < known.lowerBound;
    if (!check.feasible || !row.objectiveConfirmed || belowProven) contradiction = true;
    process.stderr.write(
      `  ${instance.name}: ${check.objective} (best known ${row.bestKnown ?? '—'}) in ${row.seconds} s\n`,
    );
  }

  const passed = rows.filter(
    (r) => r.feasible && r.gapPercent !== null && r.gapPercent <= TARGET_GAP_PERCENT,
  ).length;
  const pass = passed === rows.length && rows.length > 0;
  const header =
    `  ${'instance'.padEnd(10)} ${cell('staff×days×shifts', 17)} ${cell('objective', 9)} ${cell('best known', 10)} ` +
    `${cell('gap', 8)} ${cell('first feasible', 14)} ${cell('lower bound', 11)} ${cell('optimal', 7)}  check`;
  const lines = rows.map(
    (r) =>
      `  ${r.instance.padEnd(10)} ${cell(`${r.employees}×${r.days}×${r.shiftTypes}`, 17)} ${cell(String(r.objective), 9)} ` +
      `${cell(r.bestKnown === null ? '—' : String(r.bestKnown), 10)} ` +
      `${cell(r.gapPercent === null ? '—' : `${r.gapPercent.toFixed(2)}%`, 8)} ` +
      `${cell(r.timeToFirstFeasibleMs === null ? 'none' : `${r.timeToFirstFeasibleMs} ms`, 14)} ` +
      `${cell(r.lowerBound === null ? '—' : String(r.lowerBound), 11)} ${cell(r.provenOptimal ? 'yes' : 'no', 7)}  ` +
      (r.feasible && r.objectiveConfirmed
        ? 'valid'
        : `INVALID (${r.violations} hard violations${r.objectiveConfirmed ? '' : ', objective differs from the validator'})`),
  );
  process.stdout.write(
    [
      `Roster solver on Curtois & Qu's benchmark (bench/data/curtois, ${seconds} s per instance, seed ${SEED}, ` +
        'one after another, two seeded runs each in worker threads; every roster checked by the independent validator):',
      header,
      ...lines,
      `  target: within ${TARGET_GAP_PERCENT}% of the best-known objective on all ${rows.length} instances at ${seconds} s: ` +
        `${pass ? 'PASS' : 'MISS'} (${passed} of ${rows.length} within ${TARGET_GAP_PERCENT}%)`,
      '',
    ].join('\n'),
  );
  if (values.json) {
    const file = String(values.json);
    const earlier = merge && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as object) : {};
    const roster = {
      secondsPerInstance: seconds,
      seed: SEED,
      instances: rows,
      target: { gapPercent: TARGET_GAP_PERCENT, within: passed, of: rows.length, pass },
    };
    writeFileSync(file, JSON.stringify({ ...earlier, roster }, null, 2));
  }
  return contradiction ? 1 : 0;
}
