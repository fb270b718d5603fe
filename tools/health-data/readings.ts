import { z } from 'zod';
import { toMgPerDl } from './glucose.ts';
import type { News2Input } from './news2.ts';

/** A reading as stored: one code, one value, one UCUM unit. */
export interface Reading {
  kind: string;
  code: string;
  value: number;
  unit: string;
}

/**
 * Codes for readings posted in the simple JSON form (LOINC, from shared/data/codesets/loinc-vitals.tsv;
 * ACVPU is SNOMED CT 1104441000000107). Consciousness is stored as its ACVPU position (A=0 … U=4) and
 * supplemental oxygen as 1/0, since the observation table holds numbers.
 */
export const vitalCodes = {
  respirationRate: { code: '9279-1', unit: '/min' },
  spo2: { code: '59408-5', unit: '%' },
  systolicBp: { code: '8480-6', unit: 'mm[Hg]' },
  pulse: { code: '8867-4', unit: '/min' },
  temperature: { code: '8310-5', unit: 'Cel' },
  consciousness: { code: 'http://snomed.info/sct|1104441000000107', unit: '{ACVPU}' },
  onOxygen: { code: 'carebridge|on-supplemental-oxygen', unit: '{yes/no}' },
} as const;
export const ACVPU = ['A', 'C', 'V', 'P', 'U'] as const;
export const CGM_GLUCOSE_LOINC = '99504-3';
export const BLOOD_GLUCOSE_LOINC = '2339-0';

export const vitalsSchema = z
  .strictObject({
    respirationRate: z.number().min(0).max(80).optional(),
    spo2: z.number().min(0).max(100).optional(),
    spo2Scale: z.union([z.literal(1), z.literal(2)]).optional(),
    onOxygen: z.boolean().optional(),
    systolicBp: z.number().min(0).max(300).optional(),
    pulse: z.number().min(0).max(300).optional(),
    consciousness: z.enum(ACVPU).optional(),
    temperature: z.number().min(25).max(45).describe('°C').optional(),
  })
  .refine((v) => Object.keys(v).some((k) => k !== 'spo2Scale'), { message: 'give at least one vital sign' });

export const observationInputSchema = z
  .strictObject({
    patientId: z.string().min(1),
    deviceId: z.string().min(1).optional(),
    effectiveAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When measured; defaults to when received'),
    glucose: z
      .strictObject({ value: z.number().positive().max(2000), unit: z.enum(['mg/dL', 'mmol/L']) })
      .optional()
      .describe('A glucose reading (CGM or meter)'),
    vitals: vitalsSchema.optional(),
  })
  .refine((b) => b.glucose !== undefined || b.vitals !== undefined, {
    message: 'give a glucose reading or vital signs',
    path: ['glucose'],
  });
export type ObservationInput = z.infer<typeof observationInputSchema>;

export function readingsFromInput(input: ObservationInput, fromCgm: boolean): Reading[] {
  const readings: Reading[] = [];
  if (input.glucose) {
    readings.push({
      kind: 'glucose',
      code: fromCgm ? CGM_GLUCOSE_LOINC : BLOOD_GLUCOSE_LOINC,
      value: toMgPerDl(input.glucose.value, input.glucose.unit),
      unit: 'mg/dL',
    });
  }
  const v = input.vitals;
  if (v) {
    for (const kind of ['respirationRate', 'spo2', 'systolicBp', 'pulse', 'temperature'] as const) {
      const value = v[kind];
      if (value !== undefined) readings.push({ kind, ...vitalCodes[kind], value });
    }
    if (v.consciousness) {
      readings.push({
        kind: 'consciousness',
        ...vitalCodes.consciousness,
        value: ACVPU.indexOf(v.consciousness),
      });
    }
    if (v.onOxygen !== undefined)
      readings.push({ kind: 'onOxygen', ...vitalCodes.onOxygen, value: v.onOxygen ? 1 : 0 });
  }
  return readings;
}

export const vitalKinds = [
  'respirationRate',
  'spo2',
  'systolicBp',
  'pulse',
  'temperature',
  'consciousness',
  'onOxygen',
];

/** Latest value per vital kind (newest first in `rows`) back into NEWS2 input form. */
export function vitalsFromReadings(
  rows: readonly { kind: string; value: number }[],
  spo2Scale: 1 | 2,
): Partial<News2Input> {
  const out: Partial<News2Input> = {};
  for (const r of rows) {
    switch (r.kind) {
      case 'consciousness':
        out.consciousness ??= ACVPU[r.value] ?? 'A';
        break;
      case 'onOxygen':
        out.onOxygen ??= r.value === 1;
        break;
      case 'respirationRate':
      case 'spo2':
      case 'systolicBp':
      case 'pulse':
      case 'temperature':
        out[r.kind] ??= r.value;
        break;
    }
  }
  if (out.spo2 !== undefined) out.spo2Scale = spo2Scale;
  return out;
}
