import type { Database } from '../../db/client.ts';
import type { SurgeryRequestStatus } from '../../db/schema/index.ts';
import type { SurgeryAlternative, SurgeryAttempt } from '../../tools/surgery/store.ts';
import type { ManualClock } from '../../tools/core/clock.ts';

/** A physician named by what the scenario knows of them: the first or second of a specialty (ids sorted). */
export type SurgeonRef =
  | 'general'
  | 'general2'
  | 'ortho'
  | 'ortho2'
  | 'obstetrics'
  | 'cardiology'
  | 'anaesthetist';

/** What a scenario's setup may use: the fixture hospital as the seed made it. */
export interface SurgeryFixture {
  database: Database;
  clock: ManualClock;
  /** Patient ids, sorted; requests name a patient by index. */
  patients: string[];
  surgeon(ref: SurgeonRef): string;
}

/**
 * One thing that happens, through the real HTTP API (the theatre staff's key). After each step the
 * surgery agent runs every queued job (and the revenue agent its own), unless the step says
 * `beforeAgent`. The clock starts on Monday 2026-03-02 06:00 UTC, before the theatres open.
 */
export type SurgeryStep =
  /** request_surgery; the label names the request in later steps and in the expectation. */
  (
    | {
        request: string;
        procedure: string;
        surgeon?: SurgeonRef;
        /** Index into the sorted patients; 0 unless given. */
        patient?: number;
        diagnosisCodes?: string[];
        /** Hours from the clock's start (Monday 06:00 UTC). */
        earliestInHours?: number;
        latestInHours?: number;
      }
    /** cancel_surgery, as the surgeon's office would. */
    | { cancel: string }
    /** The surgery agent run on these requests at the same time (as two workers would). */
    | { planTogether: string[] }
    /**
     * The case is performed: the patient arrives (an encounter of the class), the billing office files the
     * payer's authorisation if `priorAuth`, the clock moves to the case's end and the theatre completes it.
     */
    | { complete: string; encounterClass: 'AMB' | 'IMP'; priorAuth?: boolean }
  ) & { tag?: string; beforeAgent?: boolean };

/** A tool call of the surgery agent made to fail (the server unreachable): once, at its nth call. */
export interface InjectedFault {
  tool: string;
  /** 1 = the first call of that tool in the trial. */
  nth?: number;
  /** 'after': the call is made and its answer lost (the write happened); 'before': nothing is sent. */
  when: 'before' | 'after';
}

export interface HeldCounts {
  stock: number;
  team: number;
  beds: number;
  theatres: number;
}

export interface RequestExpectation {
  status: SurgeryRequestStatus;
  /** What is still held for it (stock reservations, team, bed booking, theatre booking). */
  held?: HeldCounts;
  /** The plan's theatre, and whether it holds a post-op bed. */
  theatre?: string;
  bed?: boolean;
  /** Items of the plan reserved in place of another: substitute → the item it stands in for. */
  substitutes?: Record<string, string>;
  /** The steps of the slots tried and given up, in order. */
  attemptSteps?: SurgeryAttempt['step'][];
  /** At least this many slots tried and given up. */
  minAttempts?: number;
  /** Kinds of the alternatives proposed (distinct, sorted); [] for none; null for never proposed. */
  alternatives?: SurgeryAlternative['kind'][] | null;
  /** Item ids of the order-stock alternatives, sorted. */
  orderItems?: string[];
  outcome?: RegExp;
  /** After completion: stock reservations consumed, charges on the case's encounter, team completed. */
  consumed?: number;
  charges?: number;
  teamCompleted?: number;
  /** A bed request filed for the patient by the surgery agent. */
  bedRequested?: boolean;
  /** The claims of the case's encounter, by status. */
  claims?: Record<string, number>;
  /** The revenue task billing the case. */
  revenueTask?: 'open' | 'waiting' | 'done' | 'failed' | null;
}

export interface SurgeryExpectation {
  requests?: Record<string, RequestExpectation>;
  /** HTTP status of tagged steps, and the field the problem names. */
  calls?: Record<string, { status: number; field?: string }>;
  /** How many surgery requests exist in the end. */
  requestCount?: number;
  /** Theatre bookings made for requests (any status); e.g. 0 when cancelled before planning. */
  theatreBookingsMade?: Record<string, number>;
  /** The scenario's own check of the final state: one line per difference. */
  check?: (g: GradeContext) => Promise<string[]>;
}

export interface GradeContext {
  database: Database;
  /** Request ids by label. */
  ids: Record<string, string>;
  fixture: SurgeryFixture;
}

export interface SurgeryScenario {
  id: string;
  description: string;
  setup?: (f: SurgeryFixture) => Promise<void>;
  faults?: InjectedFault[];
  steps: SurgeryStep[];
  expect: SurgeryExpectation;
}
