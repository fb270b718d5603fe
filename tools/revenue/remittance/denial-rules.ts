/**
 * The denial work queue's rules: which category a denied or short-paid claim falls in and what to do
 * about it. Pure: the facts about the payment and the record come in, the decision goes out.
 *
 * CARC meanings are X12's Claim Adjustment Reason Codes list (data/codesets/carc__cms-bfd.csv); RARC the
 * Remittance Advice Remark Codes list. The category and action for each code are this project's own
 * mapping, following common revenue-cycle practice (correct and resubmit what the provider got wrong,
 * appeal what the payer got wrong when the record proves it, bill the next party responsible, write off
 * what no one can be billed for), as in CMS's Medicare Claims Processing Manual ch. 29 (appeals) and
 * the AAPC/HFMA denial-management guidance.
 */
import type { DenialAction, DenialCategory } from '../../../db/schema/revenue.ts';
import {
  isContractual,
  isCostSharing,
  isDenial,
  type PaidLine,
  type PaymentOutcome,
  type PostedAdjustment,
  type PostedRemark,
} from './payment.ts';

/** CARC → category. The order of categories breaks ties between reasons of equal amount. */
export const CARC_CATEGORIES: readonly (readonly [DenialCategory, readonly string[]])[] = [
  // 16 "lacks information needed for adjudication", 252 "an attachment/other documentation is required".
  ['missing-information', ['16', '252']],
  // 4 modifier, 5 place of service, 6–10 age/sex/diagnosis inconsistency, 11 diagnosis inconsistent
  // with procedure, 146 invalid diagnosis for the date, 181/182 procedure or modifier invalid for the date.
  ['coding', ['4', '5', '6', '7', '8', '9', '10', '11', '146', '181', '182']],
  // 26/27 before or after coverage, 31 not identified as our insured, 33 no dependent coverage,
  // 109 "not covered by this payer: send it to the correct payer".
  ['eligibility', ['26', '27', '31', '33', '109']],
  // 15 authorisation number missing or invalid, 62 absent or exceeded precertification, 197 absent.
  ['authorization', ['15', '62', '197']],
  ['timely-filing', ['29']],
  ['duplicate', ['18']],
  // 50 not medically necessary, 55 experimental, 56 not proven effective.
  ['medical-necessity', ['50', '55', '56']],
  // 97 included in another service, B15 qualifying service not received, 234 not paid separately,
  // 236 incompatible with another procedure the same day under NCCI.
  ['bundling', ['97', 'B15', '234', '236']],
  // 22 covered by another payer (coordination of benefits), 23 impact of prior payer adjudication.
  ['coordination-of-benefits', ['22', '23']],
];

const CATEGORY_OF = new Map(CARC_CATEGORIES.flatMap(([c, codes]) => codes.map((code) => [code, c] as const)));
const PRIORITY = new Map(CARC_CATEGORIES.map(([c], i) => [c, i]));

export interface DenialReason {
  group: string;
  carc: string;
  rarc?: string;
  description: string;
  amountCents: number;
  line?: number;
}

export interface DenialFacts {
  outcome: PaymentOutcome;
  reversal: boolean;
  adjustments: readonly PostedAdjustment[];
  remarks: readonly PostedRemark[];
  lines: readonly PaidLine[];
  serviceDate: string | null;
  /** Another coverage of the patient active on the date of service, by id. */
  otherCoverageId: string | null;
  /** The prior authorisation on file for the claim's coverage, service and date. */
  authorizationNumber: string | null;
  /** Submitted within the payer's filing limit, when the submission date is known. */
  filedInTime: boolean | null;
  /** NCCI PTP modifier indicator for (another line's code, the bundled code) on the date; null when no edit. */
  ptpIndicator(column1: string, column2: string, date: string): 0 | 1 | 9 | null;
  /** Per-unit allowed amounts of the claim's plan (fee_schedule_entries). */
  feeSchedule: ReadonlyMap<string, number>;
}

export interface DenialDecision {
  category: DenialCategory;
  action: DenialAction;
  rule: string;
  reasons: DenialReason[];
  amountCents: number;
}

