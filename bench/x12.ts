/**
 * X12 throughput: 835 parsing (tokenize, envelope checks, typed remittances) and 837 generation
 * (typed claims → X12 with envelopes), each measured in MB/s in the same run beside a baseline of
 * plain splitting of the same bytes (`text.split(terminator)`, then each segment on the element
 * separator). Inputs are synthetic, built by repeating the sample claims of
 * tools/revenue/x12/samples/ until the file is about `megabytes` large. Target: 835 parsing ≥ 50 MB/s.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseX12 } from '../tools/revenue/x12/parse.ts';
import type { ClaimTransaction, RemittanceTransaction } from '../tools/revenue/x12/types.ts';
import { serialize837, sequentialControlNumbers } from '../tools/revenue/x12/write-837.ts';

const SAMPLES = fileURLToPath(new URL('../tools/revenue/x12/samples/', import.meta.url));
const TARGET_835_MB_S = 50;

export interface X12BenchRow {
  task: string;
  megabytes: number;
  runs: number;
  mbPerSecond: number;
  baselineMbPerSecond: number;
  /** mbPerSecond / baselineMbPerSecond */
  ratio: number;
}

export interface X12BenchResult {
  rows: X12BenchRow[];
  target835MbPerSecond: number;
  pass: boolean;
}

/** A large 835: one interchange, one transaction, the claims of both sample 835s repeated. */
export function synthetic835(megabytes: number): string {
  const claimBlocks: string[] = [];
  for (const file of ['lfh__demo.835', 'pyx12__835_mult_loops.txt']) {
    const text = readFileSync(`${SAMPLES}${file}`, 'utf8');
    const segs = text.split('~').map((s) => s.trim());
    const from = segs.findIndex((s) => s.startsWith('LX*'));
    const to = segs.findIndex((s) => s.startsWith('PLB*') || s.startsWith('SE*'));
    claimBlocks.push(segs.slice(from, to).join('~\n'));
  }
  const head = [
    'ISA*00*          *00*          *ZZ*PAYER          *ZZ*HOSPITAL       *240501*1030*^*00501*000000001*0*P*:',
    'GS*HP*PAYER*HOSPITAL*20240501*1030*1*X*005010X221A1',
    'ST*835*0001*005010X221A1',
    'BPR*I*1000*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20240501',
    'TRN*1*12345*1512345678',
    'DTM*405*20240501',
    'N1*PR*ACME HEALTH',
    'N3*1 MAIN STREET',
    'N4*SPRINGFIELD*IL*62701',
    'N1*PE*GENERAL HOSPITAL*XX*1234567893',
  ].join('~\n');
  const parts = [`${head}~\n`];
  let size = parts[0]?.length ?? 0;
  const target = megabytes * 1024 * 1024;
  for (let k = 0; size < target; k++) {
    const block = `${claimBlocks[k % claimBlocks.length]}~\n`;
    parts.push(block);
    size += block.length;
  }
  parts.push('PLB*6543210903*20241231*CV:CP*-1.27~\n');
  const body = parts.join('');
  const segmentsInSet = body.split('~').length - 1 - 2 + 1; // from ST to SE inclusive
  return `${body}SE*${segmentsInSet}*0001~\nGE*1*1~\nIEA*1*000000001~\n`;
}

/** The 837P claims of the many-claims sample (820 claims), repeated to about `megabytes` once written. */
function synthetic837(megabytes: number): ClaimTransaction[] {
  const text = readFileSync(`${SAMPLES}imsweb__x12_many_claims.txt`, 'utf8');
  const parsed = parseX12(text, { envelopeCounts: 'warn' });
  const [tx] = parsed.interchanges.flatMap((i) =>
    i.groups.flatMap((g) => g.transactions),
  ) as ClaimTransaction[];
  if (!tx) throw new Error('no 837 in the many-claims sample');
  const copies = Math.max(1, Math.round((megabytes * 1024 * 1024) / text.length));
  return Array.from({ length: copies }, () => tx);
}

function claimsIn(text: string): number {
  const tx = parseX12(text).interchanges[0]?.groups[0]?.transactions[0] as RemittanceTransaction | undefined;
  return tx?.claims.length ?? 0;
}

