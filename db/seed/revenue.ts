import type { InferInsertModel } from 'drizzle-orm';
import type {
  billingProfiles,
  chargemasterItems,
  coverages,
  encounterDiagnoses,
  encounterServices,
  encounters,
  feeScheduleEntries,
  patients,
  payerPlans,
  payers,
  priorAuthorizations,
  staff,
  UnitType,
  units,
} from '../schema/index.ts';
import { FAMILY, GIVEN_FEMALE, PAYER_PLANS, type PayerPlan, PRICE_LIST } from './catalogue.ts';
import type { Random } from './random.ts';

/**
 * The demo hospital's revenue cycle: the billing profile, payers and plans, every patient's coverage
 * (a few self-pay), the chargemaster, fee schedules, and finished stays (before the epoch) coded with
 * diagnoses and services, so the revenue agent has encounters to bill.
 */

export interface RevenueRows {
  billingProfiles: InferInsertModel<typeof billingProfiles>[];
  payers: InferInsertModel<typeof payers>[];
  payerPlans: InferInsertModel<typeof payerPlans>[];
  coverages: InferInsertModel<typeof coverages>[];
  priorAuthorizations: InferInsertModel<typeof priorAuthorizations>[];
  chargemasterItems: InferInsertModel<typeof chargemasterItems>[];
  feeScheduleEntries: InferInsertModel<typeof feeScheduleEntries>[];
  encounterDiagnoses: InferInsertModel<typeof encounterDiagnoses>[];
  encounterServices: InferInsertModel<typeof encounterServices>[];
}

