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
