import { z } from 'zod';

/**
 * Glucose levels as defined by:
 *   - American Diabetes Association, Standards of Care in Diabetes, section 6 "Glycemic Goals and
 *     Hypoglycemia" (table "Classification of hypoglycemia"): level 1 < 70 mg/dL (3.9 mmol/L) and
 *     ≥ 54 mg/dL; level 2 < 54 mg/dL (3.0 mmol/L).
 *   - Battelino T, et al. Clinical Targets for Continuous Glucose Monitoring Data Interpretation:
 *     Recommendations From the International Consensus on Time in Range. Diabetes Care
 *     2019;42(8):1593–1603: target range 70–180 mg/dL (3.9–10.0 mmol/L); level 1 hyperglycaemia
 *     > 180 mg/dL (10.0 mmol/L); level 2 > 250 mg/dL (13.9 mmol/L).
 */

export type GlucoseUnit = 'mg/dL' | 'mmol/L';

/**
 * mg/dL per mmol/L. Glucose (C6H12O6) has a molar mass of 180.16 g/mol: 1 mmol/L = 180.16 mg/L
 * = 18.016 mg/dL.
 */
export const MG_PER_DL_PER_MMOL_PER_L = 18.016;

/**
 * A glucose value in mg/dL, rounded to a whole mg/dL — the resolution at which mg/dL is reported
 * and at which the thresholds are written. Rounding also keeps both units on the same side of every
 * threshold: 10.0 mmol/L is 180.16 mg/dL unrounded, which would read as level 1 hyperglycaemia
 * although the consensus puts 10.0 mmol/L in range; rounded it is 180, in range, as intended.
 * (Likewise 13.9 mmol/L → 250, level 1; 3.0 → 54, level 1; 3.9 → 70, in range.) mg/dL values pass
 * through unchanged.
 */
export function toMgPerDl(value: number, unit: GlucoseUnit): number {
  if (unit === 'mg/dL') return value;
  return Math.round(value * MG_PER_DL_PER_MMOL_PER_L);
}

export type GlucoseBand = 'hypo-level-2' | 'hypo-level-1' | 'in-range' | 'hyper-level-1' | 'hyper-level-2';

export interface GlucoseClass {
  band: GlucoseBand;
  /** 0 in range, 1 level 1 (hypo or hyper), 2 level 2. */
  severity: 0 | 1 | 2;
  valueMgDl: number;
}

/** Bands on the value as given (no rounding): 53.9 is level 2, 180.1 is level 1 hyperglycaemia. */
export function classifyGlucose(valueMgDl: number): GlucoseClass {
  if (!Number.isFinite(valueMgDl)) throw new RangeError(`glucose must be a finite number, got ${valueMgDl}`);
  if (valueMgDl < 54) return { band: 'hypo-level-2', severity: 2, valueMgDl };
  if (valueMgDl < 70) return { band: 'hypo-level-1', severity: 1, valueMgDl };
  if (valueMgDl <= 180) return { band: 'in-range', severity: 0, valueMgDl };
  if (valueMgDl <= 250) return { band: 'hyper-level-1', severity: 1, valueMgDl };
  return { band: 'hyper-level-2', severity: 2, valueMgDl };
}

/** Highest value accepted, in mg/dL: above it, the reading is a data or unit error, not a patient. */
export const MAX_GLUCOSE_MG_DL = 2000;

/** A glucose reading as a patient app or meter posts it. */
export const glucoseReadingSchema = z
  .object({
    value: z
      .number({ error: 'glucose value must be a number' })
      .positive('glucose value must be greater than 0'),
    unit: z.enum(['mg/dL', 'mmol/L'], { error: "glucose unit must be 'mg/dL' or 'mmol/L'" }),
  })
  .superRefine(({ value, unit }, ctx) => {
    if (toMgPerDl(value, unit) > MAX_GLUCOSE_MG_DL) {
      const max =
        unit === 'mg/dL' ? MAX_GLUCOSE_MG_DL : Math.floor(MAX_GLUCOSE_MG_DL / MG_PER_DL_PER_MMOL_PER_L);
      const hint = unit === 'mmol/L' ? '; was it in mg/dL?' : '';
      ctx.addIssue({
        code: 'custom',
        input: value,
        path: ['value'],
        message: `glucose value ${value} ${unit} is above the possible maximum of ${max} ${unit}${hint}`,
      });
    }
  });
export type GlucoseReading = z.infer<typeof glucoseReadingSchema>;

/** Trend arrows, per the Dexcom CGM convention (Abbott FreeStyle Libre shows no double arrows). */
export type GlucoseTrend =
  | 'rising-rapidly'
  | 'rising'
  | 'rising-slowly'
  | 'stable'
  | 'falling-slowly'
  | 'falling'
  | 'falling-rapidly';

/**
 * The CGM trend-arrow convention (Dexcom G6/G7 user guides; Abbott FreeStyle Libre uses the same
 * 1 and 2 mg/dL/min cut-offs for its single arrows): a rate beyond 3 mg/dL/min is a double arrow
 * (rapidly), beyond 2 a single vertical arrow, beyond 1 a diagonal arrow, otherwise flat (stable).
 * The cut-offs are strict: exactly 2 mg/dL/min is "rising slowly".
 */
export function trendOf(mgDlPerMin: number): GlucoseTrend {
  const m = Math.abs(mgDlPerMin);
  const dir = mgDlPerMin > 0 ? 'rising' : 'falling';
  if (m > 3) return `${dir}-rapidly`;
  if (m > 2) return dir;
  if (m > 1) return `${dir}-slowly`;
  return 'stable';
}

/** How far back from the newest reading the rate looks, as CGM trend arrows do. */
export const RATE_WINDOW_MINUTES = 15;

export interface GlucoseRate {
  /** Least-squares slope, rounded to 0.001 mg/dL/min so float noise cannot flip a trend category. */
  mgDlPerMin: number;
  trend: GlucoseTrend;
  /** Readings used: those within RATE_WINDOW_MINUTES of the newest, inclusive. */
  points: number;
  spanMinutes: number;
}

/**
 * The rate of change of glucose over the readings within the last 15 minutes of the newest one
 * (the window is anchored to the data, not the clock). Null when fewer than two readings fall in the
 * window, or when they were all taken at the same instant.
 */
export function rateOfChange(
  readings: readonly { at: Date | string; valueMgDl: number }[],
): GlucoseRate | null {
  const points = readings.map((r, i) => {
    const t = (r.at instanceof Date ? r.at : new Date(r.at)).getTime();
    if (Number.isNaN(t)) throw new RangeError(`readings[${i}].at is not a valid date: ${String(r.at)}`);
    if (!Number.isFinite(r.valueMgDl))
      throw new RangeError(`readings[${i}].valueMgDl must be a finite number`);
    return { t, y: r.valueMgDl };
  });
  if (points.length < 2) return null;
  const newest = Math.max(...points.map((p) => p.t));
  const recent = points
    .map((p) => ({ x: (p.t - newest) / 60_000, y: p.y }))
    .filter((p) => p.x >= -RATE_WINDOW_MINUTES);
  if (recent.length < 2) return null;
  const n = recent.length;
  const meanX = recent.reduce((a, p) => a + p.x, 0) / n;
  const meanY = recent.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of recent) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  if (sxx === 0) return null;
  const mgDlPerMin = Math.round((sxy / sxx) * 1000) / 1000 || 0;
  const spanMinutes = -Math.min(...recent.map((p) => p.x));
  return { mgDlPerMin, trend: trendOf(mgDlPerMin), points: n, spanMinutes };
}
