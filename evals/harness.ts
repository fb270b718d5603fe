import { createCheckpointer } from '../agents/runtime/checkpointer.ts';
import type { ModelSettings } from '../agents/runtime/model.ts';
import { runTriage } from '../agents/triage/run.ts';
import { createApp } from '../api/app.ts';
import { createApiKey, KeyResolver } from '../tools/auth/keys.ts';
import { claimJobs, completeJob } from '../db/jobs.ts';
import type { ScratchServer } from '../db/scratch.ts';
import type { Database } from '../db/client.ts';
import { systemActor } from '../tools/core/actor.ts';
import { ManualClock } from '../tools/core/clock.ts';
import { TRIAGE_QUEUE } from '../tools/health-data/ingest.ts';
import { sweepStaleDevices } from '../tools/health-data/stale.ts';
import { grade } from './grade.ts';
import { miniHospital } from './hospital.ts';
import type { KeyName, Scenario, TrialResult } from './types.ts';

const MAX_JOBS_PER_DRAIN = 200;

export interface Posted {
  status: number;
  text: string;
  json: Record<string, unknown> | null;
}

/** POSTs a JSON body to the in-process API with a key, as a client would; the body is kept as sent back. */
export async function postJson(
  app: ReturnType<typeof createApp>,
  path: string,
  key: string,
  body: unknown,
): Promise<Posted> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, text, json };
}

/** What a trial's call log keeps of an answer: a refusal's detail, or an agent's answer. */
export function answerDetail({ status, text, json }: Posted): string {
  return status >= 400
    ? String(json?.detail ?? text)
    : String((json as { answer?: unknown } | null)?.answer ?? text);
}

/**
 * Runs a thread agent on every job queued for it until its queue is empty, as the worker would, one at
 * a time. A run that finds its request busy (no other run is going) or a queue that never empties fails
 * the trial.
 */
export async function drainThreadQueue(
  database: Database,
  clock: ManualClock,
  queue: string,
  key: string,
  run: (id: string) => Promise<{ busy?: boolean }>,
): Promise<void> {
  for (let done = 0; ; ) {
    const jobs = await claimJobs(database.sql, queue, 'eval', 60_000, clock.now(), 10);
    if (jobs.length === 0) return;
    for (const job of jobs) {
      const id = (job.payload as Record<string, string>)[key]!;
      const r = await run(id);
      if (r.busy) throw new Error(`${queue} agent reported ${id} busy with no other run going`);
      await completeJob(database.sql, job.id, 'eval', clock.now());
      if (++done > MAX_JOBS_PER_DRAIN)
        throw new Error(`more than ${MAX_JOBS_PER_DRAIN} ${queue} jobs in a row`);
    }
  }
}

/** Monday 10:00 UTC: inside every on-call block of the fixture rota. */
export const EVAL_START = '2026-03-02T10:00:00Z';

/**
 * A trial on a fresh database with a checkpointer for the agents: `run` returns the grader's failures;
 * anything it throws is a crashed trial. The database is dropped either way.
 */
export async function gradedTrial(
  scratch: ScratchServer,
  run: (
    database: Database,
    checkpointer: Awaited<ReturnType<typeof createCheckpointer>>,
  ) => Promise<string[]>,
  /** A fixture written once into a template and copied for each trial. */
  prepared?: { key: string; prepare: (database: Database) => Promise<void> },
): Promise<TrialResult> {
  const started = Date.now();
  const database = prepared
    ? await scratch.createPreparedDatabase(prepared.key, prepared.prepare, 5)
    : await scratch.createDatabase(5);
  const checkpointer = await createCheckpointer(database.url);
  try {
    const failures = await run(database, checkpointer);
    return { passed: failures.length === 0, failures, ms: Date.now() - started };
  } catch (err) {
    return {
      passed: false,
      failures: [`trial crashed: ${err instanceof Error ? err.message : String(err)}`],
      ms: Date.now() - started,
    };
  } finally {
    await checkpointer.close();
    await database.drop();
  }
}

/**
 * One trial of one scenario: a fresh database with the fixture hospital, the real API called
 * in-process, and the real triage agent run for each queued job until the queue is empty.
 */
export async function runTrial(
  scratch: ScratchServer,
  scenario: Scenario,
  model: ModelSettings | null,
): Promise<TrialResult> {
  return gradedTrial(scratch, async (database, checkpointer) => {
    const clock = new ManualClock(EVAL_START);
    await miniHospital(database);
    await scenario.setup?.(database, clock);
    const now = clock.now();
    const keys: Record<KeyName, string> = {
      patient1: (
        await createApiKey(database.db, { role: 'patient-app', label: 'eval app 1', patientId: 'pat-1', now })
      ).key,
      patient2: (
        await createApiKey(database.db, { role: 'patient-app', label: 'eval app 2', patientId: 'pat-2', now })
      ).key,
      staff: (await createApiKey(database.db, { role: 'staff', label: 'eval staff', now })).key,
      admin: (await createApiKey(database.db, { role: 'admin', label: 'eval admin', now })).key,
    };
    const app = createApp({ database, clock, keys: new KeyResolver(database.db, 0) });
    const statuses: number[] = [];
    const drain = async () => {
      for (;;) {
        const jobs = await claimJobs(database.sql, TRIAGE_QUEUE, 'eval', 60_000, clock.now(), 10);
        if (jobs.length === 0) return;
        for (const job of jobs) {
          const { escalationId } = job.payload as { escalationId: string };
          await runTriage({ database, clock, checkpointer: checkpointer.saver, model }, escalationId);
          await completeJob(database.sql, job.id, 'eval', clock.now());
        }
      }
    };
    for (const step of scenario.steps) {
      if ('advanceMinutes' in step) {
        clock.advance(step.advanceMinutes * 60_000);
      } else if ('sweepStaleDevices' in step) {
        await sweepStaleDevices({ database, clock, actor: systemActor });
      } else {
        const res = await app.request(step.path ?? '/v1/observations', {
          method: 'POST',
          headers: {
            authorization: `Bearer ${keys[step.as ?? 'patient1']}`,
            'content-type': 'application/json',
            ...(step.idempotencyKey ? { 'idempotency-key': step.idempotencyKey } : {}),
          },
          body: JSON.stringify(step.post),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      }
      await drain();
    }
    return grade(database, scenario.expect, statuses);
  });
}
