import { z } from 'zod';
import { bedRequestPriorities } from '../../../db/schema/hospital.ts';
import { OperationError } from '../../core/errors.ts';
import { assertPatientAccess, defineOperation, type OperationContext } from '../../core/operation.ts';
import { bedNeedSchema } from '../schema.ts';
import { describeRequests, loadAssignableBeds, loadNegotiatingRequests, type RequestInput } from './load.ts';
import { costKinds, preferableFeatures } from './model.ts';
import { unassignedReasons } from './plan.ts';
import { type MilpSolve, planBedAssignments, solveMilpInWorker } from './solve.ts';

const requestToPlan = z.object({
  requestId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Your id for this request in the plan; default request-1, request-2, … in list order'),
  patientId: z.string().min(1),
  need: bedNeedSchema,
  priority: z.enum(bedRequestPriorities).default('urgent'),
  preferredFeatures: z
    .array(z.enum(preferableFeatures))
    .max(2)
    .default([])
    .describe('Bed equipment the patient would rather have but does not need'),
});

const planInput = z
  .object({
    requests: z
      .array(requestToPlan)
      .min(1)
      .max(1000)
      .optional()
      .describe("The requests to place; each patient's age, care specialty and current bed are looked up"),
    pending: z
      .literal(true)
      .optional()
      .describe('Instead of `requests`: plan every bed request still negotiating'),
    timeLimitSeconds: z
      .number()
      .min(0.1)
      .max(30)
      .default(2)
      .describe("Seconds for the optimiser; past it the best plan so far (or first fit's) is returned"),
  })
  .superRefine((input, ctx) => {
    if ((input.requests === undefined) === (input.pending === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: input.requests === undefined ? ['requests'] : ['pending'],
        message: 'give either `requests` (a list) or `pending: true`, not both and not neither',
      });
    }
    const requestIds = new Map<string, number>();
    const patientIds = new Map<string, number>();
    input.requests?.forEach((request, i) => {
      const id = request.requestId ?? `request-${i + 1}`;
      const sameId = requestIds.get(id);
      if (sameId !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['requests', i, 'requestId'],
          message: `${id} is also the id of request ${sameId}`,
        });
      requestIds.set(id, i);
      const samePatient = patientIds.get(request.patientId);
      if (samePatient !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['requests', i, 'patientId'],
          message: `patient ${request.patientId} is already request ${samePatient}: one bed per patient`,
        });
      patientIds.set(request.patientId, i);
    });
  });

const priority = z.enum(bedRequestPriorities);

const planOutput = z.object({
  method: z
    .enum(['milp', 'greedy', 'greedy-fallback'])
    .describe('milp: the optimiser (HiGHS); greedy-fallback: first fit, because HiGHS could not be used'),
  status: z.enum(['optimal', 'time-limit', 'heuristic']),
  fallbackReason: z.string().nullable(),
  assignments: z.array(
    z.object({
      requestId: z.string(),
      patientId: z.string(),
      priority,
      bedId: z.string(),
      bedLabel: z.string(),
      unitId: z.string(),
      unitType: z.string(),
      cost: z.number().describe('Soft cost of this bed for this patient; 0 is a perfect fit'),
      breakdown: z.array(z.object({ kind: z.enum(costKinds), cost: z.number(), reason: z.string() })),
    }),
  ),
  unassigned: z.array(
    z.object({
      requestId: z.string(),
      patientId: z.string(),
      priority,
      penalty: z.number(),
      reason: z.enum(unassignedReasons),
      detail: z.string(),
    }),
  ),
  repeated: z
    .array(z.object({ requestId: z.string(), patientId: z.string(), reason: z.string() }))
    .describe('Pending requests left out because their patient has an older one'),
  objective: z.number().describe('Sum of assignment costs and unassigned penalties: what is minimised'),
  assignmentCost: z.number(),
  unassignedPenalty: z.number(),
  bound: z.number().nullable().describe('Proven lower bound on the best objective'),
  gap: z.number().nullable().describe('(objective − bound) / objective; 0 when proven optimal'),
  seconds: z.number(),
  bedsConsidered: z.number().int().describe('Beds of the requested unit types, free or not'),
});

