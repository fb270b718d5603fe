import type { Database } from '../../db/client.ts';
import type { BedNeed } from '../../tools/beds/schema.ts';
import type { ManualClock } from '../../tools/core/clock.ts';

/** A bed need as a caller posts it: isolation, telemetry and bariatric default as request_bed does. */
export type NeedInput = Pick<BedNeed, 'unitTypes' | 'sex'> & Partial<Omit<BedNeed, 'unitTypes' | 'sex'>>;

/** One POST /v1/bed-requests body (patientId and need required; the rest as the API defaults them). */
export interface BedRequestInput {
  patientId: string;
  need: NeedInput;
  requester?: 'triage' | 'ed' | 'surgery' | 'transfer' | 'admissions';
  priority?: 'emergency' | 'urgent' | 'routine';
  holdMinutes?: number;
  escalateAfterMinutes?: number;
  escalationId?: string;
  requestId?: string;
}

/**
 * One thing that happens to the hospital. Requests are numbered 1, 2, … in the order they were first
 * filed (a replay keeps its number); `tag` names an HTTP call so the expectation can check its answer.
 */
export type BedStep =
  | { request: BedRequestInput; tag?: string }
  /** Several requests posted back to back before the bed agent runs: they compete (a surge). */
  | { requests: BedRequestInput[] }
  | {
      /** Answers a question of request N (1-based): the pending one, or its `approval`-th (1-based). */
      answer: number;
      approval?: number;
      as: string;
      decision: 'accept' | 'decline' | 'counter';
      reason?: string;
      bedId?: string;
      tag?: string;
    }
  /** Every pending question, oldest first, accepted by the charge nurse of its unit (or the bed manager). */
  | { acceptAllPending: true }
  | { cancel: number; reason?: string; tag?: string }
  /** POST /v1/ops/<op> with the body: admit_patient, discharge_patient, set_housekeeping_state, … */
  | { op: string; body: Record<string, unknown>; tag?: string }
  /** Minute by minute, as the worker's scheduler would: each minute the sweeps run and the agent catches up. */
  | { advanceMinutes: number };

export type RequestStatus = 'negotiating' | 'awaiting-acceptance' | 'assigned' | 'no-fit' | 'cancelled';
export type HoldStatus = 'held' | 'accepted' | 'released' | 'expired' | 'fulfilled';
export type OptionKind = 'expedite-discharge' | 'overflow' | 'transfer-out';

/** What one request must show at the end. Every field given is checked; fields left out are not. */
export interface RequestExpectation {
  status: RequestStatus;
  /** The bed assigned (assigned) or held (awaiting-acceptance); null: none. */
  bedId?: string | null;
  /** When the bed is not deterministic: the unit types it may be in. */
  unitTypes?: string[];
  /** Every hold placed, oldest first, as `bedId:status` or just `status`. */
  holds?: string[];
  /** Every question asked, oldest first, as `assigneeRole:status` (e.g. `charge-nurse:escalated`). */
  approvals?: string[];
  /** On no-fit: the options' kinds in order, and options that must be among them, in this order. */
  optionKinds?: OptionKind[];
  options?: { kind: OptionKind; bedId?: string; patientId?: string }[];
  outcome?: RegExp;
}

export interface BedExpectation {
  /** Status of every HTTP call, in order. */
  statuses?: number[];
  /** For a tagged call: its problem detail (or body, as JSON) must match. */
  details?: Record<string, RegExp>;
  /** Requests in the order they were filed. */
  requests?: RequestExpectation[];
  /** How many requests end in each status (for surges, where which patient gets which bed may vary). */
  statusCounts?: Partial<Record<RequestStatus, number>>;
  /** The same, by priority: { emergency: { 'awaiting-acceptance': 3 }, routine: { 'no-fit': 3 } }. */
  statusCountsByPriority?: Partial<
    Record<'emergency' | 'urgent' | 'routine', Partial<Record<RequestStatus, number>>>
  >;
  /**
   * Every no-fit request really had nothing: no bed free at the end (unoccupied, clean or inspected,
   * not held) fits it. Only for scenarios where no bed frees up after the requests were decided.
   */
  noFitOnlyWhenFull?: boolean;
  /** Beds as the bed board shows them at the end. */
  beds?: Record<string, { status?: string; housekeeping?: string; occupant?: string | null }>;
  /** Audited writes of these operations, e.g. { answer_approval: 1 } (refusals write nothing). */
  auditedWrites?: Record<string, number>;
}

export interface BedScenario {
  id: string;
  description: string;
  /** Changes to the bed hospital before the steps run. */
  setup?: (database: Database, clock: ManualClock) => Promise<void>;
  steps: BedStep[];
  expect: BedExpectation;
}
