import type { InferInsertModel } from 'drizzle-orm';
import type {
  beds,
  devices,
  encounters,
  onCallRota,
  patients,
  rooms,
  shifts,
  staff,
  StaffRole,
  staffSkills,
  theatres,
  units,
} from '../schema/index.ts';
import {
  CARE_SPECIALTY_WEIGHTS,
  FAMILY,
  GIVEN_FEMALE,
  GIVEN_MALE,
  SPECIALTIES,
  type SeedSize,
  sizePlan,
} from './catalogue.ts';
import { defaultRequiredSkill } from '../../tools/staffing/demand/policy.ts';
import { Random } from './random.ts';
import { addInventory, type InventoryRows } from './inventory.ts';
import { addSurgery, type SurgeryRows } from './surgery.ts';
import { addRevenue, type RevenueRows } from './revenue.ts';

export { SPECIALTIES, type SeedSize, seedSizes } from './catalogue.ts';

/**
 * The synthetic demo hospital, computed from a seed number alone: no clock, no Math.random, no
 * iteration over unordered containers, so the same seed and size always give the same rows.
 */

/** The patient the demo patient-app key is bound to: at home with a CGM, under endocrinology. */
export const DEMO_PATIENT_ID = 'pat-demo';

// Every row is dated from this Monday so nothing depends on when the seed runs.
const EPOCH = Date.UTC(2026, 0, 5);
const DAY_MS = 86_400_000;

export interface Hospital extends RevenueRows, InventoryRows, SurgeryRows {
  units: InferInsertModel<typeof units>[];
  rooms: InferInsertModel<typeof rooms>[];
  beds: InferInsertModel<typeof beds>[];
  theatres: InferInsertModel<typeof theatres>[];
  staff: InferInsertModel<typeof staff>[];
  staffSkills: InferInsertModel<typeof staffSkills>[];
  onCallRota: InferInsertModel<typeof onCallRota>[];
  patients: InferInsertModel<typeof patients>[];
  encounters: InferInsertModel<typeof encounters>[];
  devices: InferInsertModel<typeof devices>[];
  shifts: InferInsertModel<typeof shifts>[];
}

/** Insert order: every table after the ones it references. */
export const hospitalTables = [
  'units',
  'rooms',
  'beds',
  'theatres',
  'staff',
  'staffSkills',
  'onCallRota',
  'patients',
  'encounters',
  'devices',
  'shifts',
  'billingProfiles',
  'payers',
  'payerPlans',
  'coverages',
  'priorAuthorizations',
  'chargemasterItems',
  'feeScheduleEntries',
  'encounterDiagnoses',
  'encounterServices',
  'inventoryItems',
  'inventoryLocations',
  'stockLots',
  'parLevels',
  'surgicalProcedures',
  'procedureItems',
] as const satisfies readonly (keyof Hospital)[];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function iso(ms: number): Date {
  return new Date(ms);
}

const NURSING = new Set(['RN', 'LPN', 'CNA', 'charge-nurse']);

// Base hourly rates in cents, [lowest, highest], drawn in steps of 25 cents. Illustrative, not a wage
// survey: ranges chosen around recent US national median wages in BLS Occupational Employment and Wage
// Statistics for registered nurses (SOC 29-1141), LPNs (29-2061), nursing assistants (31-1131) and
// housekeeping cleaners (37-2012); a charge nurse earns a charge premium, a bed manager (an RN role) an
// RN's rate. Physicians, staffing managers, coders and materials managers are salaried (exempt), so not paid hourly: null.
const HOURLY_RATE_CENTS: Record<StaffRole, readonly [number, number] | null> = {
  RN: [3800, 5200],
  'charge-nurse': [4600, 5600],
  LPN: [2600, 3200],
  CNA: [1700, 2100],
  'bed-manager': [4400, 5200],
  housekeeping: [1500, 1800],
  physician: null,
  'staffing-manager': null,
  coder: null,
  'materials-manager': null,
};

