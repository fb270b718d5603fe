import type { StaffRole, UnitType } from '../../../db/schema/index.ts';

/**
 * Staffing policy: how many licensed nurses a unit's census needs, and the skill mix every shift must
 * have. The default is California's, the one US state with numeric nurse-to-patient ratios in law:
 * California Code of Regulations, Title 22, Division 5, §70217(a) (general acute care hospitals).
 * A unit may override it (unit_staffing_policies), with the override's own source.
 *
 * What was checked, and where (through the search tool's stored pages; the official CCR text on
 * Westlaw was not among them, so paragraph numbers are given only where a source showed them):
 * - Critical care 1:2 "or fewer at all times", §70217(a)(1): the regulation text reprinted with the
 *   Department's final statement of reasons in National Nurse (nnumagazine.uberflip.com/i/117852/25).
 * - Emergency department: critical-care patients in the ED 1:2 and the triage RN not counted (the
 *   same reprint, page 26; the ED's core 1:4 from the secondary summaries below). Step-down 1:3 and
 *   telemetry 1:4 "or fewer at all times": the reprint, page 26, where they are items 9 and 10
 *   (consistent with med-surg being (11), below). Step-down started at 1:4 in 2004 and became 1:3
 *   in 2008 (a law firm's summary of the 2003 rules, mosquedalaw.com/IMM%2049.htm, gives both
 *   steps), so 1:3 is today's ratio, not 1:4.
 * - Medical/surgical 1:5 since 1 January 2005 (1:6 before), §70217(a)(11): quoted verbatim by the
 *   California Department of Public Health, All Facilities Letter 08-07 (14 March 2008).
 * - Pediatric 1:4, specialty care (e.g. oncology) 1:4 (1:5 until 2008), postpartum couplets 1:4
 *   (mothers only: 1:6 in SEIU 121RN's table, 1:4 in the law firm's; well-baby nursery 1:8; active
 *   labour 1:2), emergency department 1:4, post-anaesthesia recovery 1:2: from secondary summaries
 *   only (SEIU 121RN's table, the law firm's summary above); their paragraph numbers were not
 *   verified, so they are cited as §70217(a).
 * - Charge nurses count toward the ratio "only when … engaged in providing direct patient care": the
 *   §70217 text as quoted by National Nurse (nnumagazine.uberflip.com/i/971001/9) and SEIU 121RN.
 * - LVNs "may constitute up to 50% of the licensed nurses assigned to patient care on any unit":
 *   §70217 as quoted in a nurses' forum (allnurses.com); paragraph not verified.
 */
export const TITLE_22 = 'California Code of Regulations, Title 22, §70217(a)';

export interface RatioRule {
  patientsPerNurse: number;
  /** The care area of §70217(a) the unit type is read as. */
  careArea: string;
  /** Where in §70217(a) the ratio is; `§70217(a)` alone where the paragraph was not verified. */
  paragraph: string;
}

// Choices in the mapping, each a reading of a unit type in the words of the regulation:
// - maternity: postpartum couplet care (1:4), the stricter of the postpartum ratios; a maternity unit
//   that runs labour rooms (1:2) or mothers-only beds (1:6) sets its own override.
// - oncology: a "specialty care unit" (1:4 since 2008). 1:5 was the figure before 2008.
// - surgical: an inpatient surgical ward (beds, post-surgical care) is medical/surgical in §70217's
//   definition, 1:5. Post-anaesthesia recovery is 1:2, but this schema has no PACU unit type: a unit
//   used as one sets a 1:2 override.
// - ed: the core 1:4. Critical-care (1:2) and trauma (1:1) patients in the ED, and the triage RN
//   (not counted in the ratio), are not told apart by the census, so they are not modelled.
export const title22Ratios: Record<UnitType, RatioRule> = {
  icu: { patientsPerNurse: 2, careArea: 'critical care unit', paragraph: '§70217(a)(1)' },
  'step-down': { patientsPerNurse: 3, careArea: 'step-down unit', paragraph: '§70217(a)(9)' },
  telemetry: { patientsPerNurse: 4, careArea: 'telemetry unit', paragraph: '§70217(a)(10)' },
  'med-surg': { patientsPerNurse: 5, careArea: 'medical/surgical unit', paragraph: '§70217(a)(11)' },
  ed: { patientsPerNurse: 4, careArea: 'emergency department', paragraph: '§70217(a)' },
  pediatrics: { patientsPerNurse: 4, careArea: 'pediatric unit', paragraph: '§70217(a)' },
  maternity: { patientsPerNurse: 4, careArea: 'postpartum couplet care', paragraph: '§70217(a)' },
  oncology: { patientsPerNurse: 4, careArea: 'specialty care unit (oncology)', paragraph: '§70217(a)' },
  surgical: {
    patientsPerNurse: 5,
    careArea: 'medical/surgical unit (post-surgical ward)',
    paragraph: '§70217(a)(11)',
  },
};

