import { randomUUID } from 'node:crypto';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rosterProposalStatuses, rosterProposals } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../../core/operation.ts';
import { type SolveProgress, solveRoster } from '../roster/solve.ts';
import { checkRoster } from './check.ts';
import { assertHorizon, assignmentsFromRoster, loadRosterPlan } from './horizon.ts';
import { findProposal, judgement, policyOf, presentProposal } from './proposals.ts';
import { publishRoster } from './publish.ts';
import { assignmentsSchema, horizonFields, judgementFields, proposalSchema } from './schema.ts';

const cancelled = () =>
  new OperationError('unavailable', 'propose_roster was cancelled by the caller; no roster was stored');

/**
 * The solver under the caller's signal, reporting progress as seconds of the time limit: once a second
 * and whenever the best roster improves (with the phase and its objective).
 */
async function solveWithProgress(
  instance: Parameters<typeof solveRoster>[0],
  input: { seed: number; timeLimitSeconds: number },
  ctx: OperationContext,
) {
  const started = performance.now();
  const total = input.timeLimitSeconds;
  const elapsed = () => Math.min(total, Math.round((performance.now() - started) / 100) / 10);
  let best = 'searching';
  const report = () => ctx.progress?.(elapsed(), total, `roster solver: ${best}`);
  const ticker = ctx.progress ? setInterval(report, 1000) : undefined;
  try {
    return await solveRoster(
      instance,
      { seed: input.seed, timeLimitMs: total * 1000, signal: ctx.signal },
      (p: SolveProgress) => {
        best = `${p.phase}, best objective ${p.bestObjective}`;
        report();
      },
    );
  } catch (err) {
    if (ctx.signal?.aborted) throw cancelled();
    throw err;
  } finally {
    clearInterval(ticker);
  }
}

export const proposeRoster = defineOperation({
  name: 'propose_roster',
  module: 'staffing',
  title: "Propose a unit's roster",
  description:
    "Builds a multi-week roster for a unit's nursing staff (RNs, LPNs, charge nurses, CNAs; float-pool RNs " +
    'and LPNs of other units with includeFloatPool) with the roster solver, from the data as it is: ' +
    'contracted hours, approved leave, shifts already scheduled, shift requests, and the licensed and ' +
    'charge nurses the demand forecast says each day, evening and night shift needs. Hard rules: no more ' +
    'than 12 h in 24 h and 60 h in 7 days (IOM 2004), no night→day, night→evening or evening→day, at most ' +
    '5 shifts in a row, days off two or more together, every other weekend at most, contracted hours. ' +
    'Stores the roster as a proposal (nothing is scheduled until publish_roster) and returns its id, the ' +
    'objective (weighted under-cover, over-cover and broken requests) with its breakdown, the lower bound, ' +
    'each shift’s coverage against the staffing policy and each person’s shifts. When no roster can meet ' +
    'every hard rule it stores nothing and returns status "infeasible" with the violations of the best ' +
    'roster found (who, which day, which rule). Takes up to timeLimitSeconds.',
  input: z.object({
    ...horizonFields,
    includeFloatPool: z
      .boolean()
      .default(false)
      .describe('Also roster float-eligible RNs and LPNs of other units (no hours owed here)'),
    timeLimitSeconds: z.number().min(1).max(60).default(10).describe('Solver time limit (1–60 s)'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1)
      .describe('Same seed and data: same roster'),
  }),
  output: proposalSchema,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    assertHorizon(input.startsOn, now);
    const { plan } = await loadRosterPlan(ctx.database.db, input, now, {
      includeFloatPool: input.includeFloatPool,
    });
    const solved = await solveWithProgress(plan.solverInstance, input, ctx);
    if (ctx.signal?.aborted) throw cancelled();
    const assignments = assignmentsFromRoster(plan, solved.roster);
    const judged = checkRoster(plan, assignments);
    const feasible = solved.feasible && judged.feasible;
    const report = {
      ...judgement(plan, judged),
      feasible,
      lowerBound: solved.lowerBound,
      provenOptimal: solved.provenOptimal && feasible,
      solver: {
        method: solved.method,
        stoppedBy: solved.stoppedBy,
        seed: input.seed,
        timeLimitSeconds: input.timeLimitSeconds,
      },
      policy: policyOf(plan),
    };
    if (!feasible) {
      return {
        ...report,
        proposalId: null,
        status: 'infeasible' as const,
        createdBy: null,
        createdAt: null,
        decidedBy: null,
        decidedAt: null,
      };
    }
    return auditedWrite(ctx, 'propose_roster', input, async (tx) => {
      // A cancel that arrives while checking the roster still stores nothing.
      if (ctx.signal?.aborted) throw cancelled();
      const [row] = await tx
        .insert(rosterProposals)
        .values({
          id: `rost-${randomUUID()}`,
          unitId: plan.unitId,
          startsOn: plan.startsOn,
          days: plan.dates.length,
          status: 'proposed',
          input: {
            request: input,
            instance: plan.solverInstance,
            staff: plan.staff,
            dates: plan.dates,
          },
          roster: assignments,
          objective: judged.objective,
          lowerBound: solved.lowerBound,
          report,
          createdBy: ctx.actor.id,
          createdAt: now,
        })
        .returning();
      return presentProposal(row!);
    });
  },
});