/**
 * Employment terms: most nursing staff full time (36 h as three 12-hour shifts, or 40 h), some part time
 * (24 h), per diem (no contracted hours) or agency; some RNs and LPNs in the float pool (most per-diem
 * RNs); the ICUs' nursing staff on the 8/80 overtime system, everyone else on the 40-hour week.
 */
function assignEmployment(h: Hospital, rnd: Random): void {
  const unitType = new Map(h.units.map((u) => [u.id, u.type]));
  for (const s of h.staff) {
    const nursing = NURSING.has(s.role);
    const employmentType =
      nursing && s.role !== 'charge-nurse'
        ? rnd.weighted([
            ['full-time', 70],
            ['part-time', 18],
            ['per-diem', 8],
            ['agency', 4],
          ] as const)
        : s.role === 'housekeeping' && rnd.chance(0.2)
          ? 'part-time'
          : 'full-time';
    const contracted =
      employmentType === 'per-diem'
        ? 0
        : employmentType === 'part-time'
          ? nursing
            ? 24 * 60
            : 20 * 60
          : employmentType === 'agency' || (nursing && rnd.chance(0.5))
            ? 36 * 60
            : 40 * 60;
    const range = HOURLY_RATE_CENTS[s.role];
    const rate = range ? range[0] + 25 * rnd.int(0, (range[1] - range[0]) / 25) : null;
    const floats =
      s.role === 'RN' || s.role === 'LPN' ? rnd.chance(employmentType === 'per-diem' ? 0.6 : 0.2) : false;
    Object.assign(s, {
      employmentType,
      floatEligible: floats,
      contractedMinutesPerWeek: contracted,
      hourlyRateCents: rate,
      overtimeBasis: nursing && s.unitId && unitType.get(s.unitId) === 'icu' ? '8-80' : 'weekly-40',
    });
  }
}

