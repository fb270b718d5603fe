/**
 * `parseX12(text)`: interchanges (ISA/IEA) → functional groups (GS/GE) → transaction sets (ST/SE),
 * each read as an 837P, 837I or 835. The envelope is checked as a receiver's 999/TA1 would: ISA13 =
 * IEA02, GS06 = GE02, ST02 = SE02, and the counts IEA01 (groups), GE01 (transaction sets) and SE01
 * (segments from ST to SE). A mismatch is an X12FormatError naming the trailer segment; with
 * `envelopeCounts: 'warn'` a count mismatch (not a control number mismatch) becomes a warning, for
 * hand-edited test files that never updated their counts.
 */
import type { ReadContext } from './read-common.ts';
import { read835 } from './read-835.ts';
import { read837 } from './read-837.ts';
import {
  element,
  formatError,
  isDecimal,
  type Separators,
  tokenize,
  type PendingWarning,
  positionWarnings,
  releaseElementIndex,
  type X12Document,
  type X12Segment,
} from './segments.ts';
import type { X12File, X12Group, X12Interchange, X12Transaction } from './types.ts';

export interface ParseOptions {
  /** 'error' (default): a wrong IEA01/GE01/SE01 count refuses the file; 'warn': it is reported in `warnings`. */
  envelopeCounts?: 'error' | 'warn';
}

/** 837P or 837I from the implementation reference (ST03, else GS08), else from the content. */
export function claimTypeOf(
  st03: string,
  gs08: string,
  body: X12Segment[],
  separators: Separators,
): '837P' | '837I' {
  for (const version of [st03, gs08]) {
    if (version.includes('X222')) return '837P';
    if (version.includes('X223')) return '837I';
  }
  // No usable version: decide by what the claims contain.
  for (const seg of body) {
    if (seg.id === 'SV1') return '837P';
    if (seg.id === 'SV2' || seg.id === 'CL1') return '837I';
    if (seg.id === 'CLM') {
      const qualifier = element(seg, 5).split(separators.component)[1];
      if (qualifier === 'A') return '837I';
    }
  }
  return '837P';
}

