import type { InferInsertModel } from 'drizzle-orm';
import type {
  chargemasterItems,
  inventoryItems,
  inventoryLocations,
  procedureItems,
  staff,
  staffSkills,
  stockLots,
  surgicalProcedures,
  TeamPlace,
  theatres,
  units,
} from '../schema/index.ts';
import { FAMILY, GIVEN_FEMALE, GIVEN_MALE } from './catalogue.ts';
import type { Random } from './random.ts';
import { npiCheckDigit } from './revenue.ts';

/**
 * The surgery flow's reference data: the procedures the demo hospital books (CPT code, duration, team,
 * post-operative bed, items), the perioperative nurses who staff its theatres, orthopaedic surgeons
 * for the joint cases, and a second vendor's knee system that may stand in for the first.
 */

export interface SurgeryRows {
  surgicalProcedures: InferInsertModel<typeof surgicalProcedures>[];
  procedureItems: InferInsertModel<typeof procedureItems>[];
}

interface HospitalSoFar extends SurgeryRows {
  chargemasterItems: InferInsertModel<typeof chargemasterItems>[];
  units: InferInsertModel<typeof units>[];
  theatres: InferInsertModel<typeof theatres>[];
  staff: InferInsertModel<typeof staff>[];
  staffSkills: InferInsertModel<typeof staffSkills>[];
  inventoryItems: InferInsertModel<typeof inventoryItems>[];
  inventoryLocations: InferInsertModel<typeof inventoryLocations>[];
  stockLots: InferInsertModel<typeof stockLots>[];
}

// The skill a theatre nurse holds: perioperative competence, recorded like a certification.
export const PERIOPERATIVE_SKILL = 'perioperative';

// Every case: an operating surgeon of the procedure's specialty, an anaesthesiologist (ASA Statement on
// the Anesthesia Care Team), a scrub person and a registered-nurse circulator dedicated to the patient
// for the whole case (AORN Position Statement on Perioperative Safe Staffing and On-Call Practices).
export function standardTeam(specialty: string): TeamPlace[] {
  return [
    { role: 'surgeon', staffRoles: ['physician'], specialty },
    { role: 'anaesthetist', staffRoles: ['physician'], specialty: 'anaesthesia' },
    { role: 'scrub-nurse', staffRoles: ['RN', 'LPN'], skill: PERIOPERATIVE_SKILL },
    { role: 'circulating-nurse', staffRoles: ['RN'], skill: PERIOPERATIVE_SKILL },
  ];
}

type Procedure = InferInsertModel<typeof surgicalProcedures>;
const procedure = (
  code: string,
  name: string,
  specialty: string,
  durationMinutes: number,
  postOp: { unitType: string; nights: number } | null,
): Procedure => ({
  code,
  name,
  specialty,
  durationMinutes,
  postOpUnitType: postOp?.unitType ?? null,
  expectedStayNights: postOp?.nights ?? 0,
  team: standardTeam(specialty),
});

// CPT codes and descriptors (AMA CPT); durations and stays are planning figures for the demo, not
// outcome data. Day cases (no post-op bed) are those usually done as outpatient surgery.
export const PROCEDURES: Procedure[] = [
  procedure('47562', 'Laparoscopic cholecystectomy', 'general-surgery', 90, null),
  procedure('49505', 'Inguinal hernia repair, initial, reducible', 'general-surgery', 60, null),
  procedure('44970', 'Laparoscopic appendectomy', 'general-surgery', 75, { unitType: 'med-surg', nights: 1 }),
  procedure('44140', 'Partial colectomy with anastomosis', 'general-surgery', 180, {
    unitType: 'med-surg',
    nights: 4,
  }),
  procedure('27447', 'Total knee arthroplasty', 'orthopaedics', 120, { unitType: 'med-surg', nights: 2 }),
  procedure('29827', 'Arthroscopic rotator cuff repair', 'orthopaedics', 90, null),
  procedure('59510', 'Caesarean delivery with routine obstetric care', 'obstetrics', 60, {
    unitType: 'maternity',
    nights: 2,
  }),
];

// What each case uses, in the item's billing unit (propofol per 10 mg, fentanyl per 0.1 mg, midazolam
// per 1 mg, cefazolin per 500 mg: 2 g prophylaxis, ASHP/IDSA/SIS/SHEA Clinical Practice Guidelines for
// Antimicrobial Prophylaxis in Surgery, 2013).
const GENERAL_ANAESTHESIA = [
  ['itm-propofol', 20],
  ['itm-fentanyl', 2],
  ['itm-midazolam', 2],
] as const;
const ITEMS_BY_PROCEDURE: Record<string, readonly (readonly [string, number, string[]?])[]> = {
  '47562': [...GENERAL_ANAESTHESIA, ['itm-cefazolin', 4], ['itm-surgical-tray', 1]],
  '49505': [...GENERAL_ANAESTHESIA, ['itm-surgical-tray', 1]],
  '44970': [...GENERAL_ANAESTHESIA, ['itm-cefazolin', 4], ['itm-surgical-tray', 1]],
  '44140': [...GENERAL_ANAESTHESIA, ['itm-cefazolin', 4], ['itm-surgical-tray', 2]],
  '27447': [
    ...GENERAL_ANAESTHESIA,
    ['itm-cefazolin', 4],
    ['itm-surgical-tray', 1],
    ['itm-knee-implant', 1, ['itm-knee-implant-b']],
  ],
  '29827': [...GENERAL_ANAESTHESIA, ['itm-cefazolin', 4], ['itm-surgical-tray', 1], ['itm-bone-anchor', 3]],
  '59510': [
    ['itm-fentanyl', 1],
    ['itm-cefazolin', 4],
    ['itm-surgical-tray', 1],
  ],
};

