/**
 * The assignment problem in the flat, typed-array form both solvers work on (and that crosses to the
 * MILP's worker thread cheaply).
 */
import { bedRefusal } from '../candidates.ts';
import {
  type AssignableBed,
  type AssignmentProblem,
  assignmentCost,
  type RequestPriority,
  unassignedPenalty,
} from './model.ts';

/**
 * The problem in the flat form both solvers work on. Beds that are interchangeable for every request
 * (same unit type, specialty and age limits, room isolation and sex policy, telemetry, bariatric,
 * housekeeping and availability) form one class, so a solver picks a class and the beds are handed out
 * afterwards (`bedsOf`): an exact aggregation of "one patient per bed" into "no more patients than beds
 * per class", which makes the MILP several times smaller. A bed some requesting patient occupies is a
 * class of its own (its cost differs: no transfer for that patient).
 *
 * The feasible pairs of request r are pairStart[r] ≤ p < pairStart[r + 1], cheapest first, then by the
 * class's first bed id (so "the first pair with room" is the request's best free bed, as
 * find_candidate_beds would rank it).
 */
export interface CompiledProblem {
  requestCount: number;
  classCount: number;
  /** Beds of class k: classBeds[classStart[k] .. classStart[k + 1]), indices into problem.beds, by bed id. */
  classStart: Int32Array;
  classBeds: Int32Array;
  pairStart: Int32Array;
  pairClass: Int32Array;
  pairCost: Float64Array;
  penalty: Float64Array;
  /** 0 for emergency, 1 urgent, 2 routine. */
  priorityRank: Uint8Array;
}

/** Which pair each request takes (an index into the pair arrays), or -1 for none. */
export type Choice = Int32Array;

const priorityRankOf: Record<RequestPriority, number> = { emergency: 0, urgent: 1, routine: 2 };

/** Every field bedRefusal and assignmentCost read, apart from the bed's identity. */
function classKey(bed: AssignableBed): string {
  return [
    bed.unitType,
    bed.unitSpecialty,
    bed.unitMinAgeYears,
    bed.unitMaxAgeYears,
    bed.roomIsolation,
    bed.roomSexPolicy,
    bed.telemetry,
    bed.bariatric,
    bed.status,
    bed.housekeeping,
    bed.reserved,
  ].join('|');
}

export function compileProblem(problem: AssignmentProblem): CompiledProblem {
  const { beds, requests } = problem;
  const seen = new Set<string>();
  for (const bed of beds) {
    if (seen.has(bed.bedId)) throw new Error(`bed ${bed.bedId} appears twice in the problem`);
    seen.add(bed.bedId);
  }
  seen.clear();
  for (const request of requests) {
    if (seen.has(request.requestId))
      throw new Error(`request ${request.requestId} appears twice in the problem`);
    seen.add(request.requestId);
  }
  const occupiedByRequester = new Set(requests.map((r) => r.currentBedId).filter((id) => id !== null));
  const byId = beds.map((_, i) => i).sort((a, b) => compareIds(beds[a]?.bedId, beds[b]?.bedId));
  const classOf = new Map<string, number[]>();
  for (const b of byId) {
    const bed = beds[b] as AssignableBed;
    const key = occupiedByRequester.has(bed.bedId) ? `bed:${bed.bedId}` : classKey(bed);
    const members = classOf.get(key);
    if (members) members.push(b);
    else classOf.set(key, [b]);
  }
  // Classes in the order of their first bed id, so that every tie breaks by bed id.
  const classes = [...classOf.values()];
  const classStart = new Int32Array(classes.length + 1);
  classes.forEach((members, k) => {
    classStart[k + 1] = (classStart[k] ?? 0) + members.length;
  });
  const pairStart = new Int32Array(requests.length + 1);
  const classesOut: number[] = [];
  const costsOut: number[] = [];
  const penalty = new Float64Array(requests.length);
  const priorityRank = new Uint8Array(requests.length);
  requests.forEach((request, r) => {
    penalty[r] = unassignedPenalty[request.priority];
    priorityRank[r] = priorityRankOf[request.priority];
    const pairs: { k: number; cost: number }[] = [];
    classes.forEach((members, k) => {
      // The class key holds every field bedRefusal reads, so its first bed answers for all of them
      // (and the validator checks each bed actually assigned again).
      const bed = beds[members[0] ?? 0] as AssignableBed;
      if (bedRefusal(bed, request.need) === null) pairs.push({ k, cost: assignmentCost(bed, request) });
    });
    pairs.sort((x, y) => x.cost - y.cost || x.k - y.k);
    for (const { k, cost } of pairs) {
      classesOut.push(k);
      costsOut.push(cost);
    }
    pairStart[r + 1] = classesOut.length;
  });
  return {
    requestCount: requests.length,
    classCount: classes.length,
    classStart,
    classBeds: Int32Array.from(classes.flat()),
    pairStart,
    pairClass: Int32Array.from(classesOut),
    pairCost: Float64Array.from(costsOut),
    penalty,
    priorityRank,
  };
}

function compareIds(a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
}

/** Requests by priority, then in the order given. */
export function priorityOrder(c: CompiledProblem): number[] {
  return Array.from({ length: c.requestCount }, (_, r) => r).sort(
    (a, b) => (c.priorityRank[a] ?? 0) - (c.priorityRank[b] ?? 0) || a - b,
  );
}

/**
 * The bed each request gets (an index into problem.beds, or -1): each class hands out its beds in id
 * order to the requests that chose it, in priority order. Throws if a class is given more requests
 * than it has beds.
 */
export function bedsOf(c: CompiledProblem, choice: Choice): Int32Array {
  const next = Int32Array.from(c.classStart.subarray(0, c.classCount));
  const beds = new Int32Array(c.requestCount).fill(-1);
  for (const r of priorityOrder(c)) {
    const p = choice[r] ?? -1;
    if (p < 0) continue;
    const k = c.pairClass[p] ?? 0;
    const slot = next[k] ?? 0;
    if (slot >= (c.classStart[k + 1] ?? 0))
      throw new Error(`bed class ${k} is given more requests than beds`);
    beds[r] = c.classBeds[slot] ?? -1;
    next[k] = slot + 1;
  }
  return beds;
}

/** The objective of a choice: the cost of every pair taken plus the penalty of every request left out. */
export function objectiveOf(c: CompiledProblem, choice: Choice): number {
  let total = 0;
  for (let r = 0; r < c.requestCount; r++) {
    const p = choice[r] ?? -1;
    total += p < 0 ? (c.penalty[r] ?? 0) : (c.pairCost[p] ?? 0);
  }
  return total;
}
