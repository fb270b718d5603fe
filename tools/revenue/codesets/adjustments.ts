import { CARC_CODE, GROUP_CODE, isIsoDate, PLB_CODE, RARC_CODE } from './code-formats.ts';
import { CodeSetFormatError, readTable, type TableRow } from './csv.ts';

/**
 * The 835 remittance vocabularies: claim adjustment reason codes (CARC), remittance advice remark
 * codes (RARC), claim adjustment group codes and provider-level (PLB) adjustment reasons.
 *
 * Dates follow X12's Start / Stop convention (Washington Publishing Company, "What do the Start,
 * Last Modified, and Stop dates mean?"): a code may be used in an original remittance from its
 * Start date, and no longer after its Stop date; it stays readable in reversals and secondary
 * claims that report an earlier use. So a code is active on its Stop date itself.
 */

export interface DatedCode {
  code: string;
  description: string;
  /** ISO dates; undefined when the source gives none. */
  startDate?: string;
  stopDate?: string;
  lastModified?: string;
  notes?: string;
  /** May this code appear in an original remittance dated `on` (ISO date)? */
  active(on: string): boolean;
}

export interface CarcEntry extends DatedCode {
  /** Where the description came from: the current CMS list, or VistA when CMS lacks the code. */
  descriptionSource: 'cms-bfd' | 'vista-m';
  /** Whether start/stop dates are known (VistA, 2018); codes added since have none. */
  datesSource: 'vista-m' | 'none';
}

export interface GroupCode {
  code: 'CO' | 'CR' | 'OA' | 'PI' | 'PR';
  description: string;
}

export function activeOn(entry: { startDate?: string; stopDate?: string }, on: string): boolean {
  if (!isIsoDate(on)) throw new RangeError(`"${on}" is not an ISO date (YYYY-MM-DD)`);
  if (entry.startDate !== undefined && on < entry.startDate) return false;
  return entry.stopDate === undefined || on <= entry.stopDate;
}

interface DatedRow {
  code: string;
  description: string;
  startDate?: string;
  stopDate?: string;
  lastModified?: string;
  notes?: string;
}

const DATED_HEADER = ['code', 'start_date', 'stop_date', 'last_modified', 'description'];

/** The VistA-M FileMan extracts: code, start_date, stop_date, last_modified, description[, notes]. */
function loadDated(
  path: string,
  codeFormat: RegExp,
  what: string,
  withNotes: boolean,
): Map<string, DatedRow> {
  const { file, rows } = readTable(path, { header: withNotes ? [...DATED_HEADER, 'notes'] : DATED_HEADER });
  const out = new Map<string, DatedRow>();
  for (const row of rows) {
    const [code, start, stop, modified, description, notes] = row.fields as [
      string,
      string,
      string,
      string,
      string,
      string?,
    ];
    if (!codeFormat.test(code)) throw new CodeSetFormatError(file, row.line, `"${code}" is not a ${what}`);
    if (description.trim() === '')
      throw new CodeSetFormatError(file, row.line, `${what} ${code} has no description`);
    if (out.has(code)) throw new CodeSetFormatError(file, row.line, `${what} ${code} appears twice`);
    const entry: DatedRow = { code, description };
    if (start !== '') entry.startDate = date(file, row, 'start_date', start);
    if (stop !== '') entry.stopDate = date(file, row, 'stop_date', stop);
    if (modified !== '') entry.lastModified = date(file, row, 'last_modified', modified);
    if (notes) entry.notes = notes;
    if (entry.startDate && entry.stopDate && entry.stopDate < entry.startDate) {
      throw new CodeSetFormatError(
        file,
        row.line,
        `${what} ${code} stops (${stop}) before it starts (${start})`,
      );
    }
    out.set(code, entry);
  }
  return out;
}

function date(file: string, row: TableRow, column: string, value: string): string {
  if (!isIsoDate(value))
    throw new CodeSetFormatError(file, row.line, `${column} "${value}" is not an ISO date`);
  return value;
}

function withActive<T extends DatedRow>(row: T): T & { active(on: string): boolean } {
  return Object.assign(row, { active: (on: string) => activeOn(row, on) });
}

function loadCodeDescriptions(path: string, codeFormat: RegExp, what: string): Map<string, string> {
  const { file, rows } = readTable(path, { header: ['code', 'description'] });
  const out = new Map<string, string>();
  for (const { line, fields } of rows) {
    const [code, description] = fields as [string, string];
    if (!codeFormat.test(code)) throw new CodeSetFormatError(file, line, `"${code}" is not a ${what}`);
    if (description.trim() === '')
      throw new CodeSetFormatError(file, line, `${what} ${code} has no description`);
    if (out.has(code)) throw new CodeSetFormatError(file, line, `${what} ${code} appears twice`);
    out.set(code, description);
  }
  return out;
}

/**
 * CARC = the CMS BFD list (current, descriptions, no dates) merged with the VistA-M list (2018,
 * dates). Every code in either list is kept. The description comes from CMS when CMS has the code
 * (it is the newer wording), else from VistA; start/stop/modified dates and notes come from VistA.
 * Codes added after the 2018 VistA snapshot (262–308, P24–P32) have no dates and count as active;
 * deactivations after 2018 are not known to this list.
 */
export function loadCarc(cmsPath: string, vistaPath: string): Map<string, CarcEntry> {
  const cms = loadCodeDescriptions(cmsPath, CARC_CODE, 'CARC');
  const vista = loadDated(vistaPath, CARC_CODE, 'CARC', true);
  const out = new Map<string, CarcEntry>();
  for (const code of new Set([...cms.keys(), ...vista.keys()])) {
    const dated = vista.get(code);
    const description = cms.get(code);
    out.set(
      code,
      withActive({
        ...dated,
        code,
        description: description ?? dated!.description,
        descriptionSource: description !== undefined ? 'cms-bfd' : 'vista-m',
        datesSource: dated ? 'vista-m' : 'none',
      }),
    );
  }
  return out;
}

export function loadRarc(path: string): Map<string, DatedCode> {
  const rows = loadDated(path, RARC_CODE, 'RARC', true);
  return new Map([...rows].map(([code, row]) => [code, withActive(row)]));
}

export function loadPlbReasons(path: string): Map<string, DatedCode> {
  const rows = loadDated(path, PLB_CODE, 'PLB reason code', false);
  return new Map([...rows].map(([code, row]) => [code, withActive(row)]));
}

export function loadGroupCodes(path: string): Map<GroupCode['code'], GroupCode> {
  const rows = loadCodeDescriptions(path, GROUP_CODE, 'group code');
  return new Map(
    [...rows].map(([code, description]) => [code as GroupCode['code'], { code, description } as GroupCode]),
  );
}
