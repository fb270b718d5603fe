/**
 * Facts read off a claim that several edits share: a line's date(s) of service, the patient's
 * demographics, day arithmetic on ISO dates, and the finding builder.
 */
import { isIsoDate } from '../codesets/code-formats.ts';
import type { Claim, DateValue, ServiceLine } from '../x12/types.ts';
import type { ClaimInFile, Finding, Severity } from './types.ts';

export interface ServicePeriod {
  from: string;
  to: string;
}

function period(date: DateValue | undefined): ServicePeriod | undefined {
  if (!date || date.format !== undefined || !isIsoDate(date.start)) return undefined;
  const to = date.end !== undefined && isIsoDate(date.end) ? date.end : date.start;
  return { from: date.start, to };
}

/**
 * The line's service date (DTP*472, 2400); an 837I line without one takes the claim's statement
 * period (DTP*434) or claim-level service date (DTP*472, 2300), as the institutional guide allows.
 */
export function servicePeriodOf(claim: Claim, line: ServiceLine): ServicePeriod | undefined {
  const own = period(line.dates.find((d) => d.qualifier === '472'));
  if (own) return own;
  return claimServicePeriod(claim);
}

/** The claim-level period: DTP*434 statement dates or DTP*472 in loop 2300. */
export function claimServicePeriod(claim: Claim): ServicePeriod | undefined {
  return period(
    claim.dates.find((d) => d.qualifier === '434') ?? claim.dates.find((d) => d.qualifier === '472'),
  );
}

/** Has the line its own DTP*472 (as the 837P requires on every line)? */
export function hasLineServiceDate(line: ServiceLine): boolean {
  return period(line.dates.find((d) => d.qualifier === '472')) !== undefined;
}

const DAY_MS = 86_400_000;

/** Whole days from `a` to `b` (ISO dates, UTC calendar): 2024-01-01 → 2024-12-31 is 365. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** Demographics of the person the claim is for: the dependent (2010CA) or the subscriber (2010BA). */
export function patientOf(c: ClaimInFile): {
  base: string;
  dateOfBirth?: string;
  sex?: string;
  name?: string;
} {
  if (c.patient) {
    return { base: 'patient', ...c.patient.demographics, name: c.patient.person.name };
  }
  return { base: 'subscriber', ...c.subscriber.demographics, name: c.subscriber.person.name };
}

/** Builds findings for one claim. */
export function findingsFor(claimId: string, into: Finding[]) {
  return (
    code: string,
    severity: Severity,
    field: string,
    message: string,
    line?: ServiceLine | number,
  ): void => {
    const f: Finding = { code, severity, claimId, field, message };
    if (line !== undefined) f.line = typeof line === 'number' ? line : line.lineNumber;
    into.push(f);
  };
}

export type Report = ReturnType<typeof findingsFor>;

/** "99213-25-59" for messages. */
export function procedureLabel(line: ServiceLine): string {
  const p = line.procedure;
  if (!p) return line.revenueCode ? `revenue code ${line.revenueCode}` : '(no procedure)';
  return [p.code, ...p.modifiers].join('-');
}
