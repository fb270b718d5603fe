import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  billingProfiles,
  chargemasterItems,
  coverages,
  encounterDiagnoses,
  encounterServices,
  encounters,
  feeScheduleEntries,
  payerPlans,
  payers,
  priorAuthorizations,
  staff,
  theatreBookings,
  theatres,
} from '../../db/schema/index.ts';

/**
 * The billing office on top of the mini hospital (evals/hospital.ts): the hospital's billing profile,
 * Medicare and a commercial PPO (which wants prior authorisation for knee arthroscopy and
 * replacement), the patients' coverage, a small chargemaster and fee schedules, and two finished
 * encounters to bill:
 *
 *   enc-ada-icu   Ada (pat-1, Medicare): ICU 2026-03-02 → 03-05 (3 bed-days), type 2 diabetes with
 *                 hyperglycaemia; admission, follow-up and discharge visits by Dr Endo, labs, insulin
 *                 (by NDC), glucose strips                                         → 837I and 837P
 *   enc-bo-knee   Bo (pat-2, Acme PPO): outpatient knee arthroscopy 29881 on 2026-03-10 in theatre
 *                 th-1 by Dr Sam Surgeon, authorised as AUTH-2201                 → 837P
 *
 * Today, for tests, is 2026-03-20 (TODAY). Every NPI passes the Luhn check.
 */
export const TODAY = '2026-03-20';
export const TODAY_AT = new Date('2026-03-20T09:00:00Z');
export const ADA_ENCOUNTER = 'enc-ada-icu';
export const BO_ENCOUNTER = 'enc-bo-knee';

export const NPI = {
  hospital: '1234567893',
  endo: '1987654328',
  surgeon: '1555123409',
  icu: '1765432103',
} as const;

