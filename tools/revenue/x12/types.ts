/**
 * The revenue cycle's claim and remittance model, as read from and written to X12 5010:
 * 837P (005010X222A1/A2, professional), 837I (005010X223A2/A3, institutional) and 835
 * (005010X221A1, remittance advice). Loop numbers in the comments are the implementation guides'.
 *
 * Conventions: amounts and quantities are numbers; D8/RD8 dates are ISO `YYYY-MM-DD`; optional
 * fields are absent (never empty strings) when the file leaves them out; codes stay X12 codes
 * (documented where they matter). Every loop keeps the segments it was read from in `segments`, so
 * what the model does not name is still there (not written back by the serializer).
 */
import type { Separators, X12Segment, X12Warning } from './segments.ts';

// ------------------------------------------------------------------------------------ shared

export interface Address {
  /** N301 */
  line1: string;
  /** N302 */
  line2?: string;
  /** N401 */
  city?: string;
  /** N402 */
  state?: string;
  /** N403 */
  postalCode?: string;
  /** N404 */
  country?: string;
}

/** PER: a contact name and up to three communication numbers (TE phone, EM email, FX fax, EX extension). */
export interface Contact {
  /** PER01, e.g. IC information contact, BL billing. */
  function: string;
  name?: string;
  numbers: { qualifier: string; value: string }[];
}

/** REF: a qualified identifier, e.g. EI employer id (tax id), SY SSN, G1 prior authorization, 6R line control number. */
export interface Reference {
  qualifier: string;
  value: string;
}

/**
 * NM1 (or N1 in the 835) and what follows it in its loop. NM108/NM109 qualify the id:
 * XX NPI, MI member id, PI payer id, 46 submitter ETIN, FI federal tax id.
 */
export interface Party {
  /** NM102: '1' a person, '2' an organization. */
  entityType: '1' | '2';
  /** NM103: last name or organization name; absent in loops that only carry an address. */
  name?: string;
  firstName?: string;
  middleName?: string;
  prefix?: string;
  suffix?: string;
  idQualifier?: string;
  id?: string;
  address?: Address;
  contacts?: Contact[];
  references?: Reference[];
  /** PRV03, the provider taxonomy code (loops 2310x/2420x). */
  taxonomy?: string;
}

/** DTP (837) or DTM (835). `start`/`end` are ISO dates for D8/RD8; any other format keeps the raw value in `start`. */
export interface DateValue {
  /** e.g. 431 onset, 434 statement period, 435 admission, 096 discharge, 472 service, 232/233 claim period. */
  qualifier: string;
  start: string;
  /** Present for a range (RD8). */
  end?: string;
  /** Only when not D8/RD8 (e.g. DT, TM): the X12 format qualifier of `start`. */
  format?: string;
}

/** A composite procedure: SV101, SV202, SVC01. Qualifier HC = HCPCS/CPT, NU = revenue code, N4 = NDC. */
export interface Procedure {
  qualifier: string;
  code: string;
  /** Up to four modifiers. */
  modifiers: string[];
  description?: string;
}

// ------------------------------------------------------------------------------------ 837

/** HI composite: a diagnosis (ABK/BK principal, ABF/BF other, ABJ/BJ admitting, APR/PR reason for visit, ABN external cause) or another institutional code (BH occurrence, BE value, BG condition, BR/BBR procedure…). */
export interface HealthCareCode {
  qualifier: string;
  code: string;
  /** C022-03/04: D8 or RD8 and the raw date (occurrence codes, procedures). */
  dateFormat?: string;
  date?: string;
  /** C022-05: value code amounts. */
  amount?: number;
  /** C022-06 */
  quantity?: number;
  /** C022-09: present-on-admission indicator (837I). */
  presentOnAdmission?: string;
}

/** Qualifiers of HI composites that are diagnoses (ICD-10: ABK, ABF…; ICD-9: BK, BF…). */
export const diagnosisQualifiers: ReadonlySet<string> = new Set([
  'ABK',
  'ABF',
  'ABJ',
  'APR',
  'ABN',
  'BK',
  'BF',
  'BJ',
  'PR',
  'BN',
  'DR',
]);

