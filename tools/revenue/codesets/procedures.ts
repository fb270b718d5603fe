import { CPT_CODE, HCPCS_CODE, normaliseProcedure, STATUS_INDICATOR } from './code-formats.ts';
import { CodeSetFormatError, readTable } from './csv.ts';

/**
 * CPT and HCPCS Level II codes from CMS OPPS Addendum B (April 2026), with their OPPS status
 * indicators. CPT descriptors are AMA copyright and are deliberately absent; HCPCS Level II short
 * descriptors and payment rates are CMS's own and are kept.
 */

export type CptCategory = 'CPT-CatI' | 'CPT-CatII' | 'CPT-CatIII' | 'CPT-PLA' | 'CPT-MAAA';

export interface StatusIndicator {
  code: string;
  /** Whether OPPS pays codes with this indicator: Always, Sometimes, Never, Unknown. */
  paid: string;
  description: string;
}

export type ProcedureEntry =
  | {
      system: 'CPT';
      code: string;
      cptCategory: CptCategory;
      statusIndicator: string;
      status?: StatusIndicator;
    }
  | {
      system: 'HCPCS';
      code: string;
      shortDescriptor: string;
      statusIndicator: string;
      status?: StatusIndicator;
      /** OPPS national unadjusted payment rate in dollars, when Addendum B gives one. */
      paymentRate?: number;
    };

export interface ProcedureCodeSet {
  readonly size: number;
  /** CPT (99213, 0001F) or HCPCS Level II (J9035); case and surrounding spaces ignored. */
  get(code: string): ProcedureEntry | undefined;
  statusIndicators: ReadonlyMap<string, StatusIndicator>;
  entries(): IterableIterator<ProcedureEntry>;
}

// The category column must agree with the code's last character.
const CATEGORY_SUFFIX: Record<CptCategory, RegExp> = {
  'CPT-CatI': /[0-9]$/,
  'CPT-CatII': /F$/,
  'CPT-CatIII': /T$/,
  'CPT-PLA': /U$/,
  'CPT-MAAA': /M$/,
};

export function loadStatusIndicators(path: string): Map<string, StatusIndicator> {
  const { file, rows } = readTable(path, { header: ['StatusIndicator', 'Paid', 'Description'] });
  const out = new Map<string, StatusIndicator>();
  for (const { line, fields } of rows) {
    // The legend is copied unchanged and pads its columns with spaces.
    const [code, paid, description] = fields.map((f) => f.trim()) as [string, string, string];
    if (!STATUS_INDICATOR.test(code))
      throw new CodeSetFormatError(file, line, `"${code}" is not a status indicator`);
    if (!/^(Always|Sometimes|Never|Unknown)$/.test(paid)) {
      throw new CodeSetFormatError(
        file,
        line,
        `Paid is "${paid}", expected Always, Sometimes, Never or Unknown`,
      );
    }
    if (out.has(code)) throw new CodeSetFormatError(file, line, `status indicator ${code} appears twice`);
    out.set(code, { code, paid, description });
  }
  return out;
}

export function loadCpt(path: string): Map<string, ProcedureEntry> {
  const { file, rows } = readTable(path, { header: ['code', 'cpt_category', 'opps_status_indicator'] });
  const out = new Map<string, ProcedureEntry>();
  for (const { line, fields } of rows) {
    const [code, category, si] = fields as [string, string, string];
    if (!CPT_CODE.test(code)) throw new CodeSetFormatError(file, line, `"${code}" is not a CPT code`);
    const suffix = CATEGORY_SUFFIX[category as CptCategory];
    if (!suffix) throw new CodeSetFormatError(file, line, `unknown CPT category "${category}"`);
    if (!suffix.test(code))
      throw new CodeSetFormatError(file, line, `code ${code} does not fit category ${category}`);
    if (!STATUS_INDICATOR.test(si))
      throw new CodeSetFormatError(file, line, `"${si}" is not a status indicator`);
    if (out.has(code)) throw new CodeSetFormatError(file, line, `code ${code} appears twice`);
    out.set(code, { system: 'CPT', code, cptCategory: category as CptCategory, statusIndicator: si });
  }
  return out;
}

export function loadHcpcs(path: string): Map<string, ProcedureEntry> {
  const { file, rows } = readTable(path, {
    header: ['code', 'short_descriptor', 'opps_status_indicator', 'opps_payment_rate'],
  });
  const out = new Map<string, ProcedureEntry>();
  for (const { line, fields } of rows) {
    const [code, shortDescriptor, si, rate] = fields as [string, string, string, string];
    if (!HCPCS_CODE.test(code))
      throw new CodeSetFormatError(file, line, `"${code}" is not a HCPCS Level II code`);
    if (shortDescriptor.trim() === '')
      throw new CodeSetFormatError(file, line, `code ${code} has no descriptor`);
    if (!STATUS_INDICATOR.test(si))
      throw new CodeSetFormatError(file, line, `"${si}" is not a status indicator`);
    if (rate !== '' && !/^[0-9]+(\.[0-9]+)?$/.test(rate)) {
      throw new CodeSetFormatError(file, line, `payment rate "${rate}" is not an amount`);
    }
    if (out.has(code)) throw new CodeSetFormatError(file, line, `code ${code} appears twice`);
    const entry: ProcedureEntry = { system: 'HCPCS', code, shortDescriptor, statusIndicator: si };
    if (rate !== '') entry.paymentRate = Number(rate);
    out.set(code, entry);
  }
  return out;
}

export function procedureCodeSet(
  cpt: Map<string, ProcedureEntry>,
  hcpcs: Map<string, ProcedureEntry>,
  statusIndicators: Map<string, StatusIndicator>,
): ProcedureCodeSet {
  const byCode = new Map<string, ProcedureEntry>();
  for (const table of [cpt, hcpcs]) {
    for (const [code, entry] of table) {
      // The legend predates some indicators Addendum B now uses (S1, H1): those stay without `status`.
      const status = statusIndicators.get(entry.statusIndicator);
      if (status) entry.status = status;
      byCode.set(code, entry);
    }
  }
  return {
    size: byCode.size,
    get: (code) => byCode.get(normaliseProcedure(code)),
    statusIndicators,
    entries: () => byCode.values(),
  };
}
