import type { StaffRole, SurgicalTeamRole, TeamPlace } from '../../../db/schema/index.ts';
import { certificationValid } from '../demand/policy.ts';
import {
  fatigueExcess,
  IOM_2004,
  type Interval,
  MAX_MINUTES_IN_7_DAYS,
  MAX_MINUTES_IN_24_HOURS,
  nursingRoles,
} from '../rostering/policy.ts';

/**
 * Who may fill a place in a case's surgical team: plain data in, plain data out. The surgical-team
 * operations load the facts (store.ts); find_surgical_team ranks with them and assign_surgical_team checks
 * them again under the staff locks.
 */

export interface CaseSlot {
  startsAt: Date;
  endsAt: Date;
  /** The theatre's unit: a shift there that covers the whole case means the person is on duty for it. */
  unitId: string;
}

export interface TeamCandidateFacts {
  staffId: string;
  name: string;
  role: StaffRole;
  specialty: string | null;
  skills: readonly { skill: string; certifiedUntil: string | null }[];
  /** Approved leave, YYYY-MM-DD inclusive. */
  leave: readonly { startsOn: string; endsOn: string }[];
  /** Scheduled or worked shifts around the case. */
  shifts: readonly { unitId: string; startsAt: Date; endsAt: Date }[];
  /** Other cases they are in around this one (team assignments, or the surgeon of a theatre booking). */
  cases: readonly { theatreBookingId: string; startsAt: Date; endsAt: Date }[];
}

export const teamRules = [
  'role',
  'specialty',
  'skill',
  'leave',
  'busy-in-another-case',
  'busy-on-shift',
  'hours-24h',
  'hours-7d',
] as const;
export type TeamRule = (typeof teamRules)[number];

export interface TeamRefusal {
  rule: TeamRule;
  message: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);
const iso = (at: Date) => at.toISOString();
const overlaps = (a: { startsAt: Date; endsAt: Date }, b: { startsAt: Date; endsAt: Date }) =>
  a.startsAt < b.endsAt && a.endsAt > b.startsAt;
const covers = (s: { startsAt: Date; endsAt: Date }, c: { startsAt: Date; endsAt: Date }) =>
  s.startsAt <= c.startsAt && s.endsAt >= c.endsAt;

/** True when a shift on the theatre's unit spans the whole case: the case is part of that shift's work. */
export function onDutyFor(c: Pick<TeamCandidateFacts, 'shifts'>, slot: CaseSlot): boolean {
  return c.shifts.some((s) => s.unitId === slot.unitId && covers(s, slot));
}

/** Intervals merged where they overlap or touch: a case inside a shift is not worked twice. */
function union(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.startsAt - b.startsAt);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.startsAt <= last.endsAt) last.endsAt = Math.max(last.endsAt, i.endsAt);
    else out.push({ ...i });
  }
  return out;
}

const hours = (minutes: number) =>
  `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${Math.round(minutes % 60)} min` : ''}`;

/**
 * The IOM limits (rostering/policy.ts) with the case worked: refused only when the case makes a window
 * worse than it already was, so hours worked last week that nothing can change do not bar a case today.
 */
function fatigueRefusals(c: TeamCandidateFacts, slot: CaseSlot): TeamRefusal[] {
  if (onDutyFor(c, slot)) return [];
  const span = (s: { startsAt: Date; endsAt: Date }): Interval => ({
    startsAt: s.startsAt.getTime(),
    endsAt: s.endsAt.getTime(),
  });
  const worked = [...c.shifts.map(span), ...c.cases.map(span)];
  const before = fatigueExcess(union(worked));
  const after = fatigueExcess(union([...worked, span(slot)]));
  const out: TeamRefusal[] = [];
  if (after.in24Hours > before.in24Hours)
    out.push({
      rule: 'hours-24h',
      message: `would work ${hours(MAX_MINUTES_IN_24_HOURS + after.in24Hours)} in 24 hours (limit ${MAX_MINUTES_IN_24_HOURS / 60} h, ${IOM_2004})`,
    });
  if (after.in7Days > before.in7Days)
    out.push({
      rule: 'hours-7d',
      message: `would work ${hours(MAX_MINUTES_IN_7_DAYS + after.in7Days)} in 7 days (limit ${MAX_MINUTES_IN_7_DAYS / 60} h, ${IOM_2004})`,
    });
  return out;
}

/** Every rule the person would break by filling the place for the case; empty when they may. */
export function teamRefusals(c: TeamCandidateFacts, place: TeamPlace, slot: CaseSlot): TeamRefusal[] {
  const refusals: TeamRefusal[] = [];
  const refuse = (rule: TeamRule, message: string) => refusals.push({ rule, message });
  if (!place.staffRoles.includes(c.role))
    refuse('role', `a ${c.role} may not be the ${place.role} (needs ${place.staffRoles.join(' or ')})`);
  if (place.specialty && c.specialty !== place.specialty)
    refuse(
      'specialty',
      `specialty is ${c.specialty ?? 'none'}, the ${place.role} must be ${place.specialty}`,
    );
  const firstDay = isoDay(slot.startsAt);
  const lastDay = isoDay(new Date(slot.endsAt.getTime() - 1));
  if (place.skill) {
    const held = c.skills.find((s) => s.skill === place.skill);
    if (!held) refuse('skill', `does not hold ${place.skill}`);
    else if (!certificationValid(held.certifiedUntil, lastDay))
      refuse('skill', `${place.skill} lapsed on ${held.certifiedUntil}`);
  }
  const away = c.leave.find((l) => l.startsOn <= lastDay && l.endsOn >= firstDay);
  if (away) refuse('leave', `on approved leave ${away.startsOn} to ${away.endsOn}`);
  const otherCase = c.cases.find((k) => overlaps(k, slot));
  if (otherCase)
    refuse(
      'busy-in-another-case',
      `in the case of booking ${otherCase.theatreBookingId}, ${iso(otherCase.startsAt)} to ${iso(otherCase.endsAt)}`,
    );
  const shift = c.shifts.find((s) => overlaps(s, slot) && !(s.unitId === slot.unitId && covers(s, slot)));
  if (shift)
    refuse(
      'busy-on-shift',
      shift.unitId === slot.unitId
        ? `on shift on ${shift.unitId} ${iso(shift.startsAt)} to ${iso(shift.endsAt)}, which does not cover the whole case`
        : `on shift on ${shift.unitId} ${iso(shift.startsAt)} to ${iso(shift.endsAt)}, not the theatre's unit`,
    );
  // The IOM limits are a recommendation for nursing staff; physicians' hours are governed by other rules
  // (ACGME duty hours for residents only), so no fatigue limit is applied to surgeons or anaesthetists.
  if (nursingRoles.includes(c.role) && !otherCase && !shift) refusals.push(...fatigueRefusals(c, slot));
  return refusals;
}

