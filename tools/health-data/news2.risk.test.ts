import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Consciousness,
  type News2Input,
  news2InputSchema,
  news2Response,
  news2ResultSchema,
  scoreNews2,
  scorePartialNews2,
} from './news2.ts';
import { normalVitals } from '../../test/fixtures.ts';

// Risk bands and responses: RCP NEWS2 (December 2017), chart 2 (thresholds) and chart 3 (clinical response).

const normal = normalVitals;

const score = (change: Partial<News2Input>) => scoreNews2({ ...normal, ...change });

describe('NEWS2 chart 2: risk bands', () => {
  it.each([
    ['total 0', {}, 0, 'none', false],
    ['total 1 (temperature 38.5)', { temperature: 38.5 }, 1, 'low', false],
    ['total 4 without a 3', { respirationRate: 22, pulse: 115 }, 4, 'low', false],
    ['a single 3 (new confusion), total 3', { consciousness: 'C' }, 3, 'low-medium', true],
    ['a single 3 (pulse 131) plus 1, total 4', { pulse: 131, temperature: 38.5 }, 4, 'low-medium', true],
    ['total 5 without a 3', { respirationRate: 22, pulse: 115, temperature: 38.5 }, 5, 'medium', false],
    [
      'total 5 including a 3 is medium, not low-medium',
      { systolicBp: 85, onOxygen: true },
      5,
      'medium',
      true,
    ],
    ['total 6', { respirationRate: 22, pulse: 115, onOxygen: true }, 6, 'medium', false],
    ['total 7', { respirationRate: 25, pulse: 115, onOxygen: true }, 7, 'high', true],
  ] as [string, Partial<News2Input>, number, string, boolean][])(
    '%s',
    (_name, change, total, risk, anyParameterScore3) => {
      const r = score(change);
      expect({ total: r.total, risk: r.risk, anyParameterScore3: r.anyParameterScore3 }).toEqual({
        total,
        risk,
        anyParameterScore3,
      });
    },
  );

  it('scores the CLI example (RR 24, SpO2 93, SBP 105, pulse 112, 38.4 °C) as 8, high', () => {
    const r = scoreNews2({
      respirationRate: 24,
      spo2: 93,
      spo2Scale: 1,
      onOxygen: false,
      systolicBp: 105,
      pulse: 112,
      consciousness: 'A',
      temperature: 38.4,
    });
    expect(r.parameterScores).toEqual({
      respirationRate: 2,
      spo2: 2,
      airOrOxygen: 0,
      systolicBp: 1,
      pulse: 2,
      consciousness: 0,
      temperature: 1,
    });
    expect([r.total, r.risk]).toEqual([8, 'high']);
  });

  it('reaches 20 with every parameter at its worst', () => {
    const r = score({
      respirationRate: 5,
      spo2: 80,
      onOxygen: true,
      systolicBp: 80,
      pulse: 35,
      consciousness: 'U',
      temperature: 34,
    });
    expect(r.parameterScores).toEqual({
      respirationRate: 3,
      spo2: 3,
      airOrOxygen: 2,
      systolicBp: 3,
      pulse: 3,
      consciousness: 3,
      temperature: 3,
    });
    expect([r.total, r.risk]).toEqual([20, 'high']);
  });
});

describe('news2Response: RCP chart 3 clinical response', () => {
  it.each([
    ['none', /routine/, 'Minimum 12-hourly', 12],
    ['low', /ward-based response/, 'Minimum 4–6-hourly', 6],
    ['low-medium', /urgent ward-based response/, 'Minimum 1-hourly', 1],
    ['medium', /urgent response/, 'Minimum 1-hourly', 1],
    ['high', /emergency response/, 'Continuous monitoring of vital signs', null],
  ] as const)('%s → %s, %s', (risk, response, monitoring, maxIntervalHours) => {
    const r = news2Response({ risk });
    expect(r.response).toMatch(response);
    expect([r.risk, r.monitoring, r.maxIntervalHours]).toEqual([risk, monitoring, maxIntervalHours]);
  });

  it('tells the registered nurse to assess at 1–4 and calls critical-care competencies at 7+', () => {
    expect(news2Response(score({ temperature: 38.5 })).action).toMatch(/registered nurse, who must assess/);
    expect(news2Response(score({ consciousness: 'U', pulse: 131, onOxygen: true })).action).toMatch(
      /critical-care/,
    );
  });
});

