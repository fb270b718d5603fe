import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFhirObservation } from './fhir-observation.ts';

// Fixture provenance and licences: fixtures/README.md.
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const UCUM = 'http://unitsofmeasure.org';
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const qty = (value: unknown, code: string) => ({ value, unit: code, system: UCUM, code });

/** A minimal R4 vital-signs Observation, in the shape of the spec's examples. */
const obs = (code: string, extra: Record<string, unknown>) => ({
  resourceType: 'Observation',
  status: 'final',
  code: loinc(code),
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-01-01T12:00:00Z',
  ...extra,
});

describe('parseFhirObservation: HL7 R4 specification examples and Synthea resources', () => {
  it.each([
    [
      'observation-example-heart-rate.json',
      {
        readings: [{ kind: 'pulse', loinc: '8867-4', value: 44, unit: '/min' }],
        subject: 'Patient/example',
        effective: '1999-07-02',
      },
    ],
    [
      'observation-example-respiratory-rate.json',
      {
        readings: [{ kind: 'respirationRate', loinc: '9279-1', value: 26, unit: '/min' }],
        subject: 'Patient/example',
        effective: '1999-07-02',
      },
    ],
    [
      // Three codings (2708-6, 59408-5, MDC 150456) that agree; filed under the first.
      'observation-example-satO2.json',
      {
        readings: [{ kind: 'spo2', loinc: '2708-6', value: 95, unit: '%' }],
        subject: 'Patient/example',
        effective: '2014-12-05T09:30:10+01:00',
        device: 'DeviceMetric/example',
      },
    ],
    [
      // 6.3 mmol/L (15074-8) → 114 mg/dL, filed under the mass code 2339-0; effective from effectivePeriod.start.
      'observation-example-f001-glucose.json',
      {
        readings: [{ kind: 'glucose', loinc: '2339-0', value: 114, unit: 'mg/dL' }],
        subject: 'Patient/f001',
        effective: '2013-04-02T09:30:10+01:00',
      },
    ],
    [
      // The R4 vitals panel carries no values itself, only references to its members.
      'observation-example-vitals-panel.json',
      {
        readings: [],
        subject: 'Patient/example',
        effective: '1999-07-02',
        hasMember: [
          'Observation/respiratory-rate',
          'Observation/heart-rate',
          'Observation/blood-pressure',
          'Observation/body-temperature',
        ],
      },
    ],
    [
      // BP panel 85354-9: systolic from component 8480-6; diastolic (8462-4) is not a NEWS2 parameter.
      'synthea-bloodpressure-85354-9.json',
      {
        readings: [{ kind: 'systolicBp', loinc: '8480-6', value: 118, unit: 'mm[Hg]' }],
        subject: 'urn:uuid:3e36b31d-3c32-43b4-b016-b46a90c2e50f',
        effective: '2011-03-16T02:28:07+00:00',
      },
    ],
    [
      'synthea-2019-bloodpressure-55284-4.json',
      {
        readings: [{ kind: 'systolicBp', loinc: '8480-6', value: 185.9128867011653, unit: 'mm[Hg]' }],
        subject: 'urn:uuid:6d23a95e-7e18-4201-90ec-9501fa89fbd2',
        effective: '2012-03-06T20:43:11+00:00',
      },
    ],
    [
      'synthea-glucose-2339-0.json',
      {
        readings: [{ kind: 'glucose', loinc: '2339-0', value: 67.98, unit: 'mg/dL' }],
        subject: 'urn:uuid:3e36b31d-3c32-43b4-b016-b46a90c2e50f',
        effective: '2011-03-01T02:28:07+00:00',
      },
    ],
  ])('%s', (file, expected) => {
    expect(parseFhirObservation(fixture(file))).toStrictEqual({ ok: true, ...expected });
  });
});

