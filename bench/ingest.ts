import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { startAgentWorker } from '../agents/runtime/service.ts';
import { createApp } from '../api/app.ts';
import { createApiKey, KeyResolver } from '../tools/auth/keys.ts';
import type { Database } from '../db/client.ts';
import { ScratchServer } from '../db/scratch.ts';
import { devices, patients } from '../db/schema/index.ts';
import { miniHospital } from '../evals/hospital.ts';
import { systemClock } from '../tools/core/clock.ts';
import { jsonPoster, type LoadResult, mergeLoads, runLoad } from './load.ts';

const PATIENTS = 500;
/** One reading in fifty is low enough to escalate, so triage runs alongside ingest. */
const ESCALATING_SHARE = 50;
const ROUNDS = 4;
const DRAIN_TIMEOUT_MS = 120_000;

/** Waits for the worker to finish every escalation; then how long each took from 202 to its end state. */
async function drainTriage(database: Database) {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const [row] =
      await database.sql`select count(*) filter (where status not in ('completed','suppressed','failed'))::int as open
      from escalations`;
    if (row!.open === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const [stats] = await database.sql`
    select count(*)::int as total,
      count(*) filter (where completed_at is not null)::int as done,
      coalesce(percentile_cont(0.5) within group (order by extract(epoch from completed_at - created_at) * 1000), 0)::float8 as p50,
      coalesce(percentile_cont(0.99) within group (order by extract(epoch from completed_at - created_at) * 1000), 0)::float8 as p99
    from escalations`;
  return {
    total: stats!.total as number,
    done: stats!.done as number,
    p50Ms: Number(stats!.p50),
    p99Ms: Number(stats!.p99),
  };
}

async function addCgmPatients(database: Database) {
  const rows = Array.from({ length: PATIENTS }, (_, i) => ({
    id: `bench-${i}`,
    mrn: `BENCH${i}`,
    givenName: 'Bench',
    familyName: `Patient ${i}`,
    birthDate: '1980-01-01',
    sex: i % 2 ? ('male' as const) : ('female' as const),
    assignedNurseId: 'stf-nurse',
    careSpecialty: 'endocrinology',
  }));
  await database.db.insert(patients).values(rows);
  await database.db.insert(devices).values(
    rows.map((p) => ({
      id: `${p.id}-cgm`,
      patientId: p.id,
      kind: 'cgm' as const,
      expectedIntervalSeconds: 300,
    })),
  );
}

/** The baseline: parse the JSON and insert the observation row, nothing else. */
function bareApp(database: Database) {
  const app = new Hono();
  app.post('/bare/observations', async (c) => {
    const body = (await c.req.json()) as { patientId: string; deviceId: string; glucose: { value: number } };
    const now = new Date();
    await database.sql`insert into observations (id, patient_id, loinc, kind, value, unit, device_id, effective_at, received_at, source)
      values (${randomUUID()}, ${body.patientId}, '99504-3', 'glucose', ${body.glucose.value}, 'mg/dL', ${body.deviceId},
              ${now.toISOString()}, ${now.toISOString()}, 'app')`;
    return c.json({ ok: true }, 201);
  });
  return app;
}

function reading(i: number) {
  const p = i % PATIENTS;
  const value = i % ESCALATING_SHARE === 0 ? 48 : 90 + (i % 80);
  return { patientId: `bench-${p}`, deviceId: `bench-${p}-cgm`, glucose: { value, unit: 'mg/dL' } };
}

function listen(
  fetch: (req: Request) => Response | Promise<Response>,
): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    );
  });
}

const fmt = (r: LoadResult) =>
  `${r.throughput.toFixed(0).padStart(6)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(6)} ms   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   ` +
  `${r.requests} requests, ${r.errors} errors ${JSON.stringify(r.statuses)}`;

/**
 * `carebridge bench`: one run, one server, one database. The full ingest path (auth, validation,
 * screening, idempotency, observation + escalation + job + audit in one transaction) against the
 * bare insert, over real HTTP on loopback, with the triage worker running.
 */
