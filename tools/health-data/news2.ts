import { z } from 'zod';

/**
 * National Early Warning Score 2 (NEWS2), as published by the Royal College of Physicians:
 * "National Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in
 * the NHS", updated report of a working party, London: RCP, December 2017.
 *   - Chart 1 "The NEWS scoring system": the parameter bands below.
 *   - Chart 2 / table "NEWS thresholds and triggers" and chart 3 "Clinical response to the NEWS
 *     trigger thresholds": the risk bands and responses in news2Response().
 *
 * Resolution: chart 1 records temperature to one decimal place and every other parameter as a whole
 * number, so a value between two bands (36.05 °C, 90.5 /min) is first rounded to that resolution, half
 * up (36.05 → 36.1, 90.5 → 91), using the decimal digits as written rather than the nearest binary
 * float, and then scored. Every real number therefore falls in exactly one band.
 */

export type Consciousness = 'A' | 'C' | 'V' | 'P' | 'U';

export interface News2Input {
  respirationRate: number;
  spo2: number;
  /** Scale 2 only for hypercapnic respiratory failure with a prescribed target of 88–92%. */
  spo2Scale: 1 | 2;
  onOxygen: boolean;
  systolicBp: number;
  pulse: number;
  consciousness: Consciousness;
  /** °C */
  temperature: number;
}

export type News2Risk = 'none' | 'low' | 'low-medium' | 'medium' | 'high';

export interface News2ParameterScores {
  respirationRate: number;
  spo2: number;
  airOrOxygen: number;
  systolicBp: number;
  pulse: number;
  consciousness: number;
  temperature: number;
}

export interface News2Result {
  total: number;
  risk: News2Risk;
  anyParameterScore3: boolean;
  parameterScores: News2ParameterScores;
}

/** Rounds half up at `decimals` places, on the decimal digits of the number (36.05 → 36.1, not 36.0). */
export function roundHalfUp(value: number, decimals: number): number {
  const text = String(value);
  if (text.includes('e')) return Math.round(value * 10 ** decimals) / 10 ** decimals;
  return Math.round(Number(`${text}e${decimals}`)) / 10 ** decimals;
}