// The certification at least one licensed nurse on every shift must hold: house policy, not Title 22
// (which asks for demonstrated competence in the area, §70217, without naming certificates).
export const defaultRequiredSkill: Record<UnitType, { skill: string; why: string }> = {
  icu: { skill: 'ACLS', why: 'AHA Advanced Cardiovascular Life Support for critically ill adults' },
  'step-down': { skill: 'ACLS', why: 'AHA ACLS for physiologically unstable adults' },
  telemetry: { skill: 'ACLS', why: 'AHA ACLS for monitored cardiac patients' },
  ed: { skill: 'ACLS', why: 'AHA ACLS for resuscitation in the emergency department' },
  'med-surg': { skill: 'BLS', why: 'AHA Basic Life Support' },
  surgical: { skill: 'BLS', why: 'AHA Basic Life Support' },
  pediatrics: { skill: 'PALS', why: 'AHA Pediatric Advanced Life Support' },
  maternity: { skill: 'NRP', why: 'AAP Neonatal Resuscitation Program for newborns' },
  oncology: { skill: 'chemotherapy', why: 'a chemotherapy/immunotherapy provider certificate' },
};

export const DEFAULT_CHARGE_NURSES_PER_SHIFT = 1;

// A policy choice, not a number from the regulation: the charge nurse is counted apart from the ratio,
// as if busy with the unit rather than with a patient assignment (§70217 counts a charge nurse only
// while giving direct care). Only staff whose role is charge-nurse act as charge nurse.
export const CHARGE_NURSE_SOURCE =
  'house policy: charge nurses counted apart from the ratio (Title 22 §70217 counts a charge nurse ' +
  'only while giving direct patient care)';

// LVN/LPNs count toward the ratio up to half of the licensed nurses assigned to patient care, so a
// shift's LPNs count at most as many as its RNs. Psychiatric technicians (psychiatric units only) have
// no role here; CNAs are not licensed and never count.
export const LPN_SHARE_SOURCE = 'Title 22 §70217: LVN/LPNs at most 50% of the licensed nurses assigned';

export const licensedRoles: readonly StaffRole[] = ['RN', 'LPN', 'charge-nurse'];

export interface PolicyOverride {
  patientsPerNurse: number;
  chargeNursesPerShift: number;
  requiredSkill: string | null;
  source: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface StaffingPolicy {
  unitId: string;
  unitType: UnitType;
  patientsPerNurse: number;
  chargeNursesPerShift: number;
  /** null: no certification required on shift. */
  requiredSkill: string | null;
  /** Where the ratio comes from: Title 22 with its paragraph, or the override's source. */
  source: string;
  chargeNurseSource: string;
  skillSource: string;
  /** Short names of the sources, for the reasons a forecast gives on every shift. */
  citations: { ratio: string; chargeNurse: string; skill: string };
  overridden: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export function title22Source(type: UnitType): string {
  const rule = title22Ratios[type];
  return `Title 22 CCR ${rule.paragraph}: ${rule.careArea}, 1:${rule.patientsPerNurse} or fewer at all times`;
}

/** The policy a unit is staffed by: its override where it has one, else Title 22 and house defaults. */
export function effectivePolicy(
  unit: { id: string; type: UnitType },
  override: PolicyOverride | null,
): StaffingPolicy {
  if (override) {
    return {
      unitId: unit.id,
      unitType: unit.type,
      patientsPerNurse: override.patientsPerNurse,
      chargeNursesPerShift: override.chargeNursesPerShift,
      requiredSkill: override.requiredSkill,
      source: `unit policy: ${override.source}`,
      chargeNurseSource: `unit policy: ${override.source}`,
      skillSource: `unit policy: ${override.source}`,
      citations: { ratio: 'unit policy', chargeNurse: 'unit policy', skill: 'unit policy' },
      overridden: true,
      updatedAt: override.updatedAt.toISOString(),
      updatedBy: override.updatedBy,
    };
  }
  return {
    unitId: unit.id,
    unitType: unit.type,
    patientsPerNurse: title22Ratios[unit.type].patientsPerNurse,
    chargeNursesPerShift: DEFAULT_CHARGE_NURSES_PER_SHIFT,
    requiredSkill: defaultRequiredSkill[unit.type].skill,
    source: title22Source(unit.type),
    chargeNurseSource: CHARGE_NURSE_SOURCE,
    skillSource: `house policy: ${defaultRequiredSkill[unit.type].why}`,
    citations: {
      ratio: `Title 22 CCR ${title22Ratios[unit.type].paragraph}`,
      chargeNurse: 'house policy',
      skill: 'house policy',
    },
    overridden: false,
    updatedAt: null,
    updatedBy: null,
  };
}

/** Licensed nurses a census needs at a ratio: ceil(census / patients per nurse), so 1 for any patient. */
export function requiredLicensedNurses(census: number, patientsPerNurse: number): number {
  if (census <= 0) return 0;
  return Math.ceil(census / patientsPerNurse);
}

/** A certification counts when it has no end date or is valid through `lastDay` (YYYY-MM-DD). */
export function certificationValid(certifiedUntil: string | null, lastDay: string): boolean {
  return certifiedUntil === null || certifiedUntil >= lastDay;
}
