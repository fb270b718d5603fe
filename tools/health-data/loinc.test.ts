import { describe, expect, it } from 'vitest';
import {
  ACVPU_SNOMED,
  codeKey,
  findPanelCode,
  findVitalCode,
  LOINC,
  MDC,
  PANEL_CODES,
  PLAUSIBLE_RANGE,
  SNOMED,
  UNITS_BY_KIND,
  UNSUPPORTED_CODES,
  unsupportedReason,
  VITAL_CODES,
  type VitalKind,
} from './loinc.ts';
import { news2InputSchema } from './news2.ts';

// Expected rows restate shared/data/codesets/loinc-vitals.tsv (see loinc.ts for its sources).

describe('findVitalCode: the codes read as one reading each', () => {
  it.each([
    [LOINC, '9279-1', 'respirationRate'],
    [LOINC, '8867-4', 'pulse'],
    [LOINC, '2708-6', 'spo2'],
    [LOINC, '59408-5', 'spo2'],
    [MDC, '150456', 'spo2'],
    [LOINC, '8480-6', 'systolicBp'],
    [LOINC, '8310-5', 'temperature'],
    [LOINC, '8331-1', 'temperature'],
    [SNOMED, '1104441000000107', 'consciousness'],
    [LOINC, '2339-0', 'glucose'],
    [LOINC, '15074-8', 'glucose'],
    [LOINC, '99504-3', 'glucose'],
    [LOINC, '105272-9', 'glucose'],
    [LOINC, '97507-8', 'glucose'],
    [LOINC, '105273-7', 'glucose'],
  ])('%s|%s is %s', (system, code, kind) => {
    expect(findVitalCode(system, code)?.kind).toBe(kind);
  });

  it('has exactly those fifteen codes', () => {
    expect(VITAL_CODES).toHaveLength(15);
  });

  it.each([
    [LOINC, '1104441000000107', 'the ACVPU code under the wrong system'],
    [SNOMED, '8867-4', 'a LOINC code under SNOMED'],
    [undefined, '8867-4', 'a code without a system'],
    [LOINC, '9269-2', 'GCS total, which is not ACVPU'],
    [LOINC, '8462-4', 'diastolic BP'],
    [LOINC, '85354-9', 'a panel'],
  ] as [string | undefined, string, string][])('does not match %s|%s (%s)', (system, code) => {
    expect(findVitalCode(system, code)).toBeUndefined();
  });

  it('maps no code to inspiredOxygen: the TSV has no FiO2 or O2-flow code', () => {
    expect(VITAL_CODES.filter((c) => c.kind === 'inspiredOxygen')).toEqual([]);
  });

  it.each([
    ['15074-8', '2339-0'],
    ['105272-9', '99504-3'],
    ['105273-7', '97507-8'],
  ])('files molar glucose %s under its mass twin %s', (molar, mass) => {
    expect(findVitalCode(LOINC, molar)?.massEquivalent).toBe(mass);
    expect(findVitalCode(LOINC, mass)?.kind).toBe('glucose');
    expect(findVitalCode(LOINC, mass)?.massEquivalent).toBeUndefined();
  });

  it('marks only the CGM mean-glucose codes as summaries', () => {
    expect(VITAL_CODES.filter((c) => c.summary).map((c) => c.code)).toEqual(['97507-8', '105273-7']);
  });
});

describe('panels and recognised-but-unused codes', () => {
  it.each([
    ['85354-9', 'Blood pressure panel with all children optional'],
    ['55284-4', 'Blood pressure'],
    ['85353-1', 'Vital signs, weight, height, head circumference, oxygen saturation and BMI panel'],
  ])('%s is the panel "%s"', (code, display) => {
    expect(findPanelCode(LOINC, code)?.display).toBe(display);
  });

  it('refuses GCS as consciousness and says to send ACVPU', () => {
    expect(unsupportedReason(LOINC, '9269-2')).toMatch(/not converted to ACVPU.*1104441000000107/);
  });

  it('lists no code in two tables', () => {
    const keys = [
      ...VITAL_CODES.map((c) => `${c.system}|${c.code}`),
      ...PANEL_CODES.map((c) => `${c.system}|${c.code}`),
      ...Object.keys(UNSUPPORTED_CODES),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(15 + 3 + 15);
  });
});

describe('units and ranges per kind', () => {
  it.each([
    ['respirationRate', ['/min']],
    ['pulse', ['/min']],
    ['spo2', ['%']],
    ['systolicBp', ['mm[Hg]']],
    ['temperature', ['Cel', '[degF]']],
    ['glucose', ['mg/dL', 'mmol/L']],
    ['consciousness', ['{ACVPU}']],
  ] as [VitalKind, string[]][])('%s is read in %o, normalised to the first', (kind, units) => {
    expect(UNITS_BY_KIND[kind]).toEqual(units);
  });

  // The FHIR parser and the NEWS2 input schema must refuse the same values.
  it.each([
    ['respirationRate', 0, 80],
    ['spo2', 0, 100],
    ['systolicBp', 0, 300],
    ['pulse', 0, 300],
    ['temperature', 25, 45],
  ] as const)('%s: %d–%d, the same limits as news2InputSchema', (kind, min, max) => {
    expect(PLAUSIBLE_RANGE[kind]).toEqual([min, max]);
    const field = news2InputSchema.shape[kind];
    expect([field.safeParse(min).success, field.safeParse(max).success]).toEqual([true, true]);
    expect([field.safeParse(min - 0.1).success, field.safeParse(max + 0.1).success]).toEqual([false, false]);
  });
});

describe('ACVPU answers (HL7 UK CareConnect-ACVPU-1) and code keys', () => {
  it('maps the five SNOMED CT answers to A, C, V, P, U', () => {
    expect(ACVPU_SNOMED).toEqual({
      '248234008': 'A',
      '130987000': 'C',
      '300202002': 'V',
      '450847001': 'P',
      '422768004': 'U',
    });
  });

  it.each([
    [LOINC, '8867-4', '8867-4'],
    [SNOMED, '1104441000000107', 'http://snomed.info/sct|1104441000000107'],
    [MDC, '150456', 'urn:iso:std:iso:11073:10101|150456'],
  ])('codeKey(%s, %s) is %s', (system, code, key) => {
    expect(codeKey(system, code)).toBe(key);
  });
});
