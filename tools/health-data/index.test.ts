import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.ts';
import type { News2Input, Reading } from './index.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('index: the public API, end to end', () => {
  it.each([
    'scoreNews2',
    'scorePartialNews2',
    'news2Response',
    'classifyGlucose',
    'toMgPerDl',
    'rateOfChange',
    'findVitalCode',
    'parseFhirObservation',
  ])('exports the function %s', (name) => {
    expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports the zod schemas', () => {
    expect(
      [api.news2InputSchema, api.news2ResultSchema, api.glucoseReadingSchema].map((s) => typeof s.parse),
    ).toEqual(['function', 'function', 'function']);
  });

  // The HL7 R4 examples, one reading each, scored together as a patient app's partial set.
  it('scores the HL7 example readings as a partial NEWS2 (RR 26, pulse 44, SpO2 95, systolic 118)', () => {
    const files = [
      'observation-example-respiratory-rate.json',
      'observation-example-heart-rate.json',
      'observation-example-satO2.json',
      'synthea-bloodpressure-85354-9.json',
    ];
    const readings: Reading[] = files.flatMap((f) => {
      const r = api.parseFhirObservation(fixture(f));
      return r.ok ? r.readings : [];
    });
    const vitals: Partial<News2Input> = Object.fromEntries(readings.map((r) => [r.kind, r.value]));
    const n = api.scorePartialNews2(vitals);
    expect(n.parameterScores).toEqual({ respirationRate: 3, pulse: 1, spo2: 1, systolicBp: 0 });
    expect([n.total, n.risk, n.missing]).toEqual([5, 'medium', ['onOxygen', 'consciousness', 'temperature']]);
    expect(api.news2Response(n).monitoring).toBe('Minimum 1-hourly');
  });

  it('classifies the HL7 f001 glucose (6.3 mmol/L) as in range once converted', () => {
    const r = api.parseFhirObservation(fixture('observation-example-f001-glucose.json'));
    const g = r.ok ? r.readings[0] : undefined;
    expect(g && api.classifyGlucose(g.value)).toEqual({ band: 'in-range', severity: 0, valueMgDl: 114 });
  });
});