interface HospitalSoFar extends RevenueRows {
  units: InferInsertModel<typeof units>[];
  staff: InferInsertModel<typeof staff>[];
  patients: InferInsertModel<typeof patients>[];
  encounters: InferInsertModel<typeof encounters>[];
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * The NPI's tenth digit: Luhn over the nine before it with the card-issuer prefix 80840, which adds a
 * constant 24 to the sum (45 CFR 162.406; CMS, "Requirements for National Provider Identifier check digit").
 */
export function npiCheckDigit(nine: string): string {
  let sum = 24;
  for (let k = 0; k < 9; k++) {
    let d = nine.charCodeAt(8 - k) - 48;
    if (k % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const npi = (nine: string) => nine + npiCheckDigit(nine);

// Medicare Beneficiary Identifier: 11 characters, positions 2, 5, 8, 9 letters and 3, 6 letters or
// digits, never S, L, O, I, B, Z (CMS, "Understanding the Medicare Beneficiary Identifier format").
const MBI_LETTERS = 'ACDEFGHJKMNPQRTUVWXY';
function mbi(rnd: Random): string {
  const a = () => rnd.pick([...MBI_LETTERS]);
  const n = () => String(rnd.int(0, 9));
  const an = () => (rnd.chance(0.5) ? a() : n());
  return `${rnd.int(1, 9)}${a()}${an()}${n()}${a()}${an()}${n()}${a()}${a()}${n()}${n()}`;
}

// Medicare Part A starts on the first day of the month a person turns 65, or the month before when the
// birthday falls on the 1st (42 CFR 406.10; SSA Program Operations Manual HI 00801.005).
function medicareStart(birthDate: string): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const first = Date.UTC(y + 65, m - 1 - (d === 1 ? 1 : 0), 1);
  return day(first);
}

interface StayProfile {
  /** Principal first; ICD-10-CM codes. */
  diagnoses: string[];
  /** Services on the first day, as `code` or `code*quantity`. */
  firstDay: string[];
  /** Services given on every day of the stay. */
  daily?: string[];
  /** A surgical or obstetric procedure on the first day, by a physician of this specialty. */
  surgery?: { code: string; specialty: string; modifiers?: string[] };
  femaleOnly?: boolean;
}

/** `87040*2` → a procedure of quantity 2; J-codes and NDCs are drugs, A-codes supplies. */
function serviceOf(spec: string): { kind: 'procedure' | 'drug' | 'supply'; code: string; quantity: number } {
  const [code = '', quantity = '1'] = spec.split('*');
  const kind = /^([0-9]{11}|J[0-9]{4})$/.test(code) ? 'drug' : code.startsWith('A') ? 'supply' : 'procedure';
  return { kind, code, quantity: Number(quantity) };
}

// What the seeded stays were for, by unit type. Lab panels, imaging and drugs follow usual practice for
// the principal diagnosis; they are a demo mix, not clinical guidance.
const STAYS: Partial<Record<UnitType, StayProfile[]>> = {
  icu: [
    { diagnoses: ['A41.9', 'D64.9', 'I10'], firstDay: ['99291', '87040*2', 'J7050*4'], daily: ['J0696*4'] },
    { diagnoses: ['I21.4', 'E78.5', 'I10'], firstDay: ['99291', '84484*2', '93005'], daily: ['J1644*5'] },
    { diagnoses: ['I63.9', 'I10'], firstDay: ['99291', '93005'], daily: ['J1650*4'] },
  ],
  'step-down': [
    { diagnoses: ['J15.9', 'E11.9'], firstDay: ['71045', '87040*2'], daily: ['J0696*4'] },
    { diagnoses: ['I50.9', 'I10', 'E66.9'], firstDay: ['71045', '93005'], daily: ['J1650*4'] },
  ],
  telemetry: [
    { diagnoses: ['R07.9', 'I10'], firstDay: ['84484*2', '93005', '71045'] },
    { diagnoses: ['R55', 'E78.5'], firstDay: ['93005', '82947'] },
  ],
  'med-surg': [
    {
      diagnoses: ['E11.65', 'I10', 'Z79.4'],
      firstDay: ['83036', 'A4253'],
      daily: ['82947', '00002751001*4'],
    },
    {
      diagnoses: ['K80.00', 'E66.9'],
      firstDay: ['A4550', 'J0690*4'],
      surgery: { code: '47562', specialty: 'general-surgery' },
    },
    {
      diagnoses: ['K35.80'],
      firstDay: ['A4550', 'J0690*4', 'J2405*4'],
      surgery: { code: '44970', specialty: 'general-surgery' },
    },
    {
      diagnoses: ['M17.11', 'I10'],
      firstDay: ['A4550', 'J0690*4'],
      daily: ['J1650*4'],
      surgery: { code: '27447', specialty: 'general-surgery', modifiers: ['RT'] },
    },
  ],
  maternity: [
    {
      diagnoses: ['O80', 'Z37.0'],
      firstDay: ['85025'],
      surgery: { code: '59409', specialty: 'obstetrics' },
      femaleOnly: true,
    },
  ],
  oncology: [{ diagnoses: ['C34.90', 'D64.9'], firstDay: ['71045'], daily: ['J2405*8'] }],
};

// Treat-and-release emergency visits: the ED visit level and its work-up.
const ED_VISITS: StayProfile[] = [
  { diagnoses: ['R07.9'], firstDay: ['99284', '84484', '93005', '71045'] },
  { diagnoses: ['R10.9'], firstDay: ['99283', '81001', '80053'] },
  { diagnoses: ['R55', 'I10'], firstDay: ['99284', '93005', '82947'] },
];

function payerRows(): Pick<RevenueRows, 'payers' | 'payerPlans'> {
  return {
    payers: PAYER_PLANS.map((p) => ({
      id: p.payerId,
      name: p.name,
      kind: p.kind,
      x12PayerId: p.x12PayerId,
      professionalFilingIndicator: p.professional,
      institutionalFilingIndicator: p.institutional,
      timelyFilingDays: p.timelyFilingDays,
    })),
    payerPlans: PAYER_PLANS.map((p) => ({
      id: p.planId,
      payerId: p.payerId,
      name: p.planName,
      priorAuthCodes: p.priorAuthCodes,
    })),
  };
}

function priceRows(): Pick<RevenueRows, 'chargemasterItems' | 'feeScheduleEntries'> {
  const chargemasterItems = PRICE_LIST.map((l) => ({
    id: `cdm-${l.kind}-${l.code}`,
    kind: l.kind,
    code: l.code,
    description: l.description,
    revenueCode: l.revenueCode,
    hcpcsCode: l.hcpcsCode ?? null,
    unitPriceCents: l.cents,
    unitBasis: l.kind === 'accommodation' ? 'DA' : 'UN',
  }));
  // Fee schedules are per billed CPT/HCPCS code (a drug billed by NDC under its J-code); room and board
  // is paid per stay or per diem, not from a code's fee schedule.
  const feeScheduleEntries = PAYER_PLANS.flatMap((p: PayerPlan) =>
    PRICE_LIST.filter((l) => l.kind !== 'accommodation').map((l) => ({
      planId: p.planId,
      code: l.hcpcsCode ?? l.code,
      allowedCents: Math.round(l.cents * p.allowedShare),
    })),
  );
  return { chargemasterItems, feeScheduleEntries };
}

/**
 * Adds the revenue rows to the hospital generated so far, drawing from `rnd` alone: NPIs on every
 * physician, two coders, coverage for every patient, and finished stays for about one patient in eight.
 */
export function addRevenue(h: HospitalSoFar, rnd: Random, epoch: number): void {
  h.billingProfiles.push({
    id: 'default',
    name: 'CareBridge General Hospital',
    npi: npi('192837465'),
    taxId: '364512398',
    // 282N00000X: General Acute Care Hospital (NUCC Health Care Provider Taxonomy).
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
  Object.assign(h, payerRows());
  Object.assign(h, priceRows());

  h.staff.forEach((s, i) => {
    if (s.role === 'physician') s.npi = npi(`1${pad(i + 1, 8)}`);
  });
  for (let c = 0; c < 2; c++) {
    const n = h.staff.length + 1;
    h.staff.push({
      id: `stf-${pad(n, 5)}`,
      name: `${rnd.pick(GIVEN_FEMALE)} ${rnd.pick(FAMILY)}`,
      role: 'coder',
      pager: `PGR-${pad(n, 4)}`,
      unitId: null,
      specialty: null,
    });
  }

  const planOf = new Map(PAYER_PLANS.map((p) => [p.payerId, p]));
  const coverageOf = new Map<string, { planId: string; coverageId: string }>();
  const medicareAge = day(epoch - 60 * DAY_MS);
  h.patients.forEach((p, i) => {
    const startsMedicare = medicareStart(p.birthDate);
    const payerId =
      startsMedicare <= medicareAge
        ? 'pay-medicare'
        : rnd.weighted([
            ['pay-medicaid', 22],
            ['pay-acme', 36],
            ['pay-prairie', 34],
            ['self-pay', 8],
          ] as const);
    if (payerId === 'self-pay') return;
    const plan = planOf.get(payerId)!;
    const coverageId = `cov-${p.id}-p`;
    h.coverages.push({
      id: coverageId,
      patientId: p.id,
      planId: plan.planId,
      priority: 'primary',
      memberId:
        plan.kind === 'medicare'
          ? mbi(rnd)
          : `${plan.x12PayerId.slice(0, 3)}${pad(100_000 + i * 7 + rnd.int(0, 6), 7)}`,
      groupNumber: plan.kind === 'commercial' ? `GRP-${rnd.int(10, 99)}` : null,
      relationship: '18',
      startsOn:
        plan.kind === 'medicare'
          ? startsMedicare < '2020-01-01'
            ? '2020-01-01'
            : startsMedicare
          : '2025-01-01',
      endsOn: null,
    });
    coverageOf.set(p.id, { planId: plan.planId, coverageId });
    // Dual eligibles: Medicaid pays after Medicare (42 CFR 433.139, Medicaid as payer of last resort).
    if (plan.kind === 'medicare' && rnd.chance(0.1)) {
      h.coverages.push({
        id: `cov-${p.id}-s`,
        patientId: p.id,
        planId: 'plan-medicaid',
        priority: 'secondary',
        memberId: `MCD${pad(200_000 + i, 7)}`,
        groupNumber: null,
        relationship: '18',
        startsOn: '2025-01-01',
        endsOn: null,
      });
    }
  });

  addFinishedStays(h, rnd, epoch, coverageOf);
}

/** Finished stays before the epoch, coded and with their services recorded, ready to be charged and billed. */
function addFinishedStays(
  h: HospitalSoFar,
  rnd: Random,
  epoch: number,
  coverageOf: Map<string, { planId: string; coverageId: string }>,
): void {
  const physicians = new Map<string, string[]>();
  for (const s of h.staff) {
    if (s.role !== 'physician' || !s.specialty) continue;
    physicians.set(s.specialty, [...(physicians.get(s.specialty) ?? []), s.id]);
  }
  const doctor = (specialty: string | null | undefined) =>
    rnd.pick(physicians.get(specialty ?? 'internal-medicine') ?? physicians.get('internal-medicine') ?? []);
  const wards = h.units.filter((u) => STAYS[u.type]);
  const ed = h.units.find((u) => u.type === 'ed');
  const planAuth = new Map(PAYER_PLANS.map((p) => [p.planId, new Set(p.priorAuthCodes)]));
  const recordedBy = 'system:seed';

  for (const patient of h.patients) {
    if (!rnd.chance(0.12)) continue;
    const emergency = ed !== undefined && rnd.chance(0.2);
    const unit = emergency && ed ? ed : rnd.pick(wards);
    const female = patient.sex === 'female';
    const choices = emergency ? ED_VISITS : (STAYS[unit.type] ?? []).filter((s) => female || !s.femaleOnly);
    if (choices.length === 0) continue;
    const profile = rnd.pick(choices);
    const dischargeDay = epoch - rnd.int(1, 30) * DAY_MS;
    const nights = emergency ? 0 : unit.type === 'icu' ? rnd.int(2, 6) : rnd.int(1, 4);
    const admitDay = dischargeDay - nights * DAY_MS;
    const startedAt = new Date(admitDay + (emergency ? rnd.int(0, 18) : rnd.int(8, 21)) * 3_600_000);
    const endedAt = new Date(
      emergency ? startedAt.getTime() + rnd.int(3, 6) * 3_600_000 : dischargeDay + rnd.int(9, 15) * 3_600_000,
    );
    const encounterId = `enc-${patient.id}-${day(admitDay).replaceAll('-', '')}`;
    const attending = doctor(unit.specialty);
    h.encounters.push({
      id: encounterId,
      patientId: patient.id,
      class: emergency ? 'EMER' : 'IMP',
      status: 'finished',
      unitId: unit.id,
      bedId: null,
      attendingId: attending,
      startedAt,
      endedAt,
    });
    profile.diagnoses.forEach((code, i) => {
      h.encounterDiagnoses.push({
        encounterId,
        sequence: i + 1,
        code,
        // Present on admission, reported for inpatient claims only (CMS POA reporting, 837I).
        presentOnAdmission: emergency ? null : 'Y',
      });
    });
    const pointers = profile.diagnoses.length > 1 ? [1, 2] : [1];
    let n = 0;
    const service = (
      kind: 'procedure' | 'drug' | 'supply',
      code: string,
      quantity: number,
      on: number,
      extra: { performerId?: string; modifiers?: string[] } = {},
    ) =>
      h.encounterServices.push({
        id: `svc-${encounterId.slice(4)}-${pad(++n, 2)}`,
        encounterId,
        kind,
        code,
        modifiers: extra.modifiers ?? [],
        quantity,
        servicedOn: day(on),
        performerId: extra.performerId ?? null,
        diagnosisSequences: pointers,
        theatreBookingId: null,
        recordedBy,
        recordedAt: endedAt,
      });

    if (!emergency) service('procedure', '99223', 1, admitDay, { performerId: attending });
    service('procedure', '36415', 1, admitDay);
    service('procedure', emergency ? '85025' : '80053', 1, admitDay);
    for (const spec of profile.firstDay) {
      const { kind, code, quantity } = serviceOf(spec);
      // Visits and critical care are the attending's professional services.
      service(kind, code, quantity, admitDay, code.startsWith('99') ? { performerId: attending } : {});
    }
    if (profile.surgery) {
      const surgeon = doctor(profile.surgery.specialty);
      service('procedure', profile.surgery.code, 1, admitDay, {
        performerId: surgeon,
        ...(profile.surgery.modifiers ? { modifiers: profile.surgery.modifiers } : {}),
      });
      const cover = coverageOf.get(patient.id);
      if (cover && planAuth.get(cover.planId)?.has(profile.surgery.code)) {
        h.priorAuthorizations.push({
          id: `pa-${encounterId.slice(4)}`,
          coverageId: cover.coverageId,
          number: `AUTH-${pad(rnd.int(1, 999_999), 6)}`,
          procedureCodes: [profile.surgery.code],
          validFrom: day(admitDay - 14 * DAY_MS),
          validTo: day(admitDay + 60 * DAY_MS),
          units: 1,
        });
      }
    }
    for (let d = 0; d < nights; d++) {
      const on = admitDay + d * DAY_MS;
      if (d > 0) service('procedure', '99232', 1, on, { performerId: attending });
      for (const spec of profile.daily ?? []) {
        const { kind, code, quantity } = serviceOf(spec);
        service(kind, code, quantity, on);
      }
    }
    if (!emergency) service('procedure', '99238', 1, dischargeDay, { performerId: attending });
  }
}
