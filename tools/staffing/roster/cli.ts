/**
 * `carebridge roster solve <instance file> [--time-limit 60] [--seed N] [--no-milp]`: solves a Curtois &
 * Qu instance, checks the roster with the independent validator and prints the result as JSON.
 * Progress (best objective over time) goes to stderr.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gapPercent, parseBestKnown } from './best-known.ts';
import { InstanceFormatError, type Instance, parseInstance } from './instance.ts';
import { solveRoster } from './solve.ts';
import { validateRoster } from './validate.ts';

type Values = Record<string, string | boolean | undefined>;

export async function runRosterSolveCommand(values: Values, positionals: string[]): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 2;
  };
  const file = positionals[0];
  if (!file || positionals.length > 1)
    return fail('Name one instance file (see carebridge roster solve --help).');
  const timeLimit = Number(values['time-limit'] ?? 60);
  if (!Number.isFinite(timeLimit) || timeLimit <= 0)
    return fail(`--time-limit must be a positive number of seconds, not ${values['time-limit']}`);
  const seed = Number(values.seed ?? 1);
  if (!Number.isInteger(seed)) return fail(`--seed must be an integer, not ${values.seed}`);

  let instance: Instance;
  try {
    instance = parseInstance(await readFile(file, 'utf8'), file);
  } catch (err) {
    if (err instanceof InstanceFormatError) return fail(err.message);
    return fail(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bestKnownTable = await readFile(join(dirname(file), 'best-known.tsv'), 'utf8').then(
    parseBestKnown,
    () => null,
  );
  const bestKnown = bestKnownTable?.get(instance.name)?.objective ?? null;

  let lastPhase = '';
  let lastPrinted = Number.NEGATIVE_INFINITY;
  const result = await solveRoster(
    instance,
    { seed, timeLimitMs: timeLimit * 1000, useMilp: values['no-milp'] !== true },
    (p) => {
      if (p.phase === lastPhase && p.elapsedMs - lastPrinted < 1000) return;
      lastPhase = p.phase;
      lastPrinted = p.elapsedMs;
      process.stderr.write(
        `  ${(p.elapsedMs / 1000).toFixed(1).padStart(6)} s  ${p.phase.padEnd(9)} best ${p.bestObjective}\n`,
      );
    },
  );
  const check = validateRoster(instance, result.roster);
  if (check.objective !== result.objective)
    process.stderr.write(
      `warning: solver objective ${result.objective} differs from the validator's ${check.objective}\n`,
    );
  const summary = {
    instance: instance.name,
    objective: check.objective,
    breakdown: check.breakdown,
    bestKnown,
    gapPercent: bestKnown === null ? null : gapPercent(check.objective, bestKnown),
    feasible: check.feasible,
    violations: check.violations,
    timeToFirstFeasibleMs: result.timeToFirstFeasibleMs,
    lowerBound: result.lowerBound,
    provenOptimal: result.provenOptimal,
    method: result.method,
    seed,
    timeLimitSeconds: timeLimit,
    stoppedBy: result.stoppedBy,
    annealIterations: result.annealIterations,
    neighbourhoodRounds: result.neighbourhoodRounds,
    progress: '__PROGRESS__',
    roster: '__ROSTER__',
  };
  // One line per employee keeps the roster readable; the whole output is still one JSON document.
  const rows = Object.entries(result.roster).map(
    ([id, days]) => `    ${JSON.stringify(id)}: ${JSON.stringify(days)}`,
  );
  const rosterJson = rows.length > 0 ? `{\n${rows.join(',\n')}\n  }` : '{}';
  const progressJson = `[\n${result.progress.map((p) => `    ${JSON.stringify(p)}`).join(',\n')}\n  ]`;
  const text = JSON.stringify(summary, null, 2)
    .replace('"__PROGRESS__"', progressJson)
    .replace('"__ROSTER__"', rosterJson);
  process.stdout.write(`${text}\n`);
  return check.feasible ? 0 : 1;
}
