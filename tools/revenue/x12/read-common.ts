/** Readers shared by the 837 and 835: NM1/N1 parties, addresses, contacts, dates, composites. */
import {
  element,
  formatError,
  isoDate,
  optional,
  type Separators,
  type X12Segment,
  type PendingWarning,
} from './segments.ts';
import type { Address, Contact, DateValue, Party, Procedure } from './types.ts';

/** What a transaction reader needs besides its segments: the text (to position errors) and the separators. */
export interface ReadContext {
  text: string;
  separators: Separators;
  warnings: PendingWarning[];
}

export function components(ctx: ReadContext, value: string): string[] {
  return value.split(ctx.separators.component);
}

/** NM1 → Party (NM102 must be 1 or 2). */
export function readNm1(ctx: ReadContext, seg: X12Segment): Party {
  const entityType = element(seg, 2);
  if (entityType !== '1' && entityType !== '2')
    throw formatError(
      ctx.text,
      seg,
      entityType === ''
        ? 'NM102 (entity type: 1 person, 2 organization) is required'
        : `NM102 must be 1 (person) or 2 (organization), not '${entityType}'`,
    );
  const party: Party = { entityType };
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
  for (let i = 3; i + 1 < seg.elements.length; i += 2) {
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
  const parts = components(ctx, element(seg, index));
  const qualifier = parts[0] ?? '';
  const code = parts[1] ?? '';
  if (qualifier === '' || code === '')
    throw formatError(
      ctx.text,
      seg,
      `${seg.id}${String(index).padStart(2, '0')} is not a qualifier${ctx.separators.component}code composite: '${element(seg, index)}'`,
    );
  const modifiers: string[] = [];
  for (let i = 2; i < 6 && i < parts.length; i++) {
    const m = parts[i];
    if (m) modifiers.push(m);
  }
  const procedure: Procedure = { qualifier, code, modifiers };
  const description = parts[6];
  if (description) procedure.description = description;
  return procedure;
}
