import type { ModelSettings } from '../agents/runtime/model.ts';
import type { ScratchServer } from '../db/scratch.ts';
import type { AnySuite, ScenarioResult } from './types.ts';

export interface SuiteReport {
  suite: string;
  k: number;
  mode: 'deterministic' | 'model';
  scenarios: ScenarioResult[];
  /** Share of scenarios whose k trials all passed. */
  passHatK: number;
  /** Share of all trials that passed. */
  passAt1: number;
  ms: number;
}

/** Runs every scenario k times; pass^k counts a scenario only when all k trials pass (tau-bench). */
export async function runSuite(
  scratch: ScratchServer,
  suite: AnySuite,
  opts: {
    k: number;
    model?: ModelSettings | null;
    onProgress?: (done: number, total: number, last: ScenarioResult) => void;
  },
): Promise<SuiteReport> {
  const started = Date.now();
  const results: ScenarioResult[] = [];
  for (const scenario of suite.scenarios) {
    const trials = [];
    for (let i = 0; i < opts.k; i++) trials.push(await suite.runTrial(scratch, scenario, opts.model ?? null));
    const result = {
      id: scenario.id,
      description: scenario.description,
      trials,
      passK: trials.every((t) => t.passed),
    };
    results.push(result);
    opts.onProgress?.(results.length, suite.scenarios.length, result);
  }
  const trials = results.flatMap((r) => r.trials);
  return {
    suite: suite.name,
    k: opts.k,
    mode: opts.model ? 'model' : 'deterministic',
    scenarios: results,
    passHatK: results.filter((r) => r.passK).length / results.length,
    passAt1: trials.filter((t) => t.passed).length / trials.length,
    ms: Date.now() - started,
  };
}

export function formatReport(r: SuiteReport): string {
  const width = Math.max(...r.scenarios.map((s) => s.id.length), 8);
  const lines = [
    `Suite ${r.suite} (${r.mode} mode, k=${r.k})`,
    `${'scenario'.padEnd(width)}  trials  pass^k`,
    ...r.scenarios.map((s) => {
      const passed = s.trials.filter((t) => t.passed).length;
      const row = `${s.id.padEnd(width)}  ${`${passed}/${s.trials.length}`.padStart(6)}  ${s.passK ? 'pass' : 'FAIL'}`;
      const why = s.passK
        ? []
        : [...new Set(s.trials.flatMap((t) => t.failures))].map((f) => `${' '.repeat(width + 2)}- ${f}`);
      return [row, ...why].join('\n');
    }),
    `pass^${r.k}: ${(r.passHatK * 100).toFixed(1)}% of ${r.scenarios.length} scenarios; pass@1 ${(r.passAt1 * 100).toFixed(1)}%; ${(r.ms / 1000).toFixed(1)} s`,
  ];
  return lines.join('\n');
}
