/**
 * Edits that need facts from outside the file: timely filing (against an injected today), duplicate
 * claims (against earlier claims), prior authorisation, coverage on the date of service; and the
 * claim total, which needs nothing but the claim.
 */
import type { Claim } from '../x12/types.ts';
import { daysBetween, patientOf, procedureLabel, type Report, servicePeriodOf } from './claim-facts.ts';
import type { ClaimInFile, CoverageSpan } from './types.ts';

/**
 * Timely filing: a claim is late when the last day of a line's service period is more than `limitDays`
 * before today (Medicare: 12 months, 42 CFR 424.44(a)(1); "1 calendar year after the date of service").
 * Exactly `limitDays` old is still on time.
 */
export function checkTimelyFiling(claim: Claim, today: string, limitDays: number, report: Report): void {
  claim.lines.forEach((line, k) => {
    const period = servicePeriodOf(claim, line);
    if (!period) return;
    const age = daysBetween(period.to, today);
    if (age > limitDays) {
      report(
        'TIMELY_FILING',
        'error',
        `lines[${k}].dates`,
        `service on ${period.to} is ${age} days before ${today}, past the ${limitDays}-day filing limit`,
        line,
      );
    } else if (age < 0) {
      report(
        'SERVICE_DATE_FUTURE',
        'error',
        `lines[${k}].dates`,
        `service date ${period.to} is after ${today}`,
        line,
      );
    }
  });
}

/**
 * What makes two claims the same bill: the same person (member id, patient name, date of birth), the
 * same billing NPI, and the same lines (date of service, procedure with modifiers, units, charge).
 */
export function claimFingerprint(c: ClaimInFile): string {
  const patient = patientOf(c);
  const lines = c.claim.lines
    .map((line) => {
      const period = servicePeriodOf(c.claim, line);
      return `${period?.from ?? ''}/${period?.to ?? ''}|${procedureLabel(line)}|${line.revenueCode ?? ''}|${line.units ?? ''}|${line.charge}`;
    })
    .sort()
    .join(';');
  return [
    c.billingProvider.provider.id ?? '',
    c.subscriber.person.id ?? '',
    patient.name ?? '',
    patient.dateOfBirth ?? '',
    lines,
  ].join('#');
}

/** Fingerprints of earlier claims; kept per array so scrubbing many claims indexes them once. */
const indexes = new WeakMap<readonly ClaimInFile[], Map<string, string>>();

export function duplicateIndex(previous: readonly ClaimInFile[]): Map<string, string> {
  let index = indexes.get(previous);
  if (!index) {
    index = new Map();
    for (const p of previous) {
      // A void (frequency 8) withdraws its claim; it is not a bill a new one could duplicate.
      const key = claimFingerprint(p);
      if (p.claim.frequencyCode !== '8' && !index.has(key)) index.set(key, p.claim.id);
    }
    indexes.set(previous, index);
  }
  return index;
}

/**
 * A claim that repeats an earlier one is a duplicate unless it says it replaces (frequency 7) or
 * voids (8) it (NUBC / X12 claim frequency type codes, CLM05-3).
 */
export function checkDuplicate(
  c: ClaimInFile,
  index: Map<string, string>,
  report: Report,
  fingerprint: string = claimFingerprint(c),
): void {
  const frequency = c.claim.frequencyCode;
  if (frequency === '7' || frequency === '8') return;
  const earlier = index.get(fingerprint);
  if (earlier === undefined) return;
  report(
    'DUPLICATE_CLAIM',
    'error',
    'claim',
    `same patient, dates of service, procedures and charges as claim ${earlier}; send a replacement (CLM05-3 = 7) to correct a claim`,
  );
}

/** Prior authorisation: REF*G1 on the claim (2300) or the line (2400). */
export function checkPriorAuthorization(
  claim: Claim,
  required: (code: string) => boolean,
  onFile: readonly string[] | undefined,
  report: Report,
): void {
  const claimAuth = claim.priorAuthorization;
  claim.lines.forEach((line, k) => {
    const code = line.procedure?.code;
    if (!code || !required(code)) return;
    const lineAuth = line.references.find((r) => r.qualifier === 'G1')?.value;
    const auth = lineAuth ?? claimAuth;
    if (!auth) {
      report(
        'PRIOR_AUTH_MISSING',
        'error',
        'claim.priorAuthorization',
        `${code} needs prior authorisation and neither the claim nor line ${line.lineNumber} carries REF*G1`,
        line,
      );
    } else if (onFile && !onFile.includes(auth)) {
      report(
        'PRIOR_AUTH_UNKNOWN',
        'error',
        lineAuth ? `lines[${k}].references` : 'claim.priorAuthorization',
        `authorisation ${auth} for ${code} is not one the payer issued`,
        line,
      );
    }
  });
}

/** Coverage: every line's service period must fall in one eligibility span. */
export function checkCoverage(claim: Claim, coverage: readonly CoverageSpan[], report: Report): void {
  claim.lines.forEach((line, k) => {
    const period = servicePeriodOf(claim, line);
    if (!period) return;
    const covered = coverage.some((s) => s.from <= period.from && (s.to === undefined || period.to <= s.to));
    if (covered) return;
    const spans = coverage.map((s) => `${s.from}–${s.to ?? 'open'}`).join(', ') || 'none';
    report(
      'COVERAGE_INACTIVE',
      'error',
      `lines[${k}].dates`,
      `coverage is not active for service ${period.from === period.to ? `on ${period.from}` : `${period.from}–${period.to}`} (eligibility: ${spans})`,
      line,
    );
  });
}

/** CLM02 must equal the sum of the line charges (SV102 / SV203), to the cent (005010X222A1 CLM02 note). */
export function checkClaimTotal(claim: Claim, report: Report): void {
  let cents = 0;
  for (const line of claim.lines) cents += Math.round(line.charge * 100);
  if (Math.round(claim.totalCharge * 100) === cents) return;
  report(
    'TOTAL_MISMATCH',
    'error',
    'claim.totalCharge',
    `claim total ${claim.totalCharge.toFixed(2)} differs from the sum of the line charges ${(cents / 100).toFixed(2)}`,
  );
}
