import { describe, expect, it } from 'vitest';
import { type Consciousness, type News2Input, roundHalfUp, scoreNews2 } from './news2.ts';
import { normalVitals } from '../../test/fixtures.ts';

// Every expected score below is read off RCP NEWS2 (December 2017), chart 1.

const normal = normalVitals;

const score = (change: Partial<News2Input>) => scoreNews2({ ...normal, ...change });

describe('NEWS2 chart 1: each parameter at every band boundary', () => {
  it('scores 0 for the normal patient', () => {
    expect(scoreNews2(normal)).toEqual({
      total: 0,
      risk: 'none',
      anyParameterScore3: false,
      parameterScores: {
        respirationRate: 0,
        spo2: 0,
        airOrOxygen: 0,
        systolicBp: 0,
        pulse: 0,
        consciousness: 0,
        temperature: 0,
      },
    });
  });

  it.each([
    [0, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [80, 3],
  ])('respiration rate %d/min scores %d', (respirationRate, expected) => {
    expect(score({ respirationRate }).parameterScores.respirationRate).toBe(expected);
  });

  it.each([
    [0, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 scale 1: %d%% scores %d, on air or oxygen alike', (spo2, expected) => {
    expect(score({ spo2, spo2Scale: 1 }).parameterScores.spo2).toBe(expected);
    expect(score({ spo2, spo2Scale: 1, onOxygen: true }).parameterScores.spo2).toBe(expected);
  });

  it.each([
    [0, false, 3],
    [83, false, 3],
    [84, false, 2],
    [85, false, 2],
    [86, false, 1],
    [87, false, 1],
    [88, false, 0],
    [92, false, 0],
    [93, false, 0],
    [97, false, 0],
    [100, false, 0],
    [83, true, 3],
    [84, true, 2],
    [85, true, 2],
    [86, true, 1],
    [87, true, 1],
    [88, true, 0],
    [92, true, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
    [100, true, 3],
  ])('SpO2 scale 2: %d%% with onOxygen=%s scores %d', (spo2, onOxygen, expected) => {
    expect(score({ spo2, spo2Scale: 2, onOxygen }).parameterScores.spo2).toBe(expected);
  });

  it.each([
    [false, 0],
    [true, 2],
  ])('air or oxygen: onOxygen=%s scores %d', (onOxygen, expected) => {
    expect(score({ onOxygen }).parameterScores.airOrOxygen).toBe(expected);
  });

  it.each([
    [0, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [300, 3],
  ])('systolic BP %d mmHg scores %d', (systolicBp, expected) => {
    expect(score({ systolicBp }).parameterScores.systolicBp).toBe(expected);
  });

  it.each([
    [0, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [300, 3],
  ])('pulse %d/min scores %d', (pulse, expected) => {
    expect(score({ pulse }).parameterScores.pulse).toBe(expected);
  });

  it.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as [Consciousness, number][])('consciousness %s scores %d', (consciousness, expected) => {
    expect(score({ consciousness }).parameterScores.consciousness).toBe(expected);
  });

  it.each([
    [25, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [45, 2],
  ])('temperature %d °C scores %d', (temperature, expected) => {
    expect(score({ temperature }).parameterScores.temperature).toBe(expected);
  });
});

describe('values between the chart resolution: rounded half up (1 decimal °C, whole numbers otherwise)', () => {
  it.each([
    [{ temperature: 35.04 }, 'temperature', 3],
    [{ temperature: 35.05 }, 'temperature', 1],
    [{ temperature: 36.04 }, 'temperature', 1],
    [{ temperature: 36.05 }, 'temperature', 0],
    [{ temperature: 38.04 }, 'temperature', 0],
    [{ temperature: 38.05 }, 'temperature', 1],
    [{ temperature: 39.04 }, 'temperature', 1],
    [{ temperature: 39.05 }, 'temperature', 2],
    [{ respirationRate: 8.49 }, 'respirationRate', 3],
    [{ respirationRate: 8.5 }, 'respirationRate', 1],
    [{ respirationRate: 20.5 }, 'respirationRate', 2],
    [{ spo2: 91.4 }, 'spo2', 3],
    [{ spo2: 95.5 }, 'spo2', 0],
    [{ systolicBp: 90.5 }, 'systolicBp', 2],
    [{ systolicBp: 219.5 }, 'systolicBp', 3],
    [{ pulse: 90.49 }, 'pulse', 0],
    [{ pulse: 130.5 }, 'pulse', 3],
  ] as [Partial<News2Input>, keyof News2Input, number][])('%o → %s scores %d', (change, field, expected) => {
    expect(score(change).parameterScores[field as 'pulse']).toBe(expected);
  });

  it.each([
    [36.05, 1, 36.1],
    [1.005, 2, 1.01],
    [90.5, 0, 91],
    [90.49, 0, 90],
    [1e21, 0, 1e21],
  ])('roundHalfUp(%d, %d) is %d', (value, decimals, expected) => {
    expect(roundHalfUp(value, decimals)).toBe(expected);
  });

  it.each([
    ['respirationRate', Number.NaN],
    ['pulse', Number.POSITIVE_INFINITY],
    ['temperature', Number.NaN],
  ])('refuses a non-finite %s instead of scoring it', (field, value) => {
    expect(() => score({ [field]: value })).toThrow(new RegExp(`^${field} must be a finite number`));
  });
});
