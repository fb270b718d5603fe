/**
 * One CLP loop of an 835 as the hospital posts it: amounts in cents, every CAS adjustment and remark
 * code named with its description, the service lines paid, and what the payment makes of the claim.
 * Pure: plain data in, plain data out.
 */
import type { RemittanceClaim, RemittanceTransaction } from '../x12/types.ts';
import {
  carcDescription,
  groupDescription,
  plbDescription,
  type RemittanceVocabulary,
  rarcDescription,
} from './vocabulary.ts';

export const cents = (dollars: number) => Math.round(dollars * 100);

export interface PostedAdjustment {
  /** 1-based position of the SVC line the CAS belongs to; absent for a claim-level CAS. */
  line?: number;
  group: string;
  groupDescription: string;
  carc: string;
  carcDescription: string;
  amountCents: number;
  quantity?: number;
}

export interface PostedRemark {
  line?: number;
  /** LQ*HE (line), MIA or MOA (claim). */
  source: 'LQ' | 'MIA' | 'MOA';
  code: string;
  description: string;
}

export interface PaidLine {
  line: number;
  procedureCode: string;
  modifiers: string[];
  revenueCode?: string;
  chargeCents: number;
  paidCents: number;
  units: number;
  serviceFrom?: string;
  serviceTo?: string;
  controlNumber?: string;
  allowedCents?: number;
}

/** What claim_payments keeps of a CLP (columns plus the `adjustments` and `lines` jsonb). */
export interface PaymentFacts {
  patientControlNumber: string;
  claimStatusCode: string;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  payerClaimNumber: string | null;
  detail: {
    adjustments: PostedAdjustment[];
    remarks: PostedRemark[];
    payerName: string | null;
    filingIndicator: string | null;
    serviceFrom: string | null;
    serviceTo: string | null;
  };
  lines: PaidLine[];
}

/** 835 CLP02 = 22: "Reversal of Previous Payment" (ASC X12 005010X221A1, CLP02 code list). */
export const REVERSAL = '22';
/** CLP02 = 4: "Denied". */
export const DENIED = '4';

// RARC positions in MIA (MIA05, MIA20–23) and MOA (MOA03–07): ASC X12 005010X221A1, loop 2100.
const MIA_REMARKS = [5, 20, 21, 22, 23];
const MOA_REMARKS = [3, 4, 5, 6, 7];

function serviceDates(dates: RemittanceClaim['dates']): { from?: string; to?: string } {
  const at = (q: string) => dates.find((d) => d.qualifier === q && d.format === undefined);
  // DTM*472 a service date; 150/151 a period (lines); 232/233 the claim's statement period.
  const single = at('472');
  if (single) return { from: single.start, to: single.end ?? single.start };
  const from = at('150') ?? at('232');
  const to = at('151') ?? at('233');
  const out: { from?: string; to?: string } = {};
  if (from) out.from = from.start;
  if (to) out.to = to.start;
  else if (from) out.to = from.end ?? from.start;
  return out;
}

export function paymentFacts(
  claim: RemittanceClaim,
  tx: RemittanceTransaction,
  v: RemittanceVocabulary,
): PaymentFacts {
  const adjustments: PostedAdjustment[] = [];
  const remarks: PostedRemark[] = [];
  const adjust = (a: RemittanceClaim['adjustments'][number], line?: number) => {
    const posted: PostedAdjustment = {
      group: a.group,
      groupDescription: groupDescription(v, a.group),
      carc: a.reason,
      carcDescription: carcDescription(v, a.reason),
      amountCents: cents(a.amount),
    };
    if (line !== undefined) posted.line = line;
    if (a.quantity !== undefined) posted.quantity = a.quantity;
    adjustments.push(posted);
  };
  const remark = (source: PostedRemark['source'], code: string, line?: number) => {
    const r: PostedRemark = { source, code, description: rarcDescription(v, code) };
    if (line !== undefined) r.line = line;
    remarks.push(r);
  };
  for (const a of claim.adjustments) adjust(a);
  for (const k of MIA_REMARKS) if (claim.inpatient?.[k]) remark('MIA', claim.inpatient[k]);
  for (const k of MOA_REMARKS) if (claim.outpatient?.[k]) remark('MOA', claim.outpatient[k]);
  const lines = claim.lines.map((l, index): PaidLine => {
    const n = index + 1;
    for (const a of l.adjustments) adjust(a, n);
    for (const r of l.remarks) if (r.qualifier === 'HE') remark('LQ', r.code, n);
    const paid: PaidLine = {
      line: n,
      procedureCode: l.procedure.code,
      modifiers: l.procedure.modifiers,
      chargeCents: cents(l.charge),
      paidCents: cents(l.paid),
      units: l.units,
    };
    if (l.revenueCode !== undefined) paid.revenueCode = l.revenueCode;
    const dates = serviceDates(l.dates);
    if (dates.from) paid.serviceFrom = dates.from;
    if (dates.to) paid.serviceTo = dates.to;
    if (l.controlNumber !== undefined) paid.controlNumber = l.controlNumber;
    const allowed = l.amounts.find((a) => a.qualifier === 'B6');
    if (allowed) paid.allowedCents = cents(allowed.amount);
    return paid;
  });
  const claimDates = serviceDates(claim.dates);
  const serviceFrom =
    claimDates.from ??
    lines
      .map((l) => l.serviceFrom)
      .filter(isString)
      .sort()[0];
  const serviceTo =
    claimDates.to ??
    lines
      .map((l) => l.serviceTo)
      .filter(isString)
      .sort()
      .at(-1);
  const patientShare = adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
  return {
    patientControlNumber: claim.claimId,
    claimStatusCode: claim.status,
    chargeCents: cents(claim.charge),
    paidCents: cents(claim.paid),
    // CLP05 when sent, else the PR adjustments it should equal.
    patientResponsibilityCents:
      claim.patientResponsibility !== undefined ? cents(claim.patientResponsibility) : patientShare,
    payerClaimNumber: claim.payerControlNumber ?? null,
    detail: {
      adjustments,
      remarks,
      payerName: tx.payer.name ?? null,
      filingIndicator: claim.filingIndicator ?? null,
      serviceFrom: serviceFrom ?? null,
      serviceTo: serviceTo ?? serviceFrom ?? null,
    },
    lines,
  };
}