export function generateHospital(seed: number, size: SeedSize): Hospital {
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, not ${seed}`);
  const plan = sizePlan(size);
  const rnd = new Random(seed);
  const h: Hospital = {
    units: [],
    rooms: [],
    beds: [],
    theatres: [],
    staff: [],
    staffSkills: [],
    onCallRota: [],
    patients: [],
    encounters: [],
    devices: [],
    shifts: [],
    billingProfiles: [],
    payers: [],
    payerPlans: [],
    coverages: [],
    priorAuthorizations: [],
    chargemasterItems: [],
    feeScheduleEntries: [],
    encounterDiagnoses: [],
    encounterServices: [],
    inventoryItems: [],
    inventoryLocations: [],
    surgicalProcedures: [],
    procedureItems: [],
    stockLots: [],
    parLevels: [],
  };

  const personName = (sex: 'male' | 'female' | 'other' | 'unknown') => {
    const given =
      sex === 'male'
        ? GIVEN_MALE
        : sex === 'female'
          ? GIVEN_FEMALE
          : rnd.chance(0.5)
            ? GIVEN_MALE
            : GIVEN_FEMALE;
    return { given: rnd.pick(given), family: rnd.pick(FAMILY) };
  };
  let pagers = 0;
  const nextPager = () => `PGR-${pad(++pagers, 4)}`;

  // Units, rooms and beds.
  plan.units.forEach((u, ui) => {
    const unitId = `unit-${pad(ui + 1, 2)}`;
    h.units.push({
      id: unitId,
      name: u.name,
      type: u.type,
      floor: 1 + Math.floor(ui / 3),
      specialty: u.specialty,
    });
    const singleRooms =
      u.type === 'icu' || u.type === 'step-down' || u.type === 'ed' || u.type === 'maternity';
    const negativePressure = u.type === 'icu' ? 2 : u.type === 'ed' || u.type === 'step-down' ? 1 : 0;
    let bedNo = 0;
    let roomNo = 0;
    while (bedNo < u.beds) {
      roomNo++;
      const roomId = `${unitId}-r${pad(roomNo, 2)}`;
      const capacity = singleRooms ? 1 : Math.min(u.beds - bedNo, rnd.chance(0.3) ? 1 : 2);
      const isolation =
        roomNo <= negativePressure ? 'airborne' : capacity === 1 && rnd.chance(0.25) ? 'contact' : 'none';
      const sexPolicy =
        capacity === 1 || u.type === 'ed'
          ? 'mixed'
          : u.type === 'maternity'
            ? 'female'
            : rnd.weighted([
                ['male', 2],
                ['female', 2],
                ['mixed', 1],
              ] as const);
      h.rooms.push({ id: roomId, unitId, name: `${ui + 1}${pad(roomNo, 2)}`, sexPolicy, isolation });
      for (let b = 0; b < capacity; b++) {
        bedNo++;
        h.beds.push({
          id: `${roomId}-b${b + 1}`,
          roomId,
          unitId,
          label: `${ui + 1}${pad(roomNo, 2)}${capacity > 1 ? 'AB'[b] : ''}`,
          telemetry:
            u.type === 'icu' ||
            u.type === 'step-down' ||
            u.type === 'telemetry' ||
            (u.type === 'ed' && rnd.chance(0.5)),
          bariatric: rnd.chance(0.05),
        });
      }
    }
  });

  // Operating theatres, each in the unit the plan names; no random draws, so nothing after them moves.
  const unitIdByName = new Map(h.units.map((u) => [u.name, u.id]));
  plan.theatres.forEach((t, ti) => {
    const unitId = unitIdByName.get(t.unit);
    if (!unitId) throw new Error(`theatre ${t.name} names no unit of the ${size} plan: ${t.unit}`);
    h.theatres.push({
      id: `thr-${pad(ti + 1, 2)}`,
      name: t.name,
      unitId,
      specialty: t.specialty,
      turnoverMinutes: t.turnoverMinutes,
    });
  });

  // Staff: nursing per unit, physicians per specialty, bed managers and housekeeping.
  const nursesByUnit = new Map<string, string[]>();
  const addStaff = (row: Omit<InferInsertModel<typeof staff>, 'id' | 'name' | 'pager'>) => {
    const id = `stf-${pad(h.staff.length + 1, 5)}`;
    const n = personName(rnd.chance(0.5) ? 'female' : 'male');
    const prefix = row.role === 'physician' ? 'Dr ' : '';
    h.staff.push({ id, name: `${prefix}${n.given} ${n.family}`, pager: nextPager(), ...row });
    return id;
  };
  for (const [ui, u] of plan.units.entries()) {
    const unitId = h.units[ui]?.id as string;
    const nurses: string[] = [];
    addStaff({ role: 'charge-nurse', unitId, specialty: null });
    for (let i = 0; i < Math.round(u.beds * 0.8); i++)
      nurses.push(addStaff({ role: 'RN', unitId, specialty: null }));
    for (let i = 0; i < Math.round(u.beds * 0.2); i++)
      addStaff({ role: rnd.chance(0.5) ? 'LPN' : 'CNA', unitId, specialty: null });
    nursesByUnit.set(unitId, nurses);
  }
  const physicians = new Map<string, string[]>();
  for (const specialty of SPECIALTIES) {
    const ids: string[] = [];
    for (let i = 0; i < plan.physiciansPerSpecialty; i++)
      ids.push(addStaff({ role: 'physician', specialty, unitId: null }));
    physicians.set(specialty, ids);
  }
  for (let i = 0; i < plan.bedManagers; i++) addStaff({ role: 'bed-manager', unitId: null, specialty: null });
  for (let i = 0; i < plan.housekeepers; i++)
    addStaff({ role: 'housekeeping', unitId: null, specialty: null });
  // Employment and pay from a stream of their own, so every row drawn after them is what it always was.
  assignEmployment(h, new Random(seed ^ 0x50a17e55));

  // On call: 12-hour primary blocks from 08:00 and 20:00 in rotation, and a backup who is the next in rotation.
  for (const specialty of SPECIALTIES) {
    const ids = physicians.get(specialty) ?? [];
    for (let block = 0; block < 14; block++) {
      const start = (480 + block * 720) % 10_080;
      const end = (start + 720) % 10_080;
      h.onCallRota.push({
        id: `rota-${specialty}-p${pad(block, 2)}`,
        specialty,
        staffId: ids[block % ids.length] as string,
        tier: 'primary',
        startMinute: start,
        endMinute: end,
      });
      h.onCallRota.push({
        id: `rota-${specialty}-b${pad(block, 2)}`,
        specialty,
        staffId: ids[(block + 1) % ids.length] as string,
        tier: 'backup',
        startMinute: start,
        endMinute: end,
      });
    }
  }

  // Inpatients fill most beds; each is admitted under the unit's specialty and nursed on the unit.
  const unitById = new Map(h.units.map((u) => [u.id, u]));
  const roomById = new Map(h.rooms.map((r) => [r.id, r]));
  const allNurses = [...nursesByUnit.values()].flat();
  const addPatient = (opts: {
    sex?: 'male' | 'female';
    careSpecialty: string;
    nurseId: string;
    isolation: 'none' | 'contact' | 'droplet' | 'airborne';
  }) => {
    const index = h.patients.length + 1;
    const sex =
      opts.sex ??
      rnd.weighted([
        ['female', 49],
        ['male', 49],
        ['other', 1],
        ['unknown', 1],
      ] as const);
    const n = personName(sex);
    const birth = EPOCH - rnd.int(18 * 365, 95 * 365) * DAY_MS;
    const id = `pat-${pad(index, 5)}`;
    h.patients.push({
      id,
      mrn: `MRN${pad(1_000_000 + index, 7)}`,
      givenName: n.given,
      familyName: n.family,
      birthDate: iso(birth).toISOString().slice(0, 10),
      sex,
      assignedNurseId: opts.nurseId,
      careSpecialty: opts.careSpecialty,
      isolation: opts.isolation,
    });
    return id;
  };

  for (const bed of h.beds) {
    const unit = unitById.get(bed.unitId);
    const room = roomById.get(bed.roomId);
    if (!unit || !room) throw new Error(`bed ${bed.id} has no unit or room`);
    const occupancy = unit.type === 'ed' ? 0.6 : unit.type === 'icu' ? 0.75 : 0.8;
    if (h.patients.length >= plan.patients - 1 || !rnd.chance(occupancy)) {
      const state = rnd.weighted([
        ['free', 80],
        ['dirty', 12],
        ['cleaning', 5],
        ['closed', 3],
      ] as const);
      if (state === 'dirty' || state === 'cleaning') Object.assign(bed, { status: 'H', housekeeping: state });
      else if (state === 'closed') Object.assign(bed, { status: 'C', housekeeping: 'blocked' });
      else Object.assign(bed, { status: 'U', housekeeping: rnd.chance(0.5) ? 'clean' : 'inspected' });
      continue;
    }
    const sex = room.sexPolicy === 'male' || room.sexPolicy === 'female' ? room.sexPolicy : undefined;
    const isolation =
      room.isolation === 'airborne' && rnd.chance(0.5)
        ? 'airborne'
        : room.isolation === 'contact' && rnd.chance(0.5)
          ? 'contact'
          : 'none';
    const nurses = nursesByUnit.get(unit.id) ?? allNurses;
    const patientId = addPatient({
      ...(sex ? { sex } : {}),
      careSpecialty: unit.specialty ?? 'internal-medicine',
      nurseId: rnd.pick(nurses),
      isolation,
    });
    Object.assign(bed, { status: 'O', housekeeping: 'clean', occupantPatientId: patientId });
    const attending = physicians.get(unit.specialty ?? 'internal-medicine') ?? [];
    h.encounters.push({
      id: `enc-${patientId}`,
      patientId,
      class: unit.type === 'ed' ? 'EMER' : 'IMP',
      status: 'in-progress',
      unitId: unit.id,
      bedId: bed.id,
      attendingId: rnd.pick(attending),
      startedAt: iso(EPOCH - rnd.int(1, 14 * 24 * 60) * 60_000),
      endedAt: null,
    });
    if (bed.telemetry) {
      h.devices.push({
        id: `dev-${patientId}-mon`,
        patientId,
        kind: 'multi-parameter',
        expectedIntervalSeconds: 60,
      });
    }
  }

  // Home-monitored outpatients, the patient apps' users; the demo patient is always one of them.
  const addOutpatient = (careSpecialty: string, id?: string) => {
    const nurseId = rnd.pick(allNurses);
    const generated = addPatient({ careSpecialty, nurseId, isolation: 'none' });
    const patientId = id ?? generated;
    if (id) {
      const row = h.patients[h.patients.length - 1];
      if (row) Object.assign(row, { id, mrn: 'MRN0000001', givenName: 'Demo', familyName: 'Patient' });
    }
    const started = EPOCH - rnd.int(30, 720) * DAY_MS;
    h.encounters.push({
      id: `enc-${patientId}`,
      patientId,
      class: 'HH',
      status: 'in-progress',
      unitId: null,
      bedId: null,
      attendingId: rnd.pick(physicians.get(careSpecialty) ?? []),
      startedAt: iso(started),
      endedAt: null,
    });
    if (careSpecialty === 'endocrinology') {
      h.devices.push({ id: `dev-${patientId}-cgm`, patientId, kind: 'cgm', expectedIntervalSeconds: 300 });
    }
    h.devices.push({ id: `dev-${patientId}-app`, patientId, kind: 'app', expectedIntervalSeconds: 4 * 3600 });
  };
  addOutpatient('endocrinology', DEMO_PATIENT_ID);
  while (h.patients.length < plan.patients) {
    addOutpatient(rnd.weighted(CARE_SPECIALTY_WEIGHTS));
  }

  // One week of nursing shifts from the epoch Monday: five shifts each, day/evening/night.
  const shiftHours = { day: 7, evening: 15, night: 23 } as const;
  for (const s of h.staff) {
    if (!s.unitId || !['RN', 'LPN', 'CNA', 'charge-nurse'].includes(s.role)) continue;
    const kind = rnd.weighted([
      ['day', 5],
      ['evening', 3],
      ['night', 3],
    ] as const);
    const firstDay = rnd.int(0, 2);
    for (let d = 0; d < 5; d++) {
      const start = EPOCH + (firstDay + d) * DAY_MS + shiftHours[kind] * 3_600_000;
      h.shifts.push({
        id: `shf-${s.id}-${d}`,
        staffId: s.id,
        unitId: s.unitId,
        kind,
        startsAt: iso(start),
        endsAt: iso(start + 8 * 3_600_000),
      });
    }
  }
  // Drawn last, from streams of their own: every row above is what it was before they were added.
  addStaff({ role: 'staffing-manager', unitId: null, specialty: null });
  assignCertifications(h, new Random(seed ^ 0x0ce271f5));
  addRevenue(h, new Random(seed ^ 0x2e7e0c1e), EPOCH);
  addInventory(h, new Random(seed ^ 0x17e5a0c5), EPOCH);
  addSurgery(h, new Random(seed ^ 0x5e6e0a11), EPOCH);
  return h;
}

/**
 * Certifications: every nurse holds BLS; most RNs and charge nurses also hold their unit's required
 * certification (tools/staffing/demand/policy.ts), and every LPN on a unit that needs one half the
 * time. Each runs out 10 to 36 months after the epoch, so some have lapsed by late 2026, as they do.
 */
function assignCertifications(h: Hospital, rnd: Random): void {
  const typeOf = new Map(h.units.map((u) => [u.id, u.type]));
  const until = () => new Date(EPOCH + rnd.int(300, 1100) * DAY_MS).toISOString().slice(0, 10);
  for (const s of h.staff) {
    if (!s.unitId || !NURSING.has(s.role)) continue;
    const add = (skill: string) =>
      h.staffSkills.push({
        id: `skl-${s.id}-${skill.toLowerCase()}`,
        staffId: s.id,
        skill,
        certifiedUntil: until(),
      });
    add('BLS');
    const unitSkill = defaultRequiredSkill[typeOf.get(s.unitId)!].skill;
    if (unitSkill === 'BLS' || s.role === 'CNA') continue;
    const share = s.role === 'LPN' ? 0.5 : 0.8;
    if (rnd.chance(share)) add(unitSkill);
  }
}