/** An underpayment must exceed the greater of $1.00 and 1 % of the expected payment (our tolerance). */
export function underpaymentTolerance(expectedCents: number): number {
  return Math.max(100, Math.round(expectedCents / 100));
}

/** Lines paid below the plan's allowed amount less the patient's share, beyond the tolerance. */
export function underpaidLines(f: Pick<DenialFacts, 'adjustments' | 'lines' | 'feeSchedule'>) {
  const out: { line: PaidLine; expectedCents: number; shortCents: number }[] = [];
  for (const line of f.lines) {
    const allowed = f.feeSchedule.get(line.procedureCode);
    if (allowed === undefined) continue;
    const patient = f.adjustments
      .filter((a) => a.line === line.line && a.group === 'PR')
      .reduce((s, a) => s + a.amountCents, 0);
    const expectedCents = Math.round(allowed * line.units) - patient;
    const shortCents = expectedCents - line.paidCents;
    if (shortCents > underpaymentTolerance(expectedCents)) out.push({ line, expectedCents, shortCents });
  }
  return out;
}

function reasonOf(a: PostedAdjustment, remarks: readonly PostedRemark[]): DenialReason {
  const reason: DenialReason = {
    group: a.group,
    carc: a.carc,
    description: a.carcDescription,
    amountCents: a.amountCents,
  };
  const rarc = remarks.find((r) => r.line === a.line);
  if (rarc) reason.rarc = rarc.code;
  if (a.line !== undefined) reason.line = a.line;
  return reason;
}

function categoryOf(a: { group: string; carc: string }): DenialCategory {
  if (isCostSharing(a)) return 'patient-responsibility';
  const category = CATEGORY_OF.get(a.carc);
  if (category) return category;
  // The payer put a reduction it has no other name for on the patient: bill the patient.
  return a.group === 'PR' ? 'patient-responsibility' : 'other';
}

/**
 * The work item a payment calls for, or null: a reversal, a payment the contract and the patient's
 * cost sharing explain in full (patient statements run from the claim's totals, not this queue) and
 * contractual adjustments alone call for none.
 */
export function decideDenial(f: DenialFacts): DenialDecision | null {
  if (f.reversal) return null;
  const reasons = f.adjustments.filter((a) => !isContractual(a)).map((a) => reasonOf(a, f.remarks));
  const denials = f.adjustments.filter(isDenial);
  if (denials.length === 0 || f.outcome === 'paid') {
    const short = underpaidLines(f);
    if (short.length > 0) {
      const amountCents = short.reduce((s, u) => s + u.shortCents, 0);
      const detail = short
        .map(
          (u) =>
            `line ${u.line.line} ${u.line.procedureCode} paid ${u.line.paidCents} of ${u.expectedCents} expected`,
        )
        .join('; ');
      return {
        category: 'underpayment',
        action: 'appeal',
        rule: `underpayment: paid below the plan's allowed amount less the patient's share (${detail}, cents) by more than the tolerance (greater of $1.00 and 1%): appeal with the fee schedule`,
        reasons,
        amountCents,
      };
    }
    const patient = f.adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
    if (patient > 0 && f.otherCoverageId) {
      return {
        category: 'patient-responsibility',
        action: 'bill-secondary',
        rule: `PR cost sharing with another coverage active on the date (${f.otherCoverageId}): bill the secondary payer`,
        reasons,
        amountCents: patient,
      };
    }
    if (denials.length === 0 && f.outcome === 'paid') return null;
  }
  const ranked = (denials.length > 0 ? denials : f.adjustments.filter((a) => a.group === 'PR'))
    .map((a) => ({ a, category: categoryOf(a) }))
    .sort(
      (x, y) =>
        y.a.amountCents - x.a.amountCents ||
        (PRIORITY.get(x.category) ?? 99) - (PRIORITY.get(y.category) ?? 99),
    );
  const lead = ranked[0];
  const amountCents =
    denials.length > 0
      ? denials.reduce((s, a) => s + a.amountCents, 0)
      : f.adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
  if (!lead) {
    return {
      category: 'other',
      action: 'review',
      rule: `the payment (${f.outcome}) gives no adjustment reason to act on: review the remittance`,
      reasons,
      amountCents,
    };
  }
  const { action, rule } = actionFor(lead.category, lead.a, f);
  return { category: lead.category, action, rule, reasons, amountCents };
}

