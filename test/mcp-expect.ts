import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { Database } from '../db/client.ts';
import { callTool, rowCount } from './mcp.ts';

/** The Monday after today (servers started by the tests run on the real clock). */
export function nextMonday(): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

/**
 * Over any transport: propose_roster (3 s limit on the rostering fixture's med-surg unit) reports
 * increasing progress; the same call cancelled at its first progress stores nothing.
 */
export async function expectRosterProgressAndCancel(client: Client, database: Database): Promise<void> {
  const args = { unitId: 'unit-ms', startsOn: nextMonday(), weeks: 1, timeLimitSeconds: 3 };
  const seen: Progress[] = [];
  const done = await client.request(
    { method: 'tools/call', params: { name: 'propose_roster', arguments: args } },
    CallToolResultSchema,
    { onprogress: (p) => seen.push(p), timeout: 60_000 },
  );
  expect(done.isError, JSON.stringify(done.content)).toBeFalsy();
  expect(seen.length).toBeGreaterThanOrEqual(1);
  expect(seen.map((p) => p.progress)).toEqual([...seen.map((p) => p.progress)].sort((a, b) => a - b));

  const stored = await rowCount(database, 'roster_proposals');
  const abort = new AbortController();
  const started = Date.now();
  const cancelled = client.request(
    { method: 'tools/call', params: { name: 'propose_roster', arguments: args } },
    CallToolResultSchema,
    { signal: abort.signal, onprogress: () => abort.abort('stop'), timeout: 60_000 },
  );
  await expect(cancelled).rejects.toThrow();
  // Left alone it would have stored a second proposal by its 3 s limit.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + 5_000 - Date.now())));
  expect(await rowCount(database, 'roster_proposals')).toBe(stored);
}

/** Reserves the fixture's isolation ICU bed through `client`; the audit log must name `actor` for it. */
export async function expectBedReservedAs(client: Client, database: Database, actor: string): Promise<void> {
  const reserved = await callTool(client, 'reserve_bed', {
    bedId: 'bed-icu-2',
    patientId: 'pat-2',
    reason: 'suspected TB, needs isolation',
  });
  expect(reserved.isError).toBeFalsy();
  const [audit] = await database.sql`select actor from audit_log where tool = 'reserve_bed'`;
  expect(audit!.actor).toBe(actor);
}
