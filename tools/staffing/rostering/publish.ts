import { createHash } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import { rosterProposals, shifts, staff } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { addDays, shiftKinds, shiftSlots } from '../demand/forecast.ts';
import { checkRoster, type RosterAssignment, type RosterViolation } from './check.ts';
import { assignmentStart } from './fatigue.ts';
import { SHIFT_MINUTES } from './policy.ts';
import { assertHorizon, endsOn, type Horizon, loadRosterPlan } from './horizon.ts';
import { findProposal, judgement, policyOf, presentProposal, type ProposalRow } from './proposals.ts';
import { assignmentsSchema, breakdownSchema, horizonFields, MAX_WEEKS } from './schema.ts';

const publishedShiftSchema = z.object({
  shiftId: z.string(),
  staffId: z.string(),
  date: z.string(),
  kind: z.enum(shiftKinds),
  startsAt: z.string(),
  endsAt: z.string(),
});

const publishOutput = z.object({
  proposalId: z.string(),
  status: z.literal('published'),
  replayed: z.boolean().describe('True when this roster was already published: nothing was written'),
  unitId: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  weeks: z.number().int(),
  shiftsWritten: z.number().int(),
  alreadyScheduled: z.number().int().describe('Entries already in the shifts table exactly as given'),
  objective: z.number().int(),
  breakdown: breakdownSchema,
  shifts: z.array(publishedShiftSchema).describe("The roster's shifts as scheduled"),
});
type PublishOut = z.infer<typeof publishOutput>;

