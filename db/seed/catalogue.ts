import type { UnitType } from '../schema/index.ts';

/**
 * What the synthetic hospital is made of: the unit plans per size, the physician specialties (each
 * with an on-call rota), what home-monitored patients are followed for, and the names drawn from.
 */

export const seedSizes = ['small', 'medium', 'large'] as const;
export type SeedSize = (typeof seedSizes)[number];

interface UnitPlan {
  type: UnitType;
  name: string;
  beds: number;
  specialty: string | null;
}

// Medium is the reference hospital: 12 units, 300 beds.
const MEDIUM_UNITS: UnitPlan[] = [
  { type: 'icu', name: 'Medical ICU', beds: 16, specialty: 'critical-care' },
  { type: 'icu', name: 'Cardiac ICU', beds: 16, specialty: 'cardiology' },
  { type: 'step-down', name: 'Step-Down A', beds: 20, specialty: 'critical-care' },
  { type: 'step-down', name: 'Step-Down B', beds: 20, specialty: 'pulmonology' },
  { type: 'telemetry', name: 'Cardiac Telemetry', beds: 28, specialty: 'cardiology' },
  { type: 'telemetry', name: 'Telemetry 5', beds: 28, specialty: 'internal-medicine' },
  { type: 'med-surg', name: 'Med-Surg 3', beds: 32, specialty: 'internal-medicine' },
  { type: 'med-surg', name: 'Med-Surg 4', beds: 32, specialty: 'general-surgery' },
  { type: 'med-surg', name: 'Diabetes & Renal', beds: 32, specialty: 'endocrinology' },
  { type: 'ed', name: 'Emergency Department', beds: 30, specialty: 'emergency-medicine' },
  { type: 'maternity', name: 'Maternity', beds: 24, specialty: 'obstetrics' },
  { type: 'oncology', name: 'Oncology', beds: 22, specialty: 'oncology' },
];

// Operating theatres are attached to an existing unit (the general-surgery ward where there is one,
// obstetric theatres to maternity) rather than to an operating-suite unit: units here are wards with
// beds, and a bedless unit would count in every ward and bed total.
interface TheatrePlan {
  name: string;
  /** The name of the unit the theatre belongs to, in the same plan. */
  unit: string;
  /** The specialty the theatre is kept for; null: a general (and emergency) theatre. */
  specialty: string | null;
  turnoverMinutes: number;
}

const MEDIUM_THEATRES: TheatrePlan[] = [
  { name: 'Theatre 1', unit: 'Med-Surg 4', specialty: 'general-surgery', turnoverMinutes: 30 },
  { name: 'Theatre 2', unit: 'Med-Surg 4', specialty: 'general-surgery', turnoverMinutes: 30 },
  { name: 'Obstetric Theatre', unit: 'Maternity', specialty: 'obstetrics', turnoverMinutes: 20 },
  { name: 'Emergency Theatre', unit: 'Med-Surg 4', specialty: null, turnoverMinutes: 45 },
];

const SMALL_THEATRES: TheatrePlan[] = [
  { name: 'Theatre 1', unit: 'Med-Surg', specialty: 'general-surgery', turnoverMinutes: 30 },
  { name: 'Theatre 2', unit: 'Med-Surg', specialty: null, turnoverMinutes: 45 },
];

const SMALL_UNITS: UnitPlan[] = [
  { type: 'icu', name: 'ICU', beds: 8, specialty: 'critical-care' },
  { type: 'step-down', name: 'Step-Down', beds: 10, specialty: 'critical-care' },
  { type: 'telemetry', name: 'Telemetry', beds: 12, specialty: 'cardiology' },
  { type: 'med-surg', name: 'Med-Surg', beds: 20, specialty: 'internal-medicine' },
  { type: 'ed', name: 'Emergency Department', beds: 10, specialty: 'emergency-medicine' },
];

export interface SizePlan {
  units: UnitPlan[];
  theatres: TheatrePlan[];
  physiciansPerSpecialty: number;
  housekeepers: number;
  bedManagers: number;
  patients: number;
}

export function sizePlan(size: SeedSize): SizePlan {
  switch (size) {
    case 'small':
      return {
        units: SMALL_UNITS,
        theatres: SMALL_THEATRES,
        physiciansPerSpecialty: 2,
        housekeepers: 4,
        bedManagers: 1,
        patients: 150,
      };
    case 'medium':
      return {
        units: MEDIUM_UNITS,
        theatres: MEDIUM_THEATRES,
        physiciansPerSpecialty: 5,
        housekeepers: 15,
        bedManagers: 3,
        patients: 1000,
      };
    case 'large': {
      // Three medium towers.
      const towers = ['North', 'South', 'East'];
      const units = towers.flatMap((tower) =>
        MEDIUM_UNITS.map((u) => ({ ...u, name: `${tower} ${u.name}` })),
      );
      const theatres = towers.flatMap((tower) =>
        MEDIUM_THEATRES.map((t) => ({ ...t, name: `${tower} ${t.name}`, unit: `${tower} ${t.unit}` })),
      );
      return {
        units,
        theatres,
        physiciansPerSpecialty: 15,
        housekeepers: 45,
        bedManagers: 6,
        patients: 3000,
      };
    }
  }
}