function actionFor(
  category: DenialCategory,
  a: PostedAdjustment,
  f: DenialFacts,
): { action: DenialAction; rule: string } {
  const code = `${a.group}-${a.carc}`;
  switch (category) {
    case 'missing-information': {
      const rarcs = f.remarks.map((r) => r.code).join(', ');
      return {
        action: 'correct-and-resubmit',
        rule: `${code} missing information${rarcs ? ` (remarks ${rarcs} say what)` : ''}: supply it and resubmit`,
      };
    }
    case 'coding':
      return { action: 'correct-and-resubmit', rule: `${code} coding error: correct the code and resubmit` };
    case 'eligibility':
      return f.otherCoverageId
        ? {
            action: 'bill-secondary',
            rule: `${code} not eligible with this payer; coverage ${f.otherCoverageId} was active on the date: bill it`,
          }
        : {
            action: 'bill-patient',
            rule: `${code} not eligible and no other coverage on the date: bill the patient`,
          };
    case 'authorization':
      return f.authorizationNumber
        ? {
            action: 'appeal',
            rule: `${code} authorisation absent, but ${f.authorizationNumber} is on file for the service: appeal with it`,
          }
        : { action: 'write-off', rule: `${code} no authorisation on file for the service: write off` };
    case 'timely-filing':
      return f.filedInTime
        ? {
            action: 'appeal',
            rule: `${code} timely filing, but the claim was submitted within the payer's limit: appeal with proof of timely filing`,
          }
        : {
            action: 'write-off',
            rule: `${code} timely filing with no proof it was filed in time: write off (appeal only with proof)`,
          };
    case 'duplicate':
      return {
        action: 'review',
        rule: `${code} duplicate: check whether the original was paid before acting`,
      };
    case 'medical-necessity':
      return {
        action: 'appeal',
        rule: `${code} medical necessity: appeal with the clinical documentation supporting the service`,
      };
    case 'bundling':
      return bundlingAction(code, a, f);
    case 'coordination-of-benefits':
      return {
        action: 'bill-secondary',
        rule: `${code} coordination of benefits: bill the other payer${f.otherCoverageId ? ` (${f.otherCoverageId})` : ' (ask the patient for it: none on file)'}`,
      };
    case 'patient-responsibility':
      return f.otherCoverageId
        ? {
            action: 'bill-secondary',
            rule: `${code} patient responsibility with coverage ${f.otherCoverageId}: bill the secondary`,
          }
        : { action: 'bill-patient', rule: `${code} patient responsibility: bill the patient` };
    default:
      return { action: 'review', rule: `${code} has no rule of its own: a person reviews it` };
  }
}

/**
 * NCCI PTP: a pair whose modifier indicator is 0 is never paid separately, whatever the record says;
 * with indicator 1 (or no edit on file) a modifier such as 59/XS may bypass it when the documentation
 * shows a distinct service (CMS, NCCI Policy Manual for Medicare Services, ch. I, sections E–F).
 */
function bundlingAction(
  code: string,
  a: PostedAdjustment,
  f: DenialFacts,
): { action: DenialAction; rule: string } {
  const bundled = f.lines.find((l) => l.line === a.line);
  const date = bundled?.serviceFrom ?? f.serviceDate;
  if (bundled && date) {
    for (const other of f.lines) {
      if (other === bundled) continue;
      const indicator = f.ptpIndicator(other.procedureCode, bundled.procedureCode, date);
      if (indicator === 0) {
        return {
          action: 'write-off',
          rule: `${code} bundling: NCCI pairs ${bundled.procedureCode} into ${other.procedureCode} with modifier indicator 0 (no modifier allowed): write off`,
        };
      }
    }
  }
  return {
    action: 'correct-and-resubmit',
    rule: `${code} bundling${bundled ? ` of ${bundled.procedureCode}` : ''}: resubmit with a distinct-service modifier (59/XS/XU) only if the documentation supports a separate service; otherwise write off`,
  };
}
