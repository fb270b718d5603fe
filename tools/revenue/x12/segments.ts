/**
 * The X12 tokenizer: one pass over the text, separators read from each ISA, segments as arrays of
 * element strings. Components (`:`) are split only where a reader asks for them, so a file costs one
 * `indexOf` and one `split` per segment, about what plain splitting costs.
 *
 * Tolerated as real senders produce them: a UTF-8 byte-order mark, CR/LF or other whitespace between
 * segments, indented segments, a missing terminator after the last segment, a different set of
 * separators in each interchange. Not tolerated: an ISA that is not fixed-width (ISA01–ISA16 at their
 * standard widths, 106 characters), a segment identifier that is not 2–3 letters/digits.
 */

export interface Separators {
  /** ISA position 3, e.g. `*`. */
  element: string;
  /** ISA16, e.g. `:` (some payers send `>`). */
  component: string;
  /** ISA11 in 5010, e.g. `^`; null when ISA11 is a letter (the 4010 standards identifier `U`). */
  repetition: string | null;
  /** The character after ISA16, e.g. `~`. */
  segment: string;
}

export const defaultSeparators: Separators = { element: '*', component: ':', repetition: '^', segment: '~' };

/** One segment as read. `elements[0]` is the identifier, so `elements[2]` is XX02 as the guides number it. */
export interface X12Segment {
  id: string;
  elements: string[];
  /** 1-based position of the segment in the file. */
  ordinal: number;
  /** Character offset of the segment's first character in the text (equal to the byte offset for ASCII text without a BOM). */
  offset: number;
}

/** A refusal that names the segment and where it is, e.g. "segment 14 (CLM) at byte 512, line 14: CLM02 is not a number". */
export class X12FormatError extends Error {
  readonly segment: { id: string; ordinal: number };
  /** Byte offset of the segment in the UTF-8 file. */
  readonly offset: number;
  readonly line: number;
  readonly problem: string;
  constructor(problem: string, segment: { id: string; ordinal: number }, offset: number, line: number) {
    super(`segment ${segment.ordinal} (${segment.id || '?'}) at byte ${offset}, line ${line}: ${problem}`);
    this.name = 'X12FormatError';
    this.segment = segment;
    this.offset = offset;
    this.line = line;
    this.problem = problem;
  }
}

/** A problem that was tolerated (see `parseX12`'s options), positioned like an error. */
export interface X12Warning {
  segment: { id: string; ordinal: number };
  offset: number;
  message: string;
}

/** The tokenized file: its text (kept to position errors) and its segments in order. */
export interface X12Document {
  text: string;
  segments: X12Segment[];
  /** Separators of each interchange, in order of the ISA segments. */
  separators: Separators[];
}

/** Byte offset and line of a character offset, computed only when something is reported. */
export function positionOf(text: string, charOffset: number): { byte: number; line: number } {
  const before = text.slice(0, charOffset);
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line++;
  return { byte: Buffer.byteLength(before, 'utf8'), line };
}

export function formatError(text: string, segment: X12Segment, problem: string): X12FormatError {
  const { byte, line } = positionOf(text, segment.offset);
  return new X12FormatError(problem, { id: segment.id, ordinal: segment.ordinal }, byte, line);
}

/** A tolerated problem, positioned later (all at once, see `positionWarnings`) so many of them stay cheap. */
export interface PendingWarning {
  segment: X12Segment;
  problem: string;
}

/** Byte offsets and lines of all pending warnings in one pass over the text. */
export function positionWarnings(text: string, pending: PendingWarning[]): X12Warning[] {
  const sorted = [...pending].sort((a, b) => a.segment.offset - b.segment.offset);
  let at = 0;
  let byte = 0;
  let line = 1;
  return sorted.map(({ segment, problem }) => {
    const chunk = text.slice(at, segment.offset);
    byte += Buffer.byteLength(chunk, 'utf8');
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) line++;
    at = segment.offset;
    const error = new X12FormatError(problem, { id: segment.id, ordinal: segment.ordinal }, byte, line);
    return { segment: error.segment, offset: byte, message: error.message };
  });
}

