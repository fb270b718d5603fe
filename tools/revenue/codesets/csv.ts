import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * A small, strict reader for the delimited files the code sets and edit tables ship as
 * (RFC 4180: a field may be quoted; inside quotes the delimiter, line breaks and doubled quotes
 * `""` are literal). Anything it cannot read unambiguously (an unterminated quote, text after a
 * closing quote, a quote inside an unquoted field) is refused with the file and line, because a
 * silently misread reference row becomes a wrong claim edit later.
 */

/** A reference file that does not say what we expect, named by file and 1-based line. */
export class CodeSetFormatError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'CodeSetFormatError';
    this.file = file;
    this.line = line;
  }
}

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number;
  fields: string[];
}

export function parseDelimited(text: string, file: string, delimiter = ','): CsvRecord[] {
  const DELIM = delimiter.charCodeAt(0);
  const records: CsvRecord[] = [];
  const n = text.length;
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    // One record: fields until a line end (outside quotes) or the end of the text.
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        const quoteLine = line;
        field = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close < 0) throw new CodeSetFormatError(file, quoteLine, 'unterminated quoted field');
          field += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            field += '"';
            from = close + 2;
            continue;
          }
          i = close + 1;
          break;
        }
        line += countNewlines(field);
        const next = text.charCodeAt(i);
        if (i < n && next !== DELIM && next !== LF && next !== CR) {
          throw new CodeSetFormatError(
            file,
            line,
            `unexpected ${JSON.stringify(text[i])} after a closing quote`,
          );
        }
      } else {
        const from = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === DELIM || c === LF || c === CR) break;
          if (c === QUOTE) throw new CodeSetFormatError(file, line, 'quote inside an unquoted field');
          i++;
        }
        field = text.slice(from, i);
      }
      fields.push(field);
      if (i < n && text.charCodeAt(i) === DELIM) {
        i++;
        continue;
      }
      break;
    }
    records.push({ line: recordLine, fields });
    if (i < n) {
      i += text.charCodeAt(i) === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    }
  }
  return records;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

function countNewlines(s: string): number {
  let count = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) count++;
  return count;
}

export interface TableOptions {
  /** The header the file must start with, exactly; `null` for a headerless file. */
  header: readonly string[] | null;
  delimiter?: string;
}

export interface TableRow {
  line: number;
  fields: string[];
}

/**
 * Reads a whole table and checks its shape: the header (when expected) and the field count of
 * every row. Blank lines are refused rather than skipped, so a truncated file cannot pass.
 */
export function readTable(path: string, options: TableOptions): { file: string; rows: TableRow[] } {
  const file = basename(path);
  const records = parseDelimited(readFileSync(path, 'utf8'), file, options.delimiter ?? ',');
  const width = options.header?.length ?? records[0]?.fields.length ?? 0;
  let body = records;
  if (options.header) {
    const head = records[0];
    if (!head) throw new CodeSetFormatError(file, 1, 'empty file, expected a header');
    const got = head.fields.join(',');
    if (got !== options.header.join(',')) {
      throw new CodeSetFormatError(
        file,
        head.line,
        `header is "${got}", expected "${options.header.join(',')}"`,
      );
    }
    body = records.slice(1);
  }
  for (const r of body) {
    if (r.fields.length !== width) {
      throw new CodeSetFormatError(file, r.line, `expected ${width} fields, found ${r.fields.length}`);
    }
  }
  return { file, rows: body };
}