/** Role codes (NM101) of claim- and line-level providers. */
export const providerRoles: Readonly<Record<string, string>> = {
  '82': 'rendering',
  '71': 'attending',
  '72': 'operating',
  ZZ: 'other operating',
  DN: 'referring',
  DK: 'ordering',
  DQ: 'supervising',
  P3: 'primary care',
  '77': 'service facility',
  FA: 'facility',
  QB: 'purchased service',
  PW: 'ambulance pick-up',
  '45': 'ambulance drop-off',
};

/** A provider named on a claim (loop 2310x) or a service line (2420x). */
export interface ClaimProvider extends Party {
  /** NM101, see `providerRoles`: 82 rendering, 71 attending, DN referring, 77 service facility… */
  role: string;
}

/** Another payer on the claim (loops 2320/2330A/2330B, coordination of benefits). */
export interface OtherPayer {
  /** SBR01: P primary, S secondary, T tertiary… */
  responsibility: string;
  /** SBR02: the individual relationship code (18 self, 01 spouse, 19 child…). */
  relationship?: string;
  groupNumber?: string;
  groupName?: string;
  /** SBR09: CI commercial, MB Medicare Part B, MC Medicaid, 13 contract… */
  claimFilingIndicator?: string;
  /** OI03, OI06 */
  benefitsAssigned?: string;
  releaseOfInformation?: string;
  subscriber?: Party;
  payer?: Party;
}

/** A service line (loop 2400), professional (SV1) or institutional (SV2). */
export interface ServiceLine {
  /** LX01 */
  lineNumber: number;
  /** 837I: SV201 revenue code. */
  revenueCode?: string;
  /** SV101 (837P, required) or SV202 (837I, optional). */
  procedure?: Procedure;
  /** SV102 / SV203 */
  charge: number;
  /** SV103 / SV204: UN units, MJ minutes, DA days. */
  unitBasis?: string;
  /** SV104 / SV205 */
  units?: number;
  /** 837P SV105: place of service when it differs from the claim's. */
  placeOfService?: string;
  /** 837P SV107: 1-based pointers into the claim's `diagnoses`. */
  diagnosisPointers?: number[];
  /** 837P SV109 */
  emergency?: string;
  /** 837I SV206 */
  unitRate?: number;
  /** 837I SV207 */
  nonCoveredCharge?: number;
  /** DTP, e.g. 472 service date. */
  dates: DateValue[];
  /** REF, e.g. 6R line item control number. */
  references: Reference[];
  /** LIN/CTP (loop 2410): the drug dispensed. */
  drug?: { qualifier: string; code: string; quantity?: number; unit?: string };
  providers: ClaimProvider[];
  segments: X12Segment[];
}

/** A claim (loop 2300 and the 2310/2320/2330 loops under it). */
export interface Claim {
  /** CLM01, the patient control number. */
  id: string;
  /** CLM02 */
  totalCharge: number;
  /** CLM05-1: place of service (837P, qualifier B) or facility type (837I, qualifier A). */
  facilityCode: string;
  /** CLM05-2 */
  facilityCodeQualifier: string;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequencyCode: string;
  /** CLM06 */
  providerSignature?: string;
  /** CLM07: assignment / plan participation. */
  assignment?: string;
  /** CLM08: benefits assignment certification. */
  benefitsAssigned?: string;
  /** CLM09: release of information. */
  releaseOfInformation?: string;
  /** CLM10 (837P): patient signature source. */
  patientSignatureSource?: string;
  /** CLM11 components: related causes (AA auto accident, EM employment…), state, country. */
  relatedCauses?: string[];
  /** CLM12 (837P) special program. */
  specialProgram?: string;
  /** CLM20 delay reason. */
  delayReason?: string;
  dates: DateValue[];
  /** 837I CL1: admission type, source, patient status. */
  institutional?: { admissionType?: string; admissionSource?: string; patientStatus?: string };
  /** REF G1 */
  priorAuthorization?: string;
  /** REF F8: the payer's claim control number of the claim this one replaces or voids. */
  originalClaimNumber?: string;
  /** Other REF in loop 2300 (D9 clearinghouse trace, EA medical record number…). */
  references: Reference[];
  /** HI diagnosis codes in order; the first ABK/BK is the principal diagnosis. */
  diagnoses: HealthCareCode[];
  /** Other HI codes (837I occurrence, value, condition codes, procedures). */
  otherCodes: HealthCareCode[];
  providers: ClaimProvider[];
  otherPayers: OtherPayer[];
  lines: ServiceLine[];
  segments: X12Segment[];
}

