import { describe, expect, it } from 'vitest';
import {
  classifyGlucose,
  type GlucoseUnit,
  glucoseReadingSchema,
  MG_PER_DL_PER_MMOL_PER_L,
  rateOfChange,
  toMgPerDl,
  trendOf,
} from './glucose.ts';

// Thresholds: ADA Standards of Care section 6; Battelino et al., Diabetes Care 2019 (time in range).

describe('classifyGlucose (mg/dL), at every threshold', () => {
  it.each([
    [20, 'hypo-level-2', 2],
    [53.9, 'hypo-level-2', 2],
    [54, 'hypo-level-1', 1],
    [69.9, 'hypo-level-1', 1],
    [70, 'in-range', 0],
    [120, 'in-range', 0],
    [180, 'in-range', 0],
    [180.1, 'hyper-level-1', 1],
    [250, 'hyper-level-1', 1],
    [250.1, 'hyper-level-2', 2],
    [600, 'hyper-level-2', 2],
  ])('%d mg/dL is %s (severity %d)', (valueMgDl, band, severity) => {
    expect(classifyGlucose(valueMgDl)).toEqual({ band, severity, valueMgDl });
  });

  it('refuses NaN rather than calling it hyperglycaemia', () => {
    expect(() => classifyGlucose(Number.NaN)).toThrow(RangeError);
  });
});

describe('toMgPerDl: mmol/L × 18.016 (glucose 180.16 g/mol), to a whole mg/dL', () => {
  it('uses the factor from the molar mass', () => {
    expect(MG_PER_DL_PER_MMOL_PER_L).toBe(180.16 / 10);
  });

  it.each([
    [6.3, 'mmol/L', 114],
    [5.5, 'mmol/L', 99],
    [1, 'mmol/L', 18],
    [99.5, 'mg/dL', 99.5],
  ] as [number, GlucoseUnit, number][])('%d %s → %d mg/dL', (value, unit, expected) => {
    expect(toMgPerDl(value, unit)).toBe(expected);
  });

  // The mmol/L cut-offs (3.0, 3.9, 10.0, 13.9) must land in the same band as their mg/dL twins.
  it.each([
    [2.9, 52, 'hypo-level-2'],
    [3.0, 54, 'hypo-level-1'],
    [3.8, 68, 'hypo-level-1'],
    [3.9, 70, 'in-range'],
    [10.0, 180, 'in-range'],
    [10.1, 182, 'hyper-level-1'],
    [13.9, 250, 'hyper-level-1'],
    [14.0, 252, 'hyper-level-2'],
  ])('%d mmol/L → %d mg/dL → %s', (mmol, mgdl, band) => {
    const v = toMgPerDl(mmol, 'mmol/L');
    expect(v).toBe(mgdl);
    expect(classifyGlucose(v).band).toBe(band);
  });
});

describe('glucoseReadingSchema', () => {
  it.each([
    [{ value: 5.4, unit: 'mmol/L' }],
    [{ value: 97, unit: 'mg/dL' }],
    [{ value: 2000, unit: 'mg/dL' }],
  ])('accepts %o', (reading) => {
    expect(glucoseReadingSchema.parse(reading)).toEqual(reading);
  });

  it.each([
    [{ value: 0, unit: 'mg/dL' }, 'value', 'glucose value must be greater than 0'],
    [{ value: -3, unit: 'mmol/L' }, 'value', 'glucose value must be greater than 0'],
    [{ value: '97', unit: 'mg/dL' }, 'value', 'glucose value must be a number'],
    [{ value: 97, unit: 'mg/dl' }, 'unit', "glucose unit must be 'mg/dL' or 'mmol/L'"],
    [{ value: 97 }, 'unit', "glucose unit must be 'mg/dL' or 'mmol/L'"],
    [
      { value: 2001, unit: 'mg/dL' },
      'value',
      'glucose value 2001 mg/dL is above the possible maximum of 2000 mg/dL',
    ],
    [
      { value: 140, unit: 'mmol/L' },
      'value',
      'glucose value 140 mmol/L is above the possible maximum of 111 mmol/L; was it in mg/dL?',
    ],
  ])('rejects %o at %s: %s', (reading, path, message) => {
    const r = glucoseReadingSchema.safeParse(reading);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[path, message]]);
  });
});

