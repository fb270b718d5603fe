import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { DbOrTx } from '../../db/client.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  at: Date;
  actor: string;
  onBehalfOf?: string | undefined;
  agentRunId?: string | undefined;
  tool: string;
  input: unknown;
  outcome: unknown;
  status: 'ok' | 'error';
}

/** JSON with keys sorted at every depth: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What jsonb will give back: the hash must be computed over the stored form, not the original. */
function asStored(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}

function entryContent(e: AuditEntry): string {
  return canonicalJson({
    at: e.at.toISOString(),
    actor: e.actor,
    onBehalfOf: e.onBehalfOf ?? null,
    agentRunId: e.agentRunId ?? null,
    tool: e.tool,
    input: asStored(e.input),
    outcome: asStored(e.outcome),
    status: e.status,
  });
}

export function entryHash(prevHash: string, seq: number, content: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${content}`).digest('hex');
}

function appendParams(entry: AuditEntry) {
  return [
    entry.at.toISOString(),
    entry.actor,
    entry.onBehalfOf ?? null,
    entry.agentRunId ?? null,
    entry.tool,
    JSON.stringify(asStored(entry.input)),
    JSON.stringify(asStored(entry.outcome)),
    entry.status,
    entryContent(entry),
  ] as const;
}

/**
 * Appends one entry inside the caller's transaction, in one round trip (the `audit_append` function,
 * migration 0002). Its advisory lock serialises appenders for the rest of that transaction, so
 * sequence numbers are gap-free and each entry chains to the one committed before it. Append last,
 * just before commit: the lock is held until then.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  const [at, actor, onBehalfOf, agentRunId, tool, input, outcome, status, content] = appendParams(entry);
  const rows = await tx.execute<{ seq: string; hash: string }>(
    sql`select seq, hash from audit_append(${at}, ${actor}, ${onBehalfOf}, ${agentRunId}, ${tool},
        ${input}::jsonb, ${outcome}::jsonb, ${status}, ${content})`,
  );
  const row = rows[0]!;
  return { seq: Number(row.seq), hash: row.hash };
}

/** An entry as the `ingest_write` database function takes it: stored forms plus the canonical content. */
export function auditPayload(entry: AuditEntry) {
  const [at, actor, onBehalfOf, agentRunId, tool, , , status, content] = appendParams(entry);
  return {
    at,
    actor,
    onBehalfOf,
    agentRunId,
    tool,
    input: asStored(entry.input),
    outcome: asStored(entry.outcome),
    status,
    content,
  };
}

export type ChainReport =
  | { intact: true; entries: number; head: string }
  | { intact: false; entries: number; firstBad: { seq: number; problem: string } };

interface AuditRow {
  seq: string;
  at_ms: number;
  actor: string;
  on_behalf_of: string | null;
  agent_run_id: string | null;
  tool: string;
  input: unknown;
  outcome: unknown;
  status: 'ok' | 'error';
  prev_hash: string;
  hash: string;
}

/** Walks the whole chain in sequence order and names the first entry that does not verify. */
export async function verifyAuditChain(pg: postgres.Sql, batch = 5000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await pg<AuditRow[]>`
      select seq, round(extract(epoch from at) * 1000)::float8 as at_ms, actor, on_behalf_of, agent_run_id, tool, input, outcome, status, prev_hash, hash
      from audit_log where seq > ${after} order by seq limit ${batch}`;
    for (const row of rows) {
      const seq = Number(row.seq);
      const bad = (problem: string): ChainReport => ({
        intact: false,
        entries: checked,
        firstBad: { seq, problem },
      });
      if (seq !== expectedSeq)
        return bad(`expected entry ${expectedSeq} next, found ${seq}: entries are missing`);
      if (row.prev_hash !== prevHash) return bad('its previous-hash does not match the entry before it');
      const content = entryContent({
        at: new Date(row.at_ms),
        actor: row.actor,
        onBehalfOf: row.on_behalf_of ?? undefined,
        agentRunId: row.agent_run_id ?? undefined,
        tool: row.tool,
        input: row.input,
        outcome: row.outcome,
        status: row.status,
      });
      if (entryHash(prevHash, seq, content) !== row.hash) return bad('its content does not match its hash');
      prevHash = row.hash;
      expectedSeq = seq + 1;
      checked++;
    }
    if (rows.length < batch) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  return { intact: true, entries: checked, head: prevHash };
}
