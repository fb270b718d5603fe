import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { CPT_CODE, HCPCS_CODE, isIsoDate } from './code-formats.ts';
import { CodeSetFormatError, type CsvRecord, parseDelimited } from './csv.ts';

/**
 * The CMS NCCI edit tables, read in the layout CMS publishes them (README.md, "Edit tables"):
 * procedure-to-procedure (PTP) pairs and medically unlikely edit (MUE) unit caps. The loaders take
 * the real quarterly files as downloaded (a copyright preamble, then a header row, tab- or
 * comma-separated) and the small samples in data/edits/ alike.
 */

export type ModifierIndicator = 0 | 1 | 9;

export interface PtpEdit {
  /** The comprehensive code, payable when both are billed. */
  column1: string;
  /** The component code, denied with column 1 unless a modifier is allowed and present. */
  column2: string;
  inExistencePrior1996: boolean;
  /** ISO date the edit takes effect for dates of service. */
  effectiveDate: string;
  /** ISO date from which the edit no longer applies; absent while the edit is current. */
  deletionDate?: string;
  /** 0 no modifier bypasses it; 1 an NCCI-associated modifier may; 9 the edit does not apply. */
  modifierIndicator: ModifierIndicator;
  rationale: string;
  /** Where the row came from, for messages: file:line. */
  source: string;
}

export interface PtpTable {
  readonly size: number;
  /** The edit pairing these codes (in this order) in force on the date of service, if any. */
  find(column1: string, column2: string, dateOfService: string): PtpEdit | undefined;
  edits(): readonly PtpEdit[];
}

export type MueAdjudicationIndicator = 1 | 2 | 3;
export type MueSetting = 'practitioner' | 'outpatient-hospital' | 'dme';

export interface MueEdit {
  code: string;
  /** Most units a provider would report for one patient on one date of service. */
  value: number;
  /** 1 claim line (modifiers may split lines); 2 date of service, absolute (policy); 3 date of service (clinical). */
  adjudicationIndicator: MueAdjudicationIndicator;
  rationale: string;
  source: string;
}

export interface MueTable {
  setting: MueSetting;
  readonly size: number;
  get(code: string): MueEdit | undefined;
  edits(): IterableIterator<MueEdit>;
}

/**
 * Modifiers CMS recognises as NCCI PTP-associated (NCCI Policy Manual, ch. I, "Modifiers and
 * Modifier Indicators"): with indicator 1 one of them on either code of the pair bypasses the edit,
 * when the record supports it.
 */
export const NCCI_PTP_MODIFIERS: ReadonlySet<string> = new Set([
  ...['24', '25', '27', '57', '58', '59', '78', '79', '91'],
  ...['XE', 'XS', 'XP', 'XU'],
  ...['E1', 'E2', 'E3', 'E4', 'FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9'],
  ...['TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'],
  ...['LT', 'RT', 'LC', 'LD', 'LM', 'RC', 'RI'],
]);

/** Does this edit deny the column 2 code, given the modifiers billed on the two lines? */
export function ptpEditApplies(edit: PtpEdit, modifiers: Iterable<string>): boolean {
  if (edit.modifierIndicator === 9) return false;
  if (edit.modifierIndicator === 0) return true;
  for (const m of modifiers) if (NCCI_PTP_MODIFIERS.has(m.trim().toUpperCase())) return false;
  return true;
}

const PROCEDURE = (code: string) => CPT_CODE.test(code) || HCPCS_CODE.test(code);

// Header cells are matched loosely: CMS wraps them over lines ("HCPCS/\nCPT Code") and varies case.
const headerKey = (cell: string) => cell.replace(/\s+/g, ' ').replace(/\/ /g, '/').trim().toLowerCase();

const PTP_COLUMNS = {
  column1: 'column 1',
  column2: 'column 2',
  prior1996: '*=in existence',
  effective: 'effective',
  deletion: 'deletion',
  modifier: 'modifier',
  rationale: 'ptp edit rationale',
} as const;

const MUE_COLUMNS = {
  code: 'hcpcs/cpt code',
  value: 'mue values',
  mai: 'mue adjudication indicator',
  rationale: 'mue rationale',
} as const;

interface Located<K extends string> {
  file: string;
  columns: Record<K, number>;
  header: string[];
  rows: CsvRecord[];
}

/** Skips the preamble to the header row (its first cell is `first`), maps the named columns. */
function locate<K extends string>(path: string, first: string, names: Record<K, string>): Located<K> {
  const file = basename(path);
  const text = readFileSync(path, 'utf8');
  const delimiter = text.slice(0, 4000).includes('\t') ? '\t' : ',';
  const records = parseDelimited(text, file, delimiter);
  const at = records.findIndex((r) => headerKey(r.fields[0] ?? '') === first);
  if (at < 0) throw new CodeSetFormatError(file, 1, `no header row starting "${first}"`);
  const head = records[at]!;
  const header = head.fields.map(headerKey);
  const columns = {} as Record<K, number>;
  for (const [key, name] of Object.entries(names) as [K, string][]) {
    const index = header.findIndex((h) => h.startsWith(name) || (name === 'mue values' && h.endsWith(name)));
    if (index < 0) throw new CodeSetFormatError(file, head.line, `no "${name}" column in the header`);
    columns[key] = index;
  }
  // Rows after the header whose first cell is empty continue a wrapped header, or are blank.
  const rows = records.slice(at + 1).filter((r) => (r.fields[0] ?? '').trim() !== '');
  return { file, columns, header, rows };
}

