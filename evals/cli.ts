import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { modelSettingsFromEnv } from '../agents/runtime/model.ts';
import { ScratchServer } from '../db/scratch.ts';
import { formatReport, runSuite, type SuiteReport } from './runner.ts';
import { suites } from './suites/index.ts';

/** `carebridge eval`: runs suites on throwaway databases (DATABASE_URL's server, or an embedded one). */
export async function runEvalCommand(values: Record<string, string | boolean | undefined>): Promise<number> {
  // --suite takes one name or several, comma-separated (CI runs two lanes of suites side by side).
  const names = values.suite
    ? String(values.suite)
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
    : Object.keys(suites);
  for (const name of names)
    if (!suites[name]) throw new Error(`Unknown suite ${name}; suites: ${Object.keys(suites).join(', ')}`);
  const k = Number(values.k ?? 3);
  if (!Number.isInteger(k) || k < 1 || k > 20)
    throw new Error(`--k must be a whole number from 1 to 20, not ${values.k}`);
  const model = modelSettingsFromEnv();
  const scratch = await ScratchServer.start(process.env.DATABASE_URL || undefined);
  const reports: SuiteReport[] = [];
  try {
    for (const name of names) {
      const suite = suites[name]!;
      process.stderr.write(`Running ${suite.name}: ${suite.scenarios.length} scenarios × ${k} trials\n`);
      const report = await runSuite(scratch, suite, {
        k,
        model,
        onProgress: (done, total, last) =>
          process.stderr.write(
            `  [${String(done).padStart(2)}/${total}] ${last.passK ? 'pass' : 'FAIL'} ${last.id}\n`,
          ),
      });
      reports.push(report);
      process.stdout.write(`${formatReport(report)}\n\n`);
    }
  } finally {
    await scratch.stop();
  }
  const json = JSON.stringify(reports, (_k, v) => (v instanceof RegExp ? String(v) : v), 2);
  // The JSON report is always written; --json chooses where.
  const jsonFile = values.json ? String(values.json) : join('eval-results', 'eval.json');
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, `${json}\n`);
  process.stderr.write(`JSON report: ${jsonFile}\n`);
  let failed = reports.some((r) => r.passHatK < 1);
  if (values.baseline) {
    // A regression is a scenario that passed in the baseline and fails now, or is gone.
    const baseline = JSON.parse(readFileSync(String(values.baseline), 'utf8')) as SuiteReport[];
    const passedBefore = new Set(
      baseline.flatMap((r) => r.scenarios.filter((s) => s.passK).map((s) => `${r.suite}/${s.id}`)),
    );
    const regressions = reports.flatMap((r) =>
      r.scenarios
        .filter((s) => !s.passK && passedBefore.has(`${r.suite}/${s.id}`))
        .map((s) => `${r.suite}/${s.id}`),
    );
    const ranNow = new Set(reports.flatMap((r) => r.scenarios.map((s) => `${r.suite}/${s.id}`)));
    const ranSuites = new Set(names);
    for (const id of passedBefore)
      if (ranSuites.has(id.split('/')[0]!) && !ranNow.has(id)) regressions.push(`${id} (missing)`);
    if (regressions.length > 0)
      process.stderr.write(`Regressed against the baseline: ${regressions.join(', ')}\n`);
    failed = regressions.length > 0;
  }
  return failed ? 1 : 0;
}