describe('trendOf: the Dexcom/Abbott trend-arrow cut-offs (mg/dL per minute)', () => {
  it.each([
    [3.5, 'rising-rapidly'],
    [3.001, 'rising-rapidly'],
    [3, 'rising'],
    [2.001, 'rising'],
    [2, 'rising-slowly'],
    [1.001, 'rising-slowly'],
    [1, 'stable'],
    [0, 'stable'],
    [-1, 'stable'],
    [-1.001, 'falling-slowly'],
    [-2, 'falling-slowly'],
    [-2.001, 'falling'],
    [-3, 'falling'],
    [-3.001, 'falling-rapidly'],
  ])('%d → %s', (rate, trend) => {
    expect(trendOf(rate)).toBe(trend);
  });
});

/** Readings every 5 minutes ending at 12:00Z, from values given oldest first. */
const series = (values: number[], stepMinutes = 5) =>
  values.map((valueMgDl, i) => ({
    at: new Date(Date.UTC(2026, 0, 1, 12, 0) - (values.length - 1 - i) * stepMinutes * 60_000),
    valueMgDl,
  }));

describe('rateOfChange: least-squares slope over the 15 minutes before the newest reading', () => {
  it.each([
    ['steady', [100, 100, 100, 100], 0, 'stable'],
    ['rising 1 mg/dL/min is still stable', [100, 105, 110, 115], 1, 'stable'],
    ['rising 2 mg/dL/min', [100, 110, 120, 130], 2, 'rising-slowly'],
    ['rising 2.5 mg/dL/min', [100, 112.5, 125, 137.5], 2.5, 'rising'],
    ['falling 4 mg/dL/min', [160, 140, 120, 100], -4, 'falling-rapidly'],
    ['falling 1.5 mg/dL/min', [100, 92.5, 85, 77.5], -1.5, 'falling-slowly'],
  ])('%s', (_name, values, mgDlPerMin, trend) => {
    expect(rateOfChange(series(values))).toEqual({ mgDlPerMin, trend, points: 4, spanMinutes: 15 });
  });

  it('fits a least-squares line through noisy readings', () => {
    // x = -15, -10, -5, 0 min; y = 100, 112, 118, 130 → slope = sxy / sxx = 240 / 125 = 1.92.
    expect(rateOfChange(series([100, 112, 118, 130]))?.mgDlPerMin).toBe(1.92);
  });

  it('ignores readings older than 15 minutes before the newest one', () => {
    // 25 and 20 minutes before are dropped; the last four rise 3 mg/dL per 5 min.
    const r = rateOfChange(series([300, 250, 100, 103, 106, 109]));
    expect(r).toEqual({ mgDlPerMin: 0.6, trend: 'stable', points: 4, spanMinutes: 15 });
  });

  it('accepts ISO strings, in any order', () => {
    const r = rateOfChange([
      { at: '2026-01-01T12:00:00Z', valueMgDl: 80 },
      { at: '2026-01-01T11:50:00Z', valueMgDl: 120 },
      { at: '2026-01-01T11:55:00Z', valueMgDl: 100 },
    ]);
    expect(r).toEqual({ mgDlPerMin: -4, trend: 'falling-rapidly', points: 3, spanMinutes: 10 });
  });

  it.each([
    ['no readings', []],
    ['one reading', series([100])],
    ['only one reading in the window', series([90, 100], 20)],
    ['two readings at the same instant', [series([100])[0]!, series([120])[0]!]],
  ])('is null with %s', (_name, readings) => {
    expect(rateOfChange(readings)).toBeNull();
  });

  it('refuses an unparseable time', () => {
    expect(() => rateOfChange([...series([100, 101]), { at: 'yesterday', valueMgDl: 90 }])).toThrow(
      'readings[2].at is not a valid date: yesterday',
    );
  });
});
