/**
 * Synthetic, seeded bed-assignment problems: a hospital of any size with a realistic mix of units,
 * rooms (sex policy, isolation), telemetry and bariatric beds, beds occupied, dirty or held, and a batch
 * of requests (priority, unit types, isolation, telemetry, sex, age, specialty, preferences, patients
 * already in a bed). Same seed, same problem. For the solver's tests and the benchmark; no database.
 */
import { Random } from '../../../db/seed/random.ts';
import type { IsolationKind, UnitType } from '../../../db/schema/hospital.ts';
import type { BedNeed } from '../schema.ts';
import type { AssignableBed, AssignmentProblem, PendingBedRequest, RequestPriority } from './model.ts';

interface UnitKind {
  type: UnitType;
  /** Share of the hospital's beds. */
  share: number;
  specialties: readonly string[];
  bedsPerRoom: number;
  telemetry: number;
  ages?: { min: number | null; max: number | null };
}

const unitKinds: readonly UnitKind[] = [
  { type: 'icu', share: 0.06, specialties: ['critical-care', 'cardiology'], bedsPerRoom: 1, telemetry: 1 },
  {
    type: 'step-down',
    share: 0.07,
    specialties: ['critical-care', 'pulmonology'],
    bedsPerRoom: 2,
    telemetry: 1,
  },
  {
    type: 'telemetry',
    share: 0.11,
    specialties: ['cardiology', 'internal-medicine'],
    bedsPerRoom: 2,
    telemetry: 1,
  },
  {
    type: 'med-surg',
    share: 0.36,
    specialties: ['internal-medicine', 'general-surgery', 'endocrinology', 'geriatrics', 'nephrology'],
    bedsPerRoom: 2,
    telemetry: 0.1,
  },
  { type: 'surgical', share: 0.14, specialties: ['general-surgery'], bedsPerRoom: 2, telemetry: 0.05 },
  { type: 'ed', share: 0.05, specialties: ['emergency-medicine'], bedsPerRoom: 1, telemetry: 0.3 },
  {
    type: 'maternity',
    share: 0.06,
    specialties: ['obstetrics'],
    bedsPerRoom: 2,
    telemetry: 0,
    ages: { min: 14, max: null },
  },
  {
    type: 'pediatrics',
    share: 0.05,
    specialties: ['pediatrics'],
    bedsPerRoom: 2,
    telemetry: 0.1,
    ages: { min: null, max: 17 },
  },
  { type: 'oncology', share: 0.1, specialties: ['oncology'], bedsPerRoom: 2, telemetry: 0.05 },
];

/** Acceptable unit types of a request whose first choice is the key, most preferred first. */
const fallbacks: Record<UnitType, readonly UnitType[][]> = {
  icu: [['icu'], ['icu', 'step-down']],
  'step-down': [['step-down'], ['step-down', 'icu'], ['step-down', 'telemetry']],
  telemetry: [['telemetry'], ['telemetry', 'step-down'], ['telemetry', 'med-surg']],
  'med-surg': [['med-surg'], ['med-surg', 'surgical'], ['med-surg', 'telemetry', 'surgical']],
  surgical: [['surgical'], ['surgical', 'med-surg']],
  ed: [['ed'], ['ed', 'med-surg']],
  maternity: [['maternity']],
  pediatrics: [['pediatrics'], ['pediatrics', 'med-surg']],
  oncology: [['oncology'], ['oncology', 'med-surg']],
};

const demand: readonly (readonly [UnitType, number])[] = [
  ['med-surg', 34],
  ['surgical', 14],
  ['telemetry', 12],
  ['oncology', 8],
  ['icu', 7],
  ['step-down', 7],
  ['maternity', 6],
  ['pediatrics', 6],
  ['ed', 6],
];

export interface SyntheticOptions {
  seed: number;
  beds: number;
  requests: number;
  /** Share of beds occupied (status O), default 0.5. Another ~7% are dirty, blocked or held. */
  occupancy?: number;
}

