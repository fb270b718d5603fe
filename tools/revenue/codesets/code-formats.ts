/**
 * The shape of a code in each code set: what a row must look like to be loaded, and what a claim
 * line must look like before it is worth looking up.
 */

/** ICD-10-CM without the dot: letter, digit, digit-or-letter, then up to four more (E119, S72001A). */
export const ICD10CM_CODE = /^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$/;
/** As written on a claim or in a chart: optional dot after the category (E11.9 or E119). */
export const ICD10CM_WRITTEN = /^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$/;
/** CPT: Category I five digits; Category II ####F, III ####T, PLA ####U, MAAA ####M. */
export const CPT_CODE = /^[0-9]{4}[0-9FTUM]$/;
/** HCPCS Level II: a letter A–V then four digits (J9035). */
export const HCPCS_CODE = /^[A-V][0-9]{4}$/;
/** OPPS status indicator: a letter, sometimes followed by a digit (J1, Q4). */
export const STATUS_INDICATOR = /^[A-Z][0-9]?$/;
export const POS_CODE = /^[0-9]{2}$/;
/** CARC: 1–3 digits, or a letter-prefixed code (A0–A8, B1–B23, D1–D23, P1–P32, W1–W9, Y1–Y3). */
export const CARC_CODE = /^([0-9]{1,3}|[ABDPWY][0-9]{1,2})$/;
/** RARC: M, MA or N followed by up to three digits (M15, MA130, N130). */
export const RARC_CODE = /^(M|MA|N)[0-9]{1,3}$/;
export const GROUP_CODE = /^(CO|CR|OA|PI|PR)$/;
/** 835 PLB03-1 provider adjustment reason: two characters (L6, WO, 72). */
export const PLB_CODE = /^[0-9A-Z]{2}$/;
export const ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** E11.9, e11.9, ' E119 ' → E119. Returns undefined when the result is not shaped like ICD-10-CM. */
export function normaliseIcd10cm(code: string): string | undefined {
  const written = code.trim().toUpperCase();
  if (!ICD10CM_WRITTEN.test(written)) return undefined;
  return written.replace('.', '');
}

/** E119 → E11.9: the dot sits after the three-character category. */
export function dottedIcd10cm(code: string): string {
  return code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code;
}

export function normaliseProcedure(code: string): string {
  return code.trim().toUpperCase();
}

/** A real calendar date in ISO form (rejects 2018-02-30). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** LOINC's check digit is the Luhn (mod 10) digit of the number before the hyphen. */
export function isLoincCode(code: string): boolean {
  const m = /^([0-9]{1,7})-([0-9])$/.exec(code);
  if (!m) return false;
  const digits = `${m[1]}${m[2]}`;
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
