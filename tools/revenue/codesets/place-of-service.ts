import { POS_CODE } from './code-formats.ts';
import { CodeSetFormatError, readTable } from './csv.ts';

/**
 * CMS Place of Service codes 01–99 from the CMS BFD CodeSystem. Numbers CMS has not assigned are
 * in the file as UNASSIGNED and are kept with `assigned: false` (a claim must not use them). The
 * file's two BFD placeholders, `00` UNASSIGNED and `~` NO DESCRIPTION AVAILABLE, are not CMS codes:
 * `00` is kept like any unassigned number, `~` is read and dropped.
 */

export interface PlaceOfService {
  code: string;
  /** CMS's long description, upper case as published by BFD. */
  description: string;
  assigned: boolean;
}

export function loadPlacesOfService(path: string): Map<string, PlaceOfService> {
  const { file, rows } = readTable(path, { header: ['code', 'description'] });
  const out = new Map<string, PlaceOfService>();
  for (const { line, fields } of rows) {
    const [code, description] = fields as [string, string];
    if (code === '~') continue;
    if (!POS_CODE.test(code))
      throw new CodeSetFormatError(file, line, `"${code}" is not a place-of-service code`);
    if (description.trim() === '')
      throw new CodeSetFormatError(file, line, `place of service ${code} has no description`);
    if (out.has(code)) throw new CodeSetFormatError(file, line, `place of service ${code} appears twice`);
    out.set(code, { code, description, assigned: description !== 'UNASSIGNED' });
  }
  return out;
}