export async function revenueWard(database: Database): Promise<void> {
  const { db } = database;
  await db.insert(billingProfiles).values({
    id: 'default',
    name: 'CareBridge General Hospital',
    npi: NPI.hospital,
    taxId: '123456789',
    taxonomy: '282N00000X',
    addressLine1: '1 Hospital Way',
    city: 'Springfield',
    state: 'IL',
    postalCode: '627010001',
    submitterId: 'CAREBRIDGE01',
    contactName: 'Billing Office',
    contactPhone: '2175550100',
    receiverName: 'Example Clearinghouse',
    receiverId: 'CLEARHOUSE01',
  });
  await db.update(staff).set({ npi: NPI.endo }).where(eq(staff.id, 'stf-endo'));
  await db.update(staff).set({ npi: NPI.icu }).where(eq(staff.id, 'stf-icu'));
  await db.insert(staff).values([
    {
      id: 'stf-surgeon',
      name: 'Dr Sam Surgeon',
      role: 'physician',
      specialty: 'orthopedics',
      pager: 'PGR-0101',
      npi: NPI.surgeon,
    },
    { id: 'stf-coder', name: 'Cody Coder', role: 'coder', pager: 'PGR-0102' },
  ]);

  await db.insert(payers).values([
    {
      id: 'pay-medicare',
      name: 'Medicare Part A/B (MAC J6)',
      kind: 'medicare',
      x12PayerId: '06102',
      professionalFilingIndicator: 'MB',
      institutionalFilingIndicator: 'MA',
    },
    {
      id: 'pay-acme',
      name: 'Acme Health',
      kind: 'commercial',
      x12PayerId: 'ACME1',
      professionalFilingIndicator: 'CI',
      institutionalFilingIndicator: 'CI',
      timelyFilingDays: 180,
    },
  ]);
  await db.insert(payerPlans).values([
    { id: 'plan-medicare', payerId: 'pay-medicare', name: 'Original Medicare', priorAuthCodes: [] },
    { id: 'plan-acme-ppo', payerId: 'pay-acme', name: 'Acme PPO', priorAuthCodes: ['29881', '27447'] },
  ]);
  await db.insert(coverages).values([
    {
      id: 'cov-ada-medicare',
      patientId: 'pat-1',
      planId: 'plan-medicare',
      memberId: '1EG4TE5MK73',
      startsOn: '2020-01-01',
    },
    {
      id: 'cov-bo-acme',
      patientId: 'pat-2',
      planId: 'plan-acme-ppo',
      memberId: 'ACM123456',
      groupNumber: 'GRP-77',
      startsOn: '2025-01-01',
    },
  ]);
  await db.insert(priorAuthorizations).values({
    id: 'pa-bo-knee',
    coverageId: 'cov-bo-acme',
    number: 'AUTH-2201',
    procedureCodes: ['29881'],
    validFrom: '2026-03-01',
    validTo: '2026-04-30',
    units: 1,
  });

  // Illustrative prices, not a real hospital's chargemaster.
  const item = (
    kind: 'accommodation' | 'procedure' | 'drug' | 'supply',
    code: string,
    description: string,
    revenueCode: string,
    unitPriceCents: number,
    extra: { hcpcsCode?: string; unitBasis?: string } = {},
  ) => ({ id: `cdm-${kind}-${code}`, kind, code, description, revenueCode, unitPriceCents, ...extra });
  await db.insert(chargemasterItems).values([
    item('accommodation', 'icu', 'Intensive care, per day', '0200', 420_000, { unitBasis: 'DA' }),
    item('accommodation', 'med-surg', 'Semi-private room, med-surg, per day', '0120', 185_000, {
      unitBasis: 'DA',
    }),
    item('procedure', '99223', 'Initial hospital care, high complexity', '0510', 42_000),
    item('procedure', '99232', 'Subsequent hospital care, moderate complexity', '0510', 16_000),
    item('procedure', '99238', 'Hospital discharge day management, 30 min or less', '0510', 15_000),
    item('procedure', '36415', 'Routine venipuncture', '0300', 2_500),
    item('procedure', '80053', 'Comprehensive metabolic panel', '0301', 18_000),
    item('procedure', '85025', 'Complete blood count with differential', '0305', 9_500),
    item('procedure', '29881', 'Knee arthroscopy with meniscectomy, medial or lateral', '0360', 680_000),
    item('drug', '00002751001', 'Insulin lispro 100 units/mL (per 5 units)', '0636', 1_200, {
      hcpcsCode: 'J1815',
    }),
    item('supply', 'A4253', 'Blood glucose test strips, per 50', '0270', 4_500),
  ]);
  await db.insert(feeScheduleEntries).values([
    { planId: 'plan-medicare', code: '99223', allowedCents: 21_000 },
    { planId: 'plan-medicare', code: '99232', allowedCents: 8_000 },
    { planId: 'plan-medicare', code: '99238', allowedCents: 7_600 },
    { planId: 'plan-medicare', code: '80053', allowedCents: 1_050 },
    { planId: 'plan-acme-ppo', code: '29881', allowedCents: 310_000 },
  ]);

  await db.insert(theatres).values({ id: 'th-1', name: 'Theatre 1', unitId: 'unit-ms' });
  await db.insert(theatreBookings).values({
    id: 'tb-bo-knee',
    theatreId: 'th-1',
    patientId: 'pat-2',
    procedure: 'Knee arthroscopy, medial meniscectomy',
    surgeonStaffId: 'stf-surgeon',
    startsAt: new Date('2026-03-10T08:00:00Z'),
    endsAt: new Date('2026-03-10T09:30:00Z'),
    turnoverEndsAt: new Date('2026-03-10T10:00:00Z'),
    status: 'completed',
    createdBy: 'fixture',
    createdAt: new Date('2026-03-01T09:00:00Z'),
    updatedAt: new Date('2026-03-10T09:30:00Z'),
  });

  await db.insert(encounters).values([
    {
      id: ADA_ENCOUNTER,
      patientId: 'pat-1',
      class: 'IMP',
      status: 'finished',
      unitId: 'unit-icu',
      attendingId: 'stf-endo',
      startedAt: new Date('2026-03-02T14:00:00Z'),
      endedAt: new Date('2026-03-05T11:00:00Z'),
    },
    {
      id: BO_ENCOUNTER,
      patientId: 'pat-2',
      class: 'AMB',
      status: 'finished',
      unitId: 'unit-ms',
      attendingId: 'stf-surgeon',
      startedAt: new Date('2026-03-10T07:00:00Z'),
      endedAt: new Date('2026-03-10T13:00:00Z'),
    },
  ]);
  await db.insert(encounterDiagnoses).values([
    { encounterId: ADA_ENCOUNTER, sequence: 1, code: 'E11.65', presentOnAdmission: 'Y' },
    { encounterId: ADA_ENCOUNTER, sequence: 2, code: 'I10', presentOnAdmission: 'Y' },
    { encounterId: ADA_ENCOUNTER, sequence: 3, code: 'Z79.4', presentOnAdmission: 'Y' },
    { encounterId: BO_ENCOUNTER, sequence: 1, code: 'M23.221' },
  ]);
  const recordedAt = new Date('2026-03-05T12:00:00Z');
  const service = (
    id: string,
    encounterId: string,
    kind: 'procedure' | 'drug' | 'supply',
    code: string,
    servicedOn: string,
    extra: Partial<typeof encounterServices.$inferInsert> = {},
  ) => ({
    id,
    encounterId,
    kind,
    code,
    servicedOn,
    quantity: 1,
    recordedBy: 'fixture',
    recordedAt,
    ...extra,
  });
  await db.insert(encounterServices).values([
    service('svc-ada-admit', ADA_ENCOUNTER, 'procedure', '99223', '2026-03-02', {
      performerId: 'stf-endo',
      diagnosisSequences: [1, 2],
    }),
    service('svc-ada-visit', ADA_ENCOUNTER, 'procedure', '99232', '2026-03-03', {
      performerId: 'stf-endo',
      diagnosisSequences: [1],
    }),
    service('svc-ada-discharge', ADA_ENCOUNTER, 'procedure', '99238', '2026-03-05', {
      performerId: 'stf-endo',
      diagnosisSequences: [1],
    }),
    service('svc-ada-draw', ADA_ENCOUNTER, 'procedure', '36415', '2026-03-02', { diagnosisSequences: [1] }),
    service('svc-ada-cmp', ADA_ENCOUNTER, 'procedure', '80053', '2026-03-02', { diagnosisSequences: [1] }),
    service('svc-ada-insulin', ADA_ENCOUNTER, 'drug', '00002751001', '2026-03-03', {
      quantity: 4,
      diagnosisSequences: [1, 3],
    }),
    service('svc-ada-strips', ADA_ENCOUNTER, 'supply', 'A4253', '2026-03-04', { diagnosisSequences: [1] }),
    service('svc-bo-scope', BO_ENCOUNTER, 'procedure', '29881', '2026-03-10', {
      modifiers: ['RT'],
      performerId: 'stf-surgeon',
      diagnosisSequences: [1],
      theatreBookingId: 'tb-bo-knee',
    }),
  ]);
}

/**
 * Bo's clinic visit on 2026-03-12 (a 99232 by Dr Surgeon) coded with `code`: with M23.2, a category
 * header, its claim fails the scrubber (DX_NOT_BILLABLE) until a coder corrects it.
 */
export async function boClinicVisit(database: Database, code = 'M23.2'): Promise<string> {
  const id = 'enc-bo-clinic';
  await database.db.insert(encounters).values({
    id,
    patientId: 'pat-2',
    class: 'AMB',
    status: 'finished',
    unitId: 'unit-ms',
    startedAt: new Date('2026-03-12T09:00:00Z'),
    endedAt: new Date('2026-03-12T10:00:00Z'),
  });
  await database.db.insert(encounterDiagnoses).values({ encounterId: id, sequence: 1, code });
  await database.db.insert(encounterServices).values({
    id: 'svc-bo-clinic',
    encounterId: id,
    kind: 'procedure',
    code: '99232',
    quantity: 1,
    servicedOn: '2026-03-12',
    performerId: 'stf-surgeon',
    diagnosisSequences: [1],
    recordedBy: 'fixture',
    recordedAt: new Date('2026-03-12T10:00:00Z'),
  });
  return id;
}