const isString = (s: string | undefined): s is string => s !== undefined;

// Adjustments that are the contract working as agreed, not a denial: CARC 45 "Charges exceed your
// contracted/legislated fee arrangement" and 253 "Sequestration - reduction in federal payment"
// (X12 Claim Adjustment Reason Codes, data/codesets/carc__cms-bfd.csv).
const CONTRACTUAL_CARCS = new Set(['45', '253']);
// Cost sharing the plan assigns to the patient: CARC 1 deductible, 2 coinsurance, 3 co-payment.
const COST_SHARING_CARCS = new Set(['1', '2', '3']);

export const isContractual = (a: { group: string; carc: string }) =>
  a.group !== 'PR' && CONTRACTUAL_CARCS.has(a.carc);
export const isCostSharing = (a: { group: string; carc: string }) =>
  a.group === 'PR' && COST_SHARING_CARCS.has(a.carc);
/** A reduction the payer made for a reason other than the contract or the patient's cost sharing. */
export const isDenial = (a: { group: string; carc: string; amountCents: number }) =>
  a.amountCents !== 0 && !isContractual(a) && !isCostSharing(a);

export type PaymentOutcome = 'paid' | 'partially-paid' | 'denied';

/**
 * paid: the payment, contractual adjustments and the patient's share account for the whole charge and
 * nothing was denied; denied: CLP02 4, or nothing paid and a denial reason given; else partially paid.
 */
export function paymentOutcome(p: PaymentFacts): PaymentOutcome {
  if (p.claimStatusCode === DENIED) return 'denied';
  const denials = p.detail.adjustments.filter(isDenial);
  if (p.paidCents === 0 && denials.length > 0) return 'denied';
  const contractual = p.detail.adjustments.filter(isContractual).reduce((s, a) => s + a.amountCents, 0);
  if (denials.length === 0 && p.paidCents + contractual + p.patientResponsibilityCents === p.chargeCents) {
    return 'paid';
  }
  return 'partially-paid';
}

/** What a payment adds to the claim's running totals: a reversal (CLP02 22) takes its amounts back. */
export function claimDeltas(p: PaymentFacts): { paid: number; patient: number; adjusted: number } {
  const adjusted = p.detail.adjustments
    .filter((a) => a.group !== 'PR')
    .reduce((s, a) => s + a.amountCents, 0);
  const sign = (n: number) => (p.claimStatusCode === REVERSAL ? -Math.abs(n) : n);
  return { paid: sign(p.paidCents), patient: sign(p.patientResponsibilityCents), adjusted: sign(adjusted) };
}

export interface ProviderAdjustmentPosted {
  provider: string;
  fiscalPeriodEnd: string;
  reason: string;
  description: string;
  reference?: string;
  amountCents: number;
}

export function providerAdjustments(tx: RemittanceTransaction, v: RemittanceVocabulary) {
  return tx.providerAdjustments.flatMap((plb) =>
    plb.adjustments.map((a) => {
      const posted: ProviderAdjustmentPosted = {
        provider: plb.provider,
        fiscalPeriodEnd: plb.fiscalPeriodEnd,
        reason: a.reason,
        description: plbDescription(v, a.reason),
        amountCents: cents(a.amount),
      };
      if (a.reference !== undefined) posted.reference = a.reference;
      return posted;
    }),
  );
}

/**
 * The 835's balancing rule (005010X221A1, section 1.10.2.1): BPR02 = the sum of CLP04 minus the sum of
 * PLB amounts. Payers do send files that break it; the posting reports it and goes on.
 */
export function balanceWarning(tx: RemittanceTransaction): string | null {
  const claims = tx.claims.reduce((s, c) => s + cents(c.paid), 0);
  const plb = tx.providerAdjustments.reduce(
    (s, p) => s + p.adjustments.reduce((t, a) => t + cents(a.amount), 0),
    0,
  );
  const stated = cents(tx.payment.amount);
  if (stated === claims - plb) return null;
  const money = (c: number) => (c / 100).toFixed(2);
  return (
    `835 ${tx.control}: BPR02 is ${money(stated)} but the claims paid (CLP04) ${money(claims)} ` +
    `less provider adjustments (PLB) ${money(plb)} make ${money(claims - plb)}`
  );
}
