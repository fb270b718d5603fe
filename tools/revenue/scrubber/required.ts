/**
 * Required-field edits: what the 837 implementation guides (005010X222A1 professional, 005010X223A2
 * institutional) require of the billing provider, subscriber, patient, claim and each service line,
 * and the NPI's check digit (45 CFR 162.406; CMS "NPI: Requirements for Check Digit").
 */
import { hasLineServiceDate, patientOf, type Report, servicePeriodOf } from './claim-facts.ts';
import type { ClaimInFile } from './types.ts';

/**
 * The NPI check digit: Luhn (ISO/IEC 7812) over the 9-digit identifier prefixed with 80840, the
 * card-issuer prefix for US health applications; equivalently, add 24 to the Luhn sum of the 9 digits.
 */
export function isValidNpi(npi: string): boolean {
  if (!/^[0-9]{10}$/.test(npi)) return false;
  let sum = 24;
  for (let k = 0; k < 9; k++) {
    // Double every other digit starting from the rightmost of the nine (k = 8).
    let d = npi.charCodeAt(8 - k) - 48;
    if (k % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === npi.charCodeAt(9) - 48;
}

const TAX_ID = /^[0-9]{9}$/;

export function checkRequiredFields(c: ClaimInFile, report: Report): void {
  const { claim, billingProvider, subscriber } = c;
  const missing = (field: string, what: string, line?: number) =>
    report('REQUIRED_MISSING', 'error', field, `${what} is required and missing`, line);

  if (claim.id.trim() === '') missing('claim.id', 'CLM01 patient control number (claim id)');

  const provider = billingProvider.provider;
  const npi = provider.idQualifier === 'XX' ? provider.id?.trim() : undefined;
  if (!npi) {
    missing('billingProvider.provider.id', 'NM109 billing provider NPI (NM108 XX)');
  } else if (!/^[0-9]{10}$/.test(npi)) {
    report(
      'NPI_FORMAT',
      'error',
      'billingProvider.provider.id',
      `billing provider NPI "${npi}" must be 10 digits`,
    );
  } else if (!isValidNpi(npi)) {
    report(
      'NPI_CHECK_DIGIT',
      'error',
      'billingProvider.provider.id',
      `billing provider NPI ${npi} fails the check digit (Luhn with prefix 80840)`,
    );
  }

  const refs = provider.references ?? [];
  const taxId = refs.find((r) => r.qualifier === 'EI' || r.qualifier === 'SY');
  if (!taxId) {
    missing('billingProvider.provider.references', 'REF*EI (EIN) or REF*SY (SSN) billing provider tax id');
  } else if (!TAX_ID.test(taxId.value.replace(/-/g, ''))) {
    report(
      'TAX_ID_FORMAT',
      'error',
      'billingProvider.provider.references',
      `billing provider tax id (REF*${taxId.qualifier}) "${taxId.value}" must be 9 digits`,
    );
  }

  if (!subscriber.person.id?.trim()) missing('subscriber.person.id', 'NM109 subscriber member id');

  const patient = patientOf(c);
  if (!patient.dateOfBirth) {
    missing(`${patient.base}.demographics.dateOfBirth`, `DMG02 ${patient.base} date of birth`);
  }
  if (!patient.sex) {
    missing(`${patient.base}.demographics.sex`, `DMG03 ${patient.base} sex`);
  } else if (!/^[FMU]$/.test(patient.sex)) {
    report(
      'SEX_CODE',
      'error',
      `${patient.base}.demographics.sex`,
      `DMG03 ${patient.base} sex "${patient.sex}" must be F, M or U`,
    );
  }

  if (claim.diagnoses.length === 0)
    missing('claim.diagnoses', 'at least one diagnosis (HI, principal first)');
  if (claim.lines.length === 0) missing('claim.lines', 'at least one service line (LX)');

  claim.lines.forEach((line, k) => {
    const at = `lines[${k}]`;
    if (c.type === '837P' && !line.procedure?.code) {
      missing(`${at}.procedure`, 'SV101 procedure code', line.lineNumber);
    }
    if (c.type === '837I' && !line.revenueCode)
      missing(`${at}.revenueCode`, 'SV201 revenue code', line.lineNumber);
    if (!Number.isFinite(line.charge) || line.charge < 0) {
      report(
        'CHARGE_INVALID',
        'error',
        `${at}.charge`,
        `line charge ${line.charge} is not an amount ≥ 0`,
        line,
      );
    }
    if (line.units === undefined) {
      missing(`${at}.units`, 'service unit count (SV104 / SV205)', line.lineNumber);
    } else if (!(line.units > 0)) {
      report('UNITS_INVALID', 'error', `${at}.units`, `units ${line.units} must be greater than 0`, line);
    }
    // 837P: DTP*472 on every line. 837I: the claim's statement period serves lines without one.
    if (c.type === '837P' ? !hasLineServiceDate(line) : !servicePeriodOf(claim, line)) {
      missing(`${at}.dates`, 'DTP*472 service date', line.lineNumber);
    }
  });
}
