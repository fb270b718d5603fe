import type { ClaimNow } from './types.ts';

/**
 * A small 835 writer for the scenarios: one interchange, one GS, one ST*835 with correct envelope counts
 * (ASC X12N 005010X221A1), built from the claims as they stand, so a scenario states only what the payer
 * decided. Amounts are cents here, dollars in the file.
 */

/** A CAS adjustment: group (CO, PR, OA, PI), CARC, amount in cents. */
export type Cas = [string, string, number];

export interface ClaimRemit {
  claim: ClaimNow;
  /** CLP02: 1 processed as primary, 2 secondary, 4 denied, 22 reversal. */
  status?: '1' | '2' | '4' | '22';
  paidCents: number;
  patientCents?: number;
  /** CLP04 charge; the claim's total unless given (a reversal sends it negative). */
  chargeCents?: number;
  cas?: Cas[];
  /** Service lines paid (SVC), by the claim's line number (1-based), with their own adjustments. */
  lines?: { line: number; paidCents: number; cas?: Cas[]; remarks?: string[] }[];
  payerClaimNumber?: string;
  /** CLP01 as sent, when it should not be the claim's id (an unknown claim). */
  controlNumber?: string;
}

const dollars = (cents: number) => String(Math.round(cents) / 100);
const d8 = (iso: string) => iso.replaceAll('-', '');

const PAYERS = {
  medicare: { name: 'MEDICARE PART A/B', id: '06102' },
  acme: { name: 'ACME HEALTH', id: 'ACME1' },
} as const;

export function era835(
  claims: ClaimRemit[],
  opts: { payer?: keyof typeof PAYERS; control?: number; trace?: string } = {},
): string {
  const payer = PAYERS[opts.payer ?? 'acme'];
  const control = opts.control ?? 1;
  const total = claims.reduce((s, c) => s + c.paidCents, 0);
  const body: string[][] = [
    ['ST', '835', '0001'],
    [
      'BPR',
      'I',
      dollars(total),
      'C',
      'ACH',
      'CCP',
      '01',
      '999999992',
      'DA',
      '123456',
      '1512345678',
      '',
      '01',
      '999988880',
      'DA',
      '98765',
      '20260319',
    ],
    ['TRN', '1', opts.trace ?? `EFT-${control}`, '1512345678'],
    ['DTM', '405', '20260319'],
    ['N1', 'PR', payer.name],
    ['REF', '2U', payer.id],
    ['N1', 'PE', 'CAREBRIDGE GENERAL HOSPITAL', 'XX', '1234567893'],
    ['LX', '1'],
  ];
  for (const r of claims) {
    const c = r.claim;
    body.push([
      'CLP',
      r.controlNumber ?? c.id,
      r.status ?? '1',
      dollars(r.chargeCents ?? c.totalChargeCents),
      dollars(r.paidCents),
      r.patientCents === undefined ? '' : dollars(r.patientCents),
      '12',
      r.payerClaimNumber ?? c.payerClaimNumber ?? `PCN-${c.id}`,
      c.type === '837I' ? '13' : '11',
      '1',
    ]);
    for (const [g, carc, a] of r.cas ?? []) body.push(['CAS', g, carc, dollars(a)]);
    body.push(['NM1', 'QC', '1', 'PATIENT', 'EVAL']);
    for (const l of r.lines ?? []) {
      const line = c.lines[l.line - 1];
      if (!line) throw new Error(`claim ${c.id} has no line ${l.line}`);
      body.push(['SVC', line.svc, dollars(line.chargeCents), dollars(l.paidCents), '', '1']);
      body.push(['DTM', '472', d8(line.date)]);
      for (const [g, carc, a] of l.cas ?? []) body.push(['CAS', g, carc, dollars(a)]);
      for (const code of l.remarks ?? []) body.push(['LQ', 'HE', code]);
    }
  }
  body.push(['SE', String(body.length + 1), '0001']);
  const isaControl = String(control).padStart(9, '0');
  const segments = [
    [
      'ISA',
      '00',
      ' '.repeat(10),
      '00',
      ' '.repeat(10),
      'ZZ',
      payer.id.padEnd(15),
      'ZZ',
      'CAREBRIDGE01'.padEnd(15),
      '260319',
      '0900',
      '^',
      '00501',
      isaControl,
      '0',
      'T',
      ':',
    ],
    ['GS', 'HP', payer.id, 'CAREBRIDGE01', '20260319', '0900', String(control), 'X', '005010X221A1'],
    ...body,
    ['GE', '1', String(control)],
    ['IEA', '1', isaControl],
  ];
  return segments.map((s) => `${s.join('*')}~\n`).join('');
}

/** A payment in full under a contract: paid + CO-45 write-down + the patient's share equal the charge. */
export function paidInFull(claim: ClaimNow, paidCents: number, patientCents = 0, carc = '2'): ClaimRemit {
  const contractual = claim.totalChargeCents - paidCents - patientCents;
  return {
    claim,
    paidCents,
    patientCents,
    cas: [['CO', '45', contractual], ...(patientCents > 0 ? [['PR', carc, patientCents] as Cas] : [])],
  };
}

/** A whole-claim denial (CLP02 4) for one CARC. */
export function denied(claim: ClaimNow, carc: string, group = 'CO'): ClaimRemit {
  return { claim, status: '4', paidCents: 0, cas: [[group, carc, claim.totalChargeCents]] };
}
