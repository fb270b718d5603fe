import {
  Issues,
  isRecord,
  type Json,
  quantityUnit,
  readEffective,
  readReference,
  valueKey,
} from './fhir-elements.ts';
import type { OperationOutcome } from './fhir-types.ts';
import { OBSERVATION_STATUSES } from './fhir-types.ts';
import { toMgPerDl } from './glucose.ts';
import {
  ACVPU_SNOMED,
  codeKey,
  findPanelCode,
  findVitalCode,
  PLAUSIBLE_RANGE,
  type PanelCode,
  SNOMED,
  UNITS_BY_KIND,
  unsupportedReason,
  type VitalCode,
  type VitalKind,
} from './loinc.ts';

/**
 * FHIR R4 Observation (https://hl7.org/fhir/R4/observation.html) → normalised readings. The input is
 * untrusted JSON; every problem found becomes an OperationOutcome issue whose expression is the
 * FHIRPath of the offending element, so a sender can fix the exact field.
 */

export interface Reading {
  kind: VitalKind;
  /** The code the value is filed under: LOINC bare, other systems as `system|code`. */
  loinc: string;
  value: number;
  /** UCUM, normalised: glucose 'mg/dL', temperature 'Cel', consciousness '{ACVPU}' (A=0 … U=4). */
  unit: string;
}

export type ParsedObservation =
  | {
      ok: true;
      readings: Reading[];
      subject?: string;
      effective: string;
      device?: string;
      /** References of a panel's member Observations (the R4 vitals panel carries its values there). */
      hasMember?: string[];
    }
  | { ok: false; outcome: OperationOutcome };

/** Results a clinician may act on; registered/cancelled/entered-in-error/unknown are not readings. */
export const ACCEPTED_STATUSES = ['final', 'amended', 'corrected', 'preliminary'] as const;

const ACVPU_ORDER = ['A', 'C', 'V', 'P', 'U'] as const;

type Match =
  | { vital: VitalCode }
  | { panel: PanelCode }
  | { unsupported: string }
  | { unknown: string[] }
  | { conflict: string[] };

/** What a CodeableConcept's codings say; all recognised codings must agree (satO2 sends three). */
function matchCode(code: unknown): Match | undefined {
  if (!isRecord(code) || !Array.isArray(code.coding) || code.coding.length === 0) return undefined;
  const codings = code.coding.filter(isRecord).map((c) => ({
    system: typeof c.system === 'string' ? c.system : undefined,
    code: typeof c.code === 'string' ? c.code : undefined,
  }));
  const vitals = codings.map((c) => findVitalCode(c.system, c.code)).filter((v) => v !== undefined);
  const panels = codings.map((c) => findPanelCode(c.system, c.code)).filter((p) => p !== undefined);
  const kinds = new Set(vitals.map((v) => v.kind));
  if (kinds.size + panels.length > 1) return { conflict: [...kinds, ...panels.map((p) => p.display)] };
  if (vitals[0]) return { vital: vitals[0] };
  if (panels[0]) return { panel: panels[0] };
  const reason = codings.map((c) => unsupportedReason(c.system, c.code)).find((r) => r !== undefined);
  if (reason) return { unsupported: reason };
  return { unknown: codings.map((c) => `${c.system ?? '(no system)'}|${c.code ?? '(no code)'}`) };
}

function readQuantity(holder: Json, path: string, entry: VitalCode, issues: Issues): Reading | undefined {
  const q = holder.valueQuantity;
  const what = entry.display;
  if (q === undefined) {
    const other = valueKey(holder);
    if (other) return issues.add('invalid', `${path}.${other}`, `${what} must be a valueQuantity`);
    return issues.add('required', `${path}.value[x]`, `${what} has no value and no dataAbsentReason`);
  }
  const qPath = `${path}.valueQuantity`;
  if (!isRecord(q)) return issues.add('invalid', qPath, 'valueQuantity must be an object');
  if (typeof q.value !== 'number' || !Number.isFinite(q.value)) {
    return issues.add(
      'invalid',
      `${qPath}.value`,
      `${what} value must be a number, got ${JSON.stringify(q.value)}`,
    );
  }
  if (q.comparator !== undefined) {
    return issues.add(
      'not-supported',
      `${qPath}.comparator`,
      `a bound (${q.comparator}) cannot be scored as a value`,
    );
  }
  const unit = quantityUnit(q);
  const accepted = UNITS_BY_KIND[entry.kind];
  if (unit.ucum === undefined || !accepted.includes(unit.ucum)) {
    const got = unit.given === undefined ? 'no unit' : `'${unit.given}'`;
    const code = unit.ucum === undefined ? 'required' : 'invalid';
    return issues.add(
      code,
      `${qPath}.${unit.element}`,
      `${what} must be in ${accepted.join(' or ')} (UCUM), got ${got}`,
    );
  }
  let value = q.value;
  let loinc = codeKey(entry.system, entry.code);
  if (unit.ucum === 'mmol/L') {
    value = toMgPerDl(value, 'mmol/L');
    loinc = entry.massEquivalent ?? loinc;
  }
  // °F → °C, to 2 decimals: enough for NEWS2's one-decimal bands without carrying float noise.
  if (unit.ucum === '[degF]') value = Math.round((((value - 32) * 5) / 9) * 100) / 100;
  const normalised = accepted[0]!;
  const [min, max] = PLAUSIBLE_RANGE[entry.kind as keyof typeof PLAUSIBLE_RANGE];
  if (value < min || value > max) {
    return issues.add('invalid', `${qPath}.value`, `${what} ${value} ${normalised} is outside ${min}–${max}`);
  }
  return { kind: entry.kind, loinc, value, unit: normalised };
}

