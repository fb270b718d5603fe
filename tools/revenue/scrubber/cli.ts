/**
 * `carebridge claims scrub <837 file> [--today YYYY-MM-DD] [--payer medicare|medicaid|commercial]
 * [--timely-filing-days N] [--ptp FILE]… [--mue FILE]`: prints `{ file, claims, findings, editsRun,
 * warnings }` as JSON. Exit 0 when no finding is an error, 1 when at least one is (the JSON is printed
 * either way, as a linter does), 2 on usage errors, unreadable tables or a malformed 837 (the
 * positioned X12FormatError on stderr); a file without 837 claims (an 835) is a usage error.
 */
import { readFile } from 'node:fs/promises';
import { type Clock, systemClock } from '../../core/clock.ts';
import { isIsoDate } from '../codesets/code-formats.ts';
import { codeSets } from '../codesets/codesets.ts';
import { CodeSetFormatError } from '../codesets/csv.ts';
import { loadMueTable, loadPtpTable } from '../codesets/edits.ts';
import { X12FormatError } from '../x12/segments.ts';
import { scrubFile } from './scrubber.ts';
import type { PayerKind, ScrubContext } from './types.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const PAYERS: readonly PayerKind[] = ['medicare', 'medicaid', 'commercial'];

/** The CLI is where the real clock enters: today's UTC date unless --today names one. */
export async function runClaimsScrubCommand(
  values: Values,
  positionals: string[],
  clock: Clock = systemClock,
): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 2;
  };
  const file = positionals[0];
  if (!file || positionals.length > 1) return fail('Name one 837 file (see carebridge claims scrub --help).');

  const context: ScrubContext = {};
  const today = typeof values.today === 'string' ? values.today : clock.now().toISOString().slice(0, 10);
  if (!isIsoDate(today)) return fail(`--today "${today}" is not a date (YYYY-MM-DD)`);
  context.today = today;
  if (values.payer !== undefined) {
    const kind = values.payer as PayerKind;
    if (!PAYERS.includes(kind)) return fail(`--payer must be one of ${PAYERS.join(', ')}`);
    context.payer = { kind };
  }
  if (values['timely-filing-days'] !== undefined) {
    const days = Number(values['timely-filing-days']);
    if (!Number.isInteger(days) || days <= 0) return fail('--timely-filing-days must be a whole number > 0');
    if (!context.payer) return fail('--timely-filing-days needs --payer');
    context.payer.timelyFilingDays = days;
  }
  try {
    const ptp = values.ptp;
    if (ptp !== undefined) context.ptp = loadPtpTable(...(Array.isArray(ptp) ? ptp : [String(ptp)]));
    if (typeof values.mue === 'string') context.mue = loadMueTable(values.mue);
  } catch (err) {
    if (err instanceof CodeSetFormatError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
      return fail(`edit table: ${err instanceof Error ? err.message : String(err)}`);
    }
    throw err;
  }

  let text: string;
  try {
    text = await readFile(file, 'utf8');
    context.codeSets = codeSets();
  } catch (err) {
    return fail(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const result = scrubFile(text, context);
    if (result.claims === 0) return fail(`${file}: no 837 claims in the file (an 835?)`);
    const output = { file, today, payer: context.payer?.kind ?? null, ...result };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
  } catch (err) {
    if (err instanceof X12FormatError) return fail(`${file}: ${err.message}`);
    throw err;
  }
}