describe('scorePartialNews2: a lower bound from the parameters known', () => {
  it('scores nothing known as 0 with all seven fields missing', () => {
    expect(scorePartialNews2({})).toEqual({
      total: 0,
      risk: 'none',
      anyParameterScore3: false,
      parameterScores: {},
      missing: ['respirationRate', 'spo2', 'onOxygen', 'systolicBp', 'pulse', 'consciousness', 'temperature'],
    });
  });

  it.each([
    [{ consciousness: 'V' }, { consciousness: 3 }, 3, 'low-medium'],
    [{ pulse: 131, systolicBp: 85, spo2: 91 }, { pulse: 3, systolicBp: 3, spo2: 3 }, 9, 'high'],
    [{ onOxygen: true }, { airOrOxygen: 2 }, 2, 'low'],
    [{ spo2: 95, spo2Scale: 2 }, { spo2: 0 }, 0, 'none'],
    [{ spo2: 95, spo2Scale: 2, onOxygen: true }, { spo2: 2, airOrOxygen: 2 }, 4, 'low'],
    [{ spo2: 90 }, { spo2: 3 }, 3, 'low-medium'],
  ] as [Partial<News2Input>, object, number, string][])(
    '%o → %o, total %d, %s',
    (input, scores, total, risk) => {
      const r = scorePartialNews2(input);
      expect(r.parameterScores).toEqual(scores);
      expect([r.total, r.risk]).toEqual([total, risk]);
    },
  );

  it('names only the fields not given (onOxygen counts as given when false)', () => {
    expect(scorePartialNews2({ pulse: 80, onOxygen: false, spo2Scale: 2 }).missing).toEqual([
      'respirationRate',
      'spo2',
      'systolicBp',
      'consciousness',
      'temperature',
    ]);
  });

  const input = fc.record({
    respirationRate: fc.integer({ min: 0, max: 80 }),
    spo2: fc.integer({ min: 0, max: 100 }),
    spo2Scale: fc.constantFrom(1 as const, 2 as const),
    onOxygen: fc.boolean(),
    systolicBp: fc.integer({ min: 0, max: 300 }),
    pulse: fc.integer({ min: 0, max: 300 }),
    consciousness: fc.constantFrom<Consciousness>('A', 'C', 'V', 'P', 'U'),
    temperature: fc.integer({ min: 250, max: 450 }).map((t) => t / 10),
  });

  it('never exceeds the full score, whichever fields are dropped, and equals it when none are', () => {
    const keys = [
      'respirationRate',
      'spo2',
      'onOxygen',
      'systolicBp',
      'pulse',
      'consciousness',
      'temperature',
    ];
    fc.assert(
      fc.property(input, fc.subarray(keys), (full, dropped) => {
        const partial: Partial<News2Input> = { ...full };
        for (const k of dropped) delete partial[k as keyof News2Input];
        const p = scorePartialNews2(partial);
        const f = scoreNews2(full);
        expect(p.total).toBeLessThanOrEqual(f.total);
        expect(p.missing).toEqual(keys.filter((k) => dropped.includes(k)));
        if (dropped.length === 0) expect(p).toEqual({ ...f, missing: [] });
      }),
    );
  });

  it('keeps total equal to the sum of the parameter scores', () => {
    fc.assert(
      fc.property(input, (full) => {
        const r = scoreNews2(full);
        expect(r.total).toBe(Object.values(r.parameterScores).reduce((a, b) => a + b, 0));
        expect(news2ResultSchema.parse(r)).toEqual(r);
      }),
    );
  });
});

describe('news2InputSchema', () => {
  it('accepts a complete, plausible set', () => {
    expect(news2InputSchema.parse(normal)).toEqual(normal);
  });

  it.each([
    ['respirationRate', 81, 'respirationRate must be at most 80 breaths/min'],
    ['respirationRate', -1, 'respirationRate must be at least 0 breaths/min'],
    ['spo2', 101, 'spo2 must be at most 100 %'],
    ['systolicBp', 301, 'systolicBp must be at most 300 mmHg'],
    ['pulse', 'fast', 'pulse must be a number (beats/min)'],
    ['temperature', 98.6, 'temperature must be at most 45 °C'],
    ['temperature', 24.9, 'temperature must be at least 25 °C'],
    ['spo2Scale', 3, 'spo2Scale must be 1 or 2'],
    ['onOxygen', 'yes', 'onOxygen must be true or false'],
    ['consciousness', 'GCS15', 'consciousness must be one of A, C, V, P, U (ACVPU)'],
  ])('rejects %s = %o with "%s"', (field, value, message) => {
    const r = news2InputSchema.safeParse({ ...normal, [field]: value });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[field, message]]);
  });

  it('rejects a misspelt field rather than silently dropping it', () => {
    const r = news2InputSchema.partial().safeParse({ SpO2: 85 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('requires every field of a full set', () => {
    const { pulse: _omitted, ...rest } = normal;
    const r = news2InputSchema.safeParse(rest);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['pulse']);
  });
});