export async function runBenchCommand(values: Record<string, string | boolean | undefined>): Promise<number> {
  const seconds = Number(values.seconds ?? 10);
  const concurrency = Number(values.concurrency ?? 32);
  const scratch = await ScratchServer.start(process.env.DATABASE_URL || undefined);
  const database = await scratch.createDatabase(40);
  let agents: Awaited<ReturnType<typeof startAgentWorker>> | null = null;
  const servers: { close(): Promise<void> }[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    await miniHospital(database, { medSurgBeds: 40 });
    await addCgmPatients(database);
    const key = (await createApiKey(database.db, { role: 'staff', label: 'bench', now: new Date() })).key;
    const full = await listen(
      createApp({ database, clock: systemClock, keys: new KeyResolver(database.db) }).fetch,
    );
    const bare = await listen(bareApp(database).fetch);
    servers.push(full, bare);
    agents = await startAgentWorker({ database, clock: systemClock, concurrency: 2, tickMs: 3_600_000 });
    const http = jsonPoster(concurrency);
    closers.push(async () => http.close());
    const runBare = (s: number) =>
      runLoad((i) => http.post(`${bare.url}/bare/observations`, reading(i)), { seconds: s, concurrency });
    const runFull = (s: number) =>
      runLoad(
        (i) =>
          http.post(`${full.url}/v1/observations`, reading(i), {
            authorization: `Bearer ${key}`,
            'idempotency-key': randomUUID(),
          }),
        { seconds: s, concurrency },
      );
    process.stderr.write('Warming up (2 s each)…\n');
    await runBare(2);
    await runFull(2);
    // Alternating rounds, so that drift (a warming cache, a neighbour's load) falls on both sides.
    const rounds = Math.max(1, Math.min(ROUNDS, Math.floor(seconds / 2)));
    const perRound = seconds / rounds;
    process.stderr.write(
      `Measuring ${seconds} s per endpoint in ${rounds} alternating rounds, ${concurrency} clients…\n`,
    );
    const bareRounds: LoadResult[] = [];
    const fullRounds: LoadResult[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        bareRounds.push(await runBare(perRound));
        fullRounds.push(await runFull(perRound));
      } else {
        fullRounds.push(await runFull(perRound));
        bareRounds.push(await runBare(perRound));
      }
      process.stderr.write(`  round ${r + 1}/${rounds} done\n`);
    }
    const baseline = mergeLoads(bareRounds);
    const ingest = mergeLoads(fullRounds);
    process.stderr.write('Waiting for the triage agent to finish the escalations…\n');
    const triage = await drainTriage(database);
    const ratio = ingest.throughput / baseline.throughput;
    process.stdout.write(
      [
        `Observation ingest on ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'} (${concurrency} clients, ${seconds} s per endpoint):`,
        `  bare insert (baseline)   ${fmt(baseline)}`,
        `  ingest with triage       ${fmt(ingest)}`,
        `  ratio ingest / baseline  ${(ratio * 100).toFixed(1)}% of the baseline's throughput`,
        `  triage                   ${triage.total} escalations, ${triage.done} reached an end state; ` +
          `accepted → end state p50 ${triage.p50Ms.toFixed(0)} ms, p99 ${triage.p99Ms.toFixed(0)} ms`,
        '',
      ].join('\n'),
    );
    if (values.json) {
      const { latencies: _b, ...b } = baseline;
      const { latencies: _i, ...i } = ingest;
      writeFileSync(String(values.json), JSON.stringify({ baseline: b, ingest: i, ratio, triage }, null, 2));
    }
    return ingest.errors === 0 && baseline.errors === 0 ? 0 : 1;
  } finally {
    for (const close of closers) await close();
    await agents?.stop();
    for (const s of servers) await s.close();
    await database.drop();
    await scratch.stop();
  }
}
