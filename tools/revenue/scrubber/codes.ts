/**
 * Code edits: ICD-10-CM diagnoses (valid, billable), CPT/HCPCS procedures (known, payable status)
 * and the 837P diagnosis pointers that tie each line to the diagnoses supporting it.
 */
import type { CodeSets } from '../codesets/codesets.ts';
import { dottedIcd10cm } from '../codesets/code-formats.ts';
import type { Claim } from '../x12/types.ts';
import { claimServicePeriod, type Report, servicePeriodOf } from './claim-facts.ts';
import type { ClaimInFile, PayerKind } from './types.ts';

/** HI qualifiers of ICD-9-CM diagnoses (005010X222A1 2300 HI; ICD-10-CM uses ABK, ABF, ABJ, APR, ABN). */
const ICD9_QUALIFIERS: ReadonlySet<string> = new Set(['BK', 'BF', 'BJ', 'PR', 'BN', 'DR']);

/** ICD-10-CM replaced ICD-9-CM for dates of service from 1 October 2015 (45 CFR 162.1002(c)(3)). */
const ICD10_FROM = '2015-10-01';

/** The earliest date of service on the claim, if any line or the claim says. */
function firstServiceDate(claim: Claim): string | undefined {
  let first = claimServicePeriod(claim)?.from;
  for (const line of claim.lines) {
    const from = servicePeriodOf(claim, line)?.from;
    if (from && (!first || from < first)) first = from;
  }
  return first;
}

/** The status of each diagnosis position: is it a code a line may point to? */
export type DiagnosisValidity = ('valid' | 'invalid' | 'unchecked')[];

export function checkDiagnosisCodes(c: ClaimInFile, codes: CodeSets, report: Report): DiagnosisValidity {
  const { claim } = c;
  const validity: DiagnosisValidity = [];
  let dateOfService: string | undefined | null = null;
  claim.diagnoses.forEach((dx, k) => {
    const field = `claim.diagnoses[${k}]`;
    if (ICD9_QUALIFIERS.has(dx.qualifier)) {
      dateOfService ??= firstServiceDate(claim);
      const after = dateOfService === undefined || dateOfService >= ICD10_FROM;
      report(
        'DX_ICD9_QUALIFIER',
        after ? 'error' : 'warning',
        field,
        after
          ? `diagnosis ${dx.code} is sent as ICD-9-CM (qualifier ${dx.qualifier}); dates of service from ${ICD10_FROM} need ICD-10-CM (qualifier A${dx.qualifier})`
          : `diagnosis ${dx.code} is ICD-9-CM (qualifier ${dx.qualifier}), valid before ${ICD10_FROM}; this scrubber checks ICD-10-CM codes only`,
      );
      validity.push(after ? 'invalid' : 'unchecked');
      return;
    }
    const check = codes.icd10cm.check(dx.code);
    switch (check.status) {
      case 'billable':
        validity.push('valid');
        return;
      case 'malformed':
        report('DX_INVALID', 'error', field, `diagnosis "${dx.code}" is not shaped like an ICD-10-CM code`);
        break;
      case 'unknown-category':
        report(
          'DX_INVALID',
          'error',
          field,
          `diagnosis ${dottedIcd10cm(check.code)}: category ${check.code.slice(0, 3)} is not in ICD-10-CM FY2018`,
        );
        break;
      case 'not-billable':
        // Only a certain "not billable" is reported (codesets README, "ICD-10-CM billability").
        report(
          'DX_NOT_BILLABLE',
          'error',
          field,
          `diagnosis ${check.entry.dotted} (${check.entry.description}) is a header, not billable: code to the highest specificity (${check.entry.basis})`,
        );
        break;
      case 'unlisted':
        report(
          'DX_UNLISTED',
          'warning',
          field,
          `diagnosis ${dottedIcd10cm(check.code)} is not in the code file (under ${check.parent.dotted}); cannot confirm it exists`,
        );
        validity.push('unchecked');
        return;
    }
    validity.push('invalid');
  });
  return validity;
}

/**
 * Procedure codes must be CPT or HCPCS codes on file. OPPS status indicator D (discontinued) is
 * never payable; E1 (not covered by Medicare) and, on institutional claims, M (not billable to the
 * MAC) are reported for Medicare. Other indicators depend on the setting and are not judged here.
 */
export function checkProcedureCodes(
  c: ClaimInFile,
  codes: CodeSets,
  payer: PayerKind | undefined,
  report: Report,
): void {
  c.claim.lines.forEach((line, k) => {
    const p = line.procedure;
    if (p?.qualifier !== 'HC') return;
    const field = `lines[${k}].procedure.code`;
    const entry = codes.procedures.get(p.code);
    if (!entry) {
      report('PROC_UNKNOWN', 'error', field, `procedure ${p.code} is not a CPT or HCPCS code on file`, line);
      return;
    }
    const si = entry.statusIndicator;
    if (si === 'D') {
      report(
        'PROC_NOT_PAYABLE',
        'error',
        field,
        `procedure ${p.code} is discontinued (status indicator D)`,
        line,
      );
    } else if (payer === 'medicare' && (si === 'E1' || (si === 'M' && c.type === '837I'))) {
      report(
        'PROC_NOT_PAYABLE',
        'warning',
        field,
        `procedure ${p.code} has status indicator ${si} (${entry.status?.description ?? 'not paid'}): Medicare does not pay it`,
        line,
      );
    }
  });
}

/**
 * 837P SV107: one to four 1-based pointers into the claim's diagnoses (005010X222A1 2400 SV107, required).
 * A pointer past the last diagnosis, or to a diagnosis found invalid, leaves the line unsupported.
 */
export function checkDiagnosisPointers(
  c: ClaimInFile,
  validity: DiagnosisValidity | undefined,
  report: Report,
): void {
  if (c.type !== '837P') return;
  const count = c.claim.diagnoses.length;
  c.claim.lines.forEach((line, k) => {
    const field = `lines[${k}].diagnosisPointers`;
    const pointers = line.diagnosisPointers ?? [];
    if (pointers.length === 0) {
      report(
        'DX_POINTER_MISSING',
        'error',
        field,
        `line ${procedureOf(line)} points to no diagnosis (SV107)`,
        line,
      );
      return;
    }
    pointers.forEach((pointer, j) => {
      if (!Number.isInteger(pointer) || pointer < 1 || pointer > Math.min(count, 12)) {
        report(
          'DX_POINTER_INVALID',
          'error',
          `${field}[${j}]`,
          `pointer ${pointer} does not name one of the claim's ${count} diagnoses`,
          line,
        );
      } else if (validity?.[pointer - 1] === 'invalid') {
        report(
          'DX_POINTER_UNSUPPORTED',
          'error',
          `${field}[${j}]`,
          `pointer ${pointer} names diagnosis ${c.claim.diagnoses[pointer - 1]?.code}, which is not a valid billable code`,
          line,
        );
      }
    });
  });
}

function procedureOf(line: { procedure?: { code: string } }): string {
  return line.procedure?.code ?? '(no procedure)';
}