// Prices for the procedures the revenue price list lacks, so every case booked here can be billed. NUBC
// revenue code 0360, operating room services. Illustrative charges.
const EXTRA_PRICES: [code: string, cents: number, description: string][] = [
  ['49505', 640_000, 'Inguinal hernia repair, initial'],
  ['44140', 2_450_000, 'Partial colectomy with anastomosis'],
  ['29827', 1_480_000, 'Arthroscopic rotator cuff repair'],
  ['59510', 1_120_000, 'Caesarean delivery with routine obstetric care'],
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const DAY_MS = 86_400_000;

/**
 * Adds the surgery rows, drawing from `rnd` alone, after every other row: the rest of the hospital is
 * what it was without them.
 */
export function addSurgery(h: HospitalSoFar, rnd: Random, epoch: number): void {
  h.surgicalProcedures.push(...PROCEDURES);
  const priced = new Set(h.chargemasterItems.filter((c) => c.kind === 'procedure').map((c) => c.code));
  for (const [code, cents, description] of EXTRA_PRICES) {
    if (priced.has(code)) continue;
    h.chargemasterItems.push({
      id: `cdm-procedure-${code}`,
      kind: 'procedure',
      code,
      description,
      revenueCode: '0360',
      hcpcsCode: null,
      unitPriceCents: cents,
      unitBasis: 'UN',
    });
  }
  for (const [code, items] of Object.entries(ITEMS_BY_PROCEDURE)) {
    for (const [itemId, quantity, substitutes] of items)
      h.procedureItems.push({ procedureCode: code, itemId, quantity, substitutes: substitutes ?? [] });
  }

  const addStaff = (row: Omit<InferInsertModel<typeof staff>, 'id' | 'name' | 'pager'>) => {
    const n = h.staff.length + 1;
    const given = rnd.chance(0.5) ? rnd.pick(GIVEN_FEMALE) : rnd.pick(GIVEN_MALE);
    const prefix = row.role === 'physician' ? 'Dr ' : '';
    const id = `stf-${pad(n, 5)}`;
    h.staff.push({ id, name: `${prefix}${given} ${rnd.pick(FAMILY)}`, pager: `PGR-${pad(n, 4)}`, ...row });
    return id;
  };
  for (let i = 0; i < 2; i++) {
    const id = addStaff({ role: 'physician', specialty: 'orthopaedics', unitId: null });
    // Numbered like the other physicians' (db/seed/revenue.ts): by place in the staff list.
    const nine = `1${pad(h.staff.length, 8)}`;
    h.staff.find((s) => s.id === id)!.npi = nine + npiCheckDigit(nine);
  }
  // Three perioperative nurses for each theatre (two RNs, one LPN to scrub), homed on its unit.
  for (const t of h.theatres) {
    for (let i = 0; i < 3; i++) {
      const id = addStaff({
        role: i === 2 ? 'LPN' : 'RN',
        unitId: t.unitId,
        specialty: null,
        hourlyRateCents: i === 2 ? 2_800 + 25 * rnd.int(0, 16) : 4_200 + 25 * rnd.int(0, 40),
      });
      h.staffSkills.push({
        id: `skl-${id}-${PERIOPERATIVE_SKILL}`,
        staffId: id,
        skill: PERIOPERATIVE_SKILL,
        certifiedUntil: new Date(epoch + rnd.int(500, 1100) * DAY_MS).toISOString().slice(0, 10),
      });
    }
  }

  // A second vendor's knee system, kept in the central store, that may replace the first one for one.
  h.inventoryItems.push({
    id: 'itm-knee-implant-b',
    name: 'Total knee implant system (second vendor)',
    kind: 'implant',
    unit: 'each',
    ndc: null,
    hcpcs: 'C1776',
    unitCostCents: 225_000,
    leadTimeDays: 10,
    orderMultiple: 1,
    active: true,
  });
  if (h.inventoryLocations.some((l) => l.id === 'loc-central')) {
    h.stockLots.push({
      id: 'lot-central-knee-implant-b-1',
      itemId: 'itm-knee-implant-b',
      locationId: 'loc-central',
      lotNumber: `C1776B${pad(rnd.int(0, 99_999), 5)}`,
      expiresOn: new Date(epoch + 900 * DAY_MS).toISOString().slice(0, 10),
      quantity: 2,
      receivedAt: new Date(epoch - 20 * DAY_MS),
    });
  }
}
