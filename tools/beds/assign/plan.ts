/**
 * A solver's choice turned into the plan a person reads: each placed request with its bed and the cost
 * broken down with reasons, each request left out with why.
 */
import { bedRefusal } from '../candidates.ts';
import { bedsOf, type Choice, type CompiledProblem } from './compile.ts';
import {
  type AssignmentProblem,
  assignmentCost,
  type CostItem,
  type RequestPriority,
  unassignedPenalty,
} from './model.ts';

export interface PlannedAssignment {
  requestId: string;
  patientId: string;
  priority: RequestPriority;
  bedId: string;
  bedLabel: string;
  unitId: string;
  unitType: string;
  cost: number;
  breakdown: CostItem[];
}

export const unassignedReasons = ['no-fitting-bed', 'outranked', 'contended'] as const;

export interface UnassignedRequest {
  requestId: string;
  patientId: string;
  priority: RequestPriority;
  penalty: number;
  /**
   * no-fitting-bed: no bed passes the hard rules; outranked: the beds that fit went to other requests,
   * some of higher priority; contended: they went to requests of no higher priority, where the plan
   * costs less.
   */
  reason: (typeof unassignedReasons)[number];
  detail: string;
}

export interface AssignmentPlan {
  /** milp: HiGHS's plan; greedy: first fit, as asked; greedy-fallback: first fit because HiGHS could not be used. */
  method: 'milp' | 'greedy' | 'greedy-fallback';
  /** optimal: proven by HiGHS; time-limit: HiGHS's best when its time ran out; heuristic: first fit. */
  status: 'optimal' | 'time-limit' | 'heuristic';
  fallbackReason: string | null;
  assignments: PlannedAssignment[];
  unassigned: UnassignedRequest[];
  /** assignmentCost + unassignedPenalty: what the solver minimises. */
  objective: number;
  assignmentCost: number;
  unassignedPenalty: number;
  /** A proven lower bound on the best objective (HiGHS's dual bound); null without one. */
  bound: number | null;
  /** (objective − bound) / objective; 0 when proven optimal, null without a bound. */
  gap: number | null;
  seconds: number;
}

export interface PlanMeta {
  method: AssignmentPlan['method'];
  status: AssignmentPlan['status'];
  fallbackReason: string | null;
  bound: number | null;
  seconds: number;
}

export function presentPlan(
  problem: AssignmentProblem,
  c: CompiledProblem,
  choice: Choice,
  meta: PlanMeta,
): AssignmentPlan {
  const bedOf = bedsOf(c, choice);
  const takenBy = new Map<number, number>();
  bedOf.forEach((b, r) => {
    if (b >= 0) takenBy.set(b, r);
  });
  const assignments: PlannedAssignment[] = [];
  const unassigned: UnassignedRequest[] = [];
  problem.requests.forEach((request, r) => {
    const bed = problem.beds[bedOf[r] ?? -1];
    if (bed) {
      const breakdown: CostItem[] = [];
      const cost = assignmentCost(bed, request, breakdown);
      assignments.push({
        requestId: request.requestId,
        patientId: request.patientId,
        priority: request.priority,
        bedId: bed.bedId,
        bedLabel: bed.label,
        unitId: bed.unitId,
        unitType: bed.unitType,
        cost,
        breakdown,
      });
      return;
    }
    const base = {
      requestId: request.requestId,
      patientId: request.patientId,
      priority: request.priority,
      penalty: unassignedPenalty[request.priority],
    };
    const refusals = new Map<string, number>();
    const winners: Record<RequestPriority, number> = { emergency: 0, urgent: 0, routine: 0 };
    problem.beds.forEach((candidate, b) => {
      const refusal = bedRefusal(candidate, request.need);
      if (refusal !== null) refusals.set(refusal, (refusals.get(refusal) ?? 0) + 1);
      else {
        const winner = problem.requests[takenBy.get(b) ?? -1];
        if (winner) winners[winner.priority]++;
      }
    });
    const fitting = winners.emergency + winners.urgent + winners.routine;
    if (fitting === 0) {
      const top = [...refusals.entries()]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 3)
        .map(([why, n]) => `${why} (${n})`);
      unassigned.push({
        ...base,
        reason: 'no-fitting-bed',
        detail: `no bed passes the hard rules${top.length > 0 ? `: ${top.join('; ')}` : ': no beds'}`,
      });
      return;
    }
    const rank = { emergency: 0, urgent: 1, routine: 2 } as const;
    const higher = (Object.keys(winners) as RequestPriority[])
      .filter((p) => rank[p] < rank[request.priority])
      .reduce((n, p) => n + winners[p], 0);
    const counts = (Object.keys(winners) as RequestPriority[])
      .filter((p) => winners[p] > 0)
      .map((p) => `${winners[p]} ${p}`)
      .join(', ');
    unassigned.push(
      higher > 0
        ? {
            ...base,
            reason: 'outranked',
            detail: `the ${fitting} bed(s) that fit went to other requests, ${higher} of higher priority (${counts})`,
          }
        : {
            ...base,
            reason: 'contended',
            detail: `the ${fitting} bed(s) that fit went to other requests (${counts}), where the plan costs less`,
          },
    );
  });
  const assignmentTotal = assignments.reduce((s, a) => s + a.cost, 0);
  const penaltyTotal = unassigned.reduce((s, u) => s + u.penalty, 0);
  const objective = assignmentTotal + penaltyTotal;
  return {
    method: meta.method,
    status: meta.status,
    fallbackReason: meta.fallbackReason,
    assignments,
    unassigned,
    objective,
    assignmentCost: assignmentTotal,
    unassignedPenalty: penaltyTotal,
    bound: meta.bound,
    gap: meta.bound === null ? null : objective === 0 ? 0 : (objective - meta.bound) / objective,
    seconds: meta.seconds,
  };
}