/** Demographics (DMG): D8 date of birth and sex (F, M, U). */
export interface Demographics {
  dateOfBirth?: string;
  sex?: string;
}

/** The patient when not the subscriber (loop 2000C/2010CA). */
export interface Patient {
  /** PAT01: relationship to the subscriber (01 spouse, 19 child…). */
  relationship: string;
  person: Party;
  demographics?: Demographics;
  claims: Claim[];
  segments: X12Segment[];
}

/** The subscriber and the payer (loop 2000B/2010BA/2010BB). */
export interface Subscriber {
  /** SBR01: P primary, S secondary, T tertiary… */
  responsibility: string;
  /** SBR02: 18 when the patient is the subscriber. */
  relationship?: string;
  groupNumber?: string;
  groupName?: string;
  /** SBR05 (Medicare secondary insurance type). */
  insuranceType?: string;
  /** SBR09: CI commercial, MB Medicare Part B, MA Medicare Part A, MC Medicaid… */
  claimFilingIndicator?: string;
  /** NM1*IL: the insured, `id` is the member id (qualifier MI). */
  person: Party;
  demographics?: Demographics;
  /** NM1*PR */
  payer: Party;
  /** Claims where the patient is the subscriber. */
  claims: Claim[];
  /** Dependents with their claims. */
  patients: Patient[];
  segments: X12Segment[];
}

/** A billing provider and everything billed under it (loop 2000A/2010AA/2010AB/2010AC). */
export interface BillingProvider {
  /** PRV03 with PRV01 BI */
  taxonomy?: string;
  /** NM1*85: `id` the NPI (qualifier XX); references hold the tax id (EI or SY). */
  provider: Party;
  /** NM1*87 pay-to address. */
  payToAddress?: Address;
  /** NM1*PE pay-to plan. */
  payToPlan?: Party;
  subscribers: Subscriber[];
  segments: X12Segment[];
}

/** An 837 transaction set (ST…SE). */
export interface ClaimTransaction {
  type: '837P' | '837I';
  /** ST03 (or GS08): e.g. 005010X222A1. */
  implementation: string;
  /** ST02 */
  control: string;
  /** BHT: purpose (00 original), reference id, date, time, type (CH chargeable, RP reporting). */
  beginning: {
    structure: string;
    purpose: string;
    referenceId: string;
    date: string;
    time: string;
    claimType: string;
  };
  /** NM1*41 with PER. */
  submitter: Party;
  /** NM1*40 */
  receiver: Party;
  billingProviders: BillingProvider[];
  segments: X12Segment[];
}

// ------------------------------------------------------------------------------------ 835

/** One CAS adjustment: group (CO contractual, PR patient responsibility, OA other, PI payer initiated, CR correction), reason (CARC) and amount. */
export interface Adjustment {
  group: string;
  reason: string;
  amount: number;
  quantity?: number;
}

export interface RemittanceServiceLine {
  /** SVC01 */
  procedure: Procedure;
  /** SVC02 */
  charge: number;
  /** SVC03 */
  paid: number;
  /** SVC04 (NUBC revenue code) */
  revenueCode?: string;
  /** SVC05, 1 when absent. */
  units: number;
  /** SVC06: the procedure as submitted, when the payer changed it. */
  submittedProcedure?: Procedure;
  /** SVC07 */
  submittedUnits?: number;
  dates: DateValue[];
  adjustments: Adjustment[];
  /** REF 6R */
  controlNumber?: string;
  references: Reference[];
  /** AMT, e.g. B6 allowed. */
  amounts: { qualifier: string; amount: number }[];
  /** LQ: HE remark codes (RARC). */
  remarks: { qualifier: string; code: string }[];
  segments: X12Segment[];
}