/** CMS writes dates as YYYYMMDD. */
function cmsDate(file: string, line: number, column: string, value: string): string {
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(value);
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  if (!isIsoDate(iso)) {
    throw new CodeSetFormatError(file, line, `${column} "${value}" is not a date (YYYYMMDD)`);
  }
  return iso;
}

export function readPtpEdits(path: string): PtpEdit[] {
  const { file, columns: c, rows } = locate(path, PTP_COLUMNS.column1, PTP_COLUMNS);
  return rows.map(({ line, fields }) => {
    const cell = (i: number) => (fields[i] ?? '').trim();
    const [column1, column2] = [cell(c.column1).toUpperCase(), cell(c.column2).toUpperCase()];
    for (const code of [column1, column2]) {
      if (!PROCEDURE(code)) throw new CodeSetFormatError(file, line, `"${code}" is not a CPT or HCPCS code`);
    }
    const prior = cell(c.prior1996);
    if (prior !== '' && prior !== '*') {
      throw new CodeSetFormatError(
        file,
        line,
        `in-existence-prior-to-1996 is "${prior}", expected * or empty`,
      );
    }
    const modifier = cell(c.modifier);
    if (modifier !== '0' && modifier !== '1' && modifier !== '9') {
      throw new CodeSetFormatError(file, line, `modifier indicator is "${modifier}", expected 0, 1 or 9`);
    }
    const edit: PtpEdit = {
      column1,
      column2,
      inExistencePrior1996: prior === '*',
      effectiveDate: cmsDate(file, line, 'effective date', cell(c.effective)),
      modifierIndicator: Number(modifier) as ModifierIndicator,
      rationale: cell(c.rationale),
      source: `${file}:${line}`,
    };
    const deletion = cell(c.deletion);
    if (deletion !== '*' && deletion !== '') {
      edit.deletionDate = cmsDate(file, line, 'deletion date', deletion);
      if (edit.deletionDate < edit.effectiveDate) {
        throw new CodeSetFormatError(file, line, `deletion date ${deletion} is before the effective date`);
      }
    }
    return edit;
  });
}

/** One table over any number of PTP files (CMS splits the practitioner table into four). */
export function ptpTable(edits: readonly PtpEdit[]): PtpTable {
  const byPair = new Map<string, PtpEdit[]>();
  for (const edit of edits) {
    const key = `${edit.column1}|${edit.column2}`;
    const list = byPair.get(key) ?? [];
    const clash = list.find((e) => e.effectiveDate === edit.effectiveDate);
    if (clash)
      throw new Error(`${edit.source}: the same edit as ${clash.source} (${key}, ${edit.effectiveDate})`);
    list.push(edit);
    byPair.set(key, list);
  }
  return {
    size: edits.length,
    find(column1, column2, dateOfService) {
      if (!isIsoDate(dateOfService))
        throw new RangeError(`"${dateOfService}" is not an ISO date (YYYY-MM-DD)`);
      const list = byPair.get(`${column1.trim().toUpperCase()}|${column2.trim().toUpperCase()}`) ?? [];
      return list.find(
        (e) =>
          e.effectiveDate <= dateOfService &&
          (e.deletionDate === undefined || dateOfService < e.deletionDate),
      );
    },
    edits: () => edits,
  };
}

export function loadPtpTable(...paths: string[]): PtpTable {
  return ptpTable(paths.flatMap(readPtpEdits));
}

/** The setting is named by the value column: "Practitioner Services MUE Values" and so on. */
function mueSetting(file: string, line: number, column: string): MueSetting {
  if (column.startsWith('practitioner')) return 'practitioner';
  if (column.startsWith('outpatient hospital') || column.startsWith('facility outpatient')) {
    return 'outpatient-hospital';
  }
  if (column.startsWith('dme')) return 'dme';
  throw new CodeSetFormatError(file, line, `cannot tell the MUE setting from the column "${column}"`);
}

export function loadMueTable(path: string): MueTable {
  const { file, columns: c, header, rows } = locate(path, MUE_COLUMNS.code, MUE_COLUMNS);
  const setting = mueSetting(file, (rows[0]?.line ?? 2) - 1, header[c.value]!);
  const byCode = new Map<string, MueEdit>();
  for (const { line, fields } of rows) {
    const cell = (i: number) => (fields[i] ?? '').trim();
    const code = cell(c.code).toUpperCase();
    if (!PROCEDURE(code)) throw new CodeSetFormatError(file, line, `"${code}" is not a CPT or HCPCS code`);
    const value = cell(c.value);
    if (!/^[0-9]+$/.test(value))
      throw new CodeSetFormatError(file, line, `MUE value "${value}" is not a whole number`);
    // CMS writes the indicator with its meaning: "2 Date of Service Edit: Policy".
    const mai = /^([123])(\s.*)?$/.exec(cell(c.mai));
    if (!mai)
      throw new CodeSetFormatError(
        file,
        line,
        `MUE adjudication indicator "${cell(c.mai)}" is not 1, 2 or 3`,
      );
    if (byCode.has(code)) throw new CodeSetFormatError(file, line, `code ${code} has a second MUE`);
    byCode.set(code, {
      code,
      value: Number(value),
      adjudicationIndicator: Number(mai[1]) as MueAdjudicationIndicator,
      rationale: cell(c.rationale),
      source: `${file}:${line}`,
    });
  }
  return {
    setting,
    size: byCode.size,
    get: (code) => byCode.get(code.trim().toUpperCase()),
    edits: () => byCode.values(),
  };
}
