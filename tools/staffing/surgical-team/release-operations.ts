import { and, eq, gt, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import { surgicalTeamAssignments } from '../../../db/schema/index.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { assignmentSchema, eitherOr, isoTime, presentAssignments } from './schema.ts';

// Undoing and reading a case's team: what the surgery orchestration's compensation and the console use.

export const releaseSurgicalTeam = defineOperation({
  name: 'release_surgical_team',
  module: 'staffing',
  title: 'Release a surgical team',
  description:
    'Frees everyone assigned to the subject’s cases (the surgery was cancelled, moved, or its plan is being ' +
    'undone), with the reason. Returns who was released; an empty list when nobody was assigned (not an ' +
    'error, so a compensation can run twice).',
  input: z.object({ subjectId: z.string().min(1).max(120), reason: z.string().trim().min(3).max(500) }),
  output: z.object({ subjectId: z.string(), released: z.array(assignmentSchema) }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'release_surgical_team',
      input,
      async (tx) => {
        const rows = await tx
          .update(surgicalTeamAssignments)
          .set({ status: 'released', closedAt: now, closedReason: input.reason })
          .where(
            and(
              eq(surgicalTeamAssignments.subjectId, input.subjectId),
              eq(surgicalTeamAssignments.status, 'assigned'),
            ),
          )
          .returning();
        return { subjectId: input.subjectId, released: presentAssignments(rows) };
      },
      (outcome) => outcome.released.length > 0,
    );
  },
});

async function assignmentsOf(db: DbOrTx, input: { staffId: string; from: string; to: string }) {
  return db
    .select()
    .from(surgicalTeamAssignments)
    .where(
      and(
        eq(surgicalTeamAssignments.staffId, input.staffId),
        lt(surgicalTeamAssignments.startsAt, new Date(input.to)),
        gt(surgicalTeamAssignments.endsAt, new Date(input.from)),
      ),
    );
}

export const listSurgicalTeam = defineOperation({
  name: 'list_surgical_team',
  module: 'staffing',
  title: 'List surgical team assignments',
  description:
    'The team assignments of a subject (a surgery request), every status; or a staff member’s cases between ' +
    '`from` and `to`. Soonest first.',
  input: z
    .object({
      subjectId: z.string().min(1).optional().describe('A surgery request: its team, every status'),
      staffId: z.string().min(1).optional().describe('Or a staff member’s cases…'),
      from: isoTime.optional().describe('…overlapping from…'),
      to: isoTime.optional().describe('…to'),
    })
    .superRefine(eitherOr('subjectId', ['staffId', 'from', 'to'], ['from', 'to'])),
  output: z.object({ assignments: z.array(assignmentSchema) }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const rows =
      input.subjectId !== undefined
        ? await db
            .select()
            .from(surgicalTeamAssignments)
            .where(eq(surgicalTeamAssignments.subjectId, input.subjectId))
        : await assignmentsOf(db, { staffId: input.staffId!, from: input.from!, to: input.to! });
    return { assignments: presentAssignments(rows) };
  },
});