/** ISA01–ISA16 widths (X12 5010 ISA is fixed-width: 106 characters including the terminator). */
const isaWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
export const ISA_LENGTH = 106;

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isSegmentId(id: string): boolean {
  const n = id.length;
  if (n < 2 || n > 3) return false;
  const first = id.charCodeAt(0);
  if (first < 65 || first > 90) return false;
  for (let i = 1; i < n; i++) {
    const c = id.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

/** Reads the separators of the ISA starting at `at`, checking its fixed widths. */
function readIsa(text: string, at: number, ordinal: number): Separators {
  const fail = (problem: string) => {
    const { byte, line } = positionOf(text, at);
    return new X12FormatError(problem, { id: 'ISA', ordinal }, byte, line);
  };
  if (text.length < at + 4) throw fail('the ISA is cut short');
  const element = text[at + 3] as string;
  if (isAlphanumeric(element.charCodeAt(0)) || element === ' ' || element === '\n' || element === '\r')
    throw fail(`'${element}' cannot be the element separator (ISA position 4)`);
  let pos = at + 3;
  for (let i = 0; i < isaWidths.length; i++) {
    const width = isaWidths[i] as number;
    const name = `ISA${String(i + 1).padStart(2, '0')}`;
    const next = pos + 1 + width;
    const actualEnd = i === isaWidths.length - 1 ? next : text.indexOf(element, pos + 1);
    if (i < isaWidths.length - 1 && actualEnd !== next) {
      const actual = actualEnd === -1 ? 'more' : String(actualEnd - pos - 1);
      throw fail(`${name} must be ${width} characters wide (the ISA is fixed-width), found ${actual}`);
    }
    pos = next;
  }
  if (text.length < at + ISA_LENGTH)
    throw fail(
      `the ISA must be ${ISA_LENGTH} characters long, the file has only ${text.length - at} from here`,
    );
  const component = text[at + 104] as string;
  const segment = text[at + 105] as string;
  const rep = text[at + 82] as string;
  if (segment === element || segment === component || isAlphanumeric(segment.charCodeAt(0)))
    throw fail(`'${segment}' after ISA16 cannot be the segment terminator`);
  if (component === element || isAlphanumeric(component.charCodeAt(0)))
    throw fail(`'${component}' (ISA16) cannot be the component separator`);
  const repetition = isAlphanumeric(rep.charCodeAt(0)) || rep === element || rep === component ? null : rep;
  return { element, component, repetition, segment };
}

/** Splits an X12 text into segments, reading the separators from each ISA. Throws X12FormatError. */
export function tokenize(text: string): X12Document {
  const segments: X12Segment[] = [];
  const separatorsList: Separators[] = [];
  const length = text.length;
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let sep: Separators | null = null;
  let ordinal = 0;
  while (true) {
    while (p < length && text.charCodeAt(p) <= 32) p++;
    if (p >= length) break;
    ordinal++;
    // 'I','S','A' then a non-alphanumeric: a (new) interchange header sets the separators.
    if (
      text.charCodeAt(p) === 73 &&
      text.charCodeAt(p + 1) === 83 &&
      text.charCodeAt(p + 2) === 65 &&
      !isAlphanumeric(text.charCodeAt(p + 3))
    ) {
      sep = readIsa(text, p, ordinal);
      separatorsList.push(sep);
    } else if (sep === null) {
      const end = text.indexOf('\n', p);
      const first = text.slice(p, end === -1 ? Math.min(length, p + 40) : Math.min(end, p + 40));
      const { byte, line } = positionOf(text, p);
      throw new X12FormatError(
        `an X12 file starts with the ISA interchange header, found '${first.trimEnd()}'`,
        { id: first.split(/[^A-Za-z0-9]/)[0] ?? '', ordinal },
        byte,
        line,
      );
    }
    const terminator = (sep as Separators).segment;
    let end = text.indexOf(terminator, p);
    let next = end + 1;
    if (end === -1) {
      end = length;
      while (end > p && text.charCodeAt(end - 1) <= 32) end--;
      next = length;
    } else if (terminator === '\n' && text.charCodeAt(end - 1) === 13) {
      end--;
    }
    const elements = text.slice(p, end).split((sep as Separators).element);
    const id = elements[0] as string;
    const segment: X12Segment = { id, elements, ordinal, offset: p };
    if (!isSegmentId(id)) {
      throw formatError(text, segment, `'${id}' is not a segment identifier (2–3 capital letters or digits)`);
    }
    segments.push(segment);
    p = next;
  }
  if (segments.length === 0) {
    throw new X12FormatError('the file holds no segments', { id: '', ordinal: 0 }, 0, 1);
  }
  return { text, segments, separators: separatorsList };
}

// ---------------------------------------------------------------------------------------------
// Element access, used by the readers. All take the document's text only to position an error.

/** Element `index` (XX01 = 1) or '' when absent. */
export function element(segment: X12Segment, index: number): string {
  return segment.elements[index] ?? '';
}

/** Element `index` or undefined when absent or empty (so optional fields stay out of the result). */
export function optional(segment: X12Segment, index: number): string | undefined {
  const value = segment.elements[index];
  return value === undefined || value === '' ? undefined : value;
}

export function elementName(segment: X12Segment, index: number): string {
  return `${segment.id}${String(index).padStart(2, '0')}`;
}

export function required(text: string, segment: X12Segment, index: number, what: string): string {
  const value = segment.elements[index];
  if (value === undefined || value === '')
    throw formatError(text, segment, `${elementName(segment, index)} (${what}) is required`);
  return value;
}

/** X12 decimal ("R"): optional minus, digits, at most one decimal point. Checked without a regex. */
export function isDecimal(value: string): boolean {
  const n = value.length;
  if (n === 0) return false;
  let i = value.charCodeAt(0) === 45 ? 1 : 0;
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !point) point = true;
    else return false;
  }
  return digits > 0;
}

export function decimal(text: string, segment: X12Segment, index: number, what: string): number {
  const value = required(text, segment, index, what);
  if (!isDecimal(value))
    throw formatError(text, segment, `${elementName(segment, index)} (${what}) is not a number: '${value}'`);
  return Number(value);
}

export function optionalDecimal(
  text: string,
  segment: X12Segment,
  index: number,
  what: string,
): number | undefined {
  const value = segment.elements[index];
  if (value === undefined || value === '') return undefined;
  if (!isDecimal(value))
    throw formatError(text, segment, `${elementName(segment, index)} (${what}) is not a number: '${value}'`);
  return Number(value);
}

/** CCYYMMDD → CCYY-MM-DD, refusing anything else. */
export function isoDate(text: string, segment: X12Segment, value: string, where: string): string {
  if (value.length !== 8 || !isDecimal(value) || value.includes('.') || value.includes('-'))
    throw formatError(text, segment, `${where} is not a CCYYMMDD date: '${value}'`);
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}
