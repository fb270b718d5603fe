/**
 * `carebridge x12 parse <file> [--lenient-counts]`: prints the parsed interchanges as JSON (claims or
 * remittances with their loops). Exit 0 when the file parses; 2 with the positioned error on stderr
 * ("segment 14 (CLM) at byte 512, line 14: …") when it does not.
 */
import { readFile } from 'node:fs/promises';
import { parseX12 } from './parse.ts';
import { X12FormatError } from './segments.ts';

type Values = Record<string, string | boolean | undefined>;

export async function runX12ParseCommand(values: Values, positionals: string[]): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`${message}\n`);
    return 2;
  };
  const file = positionals[0];
  if (!file || positionals.length > 1) return fail('Name one X12 file (see carebridge x12 parse --help).');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return fail(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const parsed = parseX12(text, { envelopeCounts: values['lenient-counts'] === true ? 'warn' : 'error' });
    for (const w of parsed.warnings) process.stderr.write(`warning: ${file}: ${w.message}\n`);
    process.stdout.write(`${JSON.stringify(parsed, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof X12FormatError) return fail(`${file}: ${err.message}`);
    throw err;
  }
}
