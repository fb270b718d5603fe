/**
 * The X12 tokenizer: one pass over the text, separators read from each ISA, segments held compactly
 * (`X12Document`: identifier code, start and end of each segment in typed arrays, no object per
 * segment). Elements are found only when a reader asks for one (`element`, `optional`, `decimal`…: one
 * scan of the segment, then a slice per element, short values shared), and `X12Segment` objects are
 * made only for what is kept or reported. The readers walk a transaction with one segment object
 * re-pointed at each segment in turn (`X12Document.moveTo`).
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

/** What a segment needs to read its elements: the text and the element separator of its interchange. */
export interface SegmentSource {
  text: string;
  element: string;
  elementCode: number;
}

/**
 * One segment as read: its identifier, position and extent in the text. Elements are not split when
 * the file is tokenized; the readers take the ones they need (`element`, `optional`, … below, one scan
 * of the segment then a `slice` per element), and `elements` splits the segment on first use, so a
 * large file keeps one small object per segment rather than an array of strings.
 * `elements[0]` is the identifier, so `elements[2]` is XX02 as the guides number it.
 */
export class X12Segment {
  id: string;
  /** 1-based position of the segment in the file. */
  ordinal: number;
  /** Character offset of the segment's first character in the text (equal to the byte offset for ASCII text without a BOM). */
  offset: number;
  /** Character offset just past the segment's last element (before its terminator). */
  end: number;
  source: SegmentSource;
  cached: string[] | null;
  constructor(id: string, ordinal: number, offset: number, end: number, source: SegmentSource) {
    this.id = id;
    this.ordinal = ordinal;
    this.offset = offset;
    this.end = end;
    this.source = source;
    this.cached = null;
  }
  /** All elements as strings (split on first use, then kept). */
  get elements(): string[] {
    if (this.cached === null) {
      const count = indexElements(this);
      const all: string[] = new Array(count);
      for (let k = 0; k < count; k++)
        all[k] = sliceShared(this.source.text, starts[k] as number, ends[k] as number);
      this.cached = all;
    }
    return this.cached;
  }
  /** Serialised as before: identifier, elements, ordinal, offset. */
  toJSON(): { id: string; elements: string[]; ordinal: number; offset: number } {
    return { id: this.id, elements: this.elements, ordinal: this.ordinal, offset: this.offset };
  }
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

/**
 * The tokenized file: its text (kept to position errors) and its segments in order, held compactly
 * (identifier, start and end of each segment in parallel arrays) so that a large file costs no object
 * per segment. `segment(k)` makes the `X12Segment` of index k; `segments` makes them all (once).
 */
export class X12Document {
  text: string;
  /** Separators of each interchange, in order of the ISA segments. */
  separators: Separators[];
  /** How many segments the file holds. */
  count: number;
  /** Identifier code of each segment (see `id`). */
  codes: Uint16Array;
  /** Character offset of each segment's first character. */
  offsets: Int32Array;
  /** Character offset just past each segment's last element. */
  ends: Int32Array;
  /** Segment index where each interchange's separators begin to apply, with its source. */
  sourceStarts: number[];
  sources: SegmentSource[];
  all: X12Segment[] | null;
  constructor(text: string) {
    this.text = text;
    this.separators = [];
    this.count = 0;
    const estimate = Math.max(16, (text.length / 24) | 0);
    this.offsets = new Int32Array(estimate);
    this.ends = new Int32Array(estimate);
    this.codes = new Uint16Array(estimate);
    this.sourceStarts = [];
    this.sources = [];
    this.all = null;
  }
  /** Identifier of segment `k` (one shared string per distinct identifier). */
  id(k: number): string {
    return idNames[this.codes[k] as number] as string;
  }
  add(code: number, offset: number, end: number): void {
    const k = this.count;
    if (k === this.offsets.length) {
      const codes = new Uint16Array(k * 2);
      codes.set(this.codes);
      this.codes = codes;
      const offsets = new Int32Array(k * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const ends = new Int32Array(k * 2);
      ends.set(this.ends);
      this.ends = ends;
    }
    this.offsets[k] = offset;
    this.ends[k] = end;
    this.codes[k] = code;
    this.count = k + 1;
  }
  /** The element separator (and text) that applies to segment `k`. */
  sourceOf(k: number): SegmentSource {
    let at = 0;
    while (at + 1 < this.sourceStarts.length && (this.sourceStarts[at + 1] as number) <= k) at++;
    return this.sources[at] as SegmentSource;
  }
  /** A new `X12Segment` for index `k` (0-based; its ordinal is k + 1). */
  segment(k: number): X12Segment {
    return new X12Segment(
      this.id(k),
      k + 1,
      this.offsets[k] as number,
      this.ends[k] as number,
      this.sourceOf(k),
    );
  }
  /** New `X12Segment`s for indexes `from` to `to` (exclusive). */
  range(from: number, to: number): X12Segment[] {
    const out: X12Segment[] = new Array(Math.max(0, to - from));
    for (let k = from; k < to; k++) out[k - from] = this.segment(k);
    return out;
  }
  /** All segments in order, as objects (made on first use). */
  get segments(): X12Segment[] {
    this.all ??= this.range(0, this.count);
    return this.all;
  }
  /** Points `cursor` at segment `k`, for readers that walk many segments and keep few. */
  moveTo(cursor: X12Segment, k: number, source: SegmentSource): void {
    cursor.id = idNames[this.codes[k] as number] as string;
    cursor.ordinal = k + 1;
    cursor.offset = this.offsets[k] as number;
    cursor.end = this.ends[k] as number;
    cursor.source = source;
    cursor.cached = null;
    if (indexed === cursor) indexed = null;
  }
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

/** Every distinct identifier seen, by code (a segment stores the code), and the code of each. */
const idNames: string[] = [];
const idCodes = new Map<number, number>();

/**
 * The identifier of the segment at `p` (up to the element separator or `end`), one shared string per
 * distinct identifier; null when it is not 2–3 characters, a capital letter then capitals or digits.
 */
function segmentId(text: string, p: number, end: number, separator: number): number {
  let n = 0;
  let key = 0;
  for (let i = p; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === separator) break;
    if (n === 3) return -1;
    if (n === 0 ? !(c >= 65 && c <= 90) : !((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return -1;
    key = key * 128 + c;
    n++;
  }
  if (n < 2) return -1;
  let code = idCodes.get(key);
  if (code === undefined) {
    // A property key is an internalized string: the readers' `switch (seg.id)` then compares pointers.
    code = idNames.length;
    idNames.push(Object.keys({ [text.slice(p, p + n)]: 0 })[0] as string);
    idCodes.set(key, code);
  }
  return code;
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
  const doc = new X12Document(text);
  const separatorsList = doc.separators;
  const length = text.length;
  let p = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let sep: Separators | null = null;
  let source: SegmentSource | null = null;
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
    if (source === null || source.element !== (sep as Separators).element) {
      const el = (sep as Separators).element;
      source = { text, element: el, elementCode: el.charCodeAt(0) };
      doc.sourceStarts.push(ordinal - 1);
      doc.sources.push(source);
    }
    const id = segmentId(text, p, end, source.elementCode);
    if (id === -1) {
      const segment = new X12Segment(
        text.slice(p, end).split(source.element)[0] ?? '',
        ordinal,
        p,
        end,
        source,
      );
      throw formatError(
        text,
        segment,
        `'${segment.id}' is not a segment identifier (2–3 capital letters or digits)`,
      );
    }
    doc.add(id, p, end);
    p = next;
  }
  if (doc.count === 0) {
    throw new X12FormatError('the file holds no segments', { id: '', ordinal: 0 }, 0, 1);
  }
  return doc;
}

// ---------------------------------------------------------------------------------------------
// Element access, used by the readers. All take the document's text only to position an error.

// The element boundaries of the last segment read, found by one scan of it: element k runs from
// starts[k] to ends[k]. Readers take several elements of one segment in a row, so this is reused.
let indexed: X12Segment | null = null;
let indexedCount = 0;
let starts = new Int32Array(64);
let ends = new Int32Array(64);

function indexElements(segment: X12Segment): number {
  if (segment === indexed) return indexedCount;
  const { text, element: separator } = segment.source;
  const stop = segment.end;
  let k = 0;
  let from = segment.offset;
  // indexOf (a vectorised search) rather than a loop over char codes; past `stop` it is the next segment's.
  for (let i = text.indexOf(separator, from); i !== -1 && i < stop; i = text.indexOf(separator, from)) {
    if (k + 1 >= starts.length) {
      const grownStarts = new Int32Array(starts.length * 2);
      grownStarts.set(starts);
      starts = grownStarts;
      const grownEnds = new Int32Array(ends.length * 2);
      grownEnds.set(ends);
      ends = grownEnds;
    }
    starts[k] = from;
    ends[k] = i;
    k++;
    from = i + 1;
  }
  starts[k] = from;
  ends[k] = stop;
  indexed = segment;
  indexedCount = k + 1;
  return indexedCount;
}

// Short element values repeat endlessly in a large file (qualifiers, codes, dates, small amounts), and each
// slice of fewer than 13 characters is a copy: a direct-mapped cache hands out one string per value seen
// recently, so a parse result holds one 'CO' rather than a hundred thousand. Bounded, never grows.
const SHARED_SLOTS = 8192;
const shared: (string | undefined)[] = new Array(SHARED_SLOTS).fill(undefined);

/** `text.slice(from, to)`, the same string object as last time for short values. */
export function sliceShared(text: string, from: number, to: number): string {
  const n = to - from;
  if (n > 12 || n === 0) return n === 0 ? '' : text.slice(from, to);
  let h = n;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  const slot = (h ^ (h >>> 13)) & (SHARED_SLOTS - 1);
  const known = shared[slot];
  if (known !== undefined && known.length === n) {
    let same = true;
    for (let j = 0; j < n; j++)
      if (known.charCodeAt(j) !== text.charCodeAt(from + j)) {
        same = false;
        break;
      }
    if (same) return known;
  }
  const value = text.slice(from, to);
  shared[slot] = value;
  return value;
}

/** Forgets the last segment read (so a parsed file's text is not kept alive by the element cache). */
export function releaseElementIndex(): void {
  indexed = null;
}

/** How many elements the segment has, the identifier included (`elements.length`). */
export function elementCount(segment: X12Segment): number {
  if (segment.cached !== null) return segment.cached.length;
  return indexElements(segment);
}

/** Element `index` (XX01 = 1) or undefined when absent (`elements[index]`). */
export function elementAt(segment: X12Segment, index: number): string | undefined {
  if (segment.cached !== null) return segment.cached[index];
  if (index >= indexElements(segment)) return undefined;
  return sliceShared(segment.source.text, starts[index] as number, ends[index] as number);
}

/** Element `index` (XX01 = 1) or '' when absent. */
export function element(segment: X12Segment, index: number): string {
  return elementAt(segment, index) ?? '';
}

/** Element `index` or undefined when absent or empty (so optional fields stay out of the result). */
export function optional(segment: X12Segment, index: number): string | undefined {
  const value = elementAt(segment, index);
  return value === undefined || value === '' ? undefined : value;
}

export function elementName(segment: X12Segment, index: number): string {
  return `${segment.id}${String(index).padStart(2, '0')}`;
}

export function required(text: string, segment: X12Segment, index: number, what: string): string {
  const value = elementAt(segment, index);
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

const powersOfTen = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The X12 decimal in `text` from `from` to `to`, read from the characters (no string made): NaN when
 * it is not one (see `isDecimal`). Up to 15 digits the value is an exact integer divided by an exact
 * power of ten, which rounds exactly as `Number(value)` does; longer ones are left to `Number`.
 */
function decimalIn(text: string, from: number, to: number): number {
  let i = from;
  const negative = i < to && text.charCodeAt(i) === 45;
  if (negative) i++;
  let digits = 0;
  let mantissa = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else return Number.NaN;
  }
  if (digits === 0) return Number.NaN;
  if (digits > 15) return Number(text.slice(from, to));
  const value = scale > 0 ? mantissa / (powersOfTen[scale] as number) : mantissa;
  return negative ? -value : value;
}

/** Element `index` as a number; undefined when absent or empty, NaN when not an X12 decimal. */
function decimalAt(segment: X12Segment, index: number): number | undefined {
  if (segment.cached !== null) {
    const value = segment.cached[index];
    if (value === undefined || value === '') return undefined;
    return decimalIn(value, 0, value.length);
  }
  if (index >= indexElements(segment)) return undefined;
  const from = starts[index] as number;
  const to = ends[index] as number;
  if (from === to) return undefined;
  return decimalIn(segment.source.text, from, to);
}

export function decimal(text: string, segment: X12Segment, index: number, what: string): number {
  const value = decimalAt(segment, index);
  if (value === undefined) return Number(required(text, segment, index, what));
  if (Number.isNaN(value))
    throw formatError(
      text,
      segment,
      `${elementName(segment, index)} (${what}) is not a number: '${element(segment, index)}'`,
    );
  return value;
}

export function optionalDecimal(
  text: string,
  segment: X12Segment,
  index: number,
  what: string,
): number | undefined {
  const value = decimalAt(segment, index);
  if (value !== undefined && Number.isNaN(value))
    throw formatError(
      text,
      segment,
      `${elementName(segment, index)} (${what}) is not a number: '${element(segment, index)}'`,
    );
  return value;
}

// ISO forms of recently seen CCYYMMDD values: a remittance repeats a few hundred dates across its claims.
const isoDates = new Map<string, string>();

export function isoDate(text: string, segment: X12Segment, value: string, where: string): string {
  const known = isoDates.get(value);
  if (known !== undefined) return known;
  if (value.length !== 8 || !isDecimal(value) || value.includes('.') || value.includes('-'))
    throw formatError(text, segment, `${where} is not a CCYYMMDD date: '${value}'`);
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  if (isoDates.size >= 4096) isoDates.clear();
  isoDates.set(value, iso);
  return iso;
}
