/**
 * The observation codes CareBridge understands, and what each one means for NEWS2 and glucose screening.
 *
 * Rows are copied from shared/data/codesets/loinc-vitals.tsv (compiled for this project from the HL7 FHIR
 * R4 4.0.1 specification vital-signs profiles and examples, fhir-ru/fhir-ru.github.io@73deef6; the Synthea
 * bundles in shared/data/fhir/synthea; the HL7 CGM IG, HL7/cgm@02db5da input/fsh/profiles.fsh; and
 * SynaneticsLtd/emergency-department-ig bobtest-acvpu.fsh — see shared/data/SOURCES.md, section 4). They
 * are written out here rather than read at run time so that this module depends on nothing outside it.
 * LOINC codes and names © Regenstrief Institute, used under the LOINC licence. SNOMED CT codes are
 * from the UK edition (NEWS2 ACVPU).
 */

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
/** IEEE 11073-10101 nomenclature, as sent by bedside monitors and pulse oximeters. */
export const MDC = 'urn:iso:std:iso:11073:10101';

export type VitalKind =
  | 'respirationRate'
  | 'spo2'
  | 'systolicBp'
  | 'pulse'
  | 'temperature'
  | 'consciousness'
  | 'glucose'
  | 'inspiredOxygen';

export interface VitalCode {
  system: string;
  code: string;
  display: string;
  kind: VitalKind;
  /** A glucose code measured in mmol/L: the mass-per-volume code a value converted to mg/dL is filed under. */
  massEquivalent?: string;
  /** A summary over days (CGM mean glucose), not a single point-in-time reading. */
  summary?: boolean;
}

