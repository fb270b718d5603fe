import { describe, expect, it } from 'vitest';
import { Issues, quantityUnit, readEffective, readReference, valueKey } from './fhir-elements.ts';

const run = <T>(read: (issues: Issues) => T) => {
  const issues = new Issues();
  const value = read(issues);
  return { value, issues: issues.list.map((i) => [i.code, i.expression?.[0]]) };
};

describe('readEffective: effective[x] per the R4 dateTime and instant types', () => {
  it.each([
    [{ effectiveDateTime: '1999-07-02' }, '1999-07-02'],
    [{ effectiveDateTime: '2026' }, '2026'],
    [{ effectiveDateTime: '2026-01' }, '2026-01'],
    [{ effectiveDateTime: '2014-12-05T09:30:10+01:00' }, '2014-12-05T09:30:10+01:00'],
    [{ effectiveDateTime: '2026-01-01T12:00:00.123Z' }, '2026-01-01T12:00:00.123Z'],
    [{ effectiveInstant: '2026-01-01T12:00:00-05:00' }, '2026-01-01T12:00:00-05:00'],
    [{ effectivePeriod: { start: '2013-04-02T09:30:10+01:00' } }, '2013-04-02T09:30:10+01:00'],
    // effectiveDateTime wins when a sender (wrongly) gives two choices of effective[x].
    [{ effectiveDateTime: '2026-01-02', effectivePeriod: { start: '2026-01-01' } }, '2026-01-02'],
  ])('reads %o as %s', (obs, expected) => {
    expect(run((i) => readEffective(obs, i))).toEqual({ value: expected, issues: [] });
  });

  it.each([
    [{}, 'required', 'Observation.effective[x]'],
    [{ effectiveDateTime: 'yesterday' }, 'invalid', 'Observation.effectiveDateTime'],
    [{ effectiveDateTime: 20260101 }, 'invalid', 'Observation.effectiveDateTime'],
    [{ effectiveDateTime: '2026-01-01T10:00' }, 'invalid', 'Observation.effectiveDateTime'],
    [{ effectiveDateTime: '2026-01-01T10:00:00' }, 'invalid', 'Observation.effectiveDateTime'],
    [{ effectiveDateTime: '2026-13-01' }, 'invalid', 'Observation.effectiveDateTime'],
    [{ effectiveInstant: '2026-01-01' }, 'invalid', 'Observation.effectiveInstant'],
    [{ effectivePeriod: { end: '2026-01-01' } }, 'required', 'Observation.effectivePeriod.start'],
    [{ effectivePeriod: '2026-01-01' }, 'required', 'Observation.effectivePeriod.start'],
    [{ effectivePeriod: { start: '1 Jan 2026' } }, 'invalid', 'Observation.effectivePeriod.start'],
  ])('refuses %o: %s at %s', (obs, code, expression) => {
    expect(run((i) => readEffective(obs, i))).toEqual({ value: undefined, issues: [[code, expression]] });
  });
});

describe('readReference', () => {
  it.each([
    [{ subject: { reference: 'Patient/p1' } }, 'Patient/p1', []],
    [{ subject: { display: 'P. van de Heuvel' } }, undefined, []],
    [{}, undefined, []],
    [{ subject: 'Patient/p1' }, undefined, [['invalid', 'Observation.subject']]],
  ])('%o → %s', (obs, value, issues) => {
    expect(run((i) => readReference(obs, 'subject', i))).toEqual({ value, issues });
  });
});

describe('quantityUnit: UCUM from Quantity.code, else from the display text', () => {
  it.each([
    [{ unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' }, '/min', 'code'],
    [{ unit: 'mmol/l', system: 'http://unitsofmeasure.org', code: 'mmol/L' }, 'mmol/L', 'code'],
    [{ code: 'mm[Hg]' }, 'mm[Hg]', 'code'],
    // UCUM codes are case-sensitive: a wrong-case code is not silently fixed.
    [{ code: 'mmol/l', system: 'http://unitsofmeasure.org' }, 'mmol/l', 'code'],
    [{ unit: 'mmHg' }, 'mm[Hg]', 'unit'],
    [{ unit: ' MG/DL ' }, 'mg/dL', 'unit'],
    [{ unit: '°C' }, 'Cel', 'unit'],
    [{ unit: '°F' }, '[degF]', 'unit'],
    [{ unit: 'bpm' }, '/min', 'unit'],
    [{ unit: 'kg' }, 'kg', 'unit'],
    // A code from another system is not UCUM: fall back to the display text.
    [{ unit: '%', system: 'urn:iso:std:iso:11073:10101', code: '262688' }, '%', 'unit'],
    [{ value: 37 }, undefined, 'unit'],
  ])('%o → %s (from %s)', (q, ucum, element) => {
    const u = quantityUnit(q);
    expect([u.ucum, u.element]).toEqual([ucum, element]);
  });
});

describe('valueKey and Issues', () => {
  it.each([
    [{ valueQuantity: { value: 1 } }, 'valueQuantity'],
    [{ valueString: 'x', code: {} }, 'valueString'],
    [{ valueQuantity: undefined }, undefined],
    [{ code: {} }, undefined],
  ])('valueKey(%o) is %s', (holder, key) => {
    expect(valueKey(holder)).toBe(key);
  });

  it('builds an OperationOutcome of error issues, in the order added', () => {
    const issues = new Issues();
    expect(issues.add('required', 'Observation.status', 'status is required')).toBeUndefined();
    issues.add('invalid', 'Observation.subject', 'subject must be a Reference');
    expect(issues.outcome()).toEqual({
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
          code: 'invalid',
          diagnostics: 'subject must be a Reference',
          expression: ['Observation.subject'],
        },
      ],
    });
  });
});
