import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import { createApiKey } from '../../tools/auth/keys.ts';
import { createTestDatabase } from '../db.ts';
import { deterioratingVitals } from '../fixtures.ts';

/**
 * The crash test: `carebridge start` runs as a child process, takes a burst of escalating readings over
 * HTTP and is killed with SIGKILL while triage jobs are in hand. A second process on the same database
 * must finish every escalation the first one accepted, and no side effect may happen twice.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const LEASE_MS = 2_000;
const SEEDED_PATIENTS = 24;
const DEMO_REPEATS = 8;

interface Service {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
  output: string[];
}

/** Starts `node cli/main.ts start` in its own process group and resolves once it prints its URL. */
async function startService(database: Database, dataDir: string): Promise<Service> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: '0',
    HOST: '127.0.0.1',
    CAREBRIDGE_DATA_DIR: dataDir,
    CAREBRIDGE_SEED_SIZE: 'small',
    CAREBRIDGE_JOB_LEASE_MS: String(LEASE_MS),
  };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CAREBRIDGE_MODEL', 'NODE_OPTIONS'])
    delete env[name];
  const child = spawn(process.execPath, ['cli/main.ts', 'start'], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = output.join('').match(/CareBridge is running at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
  return { child, url, exited, output };
}

/** Signals the whole process group (the service and anything it started). */
async function signalService(svc: Service, signal: NodeJS.Signals): Promise<void> {
  if (svc.child.exitCode !== null || svc.child.signalCode !== null) return;
  try {
    process.kill(-svc.child.pid!, signal);
  } catch {
    return;
  }
  await svc.exited;
}

interface Reading {
  idempotencyKey: string;
  patientId: string;
  condition: 'hypoglycaemia' | 'news2';
  body: Record<string, unknown>;
}

type Posted =
  | { status: 202; escalationId: string; replayed: boolean }
  | { status: 'no-answer'; error: string };

async function post(url: string, key: string, r: Reading): Promise<Posted> {
  try {
    const res = await fetch(`${url}/v1/observations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': r.idempotencyKey,
      },
      body: JSON.stringify(r.body),
    });
    const body = (await res.json()) as { escalationId?: string };
    if (res.status !== 202) throw new Error(`${r.idempotencyKey}: expected 202, got ${res.status}`);
    return {
      status: 202,
      escalationId: body.escalationId!,
      replayed: res.headers.get('idempotent-replayed') === 'true',
    };
  } catch (err) {
    // The service was killed under the request: the client cannot know whether it was accepted.
    if (err instanceof TypeError) return { status: 'no-answer', error: String(err.cause ?? err) };
    throw err;
  }
}

/** Posts every reading, a few at a time, the way a fleet of patient apps would. */
async function postAll(
  url: string,
  keys: Map<string, string>,
  readings: Reading[],
  onAnswer: (r: Reading, p: Posted) => void,
  opts: { concurrency?: number; pauseMs?: number; before?: (index: number) => Promise<void> } = {},
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.concurrency ?? 6 }, async () => {
      while (next < readings.length) {
        const index = next++;
        const r = readings[index]!;
        await opts.before?.(index);
        onAnswer(r, await post(url, keys.get(r.patientId)!, r));
        if (opts.pauseMs) await new Promise((resolve) => setTimeout(resolve, opts.pauseMs));
      }
    }),
  );
}

const lowGlucose = { glucose: { value: 48, unit: 'mg/dL' } };
// NEWS2 10 (RCP 2017): respiration 24 (2), SpO2 91 % (3), systolic 95 (2), pulse 118 (2), 38.6 °C (1).
const deterioratingReading = { vitals: deterioratingVitals };

let database: Database;
let dataDir: string;
let first: Service;
let second: Service | undefined;
const patientKeys = new Map<string, string>();
const readings: Reading[] = [];
/** Idempotency key → the escalation id a client was given with 202. */
const accepted = new Map<string, string>();
const unanswered: Reading[] = [];
interface RunAtKill {
  id: string;
  escalation_id: string;
  escalation_status: string;
}
let atKill: { jobs: Record<string, number>; triaging: number; runsInFlight: RunAtKill[]; midActions: number };

async function count(query: string): Promise<number> {
  const [row] = await database.sql.unsafe(query);
  return Number(row!.n);
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'carebridge-crash-'));
  first = await startService(database, dataDir);

  // The service seeded the demo hospital itself; add patient-app keys for some of its patients.
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo-keys.json'), 'utf8')) as {
    patientApp: { key: string; patientId: string };
  };
  patientKeys.set(demo.patientApp.patientId, demo.patientApp.key);
  const seeded = await database.sql<{ id: string }[]>`
    select id from patients where id <> ${demo.patientApp.patientId} order by id limit ${SEEDED_PATIENTS}`;
  for (const { id } of seeded) {
    const { key } = await createApiKey(database.db, {
      role: 'patient-app',
      label: `crash test ${id}`,
      patientId: id,
      now: new Date(),
    });
    patientKeys.set(id, key);
  }
  // Three rounds: a hypo for each patient, their deteriorating vitals, then a repeat of the hypo
  // (suppressed by design); the demo patient's CGM repeats its reading throughout.
  const rounds = [
    ['glucose', lowGlucose, 'hypoglycaemia'],
    ['vitals', deterioratingReading, 'news2'],
    ['glucose-repeat', lowGlucose, 'hypoglycaemia'],
  ] as const;
  for (const [round, body, condition] of rounds) {
    for (const { id } of seeded) {
      readings.push({
        idempotencyKey: `${id}-${round}`,
        patientId: id,
        condition,
        body: { patientId: id, ...body },
      });
    }
  }
  for (let i = 0; i < DEMO_REPEATS; i++) {
    readings.splice(i * 9 + 1, 0, {
      idempotencyKey: `pat-demo-cgm-${i}`,
      patientId: 'pat-demo',
      condition: 'hypoglycaemia',
      body: { patientId: 'pat-demo', deviceId: 'dev-pat-demo-cgm', ...lowGlucose },
    });
  }
}, 120_000);

// Whatever happened, no service outlives the test file.
afterAll(async () => {
  for (const svc of [first, second]) if (svc) await signalService(svc, 'SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('killing the server mid-run', () => {
  it('accepts escalating readings over HTTP and dies with triage jobs unfinished', async () => {
    let sent = 0;
    let killed: Promise<void> | null = null;
    // Watches the queue and kills the service once half the burst is in and an agent run is part-way
    // through its actions (a bed held, say, but the patient not yet advised).
    const inHand = async () => {
      const [q] = await database.sql<{ done: number; acting: number }[]>`
        select count(*) filter (where status = 'done')::int as done,
               (select count(*)::int from escalations e where e.status = 'triaging' and exists (
                  select 1 from escalation_events ev where ev.escalation_id = e.id
                  and ev.step like 'action:%')) as acting
        from jobs`;
      return q!.acting > 0 && q!.done > 0;
    };
    const watcher = (async () => {
      const deadline = Date.now() + 60_000;
      while (!killed && Date.now() < deadline) {
        if (sent >= readings.length / 2 && (await inHand())) {
          // Frozen first, so that a run cannot finish its actions between the look and the kill; a
          // commit already on its way to PostgreSQL lands in the pause, then the state is looked at again.
          process.kill(-first.child.pid!, 'SIGSTOP');
          await new Promise((r) => setTimeout(r, 100));
          if (await inHand()) {
            killed = signalService(first, 'SIGKILL');
            break;
          }
          process.kill(-first.child.pid!, 'SIGCONT');
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    // Paced like a fleet of apps, so that readings are still arriving when the worker is mid-run. On a
    // busy machine the worker may lag the burst, so the last quarter waits for the kill: whenever it
    // comes, some readings are still to arrive (and find the server dead).
    const holdBack = Math.floor((readings.length * 3) / 4);
    const pacing = {
      concurrency: 4,
      pauseMs: 200,
      before: async (index: number) => {
        if (index < holdBack) return;
        await watcher;
        await (killed ?? signalService(first, 'SIGKILL'));
      },
    };
    await postAll(
      first.url,
      patientKeys,
      readings,
      (r, p) => {
        sent++;
        if (p.status === 202) accepted.set(r.idempotencyKey, p.escalationId);
        else unanswered.push(r);
      },
      pacing,
    );
    await watcher;
    // Should the watcher give up, kill anyway: the checks below then report what was in hand.
    await (killed ?? signalService(first, 'SIGKILL'));
    expect(first.child.signalCode).toBe('SIGKILL');

    const jobRows = await database.sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from jobs group by status`;
    atKill = {
      jobs: Object.fromEntries(jobRows.map((r) => [r.status, r.n])),
      triaging: await count(`select count(*) as n from escalations where status = 'triaging'`),
      runsInFlight: [
        ...(await database.sql<RunAtKill[]>`
          select r.id, r.escalation_id, e.status as escalation_status
          from agent_runs r join escalations e on e.id = r.escalation_id where r.status = 'running'`),
      ],
      midActions:
        await count(`select count(*) as n from escalations e where e.status = 'triaging' and exists (
        select 1 from escalation_events ev where ev.escalation_id = e.id and ev.step like 'action:%')`),
    };
    expect(accepted.size).toBeGreaterThan(readings.length / 3);
    // Readings were still arriving: some clients never heard back and will retry after the restart.
    expect(unanswered.length).toBeGreaterThan(0);
    expect(atKill.jobs.done ?? 0, JSON.stringify(atKill)).toBeGreaterThan(0);
    expect((atKill.jobs.running ?? 0) + (atKill.jobs.queued ?? 0), JSON.stringify(atKill)).toBeGreaterThan(0);
    // Agent runs were cut off part-way, some between two of their actions: they must resume from
    // their checkpoints without repeating what they had done.
    expect(atKill.runsInFlight.length, JSON.stringify(atKill)).toBeGreaterThan(0);
    expect(atKill.midActions, JSON.stringify(atKill)).toBeGreaterThan(0);
  }, 120_000);

  it('restarts on the same database; a client retrying with its Idempotency-Key gets the same escalation', async () => {
    second = await startService(database, dataDir);
    const answers = new Map<string, Posted>();
    // Every reading again: the ones answered before the crash, and the ones whose answer was lost or
    // that never reached the dead server.
    await postAll(second.url, patientKeys, readings, (r, p) => answers.set(r.idempotencyKey, p));
    for (const r of readings) {
      const p = answers.get(r.idempotencyKey)!;
      expect(p.status, r.idempotencyKey).toBe(202);
      if (p.status !== 202) continue;
      const before = accepted.get(r.idempotencyKey);
      if (before) expect(p, r.idempotencyKey).toEqual({ status: 202, escalationId: before, replayed: true });
      else accepted.set(r.idempotencyKey, p.escalationId);
    }
    expect(accepted.size).toBe(readings.length);
    expect(new Set(accepted.values()).size).toBe(readings.length);
    // Nothing was accepted that no client was told about, and nothing twice.
    const ids = await database.sql<{ id: string }[]>`select id from escalations order by id`;
    expect(ids.map((r) => r.id)).toEqual([...accepted.values()].sort());
  }, 120_000);

  it('completes every accepted escalation, once', async () => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const open =
        await count(`select count(*) as n from escalations where status not in ('completed', 'suppressed', 'failed')
        or exists (select 1 from jobs where status <> 'done' and status <> 'failed')`);
      if (open === 0) break;
      if (Date.now() > deadline) {
        const states = await database.sql`select status, count(*)::int as n from escalations group by status`;
        throw new Error(
          `escalations still open after 120 s: ${JSON.stringify(states)}\n${second!.output.join('')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const statuses = await database.sql<{ id: string; status: string }[]>`select id, status from escalations`;
    expect(statuses.filter((s) => s.status !== 'completed' && s.status !== 'suppressed')).toEqual([]);

    // One triage job per escalation, every one done; the bed agent's jobs are done too.
    const jobs = await database.sql<{ escalation_id: string; status: string }[]>`
      select payload->>'escalationId' as escalation_id, status from jobs where queue = 'triage'`;
    expect(jobs.map((j) => j.escalation_id).sort()).toEqual([...accepted.values()].sort());
    expect(jobs.filter((j) => j.status !== 'done')).toEqual([]);
    expect(await count(`select count(*) as n from jobs where queue = 'beds' and status <> 'done'`)).toBe(0);

    // Exactly one terminal event per escalation, and it agrees with the escalation's status.
    const terminal = await database.sql<{ id: string; status: string; steps: string[] }[]>`
      select e.id, e.status, array_agg(ev.step order by ev.id) filter (
          where ev.step in ('completed', 'suppressed', 'failed')) as steps
      from escalations e left join escalation_events ev on ev.escalation_id = e.id
      group by e.id, e.status`;
    for (const t of terminal) expect(t.steps, t.id).toEqual([t.status]);

    // One agent run per escalation, every one closed. A run cut off mid-triage was resumed as another
    // attempt of the same run; one cut off after closing its escalation was only marked finished.
    const runs = await database.sql<
      { id: string; escalation_id: string; status: string; attempts: number }[]
    >`
      select id, escalation_id, status, attempts from agent_runs where agent = 'triage'`;
    expect(runs.map((r) => r.escalation_id).sort()).toEqual([...accepted.values()].sort());
    expect(runs.filter((r) => r.status !== 'completed')).toEqual([]);
    // The bed agent's runs stopped where they should: waiting for a charge nurse, or done.
    expect(
      await count(
        `select count(*) as n from agent_runs where agent = 'beds' and status not in ('waiting', 'completed')`,
      ),
    ).toBe(0);
    for (const cut of atKill.runsInFlight) {
      const run = runs.find((r) => r.escalation_id === cut.escalation_id)!;
      expect(run.id).toBe(cut.id);
      const closedBeforeKill =
        cut.escalation_status === 'completed' || cut.escalation_status === 'suppressed';
      if (!closedBeforeKill) expect(run.attempts, cut.escalation_id).toBeGreaterThan(1);
    }
  }, 180_000);

  it('keeps one episode per patient and condition: the first escalation acts, repeats are suppressed', async () => {
    type Row = {
      id: string;
      patient_id: string;
      condition: string;
      status: string;
      duplicate_of: string | null;
    };
    const rows = await database.sql<Row[]>`
      select id, patient_id, condition, status, duplicate_of from escalations order by created_at, id`;
    const byEpisode = new Map<string, Row[]>();
    for (const r of rows) {
      const k = `${r.patient_id}/${r.condition}`;
      byEpisode.set(k, [...(byEpisode.get(k) ?? []), r]);
    }
    expect(byEpisode.size).toBe(SEEDED_PATIENTS * 2 + 1);
    for (const [episode, [head, ...repeats]] of byEpisode) {
      expect(head!.status, episode).toBe('completed');
      for (const r of repeats) {
        expect(r.status, episode).toBe('suppressed');
        expect(
          rows.find((x) => x.id === r.duplicate_of),
          episode,
        ).toMatchObject({
          patient_id: r.patient_id,
          condition: r.condition,
        });
      }
    }
  });

  it('never holds a bed twice, nor reserves twice for one escalation', async () => {
    const perBed = await database.sql<{ bed_id: string; n: number }[]>`
      select bed_id, count(*)::int as n from bed_reservations
      where status in ('held', 'accepted') group by bed_id having count(*) > 1`;
    expect(perBed).toEqual([]);
    const perEscalation = await database.sql<{ escalation_id: string; n: number }[]>`
      select escalation_id, count(*)::int as n from bed_reservations
      group by escalation_id having count(*) > 1`;
    expect(perEscalation).toEqual([]);
    // Every reservation belongs to a completed escalation whose timeline reports that very bed.
    const holds = await database.sql<
      { escalation_id: string; status: string; bed_id: string; data: unknown }[]
    >`
      select r.escalation_id, e.status, r.bed_id, ev.data from bed_reservations r
      join escalations e on e.id = r.escalation_id
      left join escalation_events ev on ev.escalation_id = r.escalation_id and ev.step = 'action:reserve-bed'`;
    expect(holds.length).toBeGreaterThan(0);
    for (const h of holds) {
      expect(h.status).toBe('completed');
      expect(h.data).toMatchObject({ ok: true, bedId: h.bed_id });
    }
    const audited = await database.sql<{ escalation_id: string; n: number }[]>`
      select input->>'escalationId' as escalation_id, count(*)::int as n from audit_log
      where tool = 'request_bed' group by 1 having count(*) > 1`;
    expect(audited).toEqual([]);
  });

  it('pages, notifies and advises once per escalation and recipient', async () => {
    const twice = await database.sql<{ escalation_id: string; channel: string; n: number }[]>`
      select escalation_id, channel, count(*)::int as n from notifications
      group by escalation_id, channel having count(*) > 1`;
    expect(twice).toEqual([]);
    // Each completed emergency told its patient once and its nurse once; suppressed repeats told nobody.
    const sent = await database.sql<{ status: string; channels: string[] | null }[]>`
      select e.status, array_agg(n.channel order by n.channel) filter (where n.id is not null) as channels
      from escalations e left join notifications n on n.escalation_id = e.id
      group by e.id, e.status`;
    for (const s of sent) {
      if (s.status === 'suppressed') expect(s.channels).toBeNull();
      else expect(s.channels).toEqual(expect.arrayContaining(['advice', 'notify']));
    }
    // A replayed tool call is audited as a replay; only one delivery per message is audited as sent.
    const delivered = await database.sql<{ tool: string; escalation_id: string; n: number }[]>`
      select tool, input->>'escalationId' as escalation_id, count(*)::int as n from audit_log
      where tool in ('page_staff', 'notify_staff', 'send_patient_advice') and outcome->>'replayed' = 'false'
      group by 1, 2 having count(*) > 1`;
    expect(delivered).toEqual([]);
  });

  it('leaves the audit chain intact; the restarted service exits on SIGTERM', async () => {
    const report = await verifyAuditChain(database.sql);
    expect(report).toMatchObject({ intact: true });
    await signalService(second!, 'SIGTERM');
    expect(second!.child.exitCode !== null || second!.child.signalCode !== null).toBe(true);
  }, 60_000);
});