const cancelled = () =>
  new OperationError('unavailable', 'plan_bed_assignments was cancelled by the caller; no plan was made');

/**
 * The planner under the caller's signal: a cancel terminates the MILP worker at once (the planner would
 * otherwise fall back to first fit and answer), and progress reports seconds of the time limit.
 */
async function planUnderCaller(
  problem: Parameters<typeof planBedAssignments>[0],
  timeLimitSeconds: number | undefined,
  ctx: OperationContext,
) {
  const { signal, progress } = ctx;
  if (signal?.aborted) throw cancelled();
  const total = timeLimitSeconds ?? 2;
  const started = performance.now();
  const elapsed = () => Math.min(total, Math.round((performance.now() - started) / 100) / 10);
  progress?.(0, total, `planning ${problem.requests.length} requests over ${problem.beds.length} beds`);
  const ticker = progress
    ? setInterval(() => progress(elapsed(), total, 'bed-assignment solver'), 1000)
    : undefined;
  const solveMilp: MilpSolve = (job, own) =>
    solveMilpInWorker(job, signal ? AbortSignal.any([own, signal]) : own);
  try {
    const plan = await planBedAssignments(problem, { timeLimitSeconds, solveMilp });
    if (signal?.aborted) throw cancelled();
    progress?.(total, total, `planned: ${plan.method}`);
    return plan;
  } finally {
    clearInterval(ticker);
  }
}

export const planBedAssignmentsOperation = defineOperation({
  name: 'plan_bed_assignments',
  module: 'beds',
  title: 'Plan bed assignments for many requests',
  description:
    'Plans beds for many pending requests at once (morning admissions, a surge) so that the whole ' +
    'batch fits best: every hard rule of find_candidate_beds holds (free, clean, not held, unit type, ' +
    'isolation, telemetry, bariatric, room sex policy), each bed goes to at most one patient, and the ' +
    'total mismatch is minimised: fallback unit types, unneeded scarce equipment, unit specialty ' +
    "other than the patient's, missing preferred equipment, age outside the unit's limits, moving a " +
    'patient who already has a bed. Emergency requests are placed before urgent, urgent before ' +
    'routine. Give `requests` (patientId, need, priority) or `pending: true` for every request still ' +
    'negotiating. Returns each assignment with its cost and reasons, each request left out with why, ' +
    'the method (milp, or greedy-fallback with the reason) and the optimality gap. It only plans: it ' +
    'holds no bed; reserve the beds with reserve_bed.',
  input: planInput,
  output: planOutput,
  scope: 'beds:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const now = ctx.clock.now();
    let inputs: RequestInput[];
    let repeated: z.infer<typeof planOutput>['repeated'] = [];
    if (input.requests) {
      inputs = input.requests.map((request, i) => ({
        requestId: request.requestId ?? `request-${i + 1}`,
        patientId: request.patientId,
        need: request.need,
        priority: request.priority,
        preferredFeatures: request.preferredFeatures,
        field: `requests.${i}`,
      }));
    } else {
      ({ requests: inputs, repeated } = await loadNegotiatingRequests(db));
    }
    for (const request of inputs) assertPatientAccess(ctx, request.patientId);
    const requests = await describeRequests(db, inputs, now);
    const unitTypes = [...new Set(requests.flatMap((r) => r.need.unitTypes))];
    const beds = await loadAssignableBeds(db, unitTypes, now);
    const plan = await planUnderCaller({ beds, requests }, input.timeLimitSeconds, ctx);
    return { ...plan, repeated, bedsConsidered: beds.length };
  },
});

export const assignmentOperations = [planBedAssignmentsOperation];