/** Codes whose value is one reading of one kind (in valueQuantity, or in a component of a panel). */
export const VITAL_CODES: readonly VitalCode[] = [
  { system: LOINC, code: '9279-1', display: 'Respiratory rate', kind: 'respirationRate' },
  { system: LOINC, code: '8867-4', display: 'Heart rate', kind: 'pulse' },
  { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood', kind: 'spo2' },
  {
    system: LOINC,
    code: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    kind: 'spo2',
  },
  { system: MDC, code: '150456', display: 'MDC_PULS_OXIM_SAT_O2', kind: 'spo2' },
  { system: LOINC, code: '8310-5', display: 'Body temperature', kind: 'temperature' },
  { system: LOINC, code: '8331-1', display: 'Oral temperature', kind: 'temperature' },
  // Sent as a component of the blood-pressure panels below (and accepted on its own).
  { system: LOINC, code: '8480-6', display: 'Systolic blood pressure', kind: 'systolicBp' },
  // ACVPU has no LOINC code; the TSV's only coded form is this SNOMED CT UK concept (NEWS2).
  {
    system: SNOMED,
    code: '1104441000000107',
    display: 'ACVPU (Alert Confusion Voice Pain Unresponsive) scale score',
    kind: 'consciousness',
  },
  { system: LOINC, code: '2339-0', display: 'Glucose [Mass/volume] in Blood', kind: 'glucose' },
  {
    system: LOINC,
    code: '15074-8',
    display: 'Glucose [Moles/volume] in Blood',
    kind: 'glucose',
    massEquivalent: '2339-0',
  },
  { system: LOINC, code: '99504-3', display: 'CGM sensor reading (mass)', kind: 'glucose' },
  {
    system: LOINC,
    code: '105272-9',
    display: 'CGM sensor reading (molar)',
    kind: 'glucose',
    massEquivalent: '99504-3',
  },
  {
    system: LOINC,
    code: '97507-8',
    display: 'Glucose [Mass/volume] in Serum or Plasma by Continuous glucose monitoring',
    kind: 'glucose',
    summary: true,
  },
  {
    system: LOINC,
    code: '105273-7',
    display: 'Glucose [Moles/volume] in Capillary blood by Continuous glucose monitoring',
    kind: 'glucose',
    summary: true,
    massEquivalent: '97507-8',
  },
  // 'inspiredOxygen' (FiO2 / O2 flow, e.g. LOINC 3150-0, 3151-8) has no row: loinc-vitals.tsv has no such code,
  // and codes not in the reviewed table are not added by guesswork. Supplemental oxygen arrives through the
  // simple JSON form (onOxygen) until a source for those codes is added to the table.
];

export interface PanelCode {
  system: string;
  code: string;
  display: string;
}

/** Panels: the readings are in component[] (and, for the vitals panel, in the Observations of hasMember). */
export const PANEL_CODES: readonly PanelCode[] = [
  { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' },
  // Older Synthea output (smart-on-fhir/generated-sample-data, synthea-5-2019) files BP under this code.
  { system: LOINC, code: '55284-4', display: 'Blood pressure' },
  {
    system: LOINC,
    code: '85353-1',
    display: 'Vital signs, weight, height, head circumference, oxygen saturation and BMI panel',
  },
];

/**
 * Codes in loinc-vitals.tsv that are recognised but deliberately not turned into readings, with why.
 * A message naming the reason is more useful to a sender than "unknown code".
 */
export const UNSUPPORTED_CODES: Readonly<Record<string, string>> = {
  // GCS and ACVPU are different scales. NEWS2 scores any new confusion (C) as 3, and a GCS of 15 does
  // not exclude new confusion, nor does GCS < 15 say which of C/V/P/U applies. Mapping GCS to ACVPU
  // would invent a clinical finding, so GCS is not read as consciousness.
  [`${LOINC}|9269-2`]:
    'Glasgow coma score is not converted to ACVPU; send ACVPU (SNOMED CT 1104441000000107)',
  [`${LOINC}|9267-6`]: 'Glasgow coma score components are not used',
  [`${LOINC}|9270-0`]: 'Glasgow coma score components are not used',
  [`${LOINC}|9268-4`]: 'Glasgow coma score components are not used',
  [`${LOINC}|8462-4`]: 'diastolic blood pressure is not a NEWS2 parameter',
  [`${LOINC}|8478-0`]: 'mean blood pressure is not a NEWS2 parameter',
  [`${LOINC}|8302-2`]: 'body height is not screened',
  [`${LOINC}|29463-7`]: 'body weight is not screened',
  [`${LOINC}|39156-5`]: 'body mass index is not screened',
  [`${LOINC}|9843-4`]: 'head circumference is not screened',
  [`${LOINC}|72514-3`]: 'pain score is not screened',
  [`${LOINC}|4548-4`]: 'HbA1c is not a point glucose reading',
  [`${LOINC}|97506-0`]: 'glucose management indicator is a CGM summary, not a glucose reading',
  [`${LOINC}|106793-3`]: 'CGM time-in-ranges panels are summaries, not glucose readings',
  [`${LOINC}|104643-2`]: 'CGM summary reports are not glucose readings',
};

/**
 * UCUM units accepted per kind; the first is the unit readings are normalised to. Temperature may come in
 * [degF] (the R4 bodytemp profile allows Cel or [degF]); glucose in mmol/L (the molar LOINC codes).
 */
export const UNITS_BY_KIND: Readonly<Record<VitalKind, readonly string[]>> = {
  respirationRate: ['/min'],
  pulse: ['/min'],
  spo2: ['%'],
  systolicBp: ['mm[Hg]'],
  temperature: ['Cel', '[degF]'],
  glucose: ['mg/dL', 'mmol/L'],
  consciousness: ['{ACVPU}'],
  inspiredOxygen: ['%', 'L/min'],
};

/**
 * Values outside these limits (in the normalised unit) are data errors, not patients: the same
 * physiologically possible ranges the NEWS2 input schema enforces.
 */
export const PLAUSIBLE_RANGE: Readonly<
  Record<Exclude<VitalKind, 'consciousness'>, readonly [number, number]>
> = {
  respirationRate: [0, 80],
  spo2: [0, 100],
  systolicBp: [0, 300],
  pulse: [0, 300],
  temperature: [25, 45],
  glucose: [1, 2000],
  inspiredOxygen: [0, 100],
};

/**
 * The ACVPU answers, from the HL7 UK Care Connect value set CareConnect-ACVPU-1
 * (yorkshire-and-humber-care-record/fhir-ig fsh-tank/input/fsh/CareConnect-fsh/Codes/CodesACVPU.fsh).
 */
export const ACVPU_SNOMED: Readonly<Record<string, 'A' | 'C' | 'V' | 'P' | 'U'>> = {
  '248234008': 'A', // Mentally alert
  '130987000': 'C', // Acute confusion
  '300202002': 'V', // Responds to voice
  '450847001': 'P', // Responds to pain
  '422768004': 'U', // Unresponsive
};

const byKey = new Map(VITAL_CODES.map((c) => [`${c.system}|${c.code}`, c]));
const panelByKey = new Map(PANEL_CODES.map((c) => [`${c.system}|${c.code}`, c]));

export function findVitalCode(system: string | undefined, code: string | undefined): VitalCode | undefined {
  return byKey.get(`${system}|${code}`);
}

export function findPanelCode(system: string | undefined, code: string | undefined): PanelCode | undefined {
  return panelByKey.get(`${system}|${code}`);
}

export function unsupportedReason(system: string | undefined, code: string | undefined): string | undefined {
  return UNSUPPORTED_CODES[`${system}|${code}`];
}

/** How a code is written into a Reading: LOINC codes bare, other systems as `system|code`. */
export function codeKey(system: string, code: string): string {
  return system === LOINC ? code : `${system}|${code}`;
}
