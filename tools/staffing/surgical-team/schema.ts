import { z } from 'zod';
import {
  staffRoles,
  surgicalTeamRoles,
  type TeamPlace,
  teamAssignmentStatuses,
} from '../../../db/schema/index.ts';
import { teamRules } from './rules.ts';
import type { TeamAssignmentRow } from './store.ts';

// The shapes the surgical-team operations take and return.

export const isoTime = z.iso.datetime({ offset: true });

/**
 * Either `key` or every one of `others`, each missing field named; an input of one flat object (not a
 * union) so an MCP client shows the model every property. `until` must come after `since` when given.
 */
export function eitherOr<T extends Record<string, unknown>>(
  key: keyof T & string,
  others: readonly (keyof T & string)[],
  [since, until]: readonly [keyof T & string, keyof T & string],
) {
  return (i: T, ctx: z.RefinementCtx) => {
    const given = others.filter((o) => i[o] !== undefined);
    if (i[key] !== undefined) {
      for (const o of given)
        ctx.addIssue({ code: 'custom', path: [o], message: `give ${key} or ${others.join(', ')}, not both` });
      return;
    }
    for (const o of others.filter((x) => i[x] === undefined))
      ctx.addIssue({ code: 'custom', path: [o], message: `required unless ${key} is given` });
    const from = i[since];
    const to = i[until];
    if (typeof from === 'string' && typeof to === 'string' && Date.parse(to) <= Date.parse(from))
      ctx.addIssue({ code: 'custom', path: [until], message: `must be after ${since}` });
  };
}

export const teamPlaceSchema: z.ZodType<TeamPlace> = z.object({
  role: z.enum(surgicalTeamRoles),
  staffRoles: z.array(z.enum(staffRoles)).min(1),
  specialty: z.string().trim().min(1).max(60).optional(),
  skill: z.string().trim().min(1).max(60).optional(),
});

export const chosenSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.enum(staffRoles).describe('Their staff role (RN, LPN, physician)'),
  onDuty: z.boolean().describe('On a shift on the theatre’s unit covering the whole case'),
});

export const candidateSchema = chosenSchema.extend({
  caseMinutesThisWeek: z.number().int().describe('Minutes already in cases in the ISO week of the case'),
});

export const refusedSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  rules: z.array(z.enum(teamRules)),
  detail: z.string(),
});

export const assignmentSchema = z.object({
  assignmentId: z.string(),
  subjectId: z.string(),
  theatreBookingId: z.string(),
  role: z.enum(surgicalTeamRoles),
  staffId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(teamAssignmentStatuses),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
});

const roleOrder = (r: TeamAssignmentRow['role']) => surgicalTeamRoles.indexOf(r);

export function presentAssignments(rows: readonly TeamAssignmentRow[]): z.infer<typeof assignmentSchema>[] {
  return [...rows]
    .sort(
      (a, b) =>
        a.startsAt.getTime() - b.startsAt.getTime() ||
        (a.theatreBookingId < b.theatreBookingId ? -1 : a.theatreBookingId > b.theatreBookingId ? 1 : 0) ||
        roleOrder(a.role) - roleOrder(b.role),
    )
    .map((r) => ({
      assignmentId: r.id,
      subjectId: r.subjectId,
      theatreBookingId: r.theatreBookingId,
      role: r.role,
      staffId: r.staffId,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
      status: r.status,
      closedAt: r.closedAt?.toISOString() ?? null,
      closedReason: r.closedReason,
    }));
}
