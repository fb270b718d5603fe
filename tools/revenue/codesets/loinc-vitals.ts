import { isLoincCode } from './code-formats.ts';
import { CodeSetFormatError, readTable } from './csv.ts';

/**
 * The vital-sign and glucose observation codes CareBridge reads and writes, compiled from the FHIR
 * R4 vital-signs profiles, Synthea and the HL7 CGM IG. Rows are mostly LOINC; a LOINC code must
 * carry a correct check digit, so a mistyped code fails the load.
 */

export interface VitalSignCode {
  concept: string;
  system: string;
  code: string;
  display: string;
  ucumUnit?: string;
  fhirProfileOrRole: string;
  source: string;
  notes?: string;
}

export const LOINC_SYSTEM = 'http://loinc.org';

const SYSTEM_CODE: Record<string, RegExp> = {
  'urn:iso:std:iso:11073:10101': /^[0-9]{1,6}$/,
  'http://snomed.info/sct': /^[0-9]{6,18}$/,
};

export function loadVitalSignCodes(path: string): VitalSignCode[] {
  const { file, rows } = readTable(path, {
    delimiter: '\t',
    header: [
      'concept',
      'system',
      'code',
      'display_in_source',
      'ucum_unit',
      'fhir_profile_or_role',
      'source',
      'notes',
    ],
  });
  return rows.map(({ line, fields }) => {
    const [concept, system, code, display, unit, role, source, notes] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const valid = system === LOINC_SYSTEM ? isLoincCode(code) : SYSTEM_CODE[system]?.test(code);
    if (valid === undefined) throw new CodeSetFormatError(file, line, `unknown code system "${system}"`);
    if (!valid) throw new CodeSetFormatError(file, line, `"${code}" is not a valid ${system} code`);
    const entry: VitalSignCode = { concept, system, code, display, fhirProfileOrRole: role, source };
    if (unit !== '') entry.ucumUnit = unit;
    if (notes !== '') entry.notes = notes;
    return entry;
  });
}
