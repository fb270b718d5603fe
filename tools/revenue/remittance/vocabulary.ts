/**
 * The 835 vocabularies a posting names its codes with: claim adjustment group codes, CARC, RARC and
 * PLB reasons (data/codesets, sources in data/codesets/SOURCES.md), and the practitioner NCCI PTP table the
 * bundling rule consults: the one the scrubber uses (CAREBRIDGE_EDIT_TABLES_DIR, else the samples in data/edits).
 */
import { join } from 'node:path';
import {
  type CarcEntry,
  type DatedCode,
  type GroupCode,
  loadCarc,
  loadGroupCodes,
  loadPlbReasons,
  loadRarc,
} from '../codesets/adjustments.ts';
import { CODESET_FILES, DEFAULT_CODESETS_DIR } from '../codesets/codesets.ts';
import type { PtpTable } from '../codesets/edits.ts';
import { editTables } from '../claims/scrub-context.ts';

export interface RemittanceVocabulary {
  carc: ReadonlyMap<string, CarcEntry>;
  rarc: ReadonlyMap<string, DatedCode>;
  groups: ReadonlyMap<string, GroupCode>;
  plb: ReadonlyMap<string, DatedCode>;
  /** Absent when the edit-table folder holds no practitioner PTP file. */
  ptp?: PtpTable;
}

let cached: RemittanceVocabulary | undefined;

/** Loaded on first use (four small CSV files; the PTP table is the scrubber's, loaded once), shared afterwards. */
export function remittanceVocabulary(): RemittanceVocabulary {
  if (cached) return cached;
  const path = (name: keyof typeof CODESET_FILES) => join(DEFAULT_CODESETS_DIR, CODESET_FILES[name]);
  cached = {
    carc: loadCarc(path('carcCms'), path('carcVista')),
    rarc: loadRarc(path('rarc')),
    groups: loadGroupCodes(path('groupCodes')),
    plb: loadPlbReasons(path('plbReasons')),
    ptp: editTables().practitioner.ptp,
  };
  return cached;
}

const key = (code: string) => code.trim().toUpperCase();

/** A code the payer sent that the list lacks is posted all the same, described as unknown. */
export function carcDescription(v: RemittanceVocabulary, code: string): string {
  return v.carc.get(key(code))?.description ?? `CARC ${code} is not in the code list`;
}

export function rarcDescription(v: RemittanceVocabulary, code: string): string {
  return v.rarc.get(key(code))?.description ?? `RARC ${code} is not in the code list`;
}

export function groupDescription(v: RemittanceVocabulary, code: string): string {
  return (
    v.groups.get(key(code) as GroupCode['code'])?.description ?? `group code ${code} is not in the code list`
  );
}

export function plbDescription(v: RemittanceVocabulary, code: string): string {
  return v.plb.get(key(code))?.description ?? `PLB reason ${code} is not in the code list`;
}