function finite(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

/** Chart 1, respiration rate (per minute): ≤8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥25 → 3. */
export function scoreRespirationRate(perMinute: number): number {
  const v = roundHalfUp(finite('respirationRate', perMinute), 0);
  if (v <= 8) return 3;
  if (v <= 11) return 1;
  if (v <= 20) return 0;
  if (v <= 24) return 2;
  return 3;
}

/** Chart 1, SpO2 scale 1 (%): ≤91 → 3, 92–93 → 2, 94–95 → 1, ≥96 → 0. Air or oxygen is scored separately. */
export function scoreSpo2Scale1(percent: number): number {
  const v = roundHalfUp(finite('spo2', percent), 0);
  if (v <= 91) return 3;
  if (v <= 93) return 2;
  if (v <= 95) return 1;
  return 0;
}

/**
 * Chart 1, SpO2 scale 2 (%), for a prescribed target of 88–92%: ≤83 → 3, 84–85 → 2, 86–87 → 1,
 * 88–92 → 0, ≥93 on air → 0; on oxygen 93–94 → 1, 95–96 → 2, ≥97 → 3 (over-oxygenation is scored
 * because it risks worsening hypercapnia).
 */
export function scoreSpo2Scale2(percent: number, onOxygen: boolean): number {
  const v = roundHalfUp(finite('spo2', percent), 0);
  if (v <= 83) return 3;
  if (v <= 85) return 2;
  if (v <= 87) return 1;
  if (v <= 92 || !onOxygen) return 0;
  if (v <= 94) return 1;
  if (v <= 96) return 2;
  return 3;
}

/** Chart 1, air or oxygen: air → 0, any supplemental oxygen → 2. */
export function scoreAirOrOxygen(onOxygen: boolean): number {
  return onOxygen ? 2 : 0;
}

/** Chart 1, systolic blood pressure (mmHg): ≤90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥220 → 3. */
export function scoreSystolicBp(mmHg: number): number {
  const v = roundHalfUp(finite('systolicBp', mmHg), 0);
  if (v <= 90) return 3;
  if (v <= 100) return 2;
  if (v <= 110) return 1;
  if (v <= 219) return 0;
  return 3;
}

/** Chart 1, pulse (per minute): ≤40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥131 → 3. */
export function scorePulse(perMinute: number): number {
  const v = roundHalfUp(finite('pulse', perMinute), 0);
  if (v <= 40) return 3;
  if (v <= 50) return 1;
  if (v <= 90) return 0;
  if (v <= 110) return 1;
  if (v <= 130) return 2;
  return 3;
}

/** Chart 1, consciousness: alert → 0; new confusion, voice, pain or unresponsive → 3. */
export function scoreConsciousness(level: Consciousness): number {
  return level === 'A' ? 0 : 3;
}

/** Chart 1, temperature (°C, one decimal): ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2. */
export function scoreTemperature(celsius: number): number {
  const v = roundHalfUp(finite('temperature', celsius), 1);
  if (v <= 35.0) return 3;
  if (v <= 36.0) return 1;
  if (v <= 38.0) return 0;
  if (v <= 39.0) return 1;
  return 2;
}

/**
 * Chart 2 thresholds, in the order they take precedence: 0 → none; ≥7 → high; 5–6 → medium; a 3 in any
 * single parameter → low-medium; otherwise (1–4) → low.
 */
export function news2Risk(total: number, anyParameterScore3: boolean): News2Risk {
  if (total === 0) return 'none';
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  if (anyParameterScore3) return 'low-medium';
  return 'low';
}

export function scoreNews2(input: News2Input): News2Result {
  const parameterScores: News2ParameterScores = {
    respirationRate: scoreRespirationRate(input.respirationRate),
    spo2: input.spo2Scale === 2 ? scoreSpo2Scale2(input.spo2, input.onOxygen) : scoreSpo2Scale1(input.spo2),
    airOrOxygen: scoreAirOrOxygen(input.onOxygen),
    systolicBp: scoreSystolicBp(input.systolicBp),
    pulse: scorePulse(input.pulse),
    consciousness: scoreConsciousness(input.consciousness),
    temperature: scoreTemperature(input.temperature),
  };
  return summarise(parameterScores);
}

function summarise<S extends Partial<News2ParameterScores>>(parameterScores: S) {
  const scores = Object.values(parameterScores) as number[];
  const total = scores.reduce((a, b) => a + b, 0);
  const anyParameterScore3 = scores.includes(3);
  return { total, risk: news2Risk(total, anyParameterScore3), anyParameterScore3, parameterScores };
}

/** The input fields a full NEWS2 needs, in chart order; spo2Scale is a setting, not a measurement. */
export const NEWS2_FIELDS = [
  'respirationRate',
  'spo2',
  'onOxygen',
  'systolicBp',
  'pulse',
  'consciousness',
  'temperature',
] as const;

export interface PartialNews2Result {
  total: number;
  risk: News2Risk;
  anyParameterScore3: boolean;
  parameterScores: Partial<News2ParameterScores>;
  /** Input fields that were not given (names from NEWS2_FIELDS; onOxygen scores as airOrOxygen). */
  missing: string[];
}

/**
 * NEWS2 from whichever observations are known (a patient app posting one reading). Every parameter
 * scores 0 or more, so the total of the known ones is a LOWER BOUND on the full score: a partial
 * score can raise an alarm, but a low partial score never shows the patient is well.
 * spo2Scale defaults to 1 (chart 1 uses scale 2 only when a clinician has prescribed it). On scale 2,
 * SpO2 ≥93% with unknown oxygen is scored as on air (0), which keeps the total a lower bound.
 */
export function scorePartialNews2(partial: Partial<News2Input>): PartialNews2Result {
  const s: Partial<News2ParameterScores> = {};
  if (partial.respirationRate !== undefined)
    s.respirationRate = scoreRespirationRate(partial.respirationRate);
  if (partial.spo2 !== undefined) {
    s.spo2 =
      partial.spo2Scale === 2
        ? scoreSpo2Scale2(partial.spo2, partial.onOxygen ?? false)
        : scoreSpo2Scale1(partial.spo2);
  }
  if (partial.onOxygen !== undefined) s.airOrOxygen = scoreAirOrOxygen(partial.onOxygen);
  if (partial.systolicBp !== undefined) s.systolicBp = scoreSystolicBp(partial.systolicBp);
  if (partial.pulse !== undefined) s.pulse = scorePulse(partial.pulse);
  if (partial.consciousness !== undefined) s.consciousness = scoreConsciousness(partial.consciousness);
  if (partial.temperature !== undefined) s.temperature = scoreTemperature(partial.temperature);
  const missing = NEWS2_FIELDS.filter((f) => partial[f] === undefined);
  return { ...summarise(s), missing };
}

export interface News2Response {
  risk: News2Risk;
  /** Chart 2: the clinical risk and the response it triggers. */
  response: string;
  /** Chart 3: who does what. */
  action: string;
  /** Chart 3: the minimum frequency of monitoring. */
  monitoring: string;
  /** Longest allowed gap between observation sets, in hours; null means continuous monitoring. */
  maxIntervalHours: number | null;
}

/**
 * Chart 3, "Clinical response to the NEWS trigger thresholds". For 1–4 the RCP gives "4–6 hourly" and
 * leaves the choice to local policy; maxIntervalHours gives the outer limit, 6.
 */
const RESPONSES: Record<News2Risk, Omit<News2Response, 'risk'>> = {
  none: {
    response: 'Score 0: routine monitoring',
    action: 'Continue routine NEWS monitoring',
    monitoring: 'Minimum 12-hourly',
    maxIntervalHours: 12,
  },
  low: {
    response: 'Low clinical risk (score 1–4): ward-based response',
    action:
      'Inform the registered nurse, who must assess the patient and decide whether increased monitoring or escalation is needed',
    monitoring: 'Minimum 4–6-hourly',
    maxIntervalHours: 6,
  },
  'low-medium': {
    response: 'Low–medium clinical risk (3 in a single parameter): urgent ward-based response',
    action:
      'Registered nurse to inform the medical team caring for the patient, who will review and decide whether escalation is necessary',
    monitoring: 'Minimum 1-hourly',
    maxIntervalHours: 1,
  },
  medium: {
    response: 'Medium clinical risk (score 5–6): key threshold for urgent response',
    action:
      'Registered nurse to immediately inform the medical team; urgent assessment by a clinician with competencies in assessing acutely ill patients',
    monitoring: 'Minimum 1-hourly',
    maxIntervalHours: 1,
  },
  high: {
    response: 'High clinical risk (score 7 or more): emergency response',
    action:
      'Registered nurse to immediately inform the medical team (at least specialist registrar level); emergency assessment by a team with critical-care competencies',
    monitoring: 'Continuous monitoring of vital signs',
    maxIntervalHours: null,
  },
};

export function news2Response(result: Pick<News2Result, 'risk'>): News2Response {
  return { risk: result.risk, ...RESPONSES[result.risk] };
}

const num = (field: string, what: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number (${what})` })
    .min(min, `${field} must be at least ${min} ${what}`)
    .max(max, `${field} must be at most ${max} ${what}`);

/** Physiologically possible ranges: outside them the value is a data error, not a patient. */
export const news2InputSchema = z.strictObject({
  respirationRate: num('respirationRate', 'breaths/min', 0, 80),
  spo2: num('spo2', '%', 0, 100),
  spo2Scale: z.union([z.literal(1), z.literal(2)], { error: 'spo2Scale must be 1 or 2' }),
  onOxygen: z.boolean({ error: 'onOxygen must be true or false' }),
  systolicBp: num('systolicBp', 'mmHg', 0, 300),
  pulse: num('pulse', 'beats/min', 0, 300),
  consciousness: z.enum(['A', 'C', 'V', 'P', 'U'], {
    error: 'consciousness must be one of A, C, V, P, U (ACVPU)',
  }),
  temperature: num('temperature', '°C', 25, 45),
});

const parameterScore = z.number().int().min(0).max(3);

export const news2ResultSchema = z.object({
  total: z.number().int().min(0).max(20),
  risk: z.enum(['none', 'low', 'low-medium', 'medium', 'high']),
  anyParameterScore3: z.boolean(),
  parameterScores: z.object({
    respirationRate: parameterScore,
    spo2: parameterScore,
    airOrOxygen: parameterScore,
    systolicBp: parameterScore,
    pulse: parameterScore,
    consciousness: parameterScore,
    temperature: parameterScore,
  }),
});