function isoFromYymmdd(value: string): string {
  return `20${value.slice(0, 2)}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
}

function isoFromCcyymmdd(value: string): string {
  return value.length === 8 ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : value;
}

export function parseX12(text: string, options: ParseOptions = {}): X12File {
  const doc = tokenize(text);
  const { count } = doc;
  const warnings: PendingWarning[] = [];
  const strictCounts = options.envelopeCounts !== 'warn';
  const fail = (seg: X12Segment, problem: string) => formatError(text, seg, problem);
  const checkCount = (seg: X12Segment, index: number, actual: number, what: string) => {
    const stated = element(seg, index);
    const name = `${seg.id}${String(index).padStart(2, '0')}`;
    if (!isDecimal(stated)) throw fail(seg, `${name} (${what}) is not a number: '${stated}'`);
    if (Number(stated) === actual) return;
    const problem = `${name} says ${stated} ${what}, found ${actual}`;
    if (strictCounts) throw fail(seg, problem);
    warnings.push({ segment: seg, problem });
  };

  const interchanges: X12Interchange[] = [];
  let i = 0;
  let isaIndex = 0;
  while (i < count) {
    const isa = doc.segment(i);
    if (isa.id !== 'ISA') throw fail(isa, `expected ISA (a new interchange) after IEA, found ${isa.id}`);
    const separators = doc.separators[isaIndex++] as Separators;
    const interchange: X12Interchange = {
      sender: { qualifier: element(isa, 5), id: element(isa, 6).trimEnd() },
      receiver: { qualifier: element(isa, 7), id: element(isa, 8).trimEnd() },
      date: isoFromYymmdd(element(isa, 9)),
      time: element(isa, 10),
      control: element(isa, 13),
      version: element(isa, 12),
      usage: element(isa, 15),
      separators,
      groups: [],
    };
    const ctx: ReadContext = { text, separators, warnings };
    i++;
    for (;;) {
      if (i >= count)
        throw fail(doc.segment(i - 1), `the file ends inside interchange ${interchange.control} (no IEA)`);
      const id = doc.id(i);
      if (id === 'IEA') {
        const seg = doc.segment(i);
        checkCount(seg, 1, interchange.groups.length, 'functional groups');
        if (element(seg, 2) !== interchange.control)
          throw fail(seg, `IEA02 '${element(seg, 2)}' does not match ISA13 '${interchange.control}'`);
        i++;
        break;
      }
      if (id === 'TA1') {
        i++;
        continue;
      }
      const seg = doc.segment(i);
      if (id !== 'GS') throw fail(seg, `expected GS (a functional group) or IEA, found ${id}`);
      const group: X12Group = {
        functionalId: element(seg, 1),
        sender: element(seg, 2),
        receiver: element(seg, 3),
        date: isoFromCcyymmdd(element(seg, 4)),
        time: element(seg, 5),
        control: element(seg, 6),
        version: element(seg, 8),
        transactions: [],
      };
      interchange.groups.push(group);
      i = readGroup(ctx, doc, i + 1, group, checkCount);
    }
    interchanges.push(interchange);
  }
  releaseElementIndex();
  return { interchanges, warnings: positionWarnings(text, warnings) };
}

/** Reads the transaction sets of a group starting at `start` (after GS); returns the index after GE. */
function readGroup(
  ctx: ReadContext,
  doc: X12Document,
  start: number,
  group: X12Group,
  checkCount: (seg: X12Segment, index: number, actual: number, what: string) => void,
): number {
  const fail = (seg: X12Segment, problem: string) => formatError(ctx.text, seg, problem);
  const { count } = doc;
  let i = start;
  for (;;) {
    if (i >= count) throw fail(doc.segment(i - 1), `the file ends inside group ${group.control} (no GE)`);
    const seg = doc.segment(i);
    if (seg.id === 'GE') {
      checkCount(seg, 1, group.transactions.length, 'transaction sets');
      if (element(seg, 2) !== group.control)
        throw fail(seg, `GE02 '${element(seg, 2)}' does not match GS06 '${group.control}'`);
      return i + 1;
    }
    if (seg.id !== 'ST') throw fail(seg, `expected ST (a transaction set) or GE, found ${seg.id}`);
    const st = seg;
    const stControl = element(st, 2);
    let end = i + 1;
    for (; end < count; end++) {
      const id = doc.id(end);
      if (id === 'SE') break;
      if (id === 'ST' || id === 'GE' || id === 'GS' || id === 'IEA' || id === 'ISA')
        throw fail(doc.segment(end), `${id} before the SE that closes transaction set ${stControl}`);
    }
    if (end >= count)
      throw fail(doc.segment(end - 1), `the file ends inside transaction set ${stControl} (no SE)`);
    const se = doc.segment(end);
    group.transactions.push(readTransaction(ctx, doc, st, i + 1, end, group));
    checkCount(se, 1, end - i + 1, 'segments');
    if (element(se, 2) !== stControl)
      throw fail(se, `SE02 '${element(se, 2)}' does not match ST02 '${stControl}'`);
    i = end + 1;
  }
}

/** The transaction set whose body is segments `from` to `to` (exclusive) of `doc`, after `st`. */
function readTransaction(
  ctx: ReadContext,
  doc: X12Document,
  st: X12Segment,
  from: number,
  to: number,
  group: X12Group,
): X12Transaction {
  const code = element(st, 1);
  const control = element(st, 2);
  if (control === '') throw formatError(ctx.text, st, 'ST02 (transaction set control number) is required');
  const implementation = element(st, 3) || group.version;
  if (to <= from) throw formatError(ctx.text, st, `transaction set ${control} is empty`);
  if (code === '835') return read835(ctx, doc, from, to, implementation, control);
  if (code === '837') {
    if (implementation.includes('X224'))
      throw formatError(ctx.text, st, '837 dental (005010X224) is not supported, only 837P and 837I');
    const body = doc.range(from, to);
    const type = claimTypeOf(element(st, 3), group.version, body, ctx.separators);
    return read837(ctx, body, type, implementation, control);
  }
  throw formatError(ctx.text, st, `transaction set ${code} is not supported (only 837 and 835)`);
}
