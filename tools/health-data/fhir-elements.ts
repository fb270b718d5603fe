import type { IssueType, OperationOutcome, OperationOutcomeIssue } from './fhir-types.ts';

/**
 * Readers for the FHIR R4 data types an Observation is built from (dateTime, instant, Reference,
 * Quantity units), over untrusted JSON. Each problem is recorded as an OperationOutcome issue at the
 * FHIRPath of the element (https://hl7.org/fhir/R4/datatypes.html, https://hl7.org/fhir/R4/fhirpath.html).
 */

export type Json = Record<string, unknown>;

export const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value[x] element present in an Observation or component, e.g. 'valueString'. */
export const valueKey = (holder: Json): string | undefined =>
  Object.keys(holder).find((k) => k.startsWith('value') && holder[k] !== undefined);

/** Collects issues; add() returns undefined so a reader can `return issues.add(...)`. */
export class Issues {
  readonly list: OperationOutcomeIssue[] = [];
  add(code: IssueType, expression: string, diagnostics: string): undefined {
    this.list.push({ severity: 'error', code, diagnostics, expression: [expression] });
    return undefined;
  }
  outcome(): OperationOutcome {
    return { resourceType: 'OperationOutcome', issue: this.list };
  }
}

/** FHIR dateTime: a year, year-month or date, or a date-time with seconds and a time zone. */
export const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
/** FHIR instant: always to the second, always with a time zone. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** effective[x] as given: effectiveDateTime, else effectiveInstant, else effectivePeriod.start. */
export function readEffective(obs: Json, issues: Issues): string | undefined {
  const check = (value: unknown, path: string, type: 'dateTime' | 'instant') => {
    const pattern = type === 'instant' ? INSTANT : DATE_TIME;
    // The pattern checks the form; Date.parse rejects impossible values such as month 13.
    if (typeof value === 'string' && pattern.test(value) && !Number.isNaN(Date.parse(value))) return value;
    return issues.add('invalid', path, `${path} must be a FHIR ${type}, got ${JSON.stringify(value)}`);
  };
  if (obs.effectiveDateTime !== undefined) {
    return check(obs.effectiveDateTime, 'Observation.effectiveDateTime', 'dateTime');
  }
  if (obs.effectiveInstant !== undefined) {
    return check(obs.effectiveInstant, 'Observation.effectiveInstant', 'instant');
  }
  if (obs.effectivePeriod !== undefined) {
    const start = isRecord(obs.effectivePeriod) ? obs.effectivePeriod.start : undefined;
    if (start === undefined) {
      return issues.add('required', 'Observation.effectivePeriod.start', 'effectivePeriod must have a start');
    }
    return check(start, 'Observation.effectivePeriod.start', 'dateTime');
  }
  return issues.add(
    'required',
    'Observation.effective[x]',
    'When the reading was taken is required: effectiveDateTime, effectivePeriod.start or effectiveInstant',
  );
}

/** Reference.reference of `Observation.<field>`; a Reference by identifier or display only gives undefined. */
export function readReference(obs: Json, field: 'subject' | 'device', issues: Issues): string | undefined {
  const ref = obs[field];
  if (ref === undefined) return undefined;
  if (!isRecord(ref)) return issues.add('invalid', `Observation.${field}`, `${field} must be a Reference`);
  return typeof ref.reference === 'string' ? ref.reference : undefined;
}

const UCUM = 'http://unitsofmeasure.org';

/**
 * Common ways people write units in Quantity.unit, which is free display text → UCUM.
 * Quantity.code, when the system is UCUM, is taken exactly as written (UCUM is case-sensitive).
 */
const UNIT_ALIASES: Readonly<Record<string, string>> = {
  'mg/dl': 'mg/dL',
  'mmol/l': 'mmol/L',
  '/min': '/min',
  'beats/minute': '/min',
  'beats/min': '/min',
  bpm: '/min',
  'breaths/minute': '/min',
  'breaths/min': '/min',
  mmhg: 'mm[Hg]',
  'mm[hg]': 'mm[Hg]',
  cel: 'Cel',
  '°c': 'Cel',
  'deg c': 'Cel',
  '[degf]': '[degF]',
  '°f': '[degF]',
  'deg f': '[degF]',
  '%': '%',
};

export interface QuantityUnit {
  /** The UCUM unit, or undefined when the Quantity gives none. */
  ucum: string | undefined;
  /** The text as sent, for messages. */
  given: string | undefined;
  /** `code` when read from Quantity.code, `unit` when from the display text. */
  element: 'code' | 'unit';
}

export function quantityUnit(q: Json): QuantityUnit {
  if (typeof q.code === 'string' && (q.system === undefined || q.system === UCUM)) {
    return { ucum: q.code, given: q.code, element: 'code' };
  }
  if (typeof q.unit !== 'string') return { ucum: undefined, given: undefined, element: 'unit' };
  return { ucum: UNIT_ALIASES[q.unit.trim().toLowerCase()] ?? q.unit, given: q.unit, element: 'unit' };
}
