/**
 * The claim scrubber's vocabulary: a finding (code, severity, the field it is about), the context that
 * carries what an 837 file cannot (the payer, today's date, coverage, authorisations, earlier claims,
 * the edit tables) and the record of which edits ran and which were skipped, and why.
 */
import type { CodeSets } from '../codesets/codesets.ts';
import type { MueTable, PtpTable } from '../codesets/edits.ts';
import type { BillingProvider, Claim, Patient, Subscriber } from '../x12/types.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable code, one per rule (README.md, "Edits"): e.g. NPI_CHECK_DIGIT, NCCI_PTP, MUE_UNITS. */
  code: string;
  severity: Severity;
  /** CLM01 of the claim. */
  claimId: string;
  /** LX01 of the service line, when the finding is about one line. */
  line?: number;
  /** Where in the claim, 0-based like the parsed JSON: "claim.diagnoses[1]", "lines[2].procedure.modifiers". */
  field: string;
  message: string;
}

/** A claim with the loops above it that hold its billing provider, subscriber and (dependent) patient. */
export interface ClaimInFile {
  type: '837P' | '837I';
  billingProvider: BillingProvider;
  subscriber: Subscriber;
  /** Present when the patient is not the subscriber (loop 2000C). */
  patient?: Patient;
  claim: Claim;
}

export type PayerKind = 'medicare' | 'medicaid' | 'commercial';

export interface PayerFacts {
  kind: PayerKind;
  /** Days after the date of service within which the claim must be filed; Medicare's default is 365. */
  timelyFilingDays?: number;
}

/** The member's eligibility span, ISO dates, both inclusive; `to` absent while coverage is open. */
export interface CoverageSpan {
  from: string;
  to?: string;
}

export interface ScrubContext {
  payer?: PayerFacts;
  /** Today's date (ISO), injected: timely filing is measured to it. */
  today?: string;
  /** ICD-10-CM and CPT/HCPCS (tools/revenue/codesets); without them the code edits are skipped. */
  codeSets?: CodeSets;
  ptp?: PtpTable;
  mue?: MueTable;
  /** Eligibility spans of the patient's coverage with this payer (any one covering a date suffices). */
  coverage?: CoverageSpan[];
  /** Does the payer require prior authorisation for this CPT/HCPCS code? */
  priorAuthRequired?: (procedureCode: string) => boolean;
  /** Authorisation numbers the payer issued; a claim's REF G1 not among them is reported. */
  priorAuths?: readonly string[];
  /** Claims already submitted for duplicate detection (scrubFile adds the file's earlier claims). */
  previousClaims?: readonly ClaimInFile[];
}

export const EDIT_NAMES = [
  'required-fields',
  'diagnosis-codes',
  'procedure-codes',
  'diagnosis-pointers',
  'ncci-ptp',
  'mue',
  'timely-filing',
  'duplicate-claim',
  'prior-authorization',
  'coverage',
  'claim-total',
] as const;

export type EditName = (typeof EDIT_NAMES)[number];

export interface EditRun {
  edit: EditName;
  status: 'ran' | 'skipped';
  /** Why it was skipped (the fact the context lacked), or a limit on what it checked. */
  reason?: string;
}

export interface ScrubResult {
  findings: Finding[];
  editsRun: EditRun[];
}