describe('parseFhirObservation: units, codes and absent data', () => {
  const bp = (systolic: Record<string, unknown>) =>
    obs('85354-9', {
      component: [
        { code: loinc('8480-6'), ...systolic },
        {
          code: loinc('8462-4'),
          dataAbsentReason: {
            coding: [
              { system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'not-performed' },
            ],
          },
        },
      ],
    });
  const absent = {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason', code: 'error' }],
  };

  it.each([
    [
      'temperature in Cel',
      obs('8310-5', { valueQuantity: qty(36.5, 'Cel') }),
      'temperature',
      '8310-5',
      36.5,
      'Cel',
    ],
    [
      'temperature in [degF] → Cel',
      obs('8310-5', { valueQuantity: qty(99.5, '[degF]') }),
      'temperature',
      '8310-5',
      37.5,
      'Cel',
    ],
    [
      'oral temperature with only a display unit °F',
      obs('8331-1', { valueQuantity: { value: 98.6, unit: '°F' } }),
      'temperature',
      '8331-1',
      37,
      'Cel',
    ],
    [
      'glucose written mg/dl (display unit)',
      obs('2339-0', { valueQuantity: { value: 52, unit: 'mg/dl' } }),
      'glucose',
      '2339-0',
      52,
      'mg/dL',
    ],
    [
      'CGM reading (mass)',
      obs('99504-3', { valueQuantity: qty(180, 'mg/dL') }),
      'glucose',
      '99504-3',
      180,
      'mg/dL',
    ],
    [
      'CGM reading (molar) → mass code',
      obs('105272-9', { valueQuantity: qty(3.0, 'mmol/L') }),
      'glucose',
      '99504-3',
      54,
      'mg/dL',
    ],
    [
      'pulse in bpm',
      obs('8867-4', { valueQuantity: { value: 131, unit: 'bpm' } }),
      'pulse',
      '8867-4',
      131,
      '/min',
    ],
    [
      'ACVPU "responds to voice" (SNOMED CT UK)',
      {
        ...obs('x', {}),
        code: { coding: [{ system: 'http://snomed.info/sct', code: '1104441000000107' }] },
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '300202002' }] },
      },
      'consciousness',
      'http://snomed.info/sct|1104441000000107',
      2,
      '{ACVPU}',
    ],
    [
      'BP whose diastolic is absent (as in the R4 bp-dar example)',
      bp({ valueQuantity: qty(107, 'mm[Hg]') }),
      'systolicBp',
      '8480-6',
      107,
      'mm[Hg]',
    ],
  ])('%s', (_name, json, kind, code, value, unit) => {
    const r = parseFhirObservation(json);
    expect(r.ok && r.readings).toEqual([{ kind, loinc: code, value, unit }]);
  });

  it.each([
    ['a systolic component with a dataAbsentReason', bp({ dataAbsentReason: absent })],
    ['a whole Observation with a dataAbsentReason', obs('8867-4', { dataAbsentReason: absent })],
    ['a BP panel with a dataAbsentReason of its own', obs('85354-9', { dataAbsentReason: absent })],
  ])('skips %s (ok, no reading)', (_name, json) => {
    expect(parseFhirObservation(json)).toStrictEqual({
      ok: true,
      readings: [],
      subject: 'Patient/p1',
      effective: '2026-01-01T12:00:00Z',
    });
  });

  it.each([
    ['amended', { status: 'amended' }],
    ['corrected', { status: 'corrected' }],
    ['preliminary', { status: 'preliminary' }],
    ['effectiveInstant', { effectiveDateTime: undefined, effectiveInstant: '2026-01-01T12:00:00.123+01:00' }],
    ['a date-only effectiveDateTime', { effectiveDateTime: '2026-01-01' }],
  ])('accepts %s', (_name, change) => {
    const r = parseFhirObservation(obs('8867-4', { valueQuantity: qty(80, '/min'), ...change }));
    expect(r.ok && r.readings.map((x) => x.value)).toEqual([80]);
  });
});