// Physician specialties; each has an on-call rota, so any patient's care specialty can be paged.
export const SPECIALTIES = [
  'critical-care',
  'endocrinology',
  'cardiology',
  'internal-medicine',
  'pulmonology',
  'emergency-medicine',
  'general-surgery',
  'obstetrics',
  'oncology',
  'nephrology',
  'neurology',
  'infectious-disease',
  'anaesthesia',
  'geriatrics',
] as const;

// What home-monitored patients are followed for: diabetics wear a CGM, the rest post app vitals.
export const CARE_SPECIALTY_WEIGHTS = [
  ['internal-medicine', 30],
  ['endocrinology', 20],
  ['cardiology', 15],
  ['pulmonology', 10],
  ['oncology', 6],
  ['nephrology', 6],
  ['neurology', 5],
  ['geriatrics', 8],
] as const;

export const GIVEN_FEMALE = [
  'Ada',
  'Amara',
  'Beatriz',
  'Chen',
  'Dana',
  'Elif',
  'Fatima',
  'Grace',
  'Hana',
  'Ines',
  'Jade',
  'Keiko',
  'Lena',
  'Maya',
  'Nora',
  'Olga',
  'Priya',
  'Rosa',
  'Sofia',
  'Yara',
];
export const GIVEN_MALE = [
  'Aarav',
  'Ben',
  'Carlos',
  'Dmitri',
  'Emeka',
  'Farid',
  'Gus',
  'Hugo',
  'Ivan',
  'Jonas',
  'Kofi',
  'Luca',
  'Mateo',
  'Noah',
  'Omar',
  'Pavel',
  'Rafael',
  'Sami',
  'Tariq',
  'Yusuf',
];
export const FAMILY = [
  'Abara',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ibrahim',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Petrov',
  'Quinn',
  'Rossi',
  'Silva',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Xu',
  'Yilmaz',
  'Zhang',
];

// The demo hospital's revenue cycle. Prices, allowed amounts and payer ids are illustrative, not a real
// hospital's chargemaster or a payer's fee schedule; codes are real CPT/HCPCS/ICD-10-CM codes.

export interface PayerPlan {
  payerId: string;
  name: string;
  kind: 'medicare' | 'medicaid' | 'commercial';
  x12PayerId: string;
  // SBR09 claim filing indicator: MB Medicare Part B, MA Part A, MC Medicaid, CI commercial, BL Blue Cross.
  professional: string;
  institutional: string;
  timelyFilingDays: number | null;
  planId: string;
  planName: string;
  priorAuthCodes: string[];
  /** Allowed amount as a share of the hospital's price, per code on the fee schedule. */
  allowedShare: number;
}

export const PAYER_PLANS: PayerPlan[] = [
  // Medicare's limit is its own rule (12 months from the date of service, 42 CFR 424.44): null.
  {
    payerId: 'pay-medicare',
    name: 'Medicare Part A/B (MAC J6)',
    kind: 'medicare',
    x12PayerId: '06102',
    professional: 'MB',
    institutional: 'MA',
    timelyFilingDays: null,
    planId: 'plan-medicare',
    planName: 'Original Medicare',
    priorAuthCodes: [],
    allowedShare: 0.38,
  },
  {
    payerId: 'pay-medicaid',
    name: 'State Medicaid',
    kind: 'medicaid',
    x12PayerId: 'MCDST',
    professional: 'MC',
    institutional: 'MC',
    timelyFilingDays: 180,
    planId: 'plan-medicaid',
    planName: 'Medicaid fee-for-service',
    priorAuthCodes: ['27447'],
    allowedShare: 0.3,
  },
  {
    payerId: 'pay-acme',
    name: 'Acme Health',
    kind: 'commercial',
    x12PayerId: 'ACME1',
    professional: 'CI',
    institutional: 'CI',
    timelyFilingDays: 180,
    planId: 'plan-acme-ppo',
    planName: 'Acme PPO',
    priorAuthCodes: ['29881', '27447', '47562'],
    allowedShare: 0.62,
  },
  {
    payerId: 'pay-prairie',
    name: 'Blue Prairie',
    kind: 'commercial',
    x12PayerId: 'BPR01',
    professional: 'BL',
    institutional: 'BL',
    timelyFilingDays: 365,
    planId: 'plan-prairie-hmo',
    planName: 'Blue Prairie HMO',
    priorAuthCodes: ['27447', '59409'],
    allowedShare: 0.55,
  },
];

