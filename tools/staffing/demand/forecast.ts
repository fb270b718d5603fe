import type { StaffRole, UnitType } from '../../../db/schema/index.ts';
import {
  certificationValid,
  effectivePolicy,
  licensedRoles,
  LPN_SHARE_SOURCE,
  type PolicyOverride,
  requiredLicensedNurses,
  type StaffingPolicy,
} from './policy.ts';

export const shiftKinds = ['day', 'evening', 'night'] as const;
export type ShiftKind = (typeof shiftKinds)[number];

// The hospital's shift pattern, as the seed writes it (db/seed/generate.ts): three 8-hour shifts from
// 07:00, 15:00 and 23:00 in the hospital's time zone, UTC in the demo.
export const shiftStartHourUtc: Record<ShiftKind, number> = { day: 7, evening: 15, night: 23 };
export const SHIFT_HOURS = 8;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ShiftSlot {
  /** The date the shift starts, YYYY-MM-DD. */
  day: string;
  kind: ShiftKind;
  startsAt: Date;
  endsAt: Date;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day, evening and night shift of `days` days from `from` (YYYY-MM-DD), in time order. */
export function shiftSlots(from: string, days: number): ShiftSlot[] {
  const slots: ShiftSlot[] = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d);
    const midnight = Date.parse(`${day}T00:00:00Z`);
    for (const kind of shiftKinds) {
      const startsAt = new Date(midnight + shiftStartHourUtc[kind] * HOUR_MS);
      slots.push({ day, kind, startsAt, endsAt: new Date(startsAt.getTime() + SHIFT_HOURS * HOUR_MS) });
    }
  }
  return slots;
}

export interface UnitCensusFacts {
  /** Patients in the unit's beds now. */
  occupants: number;
  /** When the occupants with a pending discharge are expected to leave. */
  pendingDischarges: readonly Date[];
  /** Held (not lapsed) or accepted reservations of the unit's beds: patients on their way in. */
  scheduledAdmissions: number;
  /** Beds booked ahead in the unit (bed_bookings still booked), e.g. post-operative stays. */
  bookedStays?: readonly { fromAt: Date; untilAt: Date }[];
}

export interface CensusForecast {
  current: number;
  dischargesBefore: number;
  scheduledAdmissions: number;
  expected: number;
}

/**
 * Census a shift must be staffed for: the occupants, less those expected to leave before it starts,
 * plus the patients with a bed reserved in the unit (their arrival time is unknown, so they count from
 * the next shift on), plus the beds booked ahead whose stay overlaps the shift (their arrival is
 * planned: from the shift they arrive in to the one they leave in). A shift already under way is
 * staffed for who is still in a bed now.
 */
export function forecastCensus(facts: UnitCensusFacts, slot: ShiftSlot, now: Date): CensusForecast {
  const dischargesBefore =
    slot.startsAt > now ? facts.pendingDischarges.filter((at) => at <= slot.startsAt).length : 0;
  const booked = (facts.bookedStays ?? []).filter(
    (s) => s.fromAt < slot.endsAt && s.untilAt > slot.startsAt,
  ).length;
  const scheduledAdmissions = facts.scheduledAdmissions + booked;
  return {
    current: facts.occupants,
    dischargesBefore,
    scheduledAdmissions,
    expected: Math.max(0, facts.occupants - dischargesBefore + scheduledAdmissions),
  };
}

export interface RosteredNurse {
  staffId: string;
  role: StaffRole;
  skills: readonly { skill: string; certifiedUntil: string | null }[];
}

export type StaffingRule = 'ratio' | 'charge-nurse' | 'required-skill';

export interface StaffingGap {
  rule: StaffingRule;
  /** How many more people the rule needs on the shift. */
  short: number;
  reason: string;
  /** The rule's source, cited briefly; the full text is in the unit's policy. */
  source: string;
}

