import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { surgicalTeamAssignments, surgicalTeamRoles, type TeamPlace } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { FATIGUE_LIMITS } from '../cover/rules.ts';
import { listSurgicalTeam, releaseSurgicalTeam } from './release-operations.ts';
import { chooseTeam, rankPlace, type TeamCandidate, teamRefusals } from './rules.ts';
import {
  assignmentSchema,
  candidateSchema,
  chosenSchema,
  eitherOr,
  isoTime,
  presentAssignments,
  refusedSchema,
  teamPlaceSchema,
} from './schema.ts';
import {
  activeAssignments,
  bookedCase,
  lockStaffTime,
  loadTeamFacts,
  mightFill,
  plannedCase,
  type TeamCase,
  teamPlaces,
} from './store.ts';

const SHOWN = 5;

const teamFields = {
  procedureCode: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .optional()
    .describe('CPT code: its team from surgical_procedures'),
  places: z
    .array(teamPlaceSchema)
    .min(1)
    .max(8)
    .optional()
    .describe('The places to fill, instead of a procedure’s'),
  surgeonStaffId: z
    .string()
    .min(1)
    .optional()
    .describe('The operating surgeon: the surgeon place is only them'),
  excludeStaffIds: z.array(z.string().min(1)).max(100).default([]),
};

const caseSchema = z.object({
  theatreId: z.string(),
  theatreBookingId: z.string().nullable(),
  unitId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});

function requireBooked(slot: TeamCase): void {
  if (slot.bookingStatus !== 'booked') {
    throw new OperationError(
      'conflict',
      `Theatre booking ${slot.theatreBookingId} is ${slot.bookingStatus}`,
      [{ field: 'theatreBookingId', message: `the booking is ${slot.bookingStatus}, not booked` }],
    );
  }
}

function distinct<T>(items: readonly T[], key: (t: T) => string, field: (i: number) => string, what: string) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k))
      throw new OperationError('invalid', `${what} ${k} appears twice`, [
        { field: field(i), message: `${k} twice` },
      ]);
    seen.add(k);
  });
}

/** Why a place stays empty, in words a scheduler can act on. */
function whyMissing(place: TeamPlace, eligible: readonly TeamCandidate[], refused: { rules: string[] }[]) {
  const who = [place.staffRoles.join(' or '), place.specialty, place.skill && `holding ${place.skill}`]
    .filter(Boolean)
    .join(', ');
  if (eligible.length > 0)
    return `every eligible ${who} (${eligible.map((c) => c.name).join(', ')}) is needed for another place`;
  if (refused.length === 0) return `nobody on staff is a ${who}`;
  const counts = new Map<string, number>();
  for (const r of refused) for (const rule of r.rules) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  const because = [...counts].map(([rule, n]) => `${rule} ×${n}`).join(', ');
  return `no ${who} is free: ${refused.length} refused (${because})`;
}

