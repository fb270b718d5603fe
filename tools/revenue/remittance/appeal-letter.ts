/**
 * An appeal letter written from the record: what was billed, what the payer said (CARC/RARC with their
 * X12 descriptions), why it should be paid, and what is attached. Pure: the record in, the letter out.
 * The structure follows what payers ask of a first-level appeal (CMS, Medicare Claims Processing Manual
 * ch. 29 §310.1: the beneficiary, the service and date, the provider, and why the decision is wrong,
 * with the evidence).
 */
import type { DenialCategory } from '../../../db/schema/revenue.ts';
import type { DenialReason } from './denial-rules.ts';
import type { PostedRemark } from './payment.ts';

export interface AppealRecord {
  today: string;
  hospital: { name: string; npi: string; address: string } | null;
  payerName: string;
  claimId: string;
  payerClaimNumber: string | null;
  patient: { name: string; birthDate: string; memberId: string };
  serviceFrom: string | null;
  serviceTo: string | null;
  /** paidCents when the remittance paid by line. */
  procedures: { code: string; modifiers: string[]; chargeCents: number; paidCents?: number }[];
  diagnoses: string[];
  category: DenialCategory;
  reasons: DenialReason[];
  remarks: PostedRemark[];
  amountCents: number;
  authorizationNumber: string | null;
  submittedAt: string | null;
}

const money = (c: number) => `$${(c / 100).toFixed(2)}`;

/** What each kind of appeal needs attached: the evidence that answers the payer's reason. */
const EVIDENCE: Partial<Record<DenialCategory, string[]>> = {
  authorization: ['the prior authorisation approval'],
  'medical-necessity': [
    'the clinical notes for the date of service',
    'the orders and results supporting the service',
    'the applicable coverage policy',
  ],
  'timely-filing': ['proof of timely filing: the submission record and clearinghouse acceptance report'],
  bundling: ['the procedure or operative note documenting a distinct service'],
  underpayment: ["the plan's fee schedule for the codes billed", 'the remittance advice'],
  coding: ['the medical record supporting the codes billed'],
  'missing-information': ['the information the remarks ask for'],
};

export function appealLetter(r: AppealRecord): { letter: string; attachments: string[] } {
  const attachments = [
    `the remittance advice for claim ${r.claimId}`,
    ...(EVIDENCE[r.category] ?? ['the medical record for the date of service']),
  ].map((a) =>
    a === 'the prior authorisation approval' && r.authorizationNumber ? `${a} ${r.authorizationNumber}` : a,
  );
  const dates =
    r.serviceFrom && r.serviceTo && r.serviceTo !== r.serviceFrom
      ? `${r.serviceFrom} to ${r.serviceTo}`
      : (r.serviceFrom ?? 'see the claim');
  const lines = [
    r.today,
    '',
    `To: ${r.payerName}, Appeals`,
    `From: ${r.hospital ? `${r.hospital.name}, NPI ${r.hospital.npi}, ${r.hospital.address}` : 'the billing office'}`,
    '',
    `Re: Request for reconsideration of claim ${r.claimId}${r.payerClaimNumber ? ` (payer claim number ${r.payerClaimNumber})` : ''}`,
    `Patient: ${r.patient.name}, born ${r.patient.birthDate}, member id ${r.patient.memberId}`,
    `Date(s) of service: ${dates}`,
    `Amount in dispute: ${money(r.amountCents)}`,
    '',
    'Services billed:',
    ...r.procedures.map(
      (p) =>
        `  ${p.code}${p.modifiers.length ? `-${p.modifiers.join('-')}` : ''}: charged ${money(p.chargeCents)}${p.paidCents !== undefined ? `, paid ${money(p.paidCents)}` : ''}`,
    ),
    `Diagnoses: ${r.diagnoses.length ? r.diagnoses.join(', ') : 'as on the claim'}`,
    '',
    'The remittance gave these reasons:',
    ...r.reasons.map(
      (x) =>
        `  ${x.group}-${x.carc} (${money(x.amountCents)}${x.line !== undefined ? `, line ${x.line}` : ''}): ${x.description}`,
    ),
    ...r.remarks.map((m) => `  Remark ${m.code}: ${m.description}`),
    '',
    argument(r),
    '',
    'Enclosed:',
    ...attachments.map((a) => `  - ${a}`),
    '',
    'Please reprocess the claim and pay the amount in dispute.',
    '',
    'Sincerely,',
    r.hospital?.name ?? 'The billing office',
  ];
  return { letter: lines.join('\n'), attachments };
}

function argument(r: AppealRecord): string {
  switch (r.category) {
    case 'authorization':
      return r.authorizationNumber
        ? `The service was authorised before it was provided: authorisation ${r.authorizationNumber} covers the ` +
            'procedure and the date of service. The denial for absent authorisation is in error.'
        : 'We ask that the authorisation requirement be reviewed for this service.';
    case 'medical-necessity':
      return 'The enclosed clinical documentation shows the service was reasonable and necessary for the diagnoses listed.';
    case 'timely-filing':
      return `The claim was submitted${r.submittedAt ? ` on ${r.submittedAt}` : ''}, within the filing limit; the enclosed submission record proves it.`;
    case 'underpayment':
      return "The payment is below the amount the plan's fee schedule allows for the services, less the patient's share. We ask for the difference.";
    case 'bundling':
      return 'The enclosed documentation shows a separate and distinct service, which is paid separately.';
    default:
      return 'The enclosed documentation supports payment of the claim as billed.';
  }
}
