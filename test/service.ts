import type { Database } from '../db/client.ts';
import { startAgentWorker } from '../agents/runtime/service.ts';
import type { ModelSettings } from '../agents/runtime/model.ts';
import { createApp } from '../api/app.ts';
import { createApiKey, KeyResolver } from '../tools/auth/keys.ts';
import type { Clock } from '../tools/core/clock.ts';

/** The API (called in-process with app.request) and a real job worker on a test database. */
export async function startTestService(
  database: Database,
  clock: Clock,
  opts: {
    model?: ModelSettings | null;
    worker?: boolean;
    leaseMs?: number;
    tickMs?: number;
    inboxDir?: string;
  } = {},
) {
  const now = clock.now();
  const keys = {
    staff: (await createApiKey(database.db, { role: 'staff', label: 'test staff', now })).key,
    admin: (await createApiKey(database.db, { role: 'admin', label: 'test admin', now })).key,
    billing: (await createApiKey(database.db, { role: 'billing', label: 'test billing office', now })).key,
    patient1: (
      await createApiKey(database.db, { role: 'patient-app', label: 'app 1', patientId: 'pat-1', now })
    ).key,
    patient2: (
      await createApiKey(database.db, { role: 'patient-app', label: 'app 2', patientId: 'pat-2', now })
    ).key,
  };
  const app = createApp(
    { database, clock, keys: new KeyResolver(database.db), model: opts.model ?? null },
    { ssePollMs: 50 },
  );
  const agents =
    opts.worker === false
      ? null
      : await startAgentWorker({
          database,
          clock,
          model: opts.model ?? null,
          leaseMs: opts.leaseMs,
          tickMs: opts.tickMs ?? 3_600_000,
          inboxDir: opts.inboxDir ?? null,
        });
  const call = (
    method: string,
    path: string,
    key: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    app.request(path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { app, keys, call, stop: async () => agents?.stop() };
}

/** Polls until the escalation reaches an end state (the worker runs the agent asynchronously). */
export async function waitForEscalation(
  call: Awaited<ReturnType<typeof startTestService>>['call'],
  key: string,
  id: string,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/v1/escalations/${id}`, key);
    const body = (await res.json()) as { status: string } & Record<string, unknown>;
    if (['completed', 'suppressed', 'failed'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`escalation ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