export function syntheticProblem(options: SyntheticOptions): AssignmentProblem {
  const rnd = new Random(options.seed);
  const occupancy = options.occupancy ?? 0.5;
  const beds: AssignableBed[] = [];
  let room = 0;
  unitKinds.forEach((kind, k) => {
    const count = Math.max(
      0,
      k === unitKinds.length - 1 ? options.beds - beds.length : Math.round(options.beds * kind.share),
    );
    const units = Math.max(1, Math.round(count / 28));
    for (let n = 0; n < count; n++) {
      const unit = n % units;
      const specialty = kind.specialties[unit % kind.specialties.length] ?? null;
      if (n % kind.bedsPerRoom === 0) room++;
      const roomSeed = new Random(options.seed * 7919 + room);
      const isolation: IsolationKind =
        kind.type === 'icu'
          ? roomSeed.weighted([
              ['none', 5],
              ['contact', 2],
              ['airborne', 3],
            ] as const)
          : roomSeed.weighted([
              ['none', 80],
              ['contact', 10],
              ['droplet', 5],
              ['airborne', 5],
            ] as const);
      const sexPolicy =
        kind.type === 'maternity'
          ? 'female'
          : kind.bedsPerRoom > 1
            ? roomSeed.weighted([
                ['mixed', 50],
                ['male', 25],
                ['female', 25],
              ] as const)
            : 'mixed';
      const state = rnd.next();
      beds.push({
        bedId: `bed-${String(beds.length).padStart(4, '0')}`,
        label: `${kind.type.toUpperCase()}-${unit + 1}-${n}`,
        unitId: `unit-${kind.type}-${unit + 1}`,
        unitType: kind.type,
        roomId: `room-${room}`,
        roomSexPolicy: sexPolicy,
        roomIsolation: isolation,
        status: state < occupancy ? 'O' : state < occupancy + 0.04 ? 'H' : 'U',
        housekeeping:
          state < occupancy + 0.04
            ? 'dirty'
            : state < occupancy + 0.05
              ? 'blocked'
              : rnd.chance(0.6)
                ? 'inspected'
                : 'clean',
        telemetry: rnd.chance(kind.telemetry),
        bariatric: rnd.chance(0.04),
        reserved: state >= occupancy + 0.05 && rnd.chance(0.02),
        unitSpecialty: specialty,
        unitMinAgeYears: kind.ages?.min ?? 18,
        unitMaxAgeYears: kind.ages?.max ?? null,
      });
    }
  });
  // Patients already in a bed (in the ED, or moving between units) each occupy a different one.
  const occupied = beds.filter((b) => b.status === 'O').map((b) => b.bedId);
  const requests: PendingBedRequest[] = [];
  for (let i = 0; i < options.requests; i++) {
    const first = rnd.weighted(demand);
    const unitTypes = rnd.pick(fallbacks[first]);
    const priority: RequestPriority = rnd.weighted([
      ['emergency', 15],
      ['urgent', 35],
      ['routine', 50],
    ] as const);
    const critical = first === 'icu' || first === 'step-down' || first === 'telemetry';
    const need: BedNeed = {
      unitTypes: [...unitTypes],
      isolation: rnd.weighted([
        ['none', 82],
        ['contact', 10],
        ['droplet', 5],
        ['airborne', 3],
      ] as const),
      telemetry: critical ? rnd.chance(0.8) : rnd.chance(0.04),
      bariatric: rnd.chance(0.02),
      sex:
        first === 'maternity'
          ? 'female'
          : rnd.weighted([
              ['female', 49],
              ['male', 49],
              ['other', 1],
              ['unknown', 1],
            ] as const),
    };
    const ageYears =
      first === 'pediatrics' ? rnd.int(0, 17) : first === 'maternity' ? rnd.int(16, 44) : rnd.int(18, 96);
    const home = unitKinds.find((k) => k.type === first);
    const specialty = rnd.chance(0.7)
      ? rnd.pick(home?.specialties ?? ['internal-medicine'])
      : rnd.pick(['internal-medicine', 'cardiology', 'neurology', 'infectious-disease', 'geriatrics']);
    requests.push({
      requestId: `req-${String(i).padStart(4, '0')}`,
      patientId: `pat-${String(i).padStart(4, '0')}`,
      need,
      priority,
      specialty,
      ageYears,
      preferredFeatures: rnd.chance(0.05) ? ['telemetry'] : [],
      currentBedId:
        occupied.length > 0 && rnd.chance(0.1)
          ? (occupied.splice(rnd.int(0, occupied.length - 1), 1)[0] ?? null)
          : null,
    });
  }
  return { beds, requests };
}
