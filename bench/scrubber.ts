/**
 * Claim scrubber throughput: `scrubClaim` over the 820 claims of the imsweb many-claims 837P sample
 * (repeated for `seconds`), with the code sets and the sample NCCI PTP and MUE tables, beside a
 * baseline measured in the same run: a pass that walks every claim's diagnoses and lines and reads
 * each code from a Map. Target: ≥ 20,000 claims/s on one core.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codeSets } from '../tools/revenue/codesets/codesets.ts';
import { loadMueTable, loadPtpTable } from '../tools/revenue/codesets/edits.ts';
import { claimsOfFile, scrubClaim } from '../tools/revenue/scrubber/scrubber.ts';
import type { ClaimInFile, ScrubContext } from '../tools/revenue/scrubber/types.ts';
import { parseX12 } from '../tools/revenue/x12/parse.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TARGET_CLAIMS_PER_SECOND = 20_000;

export interface ScrubberBenchResult {
  claims: number;
  runs: number;
  claimsPerSecond: number;
  baselineClaimsPerSecond: number;
  /** claimsPerSecond / baselineClaimsPerSecond */
  ratio: number;
  findingsPerRun: number;
  targetClaimsPerSecond: number;
  pass: boolean;
}

function measure(seconds: number, fn: () => number): { perSecond: number; runs: number; last: number } {
  let last = fn(); // warm-up
  let runs = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  do {
    last = fn();
    runs++;
  } while (performance.now() < until);
  return { perSecond: runs / ((performance.now() - start) / 1000), runs, last };
}

/** The baseline: every diagnosis and procedure code of every claim read from a Map. */
function walkCodes(claims: readonly ClaimInFile[], known: Map<string, number>): number {
  let hits = 0;
  for (const { claim } of claims) {
    for (const dx of claim.diagnoses) hits += known.get(dx.code) ?? 0;
    for (const line of claim.lines) hits += known.get(line.procedure?.code ?? '') ?? 0;
  }
  return hits;
}

export async function runScrubberBench({
  seconds = 5,
  print = true,
}: {
  seconds?: number;
  print?: boolean;
} = {}): Promise<ScrubberBenchResult> {
  const text = readFileSync(`${ROOT}tools/revenue/x12/samples/imsweb__x12_many_claims.txt`, 'utf8');
  const claims = claimsOfFile(parseX12(text, { envelopeCounts: 'warn' }));
  const context: ScrubContext = {
    codeSets: codeSets(),
    ptp: loadPtpTable(`${ROOT}data/edits/ncci-ptp.sample.csv`),
    mue: loadMueTable(`${ROOT}data/edits/mue.sample.csv`),
    payer: { kind: 'medicare' },
    today: '2006-01-01',
    coverage: [{ from: '2005-01-01' }],
    priorAuthRequired: (code) => code.startsWith('29'),
    previousClaims: claims.slice(0, 100),
  };
  const each = Math.max(0.5, seconds / 2);
  const scrub = measure(each, () => {
    let findings = 0;
    for (const c of claims) findings += scrubClaim(c, context).findings.length;
    return findings;
  });
  const known = new Map<string, number>();
  for (const { claim } of claims) {
    for (const dx of claim.diagnoses) known.set(dx.code, 1);
    for (const line of claim.lines) known.set(line.procedure?.code ?? '', 1);
  }
  const walk = measure(each, () => walkCodes(claims, known));

  const claimsPerSecond = scrub.perSecond * claims.length;
  const baselineClaimsPerSecond = walk.perSecond * claims.length;
  const result: ScrubberBenchResult = {
    claims: claims.length,
    runs: scrub.runs,
    claimsPerSecond,
    baselineClaimsPerSecond,
    ratio: claimsPerSecond / baselineClaimsPerSecond,
    findingsPerRun: scrub.last,
    targetClaimsPerSecond: TARGET_CLAIMS_PER_SECOND,
    pass: claimsPerSecond >= TARGET_CLAIMS_PER_SECOND,
  };
  if (print) {
    const row = (task: string, runs: number, perSecond: number) =>
      `${task.padEnd(34)}${String(runs).padStart(8)}${Math.round(perSecond).toLocaleString('en-US').padStart(14)}`;
    process.stdout.write(
      [
        '',
        `Claim scrubber throughput (${claims.length} claims of imsweb__x12_many_claims.txt per run)`,
        `${'task'.padEnd(34)}${'runs'.padStart(8)}${'claims/s'.padStart(14)}`,
        row(`scrubClaim (${scrub.last} findings/run)`, scrub.runs, claimsPerSecond),
        row('baseline: walk codes via a Map', walk.runs, baselineClaimsPerSecond),
        `ratio ${result.ratio.toFixed(3)} of the baseline`,
        `${result.pass ? 'PASS' : 'MISS'}: ${Math.round(claimsPerSecond).toLocaleString('en-US')} claims/s against the target of ≥ ${TARGET_CLAIMS_PER_SECOND.toLocaleString('en-US')}`,
        '',
      ].join('\n'),
    );
  }
  return result;
}
