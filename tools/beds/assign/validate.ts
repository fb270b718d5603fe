/**
 * The independent check every plan passes before it is returned: each request planned exactly once,
 * each bed given at most once, every assignment allowed by bedRefusal, and the costs and objective
 * recomputed from the problem. It reads the problem as given, not the solvers' compiled form.
 */
import { bedRefusal } from '../candidates.ts';
import { type AssignmentProblem, assignmentCost, unassignedPenalty } from './model.ts';
import type { AssignmentPlan } from './plan.ts';

/** Every rule the plan breaks, as sentences; empty when it is valid. */
export function planViolations(problem: AssignmentProblem, plan: AssignmentPlan): string[] {
  const violations: string[] = [];
  const requests = new Map(problem.requests.map((r) => [r.requestId, r]));
  const beds = new Map(problem.beds.map((b) => [b.bedId, b]));
  const planned = new Set<string>();
  const given = new Set<string>();
  const once = (requestId: string) => {
    if (planned.has(requestId)) violations.push(`request ${requestId} is planned twice`);
    planned.add(requestId);
  };
  let objective = 0;
  for (const a of plan.assignments) {
    once(a.requestId);
    const request = requests.get(a.requestId);
    const bed = beds.get(a.bedId);
    if (!request) violations.push(`assignment for unknown request ${a.requestId}`);
    if (!bed) violations.push(`request ${a.requestId} is given unknown bed ${a.bedId}`);
    if (given.has(a.bedId)) violations.push(`bed ${a.bedId} is given to more than one request`);
    given.add(a.bedId);
    if (!request || !bed) continue;
    const refusal = bedRefusal(bed, request.need);
    if (refusal !== null)
      violations.push(`request ${a.requestId} in bed ${a.bedId} breaks a hard rule: ${refusal}`);
    const cost = assignmentCost(bed, request);
    if (cost !== a.cost)
      violations.push(`request ${a.requestId} in bed ${a.bedId} costs ${cost}, not ${a.cost}`);
    const itemized = a.breakdown.reduce((s, item) => s + item.cost, 0);
    if (itemized !== a.cost)
      violations.push(`request ${a.requestId}: breakdown sums to ${itemized}, not ${a.cost}`);
    if (a.patientId !== request.patientId || a.unitId !== bed.unitId)
      violations.push(`request ${a.requestId}: patient or unit does not match the problem`);
    objective += cost;
  }
  for (const u of plan.unassigned) {
    once(u.requestId);
    const request = requests.get(u.requestId);
    if (!request) {
      violations.push(`unassigned entry for unknown request ${u.requestId}`);
      continue;
    }
    objective += unassignedPenalty[request.priority];
  }
  for (const id of requests.keys())
    if (!planned.has(id)) violations.push(`request ${id} is missing from the plan`);
  // Not a hard rule but a property of every plan made here (a penalty exceeds any cost), on which the
  // reasons given for unassigned requests rely.
  for (const u of plan.unassigned) {
    const need = requests.get(u.requestId)?.need;
    const free = need && problem.beds.find((b) => !given.has(b.bedId) && bedRefusal(b, need) === null);
    if (free)
      violations.push(`request ${u.requestId} is left out while bed ${free.bedId}, which fits it, is free`);
  }
  if (objective !== plan.objective) violations.push(`objective is ${objective}, not ${plan.objective}`);
  if (plan.bound !== null && plan.bound > plan.objective)
    violations.push(`bound ${plan.bound} exceeds the objective ${plan.objective}`);
  return violations;
}

export class InvalidPlanError extends Error {
  readonly violations: string[];
  constructor(method: string, violations: string[]) {
    super(`the ${method} plan breaks ${violations.length} rule(s): ${violations.slice(0, 5).join('; ')}`);
    this.name = 'InvalidPlanError';
    this.violations = violations;
  }
}

/** Throws InvalidPlanError when the plan breaks any rule: such a plan is a fault, never an answer. */
export function assertValidPlan(problem: AssignmentProblem, plan: AssignmentPlan): AssignmentPlan {
  const violations = planViolations(problem, plan);
  if (violations.length > 0) throw new InvalidPlanError(plan.method, violations);
  return plan;
}