export interface ShiftAssessment {
  required: { licensedNurses: number; chargeNurses: number; skill: string | null };
  scheduled: {
    rn: number;
    lpn: number;
    chargeNurses: number;
    cna: number;
    /** RNs plus the LPNs that may count: what the ratio is met with. */
    countedTowardRatio: number;
    /** Licensed nurses on shift holding the required skill, valid through the shift. */
    withRequiredSkill: string[];
  };
  gaps: StaffingGap[];
  surplusLicensedNurses: number;
  status: 'short' | 'met' | 'surplus';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Measures one unit-shift's roster against its policy: the ratio, the charge nurses and the required
 * certification. `lastDay` is the date the shift ends: a certification must last the whole shift.
 * An empty unit (expected census 0) needs nobody.
 */
export function assessShift(
  census: number,
  policy: StaffingPolicy,
  rostered: readonly RosteredNurse[],
  lastDay: string,
): ShiftAssessment {
  const count = (role: StaffRole) => rostered.filter((r) => r.role === role).length;
  const rn = count('RN');
  const lpn = count('LPN');
  const chargeNurses = count('charge-nurse');
  const lpnCounted = Math.min(lpn, rn);
  const countedTowardRatio = rn + lpnCounted;
  const required = {
    licensedNurses: requiredLicensedNurses(census, policy.patientsPerNurse),
    chargeNurses: census > 0 ? policy.chargeNursesPerShift : 0,
    skill: census > 0 ? policy.requiredSkill : null,
  };
  const skill = required.skill;
  const licensed = rostered.filter((r) => licensedRoles.includes(r.role));
  const holdsSkill = (r: RosteredNurse, validOnly: boolean) =>
    r.skills.some((s) => s.skill === skill && (!validOnly || certificationValid(s.certifiedUntil, lastDay)));
  const withRequiredSkill = skill ? licensed.filter((r) => holdsSkill(r, true)).map((r) => r.staffId) : [];

  const gaps: StaffingGap[] = [];
  if (countedTowardRatio < required.licensedNurses) {
    const uncounted = lpn - lpnCounted;
    gaps.push({
      rule: 'ratio',
      short: required.licensedNurses - countedTowardRatio,
      reason:
        `Ratio 1:${policy.patientsPerNurse} (${policy.citations.ratio}): census ${census} needs ` +
        `${plural(required.licensedNurses, 'licensed nurse')}, ${countedTowardRatio} scheduled count` +
        (uncounted > 0
          ? `; ${plural(uncounted, 'LPN')} not counted (${LPN_SHARE_SOURCE}), so the shortfall is RNs`
          : ''),
      source: policy.citations.ratio,
    });
  }
  if (chargeNurses < required.chargeNurses) {
    gaps.push({
      rule: 'charge-nurse',
      short: required.chargeNurses - chargeNurses,
      reason:
        `${plural(required.chargeNurses, 'charge nurse')} per shift (${policy.citations.chargeNurse}), ` +
        `${chargeNurses} scheduled`,
      source: policy.citations.chargeNurse,
    });
  }
  if (skill && withRequiredSkill.length === 0) {
    const lapsed = licensed.filter((r) => holdsSkill(r, false)).map((r) => r.staffId);
    gaps.push({
      rule: 'required-skill',
      short: 1,
      reason:
        `At least one licensed nurse with ${skill} valid through ${lastDay} (${policy.citations.skill}), none scheduled` +
        (lapsed.length > 0 ? `; lapsed or expiring: ${lapsed.join(', ')}` : ''),
      source: policy.citations.skill,
    });
  }
  const surplusLicensedNurses = Math.max(0, countedTowardRatio - required.licensedNurses);
  return {
    required,
    scheduled: { rn, lpn, chargeNurses, cna: count('CNA'), countedTowardRatio, withRequiredSkill },
    gaps,
    surplusLicensedNurses,
    status: gaps.length > 0 ? 'short' : surplusLicensedNurses > 0 ? 'surplus' : 'met',
  };
}

export interface RosteredShift {
  staffId: string;
  unitId: string;
  kind: ShiftKind;
  startsAt: Date;
  endsAt: Date;
}

/** The staff rostered on a unit for a slot: shifts of its kind that overlap it, each person once. */
export function staffOnSlot(shifts: readonly RosteredShift[], unitId: string, slot: ShiftSlot): string[] {
  const ids = shifts
    .filter(
      (s) =>
        s.unitId === unitId && s.kind === slot.kind && s.startsAt < slot.endsAt && s.endsAt > slot.startsAt,
    )
    .map((s) => s.staffId);
  return [...new Set(ids)];
}

export interface DemandFacts {
  units: readonly { id: string; name: string; type: UnitType; override: PolicyOverride | null }[];
  census: ReadonlyMap<string, UnitCensusFacts>;
  shifts: readonly RosteredShift[];
  nurses: ReadonlyMap<string, RosteredNurse>;
}

export interface UnitShiftForecast extends ShiftAssessment {
  unitId: string;
  unitName: string;
  day: string;
  kind: ShiftKind;
  startsAt: string;
  endsAt: string;
  census: CensusForecast;
}

const noPatients: UnitCensusFacts = { occupants: 0, pendingDischarges: [], scheduledAdmissions: 0 };

/** Every unit's shifts from the slots that have not ended yet, each measured against its policy. */
export function forecastDemand(
  facts: DemandFacts,
  slots: readonly ShiftSlot[],
  now: Date,
): UnitShiftForecast[] {
  const rows: UnitShiftForecast[] = [];
  for (const unit of facts.units) {
    const policy = effectivePolicy(unit, unit.override);
    for (const slot of slots) {
      if (slot.endsAt <= now) continue;
      const census = forecastCensus(facts.census.get(unit.id) ?? noPatients, slot, now);
      const rostered = staffOnSlot(facts.shifts, unit.id, slot).flatMap((id) => facts.nurses.get(id) ?? []);
      const lastDay = new Date(slot.endsAt.getTime() - 1).toISOString().slice(0, 10);
      rows.push({
        unitId: unit.id,
        unitName: unit.name,
        day: slot.day,
        kind: slot.kind,
        startsAt: slot.startsAt.toISOString(),
        endsAt: slot.endsAt.toISOString(),
        census,
        ...assessShift(census.expected, policy, rostered, lastDay),
      });
    }
  }
  return rows;
}
