import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CarcEntry,
  type DatedCode,
  type GroupCode,
  loadCarc,
  loadGroupCodes,
  loadPlbReasons,
  loadRarc,
} from './adjustments.ts';
import { type Icd10cmCodeSet, loadIcd10cm } from './icd10cm.ts';
import { loadVitalSignCodes, type VitalSignCode } from './loinc-vitals.ts';
import { loadPlacesOfService, type PlaceOfService } from './place-of-service.ts';
import {
  loadCpt,
  loadHcpcs,
  loadStatusIndicators,
  type ProcedureCodeSet,
  procedureCodeSet,
} from './procedures.ts';

/** The repository's copy of the code sets (see data/codesets/SOURCES.md). */
export const DEFAULT_CODESETS_DIR = fileURLToPath(new URL('../../../data/codesets/', import.meta.url));

/** File names as published in ../shared/data/codesets, kept unchanged in data/codesets. */
export const CODESET_FILES = {
  icd10cm: 'icd10cm-fy2018-categories__k4m1113.csv',
  cpt: 'cpt-codes-only__cms-opps-addendum-b-2026-04.csv',
  hcpcs: 'hcpcs-level2__cms-opps-addendum-b-2026-04.csv',
  statusIndicators: 'opps-status-indicators__softek-cms-hcpcs.csv',
  pos: 'place-of-service__cms-bfd.csv',
  carcCms: 'carc__cms-bfd.csv',
  carcVista: 'carc__vista-m_2018.csv',
  rarc: 'rarc__vista-m_2018.csv',
  groupCodes: 'carc-group-codes__cms-bfd.csv',
  plbReasons: 'plb-adjustment-reason-codes__vista-m_2018.csv',
  vitalSigns: 'loinc-vitals.tsv',
} as const;

/** A code table keyed by code; `get` ignores case and surrounding spaces. */
export interface CodeLookup<T> {
  readonly size: number;
  get(code: string): T | undefined;
  has(code: string): boolean;
  values(): IterableIterator<T>;
}

export interface CodeSets {
  /** ICD-10-CM FY2018 categories and codes; billability derived as icd10cm.ts explains. */
  icd10cm: Icd10cmCodeSet;
  /** CPT (no descriptors) and HCPCS Level II, with OPPS status indicators. */
  procedures: ProcedureCodeSet;
  pos: CodeLookup<PlaceOfService>;
  carc: CodeLookup<CarcEntry>;
  rarc: CodeLookup<DatedCode>;
  groupCodes: CodeLookup<GroupCode>;
  plbReasons: CodeLookup<DatedCode>;
  vitalSigns: readonly VitalSignCode[];
}

function lookup<T>(map: ReadonlyMap<string, T>): CodeLookup<T> {
  const key = (code: string) => code.trim().toUpperCase();
  return {
    size: map.size,
    get: (code) => map.get(key(code)),
    has: (code) => map.has(key(code)),
    values: () => map.values(),
  };
}

/** Reads and validates every code-set file in `dir`; throws CodeSetFormatError naming file:line. */
export function loadCodeSets(dir: string = DEFAULT_CODESETS_DIR): CodeSets {
  const path = (name: keyof typeof CODESET_FILES) => join(dir, CODESET_FILES[name]);
  return {
    icd10cm: loadIcd10cm(path('icd10cm')),
    procedures: procedureCodeSet(
      loadCpt(path('cpt')),
      loadHcpcs(path('hcpcs')),
      loadStatusIndicators(path('statusIndicators')),
    ),
    pos: lookup(loadPlacesOfService(path('pos'))),
    carc: lookup(loadCarc(path('carcCms'), path('carcVista'))),
    rarc: lookup(loadRarc(path('rarc'))),
    groupCodes: lookup(loadGroupCodes(path('groupCodes'))),
    plbReasons: lookup(loadPlbReasons(path('plbReasons'))),
    vitalSigns: loadVitalSignCodes(path('vitalSigns')),
  };
}

let cached: CodeSets | undefined;

/** The repository's code sets, loaded on first use and shared afterwards. */
export function codeSets(): CodeSets {
  cached ??= loadCodeSets();
  return cached;
}