export interface PriceLine {
  kind: 'accommodation' | 'procedure' | 'drug' | 'supply';
  code: string;
  description: string;
  revenueCode: string;
  cents: number;
  /** The J-code a drug billed by NDC is reported with. */
  hcpcsCode?: string;
}

type PriceRow = [
  PriceLine['kind'],
  code: string,
  revenueCode: string,
  cents: number,
  description: string,
  hcpcs?: string,
];

// NUBC UB-04 FL42 revenue codes: 011x private, 012x semi-private room and board (subcodes 1 med-surg,
// 2 OB, 3 paediatric, 7 oncology), 020x intensive care (0206 intermediate), 021x coronary care
// (0214 intermediate), 025x/063x pharmacy, 027x supplies, 030x lab, 032x radiology, 036x OR, 045x ED,
// 051x clinic, 073x EKG.
const PRICE_ROWS: PriceRow[] = [
  ['accommodation', 'icu', '0200', 420_000, 'Intensive care, per day'],
  ['accommodation', 'step-down', '0206', 260_000, 'Intermediate ICU, per day'],
  ['accommodation', 'telemetry', '0214', 230_000, 'Intermediate coronary care, per day'],
  ['accommodation', 'med-surg', '0121', 185_000, 'Semi-private, med-surg, per day'],
  ['accommodation', 'surgical', '0121', 195_000, 'Semi-private, surgical, per day'],
  ['accommodation', 'ed', '0110', 210_000, 'Private room, ED boarding, per day'],
  ['accommodation', 'maternity', '0122', 190_000, 'Semi-private, obstetrics, per day'],
  ['accommodation', 'pediatrics', '0123', 180_000, 'Semi-private, paediatrics, per day'],
  ['accommodation', 'oncology', '0127', 205_000, 'Semi-private, oncology, per day'],
  ['procedure', '99223', '0510', 42_000, 'Initial hospital care, high complexity'],
  ['procedure', '99232', '0510', 16_000, 'Subsequent hospital care, moderate complexity'],
  ['procedure', '99233', '0510', 23_000, 'Subsequent hospital care, high complexity'],
  ['procedure', '99238', '0510', 15_000, 'Hospital discharge day, 30 min or less'],
  ['procedure', '99291', '0510', 65_000, 'Critical care, first 30–74 minutes'],
  ['procedure', '99283', '0450', 48_000, 'Emergency department visit, moderate'],
  ['procedure', '99284', '0450', 86_000, 'Emergency department visit, moderately high'],
  ['procedure', '36415', '0300', 2_500, 'Routine venipuncture'],
  ['procedure', '80053', '0301', 18_000, 'Comprehensive metabolic panel'],
  ['procedure', '85025', '0305', 9_500, 'Complete blood count with differential'],
  ['procedure', '83036', '0301', 7_000, 'Haemoglobin A1c'],
  ['procedure', '82947', '0301', 3_000, 'Glucose, quantitative, blood'],
  ['procedure', '84484', '0301', 11_000, 'Troponin, quantitative'],
  ['procedure', '87040', '0306', 12_500, 'Blood culture, bacterial'],
  ['procedure', '81001', '0300', 4_000, 'Urinalysis with microscopy'],
  ['procedure', '71045', '0320', 21_000, 'Chest X-ray, single view'],
  ['procedure', '93005', '0730', 14_000, 'Electrocardiogram, tracing only'],
  ['procedure', '47562', '0360', 1_150_000, 'Laparoscopic cholecystectomy'],
  ['procedure', '44970', '0360', 980_000, 'Laparoscopic appendectomy'],
  ['procedure', '27447', '0360', 3_200_000, 'Total knee arthroplasty'],
  ['procedure', '59409', '0720', 520_000, 'Vaginal delivery only'],
  ['drug', '00002751001', '0636', 1_200, 'Insulin lispro 100 units/mL (per 5 units)', 'J1815'],
  ['drug', 'J0696', '0636', 2_800, 'Ceftriaxone, per 250 mg'],
  ['drug', 'J1650', '0636', 1_900, 'Enoxaparin, per 10 mg'],
  ['drug', 'J1644', '0636', 900, 'Heparin, per 1,000 units'],
  ['drug', 'J2405', '0636', 700, 'Ondansetron, per 1 mg'],
  ['drug', 'J0690', '0636', 2_200, 'Cefazolin, per 500 mg'],
  ['drug', 'J7050', '0258', 3_500, 'Normal saline infusion, 250 cc'],
  ['supply', 'A4253', '0270', 4_500, 'Blood glucose test strips, per 50'],
  ['supply', 'A4550', '0272', 9_000, 'Surgical tray'],
  ['supply', 'A4215', '0270', 300, 'Sterile needle'],
];

export const PRICE_LIST: PriceLine[] = PRICE_ROWS.map(
  ([kind, code, revenueCode, cents, description, hcpcsCode]) => ({
    kind,
    code,
    revenueCode,
    cents,
    description,
    ...(hcpcsCode ? { hcpcsCode } : {}),
  }),
);