export const checkRosterOperation = defineOperation({
  name: 'check_roster',
  module: 'staffing',
  title: 'Check a roster against the rules',
  description:
    'Checks a roster someone wrote (a manager, or you) for a unit and horizon against the data as it is ' +
    'now, with the same validator publish_roster uses: every hard rule broken, each naming the staff ' +
    'member, the day and the rule (approved-leave, overlap with a shift already scheduled, ' +
    'forbidden-succession, max-12h-in-24h, max-60h-in-7d, max-consecutive-shifts, ' +
    'min-consecutive-days-off, max-weekends, min-/max-total-minutes against contracted hours, ' +
    'one-shift-per-day, not-on-roster), with the objective, its breakdown, coverage per shift and each ' +
    "person's shifts. Entries already in the shifts table exactly as given count as the roster's own. " +
    'Writes nothing. A roster is only published when this finds no violation.',
  input: z.object({ ...horizonFields, assignments: assignmentsSchema }),
  output: z.object({
    ...judgementFields,
    alreadyScheduled: z.number().int().describe('Entries already in the shifts table exactly as given'),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    assertHorizon(input.startsOn, now);
    const { plan, own } = await loadRosterPlan(ctx.database.db, input, now, {
      assignments: input.assignments,
    });
    return { ...judgement(plan, checkRoster(plan, input.assignments)), alreadyScheduled: own.size };
  },
});

const proposalIdSchema = z.string().min(1).max(80).describe('A roster proposal id (rost-…)');

export const getRosterProposal = defineOperation({
  name: 'get_roster_proposal',
  module: 'staffing',
  title: 'Get a roster proposal',
  description:
    'Returns a stored roster proposal: status (proposed, published, discarded), objective and breakdown, ' +
    "lower bound, coverage per shift, each person's shifts, and who proposed and decided it when.",
  input: z.object({ proposalId: proposalIdSchema }),
  output: proposalSchema,
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ proposalId }, ctx) {
    return presentProposal(await findProposal(ctx.database.db, proposalId));
  },
});

export const listRosterProposals = defineOperation({
  name: 'list_roster_proposals',
  module: 'staffing',
  title: 'List roster proposals',
  description:
    'Lists roster proposals, newest first, optionally for one unit and/or one status, with their horizon, ' +
    'objective, under-cover and who proposed and decided them. Use get_roster_proposal for the shifts.',
  input: z.object({
    unitId: z.string().min(1).optional(),
    status: z.enum(rosterProposalStatuses).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  output: z.object({
    proposals: z.array(
      z.object({
        proposalId: z.string(),
        unitId: z.string(),
        startsOn: z.string(),
        weeks: z.number().int(),
        status: z.enum(rosterProposalStatuses),
        objective: z.number().int(),
        lowerBound: z.number().int().nullable(),
        underCover: z.number().int(),
        createdBy: z.string(),
        createdAt: z.string(),
        decidedBy: z.string().nullable(),
        decidedAt: z.string().nullable(),
      }),
    ),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const where: SQL[] = [];
    if (input.unitId) where.push(eq(rosterProposals.unitId, input.unitId));
    if (input.status) where.push(eq(rosterProposals.status, input.status));
    const rows = await ctx.database.db
      .select()
      .from(rosterProposals)
      .where(and(...where))
      .orderBy(desc(rosterProposals.createdAt), desc(rosterProposals.id))
      .limit(input.limit);
    return {
      proposals: rows.map((row) => {
        const p = presentProposal(row);
        return {
          proposalId: row.id,
          unitId: row.unitId,
          startsOn: row.startsOn,
          weeks: row.days / 7,
          status: row.status,
          objective: row.objective,
          lowerBound: row.lowerBound,
          underCover: p.breakdown.underCover,
          createdBy: row.createdBy,
          createdAt: row.createdAt.toISOString(),
          decidedBy: row.decidedBy,
          decidedAt: row.decidedAt?.toISOString() ?? null,
        };
      }),
    };
  },
});

export const discardRosterProposal = defineOperation({
  name: 'discard_roster_proposal',
  module: 'staffing',
  title: 'Discard a roster proposal',
  description:
    'Marks a proposed roster discarded so it can no longer be published. Discarding it again changes ' +
    'nothing. A published roster cannot be discarded: cancel its shifts with cancel_shift instead.',
  input: z.object({ proposalId: proposalIdSchema }),
  output: z.object({
    proposalId: z.string(),
    status: z.literal('discarded'),
    replayed: z.boolean().describe('True when it was already discarded'),
  }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ proposalId }, ctx) {
    return auditedWrite(
      ctx,
      'discard_roster_proposal',
      { proposalId },
      async (tx) => {
        const row = await findProposal(tx, proposalId, true);
        if (row.status === 'published') {
          throw new OperationError('conflict', `Roster proposal ${proposalId} is published`, [
            { field: 'proposalId', message: 'published: cancel its shifts instead' },
          ]);
        }
        if (row.status === 'discarded') return { proposalId, status: 'discarded' as const, replayed: true };
        await tx
          .update(rosterProposals)
          .set({ status: 'discarded', decidedBy: ctx.actor.id, decidedAt: ctx.clock.now() })
          .where(eq(rosterProposals.id, proposalId));
        return { proposalId, status: 'discarded' as const, replayed: false };
      },
      (outcome) => !outcome.replayed,
    );
  },
});

export const rosteringOperations = [
  proposeRoster,
  checkRosterOperation,
  publishRoster,
  getRosterProposal,
  listRosterProposals,
  discardRosterProposal,
];