function baselineSplit(text: string, terminator: string, element: string): number {
  let elements = 0;
  for (const segment of text.split(terminator)) elements += segment.split(element).length;
  return elements;
}

/** Runs `fn` repeatedly for about `seconds`, returning MB/s over `bytes` per run (after one warm-up run). */
function measure(seconds: number, bytes: number, fn: () => unknown): { mbPerSecond: number; runs: number } {
  fn();
  let runs = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  let sink = 0;
  do {
    const r = fn();
    sink += typeof r === 'string' ? r.length : 1;
    runs++;
  } while (performance.now() < until);
  const elapsed = (performance.now() - start) / 1000;
  if (sink < 0) throw new Error('unreachable');
  return { mbPerSecond: (bytes * runs) / (1024 * 1024) / elapsed, runs };
}

export async function runX12Bench({
  seconds = 5,
  megabytes = 30,
  print = true,
}: {
  seconds?: number;
  megabytes?: number;
  print?: boolean;
} = {}): Promise<X12BenchResult> {
  const each = Math.max(0.5, seconds / 4);
  const rows: X12BenchRow[] = [];

  const text835 = synthetic835(megabytes);
  const bytes835 = Buffer.byteLength(text835, 'utf8');
  // Only the claim count is kept: a parse result held through the measurement would make every
  // measured run pay to garbage-collect around another 30 MB file's worth of live objects.
  const claimCount = claimsIn(text835);
  if (claimCount === 0) throw new Error('the synthetic 835 did not parse to claims');
  const parse = measure(each, bytes835, () => parseX12(text835));
  const split835 = measure(each, bytes835, () => baselineSplit(text835, '~', '*'));
  rows.push({
    task: `835 parse (${claimCount} claims)`,
    megabytes: bytes835 / (1024 * 1024),
    runs: parse.runs,
    mbPerSecond: parse.mbPerSecond,
    baselineMbPerSecond: split835.mbPerSecond,
    ratio: parse.mbPerSecond / split835.mbPerSecond,
  });

  const claims = synthetic837(megabytes);
  const options = () => ({
    sender: { qualifier: 'ZZ', id: 'CAREBRIDGE' },
    receiver: { qualifier: 'ZZ', id: 'PAYER' },
    date: '2024-05-01',
    time: '10:30',
    control: sequentialControlNumbers(),
  });
  const text837 = serialize837(claims, options());
  const bytes837 = Buffer.byteLength(text837, 'utf8');
  const write = measure(each, bytes837, () => serialize837(claims, options()));
  const split837 = measure(each, bytes837, () => baselineSplit(text837, '~', '*'));
  rows.push({
    task: `837P write (${claims.length} × 820 claims)`,
    megabytes: bytes837 / (1024 * 1024),
    runs: write.runs,
    mbPerSecond: write.mbPerSecond,
    baselineMbPerSecond: split837.mbPerSecond,
    ratio: write.mbPerSecond / split837.mbPerSecond,
  });

  const pass = (rows[0]?.mbPerSecond ?? 0) >= TARGET_835_MB_S;
  if (print) {
    const header = ['task', 'MB', 'runs', 'MB/s', 'split MB/s', 'ratio'];
    const table = rows.map((r) => [
      r.task,
      r.megabytes.toFixed(1),
      String(r.runs),
      r.mbPerSecond.toFixed(1),
      r.baselineMbPerSecond.toFixed(1),
      r.ratio.toFixed(2),
    ]);
    const widths = header.map((h, k) => Math.max(h.length, ...table.map((row) => (row[k] ?? '').length)));
    const line = (cells: string[]) =>
      cells.map((c, k) => (k === 0 ? c.padEnd(widths[k] ?? 0) : c.padStart(widths[k] ?? 0))).join('  ');
    process.stdout.write(
      [
        '',
        'X12 throughput (baseline: text.split(terminator), then each segment on the element separator)',
        line(header),
        ...table.map(line),
        `${pass ? 'PASS' : 'MISS'}: 835 parsing ${rows[0]?.mbPerSecond.toFixed(1)} MB/s against the target of ≥ ${TARGET_835_MB_S} MB/s`,
        '',
      ].join('\n'),
    );
  }
  return { rows, target835MbPerSecond: TARGET_835_MB_S, pass };
}
