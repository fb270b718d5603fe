import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { rosterProposals } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import type { RosterCheck } from './check.ts';
import { endsOn } from './horizon.ts';
import type { RosterPlan } from './instance-from-db.ts';
import { fatigueRules } from './policy.ts';
import type { ProposalOut } from './schema.ts';

// Stored roster proposals (roster_proposals) and how a judged roster is presented.

export type ProposalRow = typeof rosterProposals.$inferSelect;

/** What a plan and its judged roster look like to the caller (without the proposal's own fields). */
export function judgement(plan: RosterPlan, judged: RosterCheck) {
  return {
    unitId: plan.unitId,
    unitName: plan.unitName,
    startsOn: plan.startsOn,
    endsOn: endsOn(plan),
    weeks: plan.weeks,
    feasible: judged.feasible,
    violations: judged.violations,
    objective: judged.objective,
    breakdown: judged.breakdown,
    requestsBroken: judged.requestsBroken,
    coverage: judged.coverage,
    staff: judged.staff,
    notes: plan.notes,
  };
}

export function policyOf(plan: RosterPlan): ProposalOut['policy'] {
  return {
    patientsPerNurse: plan.policy.patientsPerNurse,
    chargeNursesPerShift: plan.policy.chargeNursesPerShift,
    requiredSkill: plan.policy.requiredSkill,
    source: plan.policy.source,
    plannedCensus: plan.census.planned,
    rules: fatigueRules.map((r) => ({ ...r })),
  };
}

export async function findProposal(db: DbOrTx, proposalId: string, lock = false): Promise<ProposalRow> {
  const query = db.select().from(rosterProposals).where(eq(rosterProposals.id, proposalId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No roster proposal ${proposalId}`, [
      { field: 'proposalId', message: 'unknown roster proposal' },
    ]);
  }
  return row;
}

export function presentProposal(row: ProposalRow): ProposalOut {
  const report = row.report as Omit<
    ProposalOut,
    'proposalId' | 'status' | 'createdBy' | 'createdAt' | 'decidedBy' | 'decidedAt'
  >;
  return {
    ...report,
    proposalId: row.id,
    status: row.status,
    objective: row.objective,
    lowerBound: row.lowerBound,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}