export const findSurgicalTeam = defineOperation({
  name: 'find_surgical_team',
  module: 'staffing',
  title: 'Find a surgical team for a case',
  description:
    'Proposes a team for a theatre case: for each place of the procedure’s team (surgeon, anaesthetist, ' +
    'scrub nurse, circulating nurse) who may fill it (staff role, specialty, perioperative skill valid on the ' +
    'day, no approved leave, not in another case, not on a shift elsewhere, and for nurses at most 12 h in ' +
    `24 h and 60 h in 7 days per ${FATIGUE_LIMITS.source}), those on duty on the theatre’s unit first, then ` +
    'whoever has done fewest case minutes this week. One person per place. Give a theatre booking, or a ' +
    'theatre and times to plan before booking. Returns the chosen team, up to 5 ranked candidates and who ' +
    'was refused for which rule per place, and why any place stays empty. Reads only: assign with ' +
    'assign_surgical_team.',
  input: z
    .object({
      theatreBookingId: z.string().min(1).optional().describe('A booked case'),
      theatreId: z.string().min(1).optional().describe('Or, to plan before booking: the theatre…'),
      startsAt: isoTime.optional().describe('…and when the case would start…'),
      endsAt: isoTime.optional().describe('…and end'),
      ...teamFields,
    })
    .superRefine(eitherOr('theatreBookingId', ['theatreId', 'startsAt', 'endsAt'], ['startsAt', 'endsAt'])),
  output: z.object({
    case: caseSchema,
    complete: z.boolean().describe('Every place has someone'),
    places: z.array(
      z.object({
        role: z.enum(surgicalTeamRoles),
        chosen: chosenSchema.nullable(),
        candidates: z.array(candidateSchema),
        refused: z.array(refusedSchema),
      }),
    ),
    missing: z.array(z.object({ role: z.enum(surgicalTeamRoles), reason: z.string() })),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const slot =
      input.theatreBookingId !== undefined
        ? await bookedCase(db, input.theatreBookingId)
        : await plannedCase(db, {
            theatreId: input.theatreId!,
            startsAt: new Date(input.startsAt!),
            endsAt: new Date(input.endsAt!),
          });
    if (slot.theatreBookingId) requireBooked(slot);
    const places = await teamPlaces(db, input);
    distinct(
      places,
      (p) => p.role,
      (i) => `places.${i}.role`,
      'Place',
    );
    const surgeonStaffId = input.surgeonStaffId;
    const excluded = new Set(input.excludeStaffIds);
    const facts = (await loadTeamFacts(db, slot, { places, surgeonStaffId })).filter(
      (f) => !excluded.has(f.staffId),
    );
    if (surgeonStaffId && !facts.some((f) => f.staffId === surgeonStaffId)) {
      throw new OperationError('not_found', `No staff member ${surgeonStaffId}`, [
        { field: 'surgeonStaffId', message: 'unknown staff member (or excluded)' },
      ]);
    }
    const ranked = places.map((place) => {
      const named = place.role === 'surgeon' && surgeonStaffId !== undefined;
      const pool = facts.filter((f) => (named ? f.staffId === surgeonStaffId : mightFill(f, place)));
      return { place, named, ...rankPlace(pool, place, slot) };
    });
    const chosen = chooseTeam(ranked.map((r) => ({ role: r.place.role, eligible: r.eligible })));
    const taken = new Map(chosen.flatMap((c, i) => (c ? [[c.staffId, i] as const] : [])));
    const out = ranked.map((r, i) => {
      // Someone chosen for another place is not offered here.
      const free = r.eligible.filter((c) => (taken.get(c.staffId) ?? i) === i);
      const c = chosen[i];
      return {
        role: r.place.role,
        chosen: c ? { staffId: c.staffId, name: c.name, role: c.staffRole, onDuty: c.onDuty } : null,
        candidates: free.slice(0, SHOWN).map((e) => ({
          staffId: e.staffId,
          name: e.name,
          role: e.staffRole,
          onDuty: e.onDuty,
          caseMinutesThisWeek: e.caseMinutesThisWeek,
        })),
        refused: r.named ? r.refused : r.refused.slice(0, SHOWN),
        missing: c
          ? null
          : r.named && r.refused[0]
            ? `the named surgeon ${r.refused[0].name} may not: ${r.refused[0].detail}`
            : whyMissing(r.place, r.eligible, r.refused),
      };
    });
    return {
      case: {
        theatreId: slot.theatreId,
        theatreBookingId: slot.theatreBookingId,
        unitId: slot.unitId,
        startsAt: slot.startsAt.toISOString(),
        endsAt: slot.endsAt.toISOString(),
      },
      complete: chosen.every((c) => c !== null),
      places: out.map(({ missing: _, ...p }) => p),
      missing: out.flatMap((p) => (p.missing ? [{ role: p.role, reason: p.missing }] : [])),
    };
  },
});

const teamOutput = z.object({
  subjectId: z.string(),
  theatreBookingId: z.string(),
  members: z.array(assignmentSchema),
  replayed: z.boolean(),
});

export const assignSurgicalTeam = defineOperation({
  name: 'assign_surgical_team',
  module: 'staffing',
  title: 'Assign a surgical team to a booked case',
  description:
    'Schedules the members of a case’s team for the booking’s time, all or none: every rule of ' +
    'find_surgical_team is checked again under lock (two cases cannot take the same person at once), and a ' +
    'member who breaks one is refused with the rule, naming members.N.staffId; nothing is written. The places ' +
    'come from `places`, `procedureCode`, or the procedure of the surgery request `subjectId`. Idempotent: ' +
    'the same team for the same subject and booking returns it with replayed true. To change a team, ' +
    'release_surgical_team first.',
  input: z.object({
    subjectId: z.string().min(1).max(120).describe('What the team is for: the surgery request'),
    theatreBookingId: z.string().min(1),
    members: z
      .array(z.object({ role: z.enum(surgicalTeamRoles), staffId: z.string().min(1) }))
      .min(1)
      .max(8),
    procedureCode: teamFields.procedureCode,
    places: teamFields.places,
  }),
  output: teamOutput,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const { members } = input;
    distinct(
      members,
      (m) => m.role,
      (i) => `members.${i}.role`,
      'Place',
    );
    distinct(
      members,
      (m) => m.staffId,
      (i) => `members.${i}.staffId`,
      'Staff member',
    );
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'assign_surgical_team',
      input,
      async (tx) => {
        const slot = await bookedCase(tx, input.theatreBookingId, true);
        requireBooked(slot);
        const places = await teamPlaces(tx, input);
        const placeOf = members.map((m, i) => {
          const place = places.find((p) => p.role === m.role);
          if (!place) {
            throw new OperationError('invalid', `The team has no ${m.role} place`, [
              {
                field: `members.${i}.role`,
                message: `not a place of the team (${places.map((p) => p.role).join(', ')})`,
              },
            ]);
          }
          return place;
        });
        await lockStaffTime(
          tx,
          members.map((m) => m.staffId),
        );
        const held = await activeAssignments(tx, { theatreBookingId: input.theatreBookingId });
        if (held.length > 0) return replayOrRefuse(input, held);
        const facts = await loadTeamFacts(tx, slot, { staffIds: members.map((m) => m.staffId) });
        const issues = members.flatMap((m, i) => {
          const fact = facts.find((f) => f.staffId === m.staffId);
          if (!fact)
            return [{ field: `members.${i}.staffId`, message: 'unknown staff member', who: m.staffId }];
          return teamRefusals(fact, placeOf[i]!, slot).map((r) => ({
            field: `members.${i}.staffId`,
            message: `${r.rule}: ${r.message}`,
            who: `${fact.name} (${m.role})`,
          }));
        });
        if (issues.length > 0) {
          throw new OperationError(
            issues.some((x) => x.message === 'unknown staff member') ? 'invalid' : 'conflict',
            `Cannot assign the team of booking ${input.theatreBookingId}: ${issues.map((x) => `${x.who}: ${x.message}`).join('; ')}`,
            issues.map(({ field, message }) => ({ field, message })),
          );
        }
        const rows = await tx
          .insert(surgicalTeamAssignments)
          .values(
            members.map((m) => ({
              id: randomUUID(),
              subjectId: input.subjectId,
              theatreBookingId: input.theatreBookingId,
              staffId: m.staffId,
              role: m.role,
              startsAt: slot.startsAt,
              endsAt: slot.endsAt,
              createdBy: ctx.actor.id,
              createdAt: now,
            })),
          )
          .returning();
        return { ...identity(input), members: presentAssignments(rows), replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

const identity = (input: { subjectId: string; theatreBookingId: string }) => ({
  subjectId: input.subjectId,
  theatreBookingId: input.theatreBookingId,
});

/** The booking already has a team: this very one again is a replay, anything else must release it first. */
function replayOrRefuse(
  input: { subjectId: string; theatreBookingId: string; members: { role: string; staffId: string }[] },
  held: Awaited<ReturnType<typeof activeAssignments>>,
) {
  const key = (m: { role: string; staffId: string }) => `${m.role}=${m.staffId}`;
  const same =
    held.every((r) => r.subjectId === input.subjectId) &&
    held.length === input.members.length &&
    input.members.every((m) => held.some((r) => key(r) === key(m)));
  if (same) return { ...identity(input), members: presentAssignments(held), replayed: true };
  const team = held.map((r) => `${r.role} ${r.staffId} for ${r.subjectId}`).join(', ');
  throw new OperationError(
    'conflict',
    `Booking ${input.theatreBookingId} already has a team (${team}): release it first (release_surgical_team)`,
    [{ field: 'theatreBookingId', message: 'a team is already assigned to this booking' }],
  );
}

export { listSurgicalTeam, releaseSurgicalTeam };

export const surgicalTeamOperations = [
  findSurgicalTeam,
  assignSurgicalTeam,
  releaseSurgicalTeam,
  listSurgicalTeam,
];
