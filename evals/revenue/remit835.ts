import { interchange835, type Remit } from '../../tools/revenue/remittance/test-remittances.ts';
import type { ClaimNow } from './types.ts';

/**
 * 835s for the scenarios, built from the claims as they stand, so a scenario states only what the payer
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

const dollars = (cents: number) => cents / 100;
const PAYERS = {
  medicare: { name: 'MEDICARE PART A/B', id: '06102' },
  acme: { name: 'ACME HEALTH', id: 'ACME1' },
} as const;

/** One interchange paying `claims`, through the remittance tests' writer (tools/revenue/remittance). */
export function era835(
  claims: ClaimRemit[],
  opts: { payer?: keyof typeof PAYERS; control?: number; trace?: string } = {},
): string {
  const payer = PAYERS[opts.payer ?? 'acme'];
  const control = opts.control ?? 1;
  const remits: Remit[] = claims.map((r) => {
    const c = r.claim;
    return {
      id: r.controlNumber ?? c.id,
      status: r.status ?? '1',
      charge: dollars(r.chargeCents ?? c.totalChargeCents),
      paid: dollars(r.paidCents),
      ...(r.patientCents === undefined ? {} : { patient: dollars(r.patientCents) }),
      payerNumber: r.payerClaimNumber ?? c.payerClaimNumber ?? `PCN-${c.id}`,
      facility: c.type === '837I' ? '13' : '11',
      cas: (r.cas ?? []).map(([g, carc, a]) => [g, carc, dollars(a)] as [string, string, number]),
      lines: (r.lines ?? []).map((l) => {
        const line = c.lines[l.line - 1];
        if (!line) throw new Error(`claim ${c.id} has no line ${l.line}`);
        const [qualifier, code] = line.svc.split(':') as ['HC' | 'NU', string];
        return {
          qualifier,
          code,
          charge: dollars(line.chargeCents),
          paid: dollars(l.paidCents),
          date: line.date,
          cas: (l.cas ?? []).map(([g, carc, a]) => [g, carc, dollars(a)] as [string, string, number]),
          lq: l.remarks ?? [],
        };
      }),
    };
  });
  return interchange835(
    [{ payerName: payer.name, payerId: payer.id, trace: opts.trace ?? `EFT-${control}`, claims: remits }],
    control,
  );
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
