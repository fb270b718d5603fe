import type { ModelSettings } from '../agents/runtime/model.ts';
import type { Database } from '../db/client.ts';
import type { ScratchServer } from '../db/scratch.ts';
import type { ManualClock } from '../tools/core/clock.ts';

export type KeyName = 'patient1' | 'patient2' | 'staff' | 'admin';

export type Step =
  | { post: unknown; as?: KeyName; path?: '/v1/observations' | '/fhir/Observation'; idempotencyKey?: string }
  | { advanceMinutes: number }
  | { sweepStaleDevices: true };

/** What the final state must show. Every field given is checked; fields left out are not. */
export interface Expectation {
  /** HTTP status of each post, in order. */
  statuses?: number[];
  /** Escalations in creation order. */
  escalations?: { condition: string; level?: string; status: string; outcome?: string | RegExp }[];
  /** Live bed holds: how many, and in which unit types. */
  heldBeds?: { count: number; unitTypes?: string[]; telemetry?: boolean };
  /** Staff ids paged, in order. */
  paged?: string[];
  /** Staff ids notified (non-urgent channel), in order. */
  notified?: string[];
  /** Text every piece of patient advice must contain. */
  adviceContains?: (string | RegExp)[];
  /** Text every page and notification must contain (e.g. the escalation id, as {escalationId}). */
  clinicianMessageContains?: (string | RegExp)[];
  /** Event messages that must appear somewhere in the escalations' timelines. */
  eventMessages?: RegExp[];
  observations?: number;
  auditChainIntact?: boolean;
}

export interface Scenario {
  id: string;
  description: string;
  /** Changes to the fixture hospital before the steps run. */
  setup?: (database: Database, clock: ManualClock) => Promise<void>;
  steps: Step[];
  expect: Expectation;
}

/** What the runner needs of any suite's scenario: the rest is the suite's own (steps, expectation). */
export interface ScenarioBase {
  id: string;
  description: string;
}

/** A suite brings its scenarios and the harness that runs one trial of one of them. */
export interface Suite<S extends ScenarioBase = Scenario> {
  name: string;
  description: string;
  scenarios: S[];
  /** One trial on a fresh database, graded on its final state. */
  runTrial(scratch: ScratchServer, scenario: S, model: ModelSettings | null): Promise<TrialResult>;
}

/** Any suite, whatever its scenarios look like (runTrial is a method, so suites of every kind fit). */
export type AnySuite = Suite<ScenarioBase>;

export interface TrialResult {
  passed: boolean;
  failures: string[];
  ms: number;
}

export interface ScenarioResult {
  id: string;
  description: string;
  trials: TrialResult[];
  /** All k trials passed. */
  passK: boolean;
}
