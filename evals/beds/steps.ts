import type { BedRequestInput, BedStep, NeedInput } from './types.ts';

/** Shorthands the bed scenarios read with: who asks for what, and who answers how. */
export const medSurg = (sex: NeedInput['sex'], more: Partial<NeedInput> = {}): NeedInput => ({
  unitTypes: ['med-surg'],
  sex,
  ...more,
});

export const ask = (
  patientId: string,
  need: NeedInput,
  more: Partial<BedRequestInput> & { tag?: string } = {},
): BedStep => {
  const { tag, ...input } = more;
  return { request: { patientId, need, ...input }, ...(tag ? { tag } : {}) };
};

export const accept = (
  request: number,
  as: string,
  more: { approval?: number; tag?: string } = {},
): BedStep => ({
  answer: request,
  as,
  decision: 'accept',
  ...more,
});

export const decline = (request: number, as: string, reason = 'bay is short of staff'): BedStep => ({
  answer: request,
  as,
  decision: 'decline',
  reason,
});

export const counter = (request: number, as: string, bedId: string, tag?: string): BedStep => ({
  answer: request,
  as,
  decision: 'counter',
  bedId,
  reason: 'a better bed for this patient',
  ...(tag ? { tag } : {}),
});

export const op = (name: string, body: Record<string, unknown>, tag?: string): BedStep => ({
  op: name,
  body,
  ...(tag ? { tag } : {}),
});

/** The free med-surg beds a man (a woman) can take in the fixture hospital, best first. */
export const MALE_MED_SURG = ['bed-ms-m2', 'bed-ms-m1', 'bed-ms-b1', 'bed-ms-t1', 'bed-ms-c1'];
export const FEMALE_MED_SURG = ['bed-ms-f1', 'bed-ms-f2', 'bed-ms-b1', 'bed-ms-t1', 'bed-ms-c1'];
export const CN_MS = 'stf-charge-ms';
export const CN_ICU = 'stf-charge-icu';
export const CN_SD = 'stf-charge-sd';
export const CN_TELE = 'stf-charge-tele';
export const BED_MANAGER = 'stf-bed-manager';
