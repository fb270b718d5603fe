import type { Database } from '../../db/client.ts';
import type { ClaimStatus, DenialAction, DenialCategory } from '../../db/schema/index.ts';
import type { ManualClock } from '../../tools/core/clock.ts';
import type { Correction } from '../../tools/revenue/claims/schema.ts';

/**
 * A claim named by what a scenario knows before it runs (claim ids are generated): its encounter, and
 * when the encounter has several, its type, its frequency (1 original, 7 replacement, 8 void) and its
 * place among those (0 = the first built).
 */
export interface ClaimRef {
  encounter: string;
  type?: '837P' | '837I';
  frequency?: '1' | '7' | '8';
  nth?: number;
}

/** A claim as it stands when a step runs, for 835 builders and request bodies. */
export interface ClaimNow {
  id: string;
  type: '837P' | '837I';
  status: ClaimStatus;
  totalChargeCents: number;
  payerClaimNumber: string | null;
  /** Service lines: SVC01 as an 835 echoes it (HC:<procedure> or NU:<revenue code>), charge, date. */
  lines: { svc: string; chargeCents: number; date: string }[];
}

export type Lookup = (ref: ClaimRef) => ClaimNow;

/** The line number (LX01) of the claim's line for a procedure or revenue code. */
export function lineOf(claim: ClaimNow, code: string): number {
  const k = claim.lines.findIndex((l) => l.svc.endsWith(`:${code}`));
  if (k < 0) throw new Error(`claim ${claim.id} has no line for ${code}`);
  return k + 1;
}

export type KeyName = 'billing' | 'admin' | 'staff';

/**
 * One thing that happens, through the real HTTP API. After each step the revenue agent runs every
 * queued job, unless the step says `beforeAgent` (a person acts before the agent gets to it). The clock
 * starts on 2026-03-20 09:00 UTC (the billing fixture's today) and moves a second per step.
 */
export type RevenueStep =
  /** POST /v1/ops/<op> with the billing key unless `as` says otherwise; the body may name claims. */
  (
    | {
        op: string;
        body: Record<string, unknown> | ((claim: Lookup) => Record<string, unknown>);
        as?: KeyName;
      }
    /** start_revenue_task: the billing office asks the agent to bill an encounter. */
    | { startBilling: string }
    /** discharge_patient through the API (beds:write: the admin key unless `as`). */
    | { discharge: string; as?: KeyName }
    /** complete_theatre_booking through the API (admin key). */
    | { completeBooking: string }
    /** post_remittance of the 835 built from the claims as they are now. */
    | { remit: (claim: Lookup) => string; as?: KeyName }
    /** The coder's answer to the question on a claim (answer_claim_review as stf-coder unless `coder`). */
    | {
        answerReview: ClaimRef;
        decision: 'correct' | 'void';
        /** The coder's corrections; lines built on one day with one revenue code come in no fixed order, so
         * a correction may name its line from the claim as it stands. */
        corrections?: Correction[] | ((claim: ClaimNow) => Correction[]);
        reason?: string;
        coder?: string;
      }
    /** The coder's answer to the draft on the work item of a claim (answer_denial_draft). */
    | { answerDraft: ClaimRef; decision: 'approve' | 'decline'; reason?: string; coder?: string }
    /** resolve_denial on the open work item of a claim. */
    | { resolve: ClaimRef; resolution: string; note: string }
    /** match_held_payment: the oldest held payment onto the claim. */
    | { matchHeld: ClaimRef }
    /** The revenue agent's answer to a question (POST /v1/agents/revenue/ask); `{claim}` fills in a claim id. */
    | { ask: string; claim?: ClaimRef; as?: KeyName }
    | { advanceDays: number }
    /** Steps sent at the same time (real concurrent requests), each with its own tag. */
    | { together: RevenueStep[] }
  ) & { tag?: string; beforeAgent?: boolean };

export interface ClaimExpectation extends ClaimRef {
  status?: ClaimStatus;
  /** Whether it names the claim it replaces (replacesClaimId and REF*F8). */
  replaces?: boolean;
  /** Error finding codes of the last stored scrub, sorted. */
  errorCodes?: string[];
  /** How many recorded changes, and the fields they changed (sorted, distinct). */
  changes?: number;
  changedFields?: string[];
  paidCents?: number;
  patientResponsibilityCents?: number;
  /** Number of service lines; the modifiers of the line of each procedure code; units of each line (LX order). */
  lines?: number;
  modifiersByCode?: Record<string, string[]>;
  lineUnits?: number[];
  /** Diagnosis codes as sent (no dot), in order. */
  diagnoses?: string[];
}

export interface WorkItemExpectation {
  claim?: ClaimRef | null;
  category?: DenialCategory;
  suggestedAction?: DenialAction;
  status?: 'open' | 'awaiting-approval' | 'resolved';
  resolution?: string | null;
  draftKind?: 'appeal' | 'corrected-claim' | null;
  approved?: boolean;
  declined?: boolean;
}

export interface TaskExpectation {
  kind: 'bill-encounter' | 'work-remittance';
  status: 'open' | 'waiting' | 'done' | 'failed';
  outcome?: RegExp;
  /** Each must match some note. */
  notes?: RegExp[];
  /** Each must match exactly one note (what happened once is recorded once). */
  notesOnce?: RegExp[];
}

export interface RevenueExpectation {
  /** How many claims each encounter ends with (void and replaced included). */
  claimCounts?: Record<string, number>;
  claims?: ClaimExpectation[];
  /** Open, billed and voided charges of an encounter. */
  charges?: Record<string, { open?: number; billed?: number; voided?: number }>;
  remittances?: number;
  /** Payments posted, and still held. */
  payments?: { posted?: number; held?: number };
  /** Denial work items in creation order. */
  workItems?: WorkItemExpectation[];
  /** Revenue tasks in creation order. */
  tasks?: TaskExpectation[];
  /** Files in the outbox, and the claims inside them all (sorted). */
  outbox?: { files: number; claims?: ClaimRef[] };
  /** HTTP status and problem detail (or answer text) of tagged steps. */
  calls?: Record<string, { status: number; detail?: RegExp }>;
  /** Statuses of concurrent calls, whichever came first: the tags' statuses, sorted, e.g. [200, 409]. */
  raced?: { tags: string[]; statuses: number[] }[];
}

export interface RevenueScenario {
  id: string;
  description: string;
  setup?: (database: Database, clock: ManualClock) => Promise<void>;
  steps: RevenueStep[];
  expect: RevenueExpectation;
}
