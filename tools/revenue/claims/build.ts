/**
 * Encounter facts → claim documents. Pure: the caller loads the facts and assigns claim ids.
 * Professional services (a physician performed a procedure) go on an 837P; everything else (bed-days,
 * ancillary procedures, drugs, supplies) on the facility's 837I. Each charge becomes exactly one line.
 */
import { OperationError } from '../../core/errors.ts';
import type { ClaimProvider, Party, ServiceLine, Subscriber } from '../x12/types.ts';
import { type ClaimDocument, dollars, lineTotal, x12Diagnosis } from './document.ts';

export interface ChargeFact {
  id: string;
  kind: 'accommodation' | 'procedure' | 'drug' | 'supply';
  serviceDate: string;
  revenueCode: string;
  procedureCode: string | null;
  modifiers: string[];
  ndc: string | null;
  units: number;
  unitBasis: string;
  amountCents: number;
  performerId: string | null;
  diagnosisSequences: number[];
}

export interface Clinician {
  id: string;
  name: string;
  role: string;
  npi: string | null;
}

export interface PatientFact {
  id: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: string;
}

export interface CoverageFact {
  id: string;
  memberId: string;
  groupNumber: string | null;
  relationship: string;
}

export interface PayerFact {
  name: string;
  x12PayerId: string;
  professionalFilingIndicator: string;
  institutionalFilingIndicator: string;
}

export interface BillingProfileFact {
  name: string;
  npi: string;
  taxId: string;
  taxonomy: string;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
}

export interface EncounterFacts {
  encounter: {
    id: string;
    class: 'IMP' | 'EMER' | 'AMB' | 'HH';
    status: string;
    startedAt: Date;
    endedAt: Date | null;
    attendingId: string | null;
  };
  patient: PatientFact;
  coverage: CoverageFact;
  payer: PayerFact;
  profile: BillingProfileFact;
  clinicians: ReadonlyMap<string, Clinician>;
  diagnoses: { sequence: number; code: string; presentOnAdmission: string | null }[];
  charges: ChargeFact[];
}

export interface BuiltClaim {
  document: ClaimDocument;
  chargeIds: string[];
}

/** CMS Place of Service code set: 21 inpatient hospital, 22 on-campus outpatient hospital, 23 ED, 12 home. */
export const PLACE_OF_SERVICE = { IMP: '21', AMB: '22', EMER: '23', HH: '12' } as const;

/**
 * NUBC UB-04 FL4 type of bill, first two digits (CLM05-1 of the 837I; CLM05-3 is the frequency):
 * 11 hospital inpatient (Part A), 13 hospital outpatient, 32 home health under a plan of treatment.
 */
export const FACILITY_TYPE = { IMP: '11', AMB: '13', EMER: '13', HH: '32' } as const;

