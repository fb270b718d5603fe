import type { Database } from '../../db/client.ts';
import type { CoverRequestStatus, CoverTier } from '../../db/schema/index.ts';
import type { ManualClock } from '../../tools/core/clock.ts';

/**
 * One thing that happens. Cover requests are numbered 1, 2, … in the order they were filed; after each
 * step the staffing agent runs every queued job, unless the step says `beforeAgent` (a person acts
 * before the agent gets to it). The clock is Monday 2026-03-09 12:00 UTC (the cover ward's week).
 */
export type StaffingStep = (
  | { callOut: string; reason?: string }
  /** An open shift: POST request_cover by unit, role, day and kind. */
  | {
      post: {
        unitId: string;
        role: 'RN' | 'LPN' | 'CNA' | 'charge-nurse';
        day: string;
        kind: 'day' | 'evening' | 'night';
        requiredSkill?: string;
        approvalThresholdCents?: number;
      };
    }
  /** A staffing manager's (or someone's) answer to request N's question. */
  | { answer: number; decision: 'approve' | 'decline'; as?: string; reason?: string }
  /** A person rosters someone on request N by hand (assign_cover). */
  | { assign: number; staffId: string }
  | { cancel: number; outcome?: string }
  /** POST /v1/ops/<op> (e.g. set up leave or a shift through the real tools). */
  | { op: string; body: Record<string, unknown> }
  /** The staffing agent's answer to a question (POST /v1/agents/staffing/ask). */
  | { ask: string }
) & { tag?: string; beforeAgent?: boolean };

export interface CoverExpectation {
  status: CoverRequestStatus;
  filledBy?: string | null;
  tier?: CoverTier | null;
  costCents?: number;
  requiredSkill?: string | null;
  /** The candidate the pending question is about (awaiting-approval). */
  asking?: string | null;
  /** Every manager answer, in order, as `staffId:decision`. */
  decisions?: string[];
  outcome?: RegExp;
}

export interface StaffingExpectation {
  /** HTTP status of each step's call, in order (questions included). */
  statuses?: number[];
  /** Problem detail (or answer text) of a tagged call. */
  details?: Record<string, RegExp>;
  /** Cover requests in filing order. */
  requests?: CoverExpectation[];
  /** Staff who must end with no shift starting at the given time (ISO), e.g. nobody double-booked. */
  notRostered?: { staffId: string; startsAt: string }[];
}

export interface StaffingScenario {
  id: string;
  description: string;
  setup?: (database: Database, clock: ManualClock) => Promise<void>;
  steps: StaffingStep[];
  expect: StaffingExpectation;
}
