import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFhirObservation } from './fhir-observation.ts';

// Each case changes one element of a valid Observation and expects one issue, at that element's FHIRPath.

const UCUM = 'http://unitsofmeasure.org';
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const qty = (value: unknown, code: string) => ({ value, unit: code, system: UCUM, code });
const acvpu = { coding: [{ system: 'http://snomed.info/sct', code: '1104441000000107' }] };

/** The HL7 R4 heart-rate example (CC0; fixtures/README.md), changed by `patch`. */
const hr = (patch: Record<string, unknown> = {}) => ({
  ...JSON.parse(
    readFileSync(new URL('./fixtures/observation-example-heart-rate.json', import.meta.url), 'utf8'),
  ),
  ...patch,
});

const issuesOf = (json: unknown) => {
  const r = parseFhirObservation(json);
  return r.ok ? r : r.outcome.issue.map((i) => [i.severity, i.code, i.expression]);
};

describe('parseFhirObservation: malformed input names the element at fault', () => {
  it.each([
    ['null', null, 'invalid', 'Observation'],
    ['a string', 'Observation', 'invalid', 'Observation'],
    ['an array', [hr()], 'invalid', 'Observation'],
    ['a Patient', hr({ resourceType: 'Patient' }), 'invalid', 'Observation.resourceType'],
    ['no resourceType', hr({ resourceType: undefined }), 'invalid', 'Observation.resourceType'],
    ['no status', hr({ status: undefined }), 'required', 'Observation.status'],
    ['status "done"', hr({ status: 'done' }), 'code-invalid', 'Observation.status'],
    ['status entered-in-error', hr({ status: 'entered-in-error' }), 'not-supported', 'Observation.status'],
    ['status registered', hr({ status: 'registered' }), 'not-supported', 'Observation.status'],
    ['no effective[x]', hr({ effectiveDateTime: undefined }), 'required', 'Observation.effective[x]'],
    [
      'effectiveDateTime "yesterday"',
      hr({ effectiveDateTime: 'yesterday' }),
      'invalid',
      'Observation.effectiveDateTime',
    ],
    [
      'a time without a zone',
      hr({ effectiveDateTime: '2026-01-01T10:00:00' }),
      'invalid',
      'Observation.effectiveDateTime',
    ],
    [
      'a period without start',
      hr({ effectiveDateTime: undefined, effectivePeriod: {} }),
      'required',
      'Observation.effectivePeriod.start',
    ],
    ['value "44"', hr({ valueQuantity: qty('44', '/min') }), 'invalid', 'Observation.valueQuantity.value'],
    [
      'no valueQuantity.value',
      hr({ valueQuantity: { unit: '/min' } }),
      'invalid',
      'Observation.valueQuantity.value',
    ],
    ['valueQuantity as a number', hr({ valueQuantity: 44 }), 'invalid', 'Observation.valueQuantity'],
    [
      'valueString',
      hr({ valueQuantity: undefined, valueString: '44' }),
      'invalid',
      'Observation.valueString',
    ],
    ['no value, no dataAbsentReason', hr({ valueQuantity: undefined }), 'required', 'Observation.value[x]'],
    [
      'a value and a dataAbsentReason',
      hr({ dataAbsentReason: { text: 'error' } }),
      'invalid',
      'Observation.dataAbsentReason',
    ],
    [
      'a comparator',
      hr({ valueQuantity: { ...qty(40, '/min'), comparator: '<' } }),
      'not-supported',
      'Observation.valueQuantity.comparator',
    ],
    ['pulse 400 /min', hr({ valueQuantity: qty(400, '/min') }), 'invalid', 'Observation.valueQuantity.value'],
    ['pulse -1 /min', hr({ valueQuantity: qty(-1, '/min') }), 'invalid', 'Observation.valueQuantity.value'],
    [
      'pulse in mm[Hg]',
      hr({ valueQuantity: qty(44, 'mm[Hg]') }),
      'invalid',
      'Observation.valueQuantity.code',
    ],
    ['an unknown LOINC code', hr({ code: loinc('1234-5') }), 'code-invalid', 'Observation.code.coding'],
    ['no code', hr({ code: undefined }), 'required', 'Observation.code.coding'],
    ['an empty coding list', hr({ code: { coding: [] } }), 'required', 'Observation.code.coding'],
    ['GCS total (not ACVPU)', hr({ code: loinc('9269-2') }), 'not-supported', 'Observation.code.coding'],
    ['a subject that is a string', hr({ subject: 'Patient/example' }), 'invalid', 'Observation.subject'],
    ['a device that is a string', hr({ device: 'Device/1' }), 'invalid', 'Observation.device'],
    [
      'codings that disagree (heart rate and respiratory rate)',
      hr({ code: { coding: [...loinc('8867-4').coding, ...loinc('9279-1').coding] } }),
      'invalid',
      'Observation.code.coding',
    ],
    [
      'glucose in kg (UCUM code)',
      hr({ code: loinc('2339-0'), valueQuantity: qty(5, 'kg') }),
      'invalid',
      'Observation.valueQuantity.code',
    ],
    [
      'glucose in kg (display unit only)',
      hr({ code: loinc('2339-0'), valueQuantity: { value: 5, unit: 'kg' } }),
      'invalid',
      'Observation.valueQuantity.unit',
    ],
    [
      'temperature without a unit',
      hr({ code: loinc('8310-5'), valueQuantity: { value: 37 } }),
      'required',
      'Observation.valueQuantity.unit',
    ],
    // 37 °F is 2.78 °C: a unit slip, not a patient.
    [
      '37 °C sent as [degF]',
      hr({ code: loinc('8310-5'), valueQuantity: qty(37, '[degF]') }),
      'invalid',
      'Observation.valueQuantity.value',
    ],
    [
      'a systolic of "high"',
      hr({
        code: loinc('85354-9'),
        valueQuantity: undefined,
        component: [
          { code: loinc('8462-4'), valueQuantity: qty(80, 'mm[Hg]') },
          { code: loinc('8480-6'), valueQuantity: qty('high', 'mm[Hg]') },
        ],
      }),
      'invalid',
      'Observation.component[1].valueQuantity.value',
    ],
    [
      'component as an object',
      hr({ code: loinc('85354-9'), valueQuantity: undefined, component: {} }),
      'invalid',
      'Observation.component',
    ],
    [
      'a component that is a string',
      hr({ code: loinc('85354-9'), component: ['8480-6'] }),
      'invalid',
      'Observation.component[0]',
    ],
    [
      'an ACVPU answer outside the value set',
      hr({ code: acvpu, valueQuantity: undefined, valueCodeableConcept: { text: 'drowsy' } }),
      'code-invalid',
      'Observation.valueCodeableConcept.coding',
    ],
    ['ACVPU as a number', hr({ code: acvpu }), 'required', 'Observation.valueCodeableConcept'],
  ])('%s → %s at %s', (_name, json, code, expression) => {
    expect(issuesOf(json)).toEqual([['error', code, [expression]]]);
  });

  it('reports every problem at once, in document order', () => {
    const r = parseFhirObservation(
      hr({ status: undefined, effectiveDateTime: undefined, code: loinc('1234-5') }),
    );
    expect(r.ok ? r : r.outcome).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'required',
          diagnostics: 'status is required',
          expression: ['Observation.status'],
        },
        {
          severity: 'error',
          code: 'required',
          diagnostics:
            'When the reading was taken is required: effectiveDateTime, effectivePeriod.start or effectiveInstant',
          expression: ['Observation.effective[x]'],
        },
        {
          severity: 'error',
          code: 'code-invalid',
          diagnostics: 'CareBridge does not read http://loinc.org|1234-5',
          expression: ['Observation.code.coding'],
        },
      ],
    });
  });

  it.each([
    [hr({ code: loinc('9269-2') }), /^Not used: Glasgow coma score is not converted to ACVPU/],
    [
      hr({ status: 'cancelled' }),
      "status 'cancelled' is not a result; send final, amended, corrected, preliminary",
    ],
    [hr({ valueQuantity: qty(44, 'kg') }), "Heart rate must be in /min (UCUM), got 'kg'"],
    [
      hr({ code: loinc('8310-5'), valueQuantity: { value: 37 } }),
      'Body temperature must be in Cel or [degF] (UCUM), got no unit',
    ],
    [hr({ valueQuantity: qty(400, '/min') }), 'Heart rate 400 /min is outside 0–300'],
  ])('explains the problem in words: %#', (json, diagnostics) => {
    const r = parseFhirObservation(json);
    expect(r.ok ? r : r.outcome.issue[0]?.diagnostics).toMatch(diagnostics);
  });
});