/** A physician's procedure is a professional service (CMS-1500 / 837P); the rest is the facility's (UB-04 / 837I). */
export function isProfessional(charge: ChargeFact, clinicians: ReadonlyMap<string, Clinician>): boolean {
  if (charge.kind !== 'procedure' || !charge.performerId) return false;
  return clinicians.get(charge.performerId)?.role === 'physician';
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** "Dr Eve Endo" → last name Endo, first name Eve (NM103/NM104). */
export function personName(name: string): { name: string; firstName?: string } {
  const parts = name
    .replace(/^Dr\.?\s+/i, '')
    .trim()
    .split(/\s+/);
  const last = parts.pop() ?? name;
  return parts.length > 0 ? { name: last, firstName: parts.join(' ') } : { name: last };
}

/** DMG03: F, M or U (005010X222A1 2010BA DMG03). */
export const sexCode = (sex: string) => (sex === 'female' ? 'F' : sex === 'male' ? 'M' : 'U');

export function clinicianParty(role: string, c: Clinician, what: string): ClaimProvider {
  if (!c.npi) {
    throw new OperationError(
      'invalid',
      `${c.name} (${c.id}) has no NPI on file and is the ${what} on the claim`,
      [{ field: 'staff.npi', message: `${c.id} needs an NPI` }],
    );
  }
  return { role, entityType: '1', ...personName(c.name), idQualifier: 'XX', id: c.npi };
}

/** Loop 2000B/2010BA/2010BB from the coverage: the patient is the subscriber (SBR02 18). */
export function subscriberFor(
  patient: PatientFact,
  coverage: CoverageFact,
  payer: PayerFact,
  type: '837P' | '837I',
): Subscriber {
  if (coverage.relationship !== '18') {
    // The schema holds no subscriber (policy holder) name or birth date for dependents' coverage.
    throw new OperationError(
      'invalid',
      `Coverage ${coverage.id} of ${patient.id} belongs to another subscriber (relationship ${coverage.relationship}); the record holds no subscriber name to bill`,
      [{ field: 'coverage.relationship', message: 'only self (18) coverage can be billed' }],
    );
  }
  const payerParty: Party = { entityType: '2', name: payer.name, idQualifier: 'PI', id: payer.x12PayerId };
  return {
    responsibility: 'P',
    relationship: '18',
    ...(coverage.groupNumber ? { groupNumber: coverage.groupNumber } : {}),
    claimFilingIndicator:
      type === '837P' ? payer.professionalFilingIndicator : payer.institutionalFilingIndicator,
    person: {
      entityType: '1',
      name: patient.familyName,
      firstName: patient.givenName,
      idQualifier: 'MI',
      id: coverage.memberId,
    },
    demographics: { dateOfBirth: patient.birthDate, sex: sexCode(patient.sex) },
    payer: payerParty,
    claims: [],
    patients: [],
    segments: [],
  };
}

function billingProvider(p: BillingProfileFact): ClaimDocument['billingProvider'] {
  return {
    taxonomy: p.taxonomy,
    provider: {
      entityType: '2',
      name: p.name,
      idQualifier: 'XX',
      id: p.npi,
      address: { line1: p.addressLine1, city: p.city, state: p.state, postalCode: p.postalCode },
      references: [{ qualifier: 'EI', value: p.taxId }],
    },
    subscribers: [],
    segments: [],
  };
}

function baseLine(k: number, c: ChargeFact): ServiceLine {
  return {
    lineNumber: k + 1,
    charge: dollars(c.amountCents),
    units: c.units,
    dates: [{ qualifier: '472', start: c.serviceDate }],
    // REF*6R is at most 50 characters (005010X222A1 2400 REF02).
    references: c.id.length <= 50 ? [{ qualifier: '6R', value: c.id }] : [],
    providers: [],
    segments: [],
  };
}

function period(charges: readonly ChargeFact[]): { from: string; to: string } {
  const dates = charges.map((c) => c.serviceDate).sort();
  return { from: dates[0] ?? '', to: dates[dates.length - 1] ?? '' };
}

function professional(id: string, f: EncounterFacts, charges: ChargeFact[]): ClaimDocument {
  const diagnoses = [...f.diagnoses].sort((a, b) => a.sequence - b.sequence).slice(0, 12);
  const position = new Map(diagnoses.map((d, k) => [d.sequence, k + 1]));
  const performers = charges.map((c) => c.performerId ?? '');
  const rendering = performers[0] ?? '';
  const renderer = (staffId: string) =>
    clinicianParty('82', f.clinicians.get(staffId)!, 'rendering provider');
  const lines = charges.map((c, k): ServiceLine => {
    const line = baseLine(k, c);
    line.procedure = { qualifier: 'HC', code: c.procedureCode ?? '', modifiers: c.modifiers.slice(0, 4) };
    // 837P SV103: MJ (anaesthesia minutes) or UN.
    line.unitBasis = c.unitBasis === 'MJ' ? 'MJ' : 'UN';
    line.diagnosisPointers = c.diagnosisSequences
      .map((s) => position.get(s))
      .filter((p): p is number => p !== undefined)
      .slice(0, 4);
    if (c.performerId !== rendering && c.performerId) line.providers.push(renderer(c.performerId));
    return line;
  });
  const cls = f.encounter.class;
  return {
    type: '837P',
    billingProvider: billingProvider(f.profile),
    subscriber: subscriberFor(f.patient, f.coverage, f.payer, '837P'),
    claim: {
      id,
      totalCharge: 0,
      facilityCode: PLACE_OF_SERVICE[cls],
      facilityCodeQualifier: 'B',
      frequencyCode: '1',
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      // 005010X222A1 2300 DTP*435: required on claims for inpatient medical visits.
      dates: cls === 'IMP' ? [{ qualifier: '435', start: isoDate(f.encounter.startedAt) }] : [],
      references: [],
      diagnoses: diagnoses.map((d, k) => ({
        qualifier: k === 0 ? 'ABK' : 'ABF',
        code: x12Diagnosis(d.code),
      })),
      otherCodes: [],
      providers: rendering ? [renderer(rendering)] : [],
      otherPayers: [],
      lines,
      segments: [],
    },
  };
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16).replace(':', '');

function institutional(id: string, f: EncounterFacts, charges: ChargeFact[]): ClaimDocument {
  const cls = f.encounter.class;
  const inpatient = cls === 'IMP';
  const diagnoses = [...f.diagnoses].sort((a, b) => a.sequence - b.sequence).slice(0, 25);
  const attendingId = f.encounter.attendingId;
  const attending = attendingId ? f.clinicians.get(attendingId) : undefined;
  if (!attending) {
    throw new OperationError(
      'invalid',
      `Encounter ${f.encounter.id} has no attending physician for the facility claim`,
      [{ field: 'encounter.attendingId', message: 'the 837I names the attending (loop 2310A)' }],
    );
  }
  const lines = charges.map((c, k): ServiceLine => {
    const line = baseLine(k, c);
    line.revenueCode = c.revenueCode;
    if (c.procedureCode) {
      line.procedure = { qualifier: 'HC', code: c.procedureCode, modifiers: c.modifiers.slice(0, 4) };
    }
    // 837I SV204: DA (days) or UN (units).
    line.unitBasis = c.unitBasis === 'DA' ? 'DA' : 'UN';
    if (c.ndc) {
      // 005010X223A2 2410 LIN03 (N4: the 11-digit NDC) and CTP04/05 (quantity and unit of the drug).
      line.drug = {
        qualifier: 'N4',
        code: c.ndc,
        quantity: c.units,
        unit: c.unitBasis === 'ML' ? 'ML' : 'UN',
      };
    }
    return line;
  });
  const span = period(charges);
  const from = inpatient ? isoDate(f.encounter.startedAt) : span.from;
  const to = inpatient && f.encounter.endedAt ? isoDate(f.encounter.endedAt) : span.to;
  const dates: ClaimDocument['claim']['dates'] = [{ qualifier: '434', start: from, end: to }];
  if (inpatient) {
    // 005010X223A2 2300 DTP*435 (admission date and hour, DT) and DTP*096 (discharge hour, TM).
    const s = f.encounter.startedAt;
    dates.push({ qualifier: '435', format: 'DT', start: `${isoDate(s).replaceAll('-', '')}${hhmm(s)}` });
    if (f.encounter.endedAt) dates.push({ qualifier: '096', format: 'TM', start: hhmm(f.encounter.endedAt) });
  }
  return {
    type: '837I',
    billingProvider: billingProvider(f.profile),
    subscriber: subscriberFor(f.patient, f.coverage, f.payer, '837I'),
    claim: {
      id,
      totalCharge: 0,
      facilityCode: FACILITY_TYPE[cls],
      facilityCodeQualifier: 'A',
      frequencyCode: '1',
      providerSignature: 'Y',
      assignment: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      dates,
      // NUBC UB-04 FL14 priority 9 and FL15 point of origin 9: the record does not say how the patient
      // came in; FL17 status 01 discharged home, 30 still a patient.
      ...(inpatient
        ? {
            institutional: {
              admissionType: '9',
              admissionSource: '9',
              patientStatus: f.encounter.status === 'finished' ? '01' : '30',
            },
          }
        : {}),
      references: [],
      diagnoses: diagnoses.map((d, k) => ({
        qualifier: k === 0 ? 'ABK' : 'ABF',
        code: x12Diagnosis(d.code),
        // Present-on-admission indicators are reported on inpatient claims only (005010X223A2 HI01-9).
        ...(inpatient && d.presentOnAdmission ? { presentOnAdmission: d.presentOnAdmission } : {}),
      })),
      otherCodes: [],
      providers: [clinicianParty('71', attending, 'attending physician')],
      otherPayers: [],
      lines,
      segments: [],
    },
  };
}

/** The encounter's claims: an 837P for the physicians' services and an 837I for the rest (either may be absent). */
export function buildClaims(
  f: EncounterFacts,
  ids: { professional: string; institutional: string },
): BuiltClaim[] {
  const sorted = [...f.charges].sort(
    (a, b) =>
      a.serviceDate.localeCompare(b.serviceDate) ||
      a.revenueCode.localeCompare(b.revenueCode) ||
      a.id.localeCompare(b.id),
  );
  const prof = sorted.filter((c) => isProfessional(c, f.clinicians));
  const fac = sorted.filter((c) => !isProfessional(c, f.clinicians));
  const out: BuiltClaim[] = [];
  for (const [charges, make, id] of [
    [prof, professional, ids.professional],
    [fac, institutional, ids.institutional],
  ] as const) {
    if (charges.length === 0) continue;
    const document = make(id, f, charges);
    document.claim.totalCharge = lineTotal(document);
    out.push({ document, chargeIds: charges.map((c) => c.id) });
  }
  return out;
}