export interface RemittanceClaim {
  /** LX01 of the header number loop the claim sits in. */
  headerNumber?: string;
  /** CLP01: the provider's patient control number (CLM01). */
  claimId: string;
  /** CLP02: 1 processed as primary, 2 secondary, 3 tertiary, 4 denied, 19–22, 23 not our claim… */
  status: string;
  /** CLP03 */
  charge: number;
  /** CLP04 */
  paid: number;
  /** CLP05 */
  patientResponsibility?: number;
  /** CLP06: claim filing indicator (12 PPO, MA, MB, MC…). */
  filingIndicator?: string;
  /** CLP07 */
  payerControlNumber?: string;
  /** CLP08 */
  facilityCode?: string;
  /** CLP09 */
  frequencyCode?: string;
  /** CLP11 */
  drgCode?: string;
  adjustments: Adjustment[];
  /** NM1 by role: QC patient, IL insured, 74 corrected insured, 82 rendering provider, TT crossover carrier, PR corrected payer. */
  parties: (Party & { role: string })[];
  dates: DateValue[];
  references: Reference[];
  amounts: { qualifier: string; amount: number }[];
  /** MIA / MOA remark codes and amounts, raw elements (index 1 = MIA01). */
  inpatient?: string[];
  outpatient?: string[];
  lines: RemittanceServiceLine[];
  segments: X12Segment[];
}

/** PLB: adjustments to the provider not tied to a claim (interest, forwarding balance, recoupment). */
export interface ProviderAdjustment {
  /** PLB01 */
  provider: string;
  /** PLB02, ISO date */
  fiscalPeriodEnd: string;
  /** Pairs of PLB03/04, 05/06…: reason code (e.g. WO, L6, FB, CV) with reference id, and amount. */
  adjustments: { reason: string; reference?: string; amount: number }[];
  segment: X12Segment;
}

/** An 835 transaction set. */
export interface RemittanceTransaction {
  type: '835';
  implementation: string;
  control: string;
  /** BPR */
  payment: {
    /** BPR01: C payment with remittance, H notification only, I remittance only… */
    handling: string;
    amount: number;
    /** BPR03: C credit, D debit. */
    creditDebit: string;
    /** BPR04: ACH, CHK, BOP, FWT, NON. */
    method?: string;
    /** BPR16 (ISO date) */
    date?: string;
    /** All BPR elements (banking details) as sent. */
    elements: string[];
  };
  /** TRN: check or EFT trace number. */
  trace?: { type: string; number: string; originator?: string; supplemental?: string };
  references: Reference[];
  dates: DateValue[];
  /** N1*PR */
  payer: Party;
  /** N1*PE */
  payee: Party;
  claims: RemittanceClaim[];
  providerAdjustments: ProviderAdjustment[];
  segments: X12Segment[];
}

// ------------------------------------------------------------------------------------ envelopes

export type X12Transaction = ClaimTransaction | RemittanceTransaction;

export interface X12Group {
  /** GS01: HC claims, HP remittance. */
  functionalId: string;
  sender: string;
  receiver: string;
  /** GS04 ISO date, GS05 HHMM. */
  date: string;
  time: string;
  /** GS06 */
  control: string;
  /** GS08, e.g. 005010X222A1 (sometimes non-standard, e.g. "5010"). */
  version: string;
  transactions: X12Transaction[];
}

export interface X12Interchange {
  /** ISA05/ISA06 (trimmed) */
  sender: { qualifier: string; id: string };
  /** ISA07/ISA08 (trimmed) */
  receiver: { qualifier: string; id: string };
  /** ISA09 as ISO date (20YY), ISA10 HHMM. */
  date: string;
  time: string;
  /** ISA13 */
  control: string;
  /** ISA12, e.g. 00501 */
  version: string;
  /** ISA15: P production, T test. */
  usage: string;
  separators: Separators;
  groups: X12Group[];
}

export interface X12File {
  interchanges: X12Interchange[];
  /** Problems tolerated under the options given (e.g. segment counts under `envelopeCounts: 'warn'`). */
  warnings: X12Warning[];
}