const mondayOf = (at: Date) => {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return midnight - ((at.getUTCDay() + 6) % 7) * DAY_MS;
};

/** Minutes of their cases in the ISO week (Monday 00:00 UTC) the case starts in. */
export function caseMinutesInWeek(c: Pick<TeamCandidateFacts, 'cases'>, slot: Pick<CaseSlot, 'startsAt'>) {
  const from = mondayOf(slot.startsAt);
  const to = from + 7 * DAY_MS;
  const ms = c.cases.reduce(
    (sum, k) => sum + Math.max(0, Math.min(k.endsAt.getTime(), to) - Math.max(k.startsAt.getTime(), from)),
    0,
  );
  return Math.round(ms / MINUTE_MS);
}

export interface TeamCandidate {
  staffId: string;
  name: string;
  staffRole: StaffRole;
  onDuty: boolean;
  caseMinutesThisWeek: number;
}

export interface RefusedCandidate {
  staffId: string;
  name: string;
  rules: TeamRule[];
  detail: string;
}

/**
 * Who may fill the place, on duty on the theatre's unit first (the case costs no extra hours), then the
 * fewest minutes in cases this week (spreads theatre work), then staff id so the order never depends on
 * the query; and who may not, with every rule they break.
 */
export function rankPlace(
  facts: readonly TeamCandidateFacts[],
  place: TeamPlace,
  slot: CaseSlot,
): { eligible: TeamCandidate[]; refused: RefusedCandidate[] } {
  const eligible: TeamCandidate[] = [];
  const refused: RefusedCandidate[] = [];
  for (const c of facts) {
    const refusals = teamRefusals(c, place, slot);
    if (refusals.length > 0) {
      refused.push({
        staffId: c.staffId,
        name: c.name,
        rules: refusals.map((r) => r.rule),
        detail: refusals.map((r) => `${r.rule}: ${r.message}`).join('; '),
      });
      continue;
    }
    eligible.push({
      staffId: c.staffId,
      name: c.name,
      staffRole: c.role,
      onDuty: onDutyFor(c, slot),
      caseMinutesThisWeek: caseMinutesInWeek(c, slot),
    });
  }
  eligible.sort(
    (a, b) =>
      Number(b.onDuty) - Number(a.onDuty) ||
      a.caseMinutesThisWeek - b.caseMinutesThisWeek ||
      (a.staffId < b.staffId ? -1 : a.staffId > b.staffId ? 1 : 0),
  );
  refused.sort((a, b) => (a.staffId < b.staffId ? -1 : 1));
  return { eligible, refused };
}

/**
 * One person per place, every place filled that can be: a bipartite matching by augmenting paths
 * (Kuhn), each place taking its best free candidate, so a place keeps its choice unless that person is
 * the only one another place can have.
 */
export function chooseTeam(
  ranked: readonly { role: SurgicalTeamRole; eligible: readonly TeamCandidate[] }[],
) {
  const holder = new Map<string, number>();
  const chosen: (TeamCandidate | null)[] = ranked.map(() => null);
  const tryPlace = (p: number, seen: Set<string>): boolean => {
    // Someone nobody holds yet first: another place gives up its choice only when this one needs it.
    const free = ranked[p]!.eligible.find((c) => !seen.has(c.staffId) && !holder.has(c.staffId));
    if (free) {
      seen.add(free.staffId);
      holder.set(free.staffId, p);
      chosen[p] = free;
      return true;
    }
    for (const c of ranked[p]!.eligible) {
      if (seen.has(c.staffId)) continue;
      seen.add(c.staffId);
      const other = holder.get(c.staffId);
      if (other === undefined || tryPlace(other, seen)) {
        holder.set(c.staffId, p);
        chosen[p] = c;
        return true;
      }
    }
    return false;
  };
  for (let p = 0; p < ranked.length; p++) tryPlace(p, new Set());
  return chosen;
}