/** ACVPU is coded: valueCodeableConcept with a SNOMED CT answer, stored as its position A=0 … U=4. */
function readAcvpu(holder: Json, path: string, entry: VitalCode, issues: Issues): Reading | undefined {
  const cc = holder.valueCodeableConcept;
  if (cc === undefined) {
    return issues.add(
      'required',
      `${path}.valueCodeableConcept`,
      'ACVPU must be a SNOMED CT valueCodeableConcept',
    );
  }
  const codings = isRecord(cc) && Array.isArray(cc.coding) ? cc.coding.filter(isRecord) : [];
  const level = codings
    .map((c) => (c.system === SNOMED ? ACVPU_SNOMED[String(c.code)] : undefined))
    .find(Boolean);
  if (!level) {
    const answers = Object.keys(ACVPU_SNOMED).join(', ');
    return issues.add(
      'code-invalid',
      `${path}.valueCodeableConcept.coding`,
      `not an ACVPU answer (SNOMED CT ${answers})`,
    );
  }
  const loinc = codeKey(entry.system, entry.code);
  return { kind: 'consciousness', loinc, value: ACVPU_ORDER.indexOf(level), unit: '{ACVPU}' };
}

/** One value-carrying element (the Observation or a component); undefined when absent for a reason. */
function readValue(holder: Json, path: string, entry: VitalCode, issues: Issues): Reading | undefined {
  if (holder.dataAbsentReason !== undefined) {
    // R4 invariants obs-6 / obs-7: a dataAbsentReason only where there is no value.
    const value = valueKey(holder);
    if (value)
      issues.add('invalid', `${path}.dataAbsentReason`, `dataAbsentReason given together with ${value}`);
    return undefined;
  }
  if (entry.kind === 'consciousness') return readAcvpu(holder, path, entry, issues);
  return readQuantity(holder, path, entry, issues);
}

/** A panel's readings: BP panels carry them in component[]; other components are skipped. */
function readComponents(obs: Json, issues: Issues): Reading[] {
  const components = obs.component ?? [];
  if (!Array.isArray(components)) {
    issues.add('invalid', 'Observation.component', 'component must be an array');
    return [];
  }
  const readings: Reading[] = [];
  for (const [i, c] of components.entries()) {
    const path = `Observation.component[${i}]`;
    if (!isRecord(c)) issues.add('invalid', path, 'component must be an object');
    else {
      // Components that are not NEWS2 or glucose values (diastolic BP, anything else) are skipped.
      const m = matchCode(c.code);
      const r = m && 'vital' in m ? readValue(c, path, m.vital, issues) : undefined;
      if (r) readings.push(r);
    }
  }
  return readings;
}

function checkStatus(status: unknown, issues: Issues): void {
  if (status === undefined) issues.add('required', 'Observation.status', 'status is required');
  else if (!OBSERVATION_STATUSES.includes(status as never)) {
    issues.add(
      'code-invalid',
      'Observation.status',
      `${JSON.stringify(status)} is not an Observation status`,
    );
  } else if (!ACCEPTED_STATUSES.includes(status as never)) {
    const send = ACCEPTED_STATUSES.join(', ');
    issues.add('not-supported', 'Observation.status', `status '${status}' is not a result; send ${send}`);
  }
}

export function parseFhirObservation(json: unknown): ParsedObservation {
  const issues = new Issues();
  if (!isRecord(json)) {
    issues.add('invalid', 'Observation', 'The body must be a JSON object');
    return { ok: false, outcome: issues.outcome() };
  }
  if (json.resourceType !== 'Observation') {
    const got = JSON.stringify(json.resourceType);
    issues.add('invalid', 'Observation.resourceType', `resourceType must be 'Observation', got ${got}`);
    return { ok: false, outcome: issues.outcome() };
  }
  checkStatus(json.status, issues);
  const effective = readEffective(json, issues);
  const subject = readReference(json, 'subject', issues);
  const device = readReference(json, 'device', issues);

  const match = matchCode(json.code);
  const readings: Reading[] = [];
  let hasMember: string[] | undefined;
  const at = 'Observation.code.coding';
  if (match === undefined) issues.add('required', at, 'code.coding is required');
  else if ('unknown' in match)
    issues.add('code-invalid', at, `CareBridge does not read ${match.unknown.join(', ')}`);
  else if ('conflict' in match)
    issues.add('invalid', at, `The codings disagree: ${match.conflict.join(' vs ')}`);
  else if ('unsupported' in match) issues.add('not-supported', at, `Not used: ${match.unsupported}`);
  else if ('vital' in match) {
    const r = readValue(json, 'Observation', match.vital, issues);
    if (r) readings.push(r);
  } else if (json.dataAbsentReason === undefined) {
    readings.push(...readComponents(json, issues));
    // The R4 vitals panel (85353-1) holds its values in member Observations, which the caller resolves.
    if (Array.isArray(json.hasMember)) {
      hasMember = json.hasMember.flatMap((m) =>
        isRecord(m) && typeof m.reference === 'string' ? [m.reference] : [],
      );
    }
  }
  if (issues.list.length > 0 || effective === undefined) return { ok: false, outcome: issues.outcome() };
  return {
    ok: true,
    readings,
    effective,
    ...(subject !== undefined && { subject }),
    ...(device !== undefined && { device }),
    ...(hasMember !== undefined && { hasMember }),
  };
}
