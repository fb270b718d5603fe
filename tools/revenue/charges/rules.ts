import { normaliseIcd10cm, dottedIcd10cm } from '../codesets/code-formats.ts';
import type { CodeSets } from '../codesets/codesets.ts';

/**
 * The coding and pricing rules charge capture applies, as plain functions over plain data: code
 * shapes checked against the code sets, the bed-days of a stay, and the date arithmetic they need.
 */

// NDC in the 11-digit 5-4-2 billing form (HIPAA 837 LIN03, qualifier N4; FDA NDC Directory).
export const NDC_11 = /^[0-9]{11}$/;

// NUBC UB-04 Form Locator 42: revenue codes are four digits with a leading zero.
export const REVENUE_CODE = /^0[0-9]{3}$/;

// Procedure and HCPCS modifiers are two characters (CPT Appendix A; HCPCS Level II modifiers).
export const MODIFIER = /^[0-9A-Z]{2}$/;

// Present-on-admission indicators: Y, N, U, W and 1 (exempt), ICD-10-CM Official Guidelines for
// Coding and Reporting, Appendix I; reported on the 837I HI segment.
export const POA_INDICATORS = ['Y', 'N', 'U', 'W', '1'] as const;

// SBR02 / PAT01 individual relationship codes (ASC X12N 005010X222A1): 18 self, 01 spouse, 19 child,
// 20 employee, 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner, G8 other relationship.
export const RELATIONSHIP_CODES = ['18', '01', '19', '20', '21', '39', '40', '53', 'G8'] as const;

/** Why a procedure, drug or supply code is not usable, or null when it is. */
export function procedureCodeProblem(
  sets: CodeSets,
  kind: 'procedure' | 'drug' | 'supply' | 'any',
  code: string,
): string | null {
  if (kind === 'drug' && NDC_11.test(code)) return null;
  const entry = sets.procedures.get(code);
  if (!entry) {
    return kind === 'drug'
      ? `${code} is neither an 11-digit NDC nor a HCPCS J-code on file`
      : `${code} is not a CPT or HCPCS Level II code on file`;
  }
  if (kind === 'drug' && !(entry.system === 'HCPCS' && entry.code.startsWith('J'))) {
    return `${code} is not a drug code: give an 11-digit NDC or a HCPCS J-code`;
  }
  if (kind === 'supply' && entry.system !== 'HCPCS') {
    return `${code} is a CPT code: a supply is billed with its HCPCS Level II code`;
  }
  if (entry.statusIndicator === 'D') return `${code} is discontinued (OPPS status indicator D)`;
  return null;
}

export type DiagnosisCheck = { ok: true; dotted: string; warning?: string } | { ok: false; problem: string };

/**
 * A diagnosis is refused when the code file proves it wrong (malformed, not in ICD-10-CM, or a header
 * that needs more characters: ICD-10-CM Official Guidelines I.B.2); a code under a listed header but
 * not itself in the file may exist, so it is kept with a warning (tools/revenue/codesets/README.md).
 */
export function checkDiagnosis(sets: CodeSets, code: string): DiagnosisCheck {
  const check = sets.icd10cm.check(code);
  switch (check.status) {
    case 'billable':
      return { ok: true, dotted: check.entry.dotted };
    case 'unlisted': {
      const dotted = dottedIcd10cm(normaliseIcd10cm(code) ?? code);
      return {
        ok: true,
        dotted,
        warning: `${dotted} is not in the code file (under ${check.parent.dotted}); check it exists`,
      };
    }
    case 'not-billable':
      return {
        ok: false,
        problem: `${check.entry.dotted} is a category header, not billable: code to the highest specificity`,
      };
    case 'malformed':
      return { ok: false, problem: `${code} is not shaped like an ICD-10-CM code` };
    case 'unknown-category':
      return { ok: false, problem: `${code} is not an ICD-10-CM code (unknown category)` };
  }
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}

/**
 * The dates an inpatient is charged room and board for, by the midnight census: a day is counted
 * for each midnight the patient is in the bed, so the admission day counts and the discharge day
 * does not, and a stay that begins and ends on one day counts one day (CMS Medicare Claims
 * Processing Manual, Pub. 100-04, ch. 3 §20.1 "Counting inpatient days"; §20.1.1 for same-day stays).
 * Days are calendar days in UTC, the demo hospital's time zone. A stay still open counts the
 * midnights already passed by `today` (interim capture), not today itself.
 */
export function inpatientDays(startedAt: Date, endedAt: Date | null, today: string): string[] {
  const first = isoDay(startedAt);
  const last = endedAt ? isoDay(endedAt) : today;
  if (endedAt && last <= first) return [first];
  const days: string[] = [];
  for (let day = first; day < last; day = addDays(day, 1)) days.push(day);
  return days;
}
