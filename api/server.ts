import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { startAgentWorker } from '../agents/runtime/service.ts';
import type { ModelSettings } from '../agents/runtime/model.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { DEMO_PATIENT_ID } from '../db/seed/generate.ts';
import { isSeeded, seedDatabase } from '../db/seed/write.ts';
import { auditSeed } from '../tools/audit/seed.ts';
import type { Clock } from '../tools/core/clock.ts';
import { createApp } from './app.ts';
import { McpSessions } from './routes/mcp-sessions.ts';
import { inboxDir } from '../tools/revenue/clearinghouse/inbox.ts';
import { createApiKey, KeyResolver } from '../tools/auth/keys.ts';

export interface DemoKeys {
  staff: string;
  admin: string;
  /** The billing office: the revenue cycle. */
  billing: string;
  patientApp: { key: string; patientId: string };
}

/** Reuses the demo keys written on an earlier start while they still resolve; otherwise issues new ones. */
export async function ensureDemoKeys(database: Database, file: string, now: Date): Promise<DemoKeys> {
  const resolver = new KeyResolver(database.db, 0);
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoKeys;
    const ok = await Promise.all(
      [saved.staff, saved.admin, saved.billing, saved.patientApp?.key].map((k) =>
        k ? resolver.resolve(k) : null,
      ),
    );
    if (ok.every(Boolean)) return saved;
  }
  const keys: DemoKeys = {
    staff: (await createApiKey(database.db, { role: 'staff', label: 'demo staff', now })).key,
    admin: (await createApiKey(database.db, { role: 'admin', label: 'demo admin', now })).key,
    billing: (await createApiKey(database.db, { role: 'billing', label: 'demo billing office', now })).key,
    patientApp: {
      key: (
        await createApiKey(database.db, {
          role: 'patient-app',
          label: 'demo patient app',
          patientId: DEMO_PATIENT_ID,
          now,
        })
      ).key,
      patientId: DEMO_PATIENT_ID,
    },
  };
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}

/** Each demo key is also an OAuth client of the built-in issuer: its client_id is the key's id. */
async function oauthClientIds(database: Database, keys: DemoKeys) {
  const resolver = new KeyResolver(database.db, 0);
  const idOf = async (key: string) => (await resolver.resolve(key))?.id.split(':')[1] ?? '';
  return {
    staff: await idOf(keys.staff),
    admin: await idOf(keys.admin),
    billing: await idOf(keys.billing),
    patientApp: await idOf(keys.patientApp.key),
  };
}

export interface ServiceOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  demoKeysFile: string;
  port: number;
  host: string;
  seed: number;
  seedSize: 'small' | 'medium' | 'large';
  model: ModelSettings | null;
  jobLeaseMs: number;
  allowedOrigins: string[];
  clock: Clock;
  log: (line: string) => void;
}

/** Database, seed, demo keys, job worker and HTTP server: what `npm start` runs. */
export async function startService(opts: ServiceOptions) {
  const started = Date.now();
  opts.log(
    opts.databaseUrl ? 'Connecting to DATABASE_URL…' : `Starting embedded PostgreSQL in ${opts.dataDir}…`,
  );
  const database = await openDatabase({ url: opts.databaseUrl, dataDir: opts.dataDir, poolSize: 20 });
  if (!(await isSeeded(database))) {
    opts.log(`Seeding the demo hospital (seed ${opts.seed}, ${opts.seedSize})…`);
    let lastTable = '';
    await seedDatabase(database, {
      seed: opts.seed,
      size: opts.seedSize,
      onWritten: auditSeed(opts.clock.now()),
      onProgress: (p) => {
        if (p.done === p.total && p.table !== lastTable) {
          lastTable = p.table;
          opts.log(`  ${p.table}: ${p.total}`);
        }
      },
    });
  }
  const keys = await ensureDemoKeys(database, opts.demoKeysFile, opts.clock.now());
  const clientIds = await oauthClientIds(database, keys);
  const agents = await startAgentWorker({
    database,
    clock: opts.clock,
    model: opts.model,
    leaseMs: opts.jobLeaseMs,
    log: opts.log,
    inboxDir: inboxDir(),
  });
  const mcpSessions = new McpSessions();
  const app = createApp(
    {
      database,
      clock: opts.clock,
      keys: new KeyResolver(database.db),
      allowedOrigins: opts.allowedOrigins,
      model: opts.model,
    },
    { publicUrl: `http://${opts.host}:${opts.port}`, mcpSessions },
  );
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host}:${port}`;
  return {
    url,
    keys,
    clientIds,
    database,
    readyMs: Date.now() - started,
    async stop() {
      // Open MCP streams would hold the HTTP server open.
      await mcpSessions.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await agents.stop();
      await database.close();
    },
  };
}