/** A roster published without a proposal is stored under an id derived from its content, so publishing it twice finds it. */
function contentId(h: Horizon, assignments: readonly RosterAssignment[]): string {
  const entries = assignments.map((a) => `${a.staffId}|${a.date}|${a.kind}`).sort();
  const text = JSON.stringify([h.unitId, h.startsOn, h.weeks, h.plannedCensus ?? null, entries]);
  return `rost-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
}

/** The roster's entries as they stand in the shifts table (scheduled or worked). */
async function scheduledShifts(db: DbOrTx, h: Horizon, assignments: readonly RosterAssignment[]) {
  const days = h.weeks * 7;
  const dates = Array.from({ length: days }, (_, d) => addDays(h.startsOn, d));
  const start = assignmentStart({ dates, slots: shiftSlots(h.startsOn, days) });
  const ids = [...new Set(assignments.map((a) => a.staffId))];
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(shifts)
    .where(
      and(
        eq(shifts.unitId, h.unitId),
        inArray(shifts.staffId, ids),
        inArray(shifts.status, ['scheduled', 'worked']),
      ),
    )
    .orderBy(asc(shifts.startsAt), asc(shifts.staffId));
  return rows
    .filter((r) =>
      assignments.some(
        (a) => a.staffId === r.staffId && a.kind === r.kind && start(a) === r.startsAt.getTime(),
      ),
    )
    .map((r) => ({
      shiftId: r.id,
      staffId: r.staffId,
      date: r.startsAt.toISOString().slice(0, 10),
      kind: r.kind,
      startsAt: r.startsAt.toISOString(),
      endsAt: r.endsAt.toISOString(),
    }));
}

async function replay(db: DbOrTx, row: ProposalRow): Promise<PublishOut> {
  const p = presentProposal(row);
  const h = { unitId: row.unitId, startsOn: row.startsOn, weeks: row.days / 7 };
  const roster = row.roster as RosterAssignment[];
  const scheduled = await scheduledShifts(db, h, roster);
  return {
    proposalId: row.id,
    status: 'published',
    replayed: true,
    ...h,
    endsOn: endsOn(h),
    shiftsWritten: 0,
    alreadyScheduled: scheduled.length,
    objective: row.objective,
    breakdown: p.breakdown,
    shifts: scheduled,
  };
}

function refusal(
  violations: readonly RosterViolation[],
  field: 'proposalId' | 'assignments',
): OperationError {
  const n = violations.length;
  return new OperationError(
    field === 'assignments' ? 'invalid' : 'conflict',
    `Not published: the roster breaks ${n} hard rule${n === 1 ? '' : 's'} against the data as it is now: ` +
      violations.map((v) => v.message).join('; '),
    violations.map((v) => ({
      field: field === 'assignments' && v.assignment !== null ? `assignments.${v.assignment}` : field,
      message: v.message,
    })),
  );
}

export const publishRoster = defineOperation({
  name: 'publish_roster',
  module: 'staffing',
  title: 'Publish a roster',
  description:
    'Schedules a roster: either a stored proposal ({proposalId}, from propose_roster), or a roster written ' +
    'or edited by a manager or by you ({unitId, startsOn, weeks, assignments}; with proposalId too, the ' +
    'edited version of that proposal). It is checked again against the data as it is now (leave approved ' +
    'since, staff changes, shifts scheduled since: no overlaps, IOM fatigue limits), exactly as ' +
    'check_roster does; if any hard rule is broken nothing is written and the error lists every ' +
    'violation. Otherwise the shifts are written as scheduled and the proposal marked published, in one ' +
    'audited transaction. Publishing the same roster again writes nothing and returns it (replayed). ' +
    'Returns the scheduled shifts with their ids.',
  input: z
    .object({
      proposalId: z.string().min(1).max(80).optional().describe('A proposal from propose_roster'),
      unitId: horizonFields.unitId.optional(),
      startsOn: horizonFields.startsOn.optional(),
      weeks: z.number().int().min(1).max(MAX_WEEKS).optional().describe('Whole weeks (1–6)'),
      plannedCensus: horizonFields.plannedCensus,
      assignments: assignmentsSchema.min(1).optional(),
    })
    .superRefine((input, issue) => {
      if (input.proposalId) return;
      for (const field of ['unitId', 'startsOn', 'weeks', 'assignments'] as const) {
        if (input[field] === undefined)
          issue.addIssue({
            code: 'custom',
            path: [field],
            message: `required without a proposalId (give a proposalId, or unitId, startsOn, weeks and assignments)`,
          });
      }
    }),
  output: publishOutput,
  scope: 'staffing:write',
  risk: 'critical',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const now = ctx.clock.now();
    let horizon: Horizon;
    let proposal: ProposalRow | null = null;
    if (input.proposalId) {
      proposal = await findProposal(db, input.proposalId);
      const stored = proposal.input as { request?: { plannedCensus?: number } };
      horizon = {
        unitId: proposal.unitId,
        startsOn: proposal.startsOn,
        weeks: proposal.days / 7,
        plannedCensus: input.plannedCensus ?? stored.request?.plannedCensus,
      };
      for (const field of ['unitId', 'startsOn', 'weeks'] as const) {
        if (input[field] !== undefined && input[field] !== horizon[field])
          throw new OperationError('invalid', `Proposal ${proposal.id} is for ${field} ${horizon[field]}`, [
            { field, message: `the proposal's ${field} is ${horizon[field]}` },
          ]);
      }
      if (proposal.status === 'discarded')
        throw new OperationError('conflict', `Roster proposal ${proposal.id} was discarded`, [
          { field: 'proposalId', message: 'discarded: propose a new roster' },
        ]);
      if (proposal.status === 'published') {
        if (input.assignments)
          throw new OperationError('conflict', `Roster proposal ${proposal.id} is already published`, [
            { field: 'proposalId', message: 'already published: publish the changes without a proposalId' },
          ]);
        return replay(db, proposal);
      }
    } else {
      horizon = {
        unitId: input.unitId!,
        startsOn: input.startsOn!,
        weeks: input.weeks!,
        plannedCensus: input.plannedCensus,
      };
    }
    assertHorizon(horizon.startsOn, now, input.proposalId && !input.startsOn ? 'proposalId' : 'startsOn');
    const assignments = input.assignments ?? (proposal?.roster as RosterAssignment[]);
    const id = proposal?.id ?? contentId(horizon, assignments);
    const field = input.assignments ? 'assignments' : 'proposalId';

    return auditedWrite(
      ctx,
      'publish_roster',
      input,
      async (tx): Promise<PublishOut> => {
        // Its staff, then the proposal, locked in a fixed order: a concurrent publish of the same roster,
        // or of the same people, waits here and then finds the proposal published or the shifts written.
        const ids = [...new Set(assignments.map((a) => a.staffId))].sort();
        await tx
          .select({ id: staff.id })
          .from(staff)
          .where(inArray(staff.id, ids))
          .orderBy(asc(staff.id))
          .for('update');
        const [locked] = await tx
          .select()
          .from(rosterProposals)
          .where(eq(rosterProposals.id, id))
          .for('update');
        if (locked?.status === 'published') return replay(tx, locked);
        if (locked?.status === 'discarded')
          throw new OperationError('conflict', `Roster proposal ${id} was discarded`, [
            { field: 'proposalId', message: 'discarded: propose a new roster' },
          ]);
        const { plan, own } = await loadRosterPlan(tx, horizon, now, { assignments });
        const judged = checkRoster(plan, assignments);
        if (!judged.feasible) throw refusal(judged.violations, field);

        const start = assignmentStart(plan);
        const fresh = assignments.filter((_, i) => !own.has(i));
        if (fresh.length > 0) {
          await tx
            .insert(shifts)
            .values(
              fresh.map((a) => {
                const startsAt = start(a)!;
                return {
                  id: `shf-${id}-${a.staffId}-${a.date}-${a.kind}`,
                  staffId: a.staffId,
                  unitId: plan.unitId,
                  kind: a.kind,
                  startsAt: new Date(startsAt),
                  endsAt: new Date(startsAt + SHIFT_MINUTES * 60_000),
                  status: 'scheduled' as const,
                };
              }),
            )
            .onConflictDoNothing();
        }
        const report = {
          ...judgement(plan, judged),
          lowerBound: null,
          provenOptimal: false,
          solver: {
            method: 'none: written by hand',
            stoppedBy: 'budget' as const,
            seed: 0,
            timeLimitSeconds: 0,
          },
          policy: policyOf(plan),
        };
        const decided = { status: 'published' as const, decidedBy: ctx.actor.id, decidedAt: now };
        if (locked) {
          // The proposal keeps its solver's account (method, bound); the judgement is today's.
          const previous = locked.report as Record<string, unknown>;
          await tx
            .update(rosterProposals)
            .set({
              ...decided,
              roster: assignments,
              objective: judged.objective,
              report: { ...previous, ...judgement(plan, judged) },
            })
            .where(eq(rosterProposals.id, id));
        } else {
          await tx.insert(rosterProposals).values({
            id,
            unitId: plan.unitId,
            startsOn: plan.startsOn,
            days: plan.dates.length,
            input: { request: input, instance: plan.instance, staff: plan.staff, dates: plan.dates },
            roster: assignments,
            objective: judged.objective,
            lowerBound: null,
            report,
            createdBy: ctx.actor.id,
            createdAt: now,
            ...decided,
          });
        }
        const scheduled = await scheduledShifts(tx, horizon, assignments);
        return {
          proposalId: id,
          status: 'published',
          replayed: false,
          unitId: plan.unitId,
          startsOn: plan.startsOn,
          endsOn: endsOn(horizon),
          weeks: horizon.weeks,
          shiftsWritten: fresh.length,
          alreadyScheduled: own.size,
          objective: judged.objective,
          breakdown: judged.breakdown,
          shifts: scheduled,
        };
      },
      (outcome) => !outcome.replayed,
    );
  },
});
