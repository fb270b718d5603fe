/** Readers shared by the 837 and 835: NM1/N1 parties, addresses, contacts, dates, composites. */
import {
  element,
  elementCount,
  formatError,
  isoDate,
  optional,
  type Separators,
  type X12Segment,
  type PendingWarning,
  sliceShared,
} from './segments.ts';
import type { Address, Contact, DateValue, Party, Procedure } from './types.ts';

/** What a transaction reader needs besides its segments: the text (to position errors) and the separators. */
export interface ReadContext {
  text: string;
  separators: Separators;
  warnings: PendingWarning[];
}

/**
 * `list` with `item` added, as a new array of exactly that length. A parse result holds hundreds of
 * thousands of short lists (a claim's dates, a line's adjustments); \`push\` on a short array reserves
 * room for 17 elements, which for a large 835 is most of the memory (and garbage-collection time).
 */
export function appended<T>(list: T[], item: T): T[] {
  const n = list.length;
  if (n === 0) return [item];
  const out = new Array<T>(n + 1);
  for (let k = 0; k < n; k++) out[k] = list[k] as T;
  out[n] = item;
  return out;
}

export function components(ctx: ReadContext, value: string): string[] {
  return value.split(ctx.separators.component);
}

/** NM1 → Party (NM102 must be 1 or 2), with `role` first when given (the 835 claim's parties). */
export function readNm1(ctx: ReadContext, seg: X12Segment): Party;
export function readNm1(ctx: ReadContext, seg: X12Segment, role: string): Party & { role: string };
export function readNm1(ctx: ReadContext, seg: X12Segment, role?: string): Party {
  const entityType = element(seg, 2);
  if (entityType !== '1' && entityType !== '2')
    throw formatError(
      ctx.text,
      seg,
      entityType === ''
        ? 'NM102 (entity type: 1 person, 2 organization) is required'
        : `NM102 must be 1 (person) or 2 (organization), not '${entityType}'`,
    );
  const party: Party = role === undefined ? { entityType } : ({ role, entityType } as Party);
  const name = optional(seg, 3);
  if (name !== undefined) party.name = name;
  const firstName = optional(seg, 4);
  if (firstName !== undefined) party.firstName = firstName;
  const middleName = optional(seg, 5);
  if (middleName !== undefined) party.middleName = middleName;
  const prefix = optional(seg, 6);
  if (prefix !== undefined) party.prefix = prefix;
  const suffix = optional(seg, 7);
  if (suffix !== undefined) party.suffix = suffix;
  const idQualifier = optional(seg, 8);
  if (idQualifier !== undefined) party.idQualifier = idQualifier;
  const id = optional(seg, 9);
  if (id !== undefined) party.id = id;
  return party;
}

/** N1 (835) → Party: N102 name, N103/N104 id. Always an organization. */
export function readN1(seg: X12Segment): Party {
  const party: Party = { entityType: '2' };
  const name = optional(seg, 2);
  if (name !== undefined) party.name = name;
  const idQualifier = optional(seg, 3);
  if (idQualifier !== undefined) party.idQualifier = idQualifier;
  const id = optional(seg, 4);
  if (id !== undefined) party.id = id;
  return party;
}

export function applyN3(address: Address | undefined, seg: X12Segment): Address {
  const result: Address = { ...address, line1: element(seg, 1) };
  const line2 = optional(seg, 2);
  if (line2 !== undefined) result.line2 = line2;
  return result;
}

export function applyN4(address: Address | undefined, seg: X12Segment): Address {
  const result: Address = address ? { ...address } : { line1: '' };
  const city = optional(seg, 1);
  if (city !== undefined) result.city = city;
  const state = optional(seg, 2);
  if (state !== undefined) result.state = state;
  const postalCode = optional(seg, 3);
  if (postalCode !== undefined) result.postalCode = postalCode;
  const country = optional(seg, 4);
  if (country !== undefined) result.country = country;
  return result;
}

export function readPer(seg: X12Segment): Contact {
  const contact: Contact = { function: element(seg, 1), numbers: [] };
  const name = optional(seg, 2);
  if (name !== undefined) contact.name = name;
  const count = elementCount(seg);
  for (let i = 3; i + 1 < count; i += 2) {
    const qualifier = element(seg, i);
    const value = element(seg, i + 1);
    if (qualifier !== '' || value !== '') contact.numbers.push({ qualifier, value });
  }
  return contact;
}

/** DTP (qualifier, format, value) at `index` (837 DTP01 = 1) or DTM (qualifier, date) for the 835. */
export function readDtp(ctx: ReadContext, seg: X12Segment): DateValue {
  const qualifier = element(seg, 1);
  const format = element(seg, 2);
  const value = element(seg, 3);
  if (format === 'D8') return { qualifier, start: isoDate(ctx.text, seg, value, 'DTP03') };
  if (format === 'RD8') {
    const dash = value.indexOf('-');
    if (dash === -1) throw formatError(ctx.text, seg, `DTP03 is not a CCYYMMDD-CCYYMMDD range: '${value}'`);
    return {
      qualifier,
      start: isoDate(ctx.text, seg, value.slice(0, dash), 'DTP03'),
      end: isoDate(ctx.text, seg, value.slice(dash + 1), 'DTP03'),
    };
  }
  return { qualifier, start: value, format };
}

export function readDtm(ctx: ReadContext, seg: X12Segment): DateValue {
  return { qualifier: element(seg, 1), start: isoDate(ctx.text, seg, element(seg, 2), 'DTM02') };
}

/** A composite medical procedure (SV101, SV202, SVC01/06): qualifier:code:mod1..mod4:description. */
export function readProcedure(ctx: ReadContext, seg: X12Segment, index: number): Procedure {
  const value = element(seg, index);
  const separator = ctx.separators.component;
  // qualifier:code:mod1..mod4:description, taken apart with indexOf (no array of parts).
  let from = 0;
  let part = 0;
  let qualifier = '';
  let code = '';
  let description: string | undefined;
  let modifiers: string[] = [];
  while (from <= value.length && part < 7) {
    let to = value.indexOf(separator, from);
    if (to === -1) to = value.length;
    if (part === 0) qualifier = sliceShared(value, from, to);
    else if (part === 1) code = sliceShared(value, from, to);
    else if (part < 6) {
      if (to > from) modifiers = appended(modifiers, sliceShared(value, from, to));
    } else if (to > from) description = value.slice(from, to);
    from = to + 1;
    part++;
  }
  if (qualifier === '' || code === '')
    throw formatError(
      ctx.text,
      seg,
      `${seg.id}${String(index).padStart(2, '0')} is not a qualifier${separator}code composite: '${value}'`,
    );
  const procedure: Procedure = { qualifier, code, modifiers };
  if (description) procedure.description = description;
  return procedure;
}
