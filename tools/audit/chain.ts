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

/**
 * An entry as stored (jsonb's form of input and outcome) with its canonical content, which is what the
 * hash covers. Computed once per entry: the hot path must not serialise the same values twice.
 */
export function auditPayload(e: AuditEntry) {
  const stored = {
    at: e.at.toISOString(),
    actor: e.actor,
    onBehalfOf: e.onBehalfOf ?? null,
    agentRunId: e.agentRunId ?? null,
    tool: e.tool,
    input: asStored(e.input),
    outcome: asStored(e.outcome),
    status: e.status,
  };
  return { ...stored, content: canonicalJson(stored) };
}

/** Version 1 (before the log was partitioned into chains): sha256(prev \n seq \n content). */
export function entryHashV1(prevHash: string, seq: number, content: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${content}`).digest('hex');
}

/** Version 2, as the audit_entry_hash database function computes it (migration 0004). */
export function entryHash(
  prevHash: string,
  seq: number,
  chain: number,
  chainSeq: number,
  content: string,
): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n${chain}:${chainSeq}\n${content}`).digest('hex');
}

/**
 * Appends one entry inside the caller's transaction, in one round trip (the `audit_append` function,
 * migrations 0002 and 0004). Its advisory lock serialises appenders to the entry's chain for the rest
 * of that transaction, so chain positions are gap-free and each entry chains to the one committed
 * before it. Append last, just before commit: the lock is held until then.
 */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<{ seq: number; hash: string }> {
  const p = auditPayload(entry);
  const rows = await tx.execute<{ seq: string; hash: string }>(
    sql`select seq, hash from audit_append(${p.at}, ${p.actor}, ${p.onBehalfOf}, ${p.agentRunId}, ${p.tool},
        ${JSON.stringify(p.input)}::jsonb, ${JSON.stringify(p.outcome)}::jsonb, ${p.status}, ${p.content})`,
  );
  const row = rows[0]!;
  return { seq: Number(row.seq), hash: row.hash };
}

export interface BadEntry {
  seq: number;
  chain: number;
  chainSeq: number;
  problem: string;
}

export type ChainReport =
  | { intact: true; entries: number; chains: number }
  | { intact: false; entries: number; chains: number; firstBad: BadEntry; brokenChains: number[] };

interface AuditRow {
  seq: string;
  chain: number;
  chain_seq: string;
  hash_version: number;
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

/**
 * Walks every chain in order and names the first entry of each that does not verify; the report's
 * firstBad is the earliest of those (by global sequence). An entry that was edited fails its hash; a
 * deleted one leaves a gap in its chain's positions; a moved or renumbered one fails its hash, which
 * covers its positions.
 */
export async function verifyAuditChain(pg: postgres.Sql, batch = 5000): Promise<ChainReport> {
  const broken: BadEntry[] = [];
  let chains = 0;
  let checked = 0;
  let chain = -1;
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let skipChain = false;
  let after: [number, number] = [-1, 0];
  for (;;) {
    const rows = await pg<AuditRow[]>`
      select seq, chain, chain_seq, hash_version, round(extract(epoch from at) * 1000)::float8 as at_ms, actor,
        on_behalf_of, agent_run_id, tool, input, outcome, status, prev_hash, hash
      from audit_log where (chain, chain_seq) > (${after[0]}, ${after[1]})
      order by chain, chain_seq limit ${batch}`;
    for (const row of rows) {
      const seq = Number(row.seq);
      const chainSeq = Number(row.chain_seq);
      if (row.chain !== chain) {
        chain = row.chain;
        chains++;
        prevHash = GENESIS_HASH;
        expected = 1;
        skipChain = false;
      }
      if (skipChain) continue;
      const problem = checkEntry(row, seq, chainSeq, expected, prevHash);
      if (problem) {
        broken.push({ seq, chain, chainSeq, problem });
        skipChain = true;
        continue;
      }
      prevHash = row.hash;
      expected = chainSeq + 1;
      checked++;
    }
    if (rows.length < batch) break;
    const last = rows[rows.length - 1]!;
    after = [last.chain, Number(last.chain_seq)];
  }
  if (broken.length === 0) return { intact: true, entries: checked, chains };
  broken.sort((a, b) => a.seq - b.seq);
  return {
    intact: false,
    entries: checked,
    chains,
    firstBad: broken[0]!,
    brokenChains: broken.map((b) => b.chain).sort((a, b) => a - b),
  };
}

function checkEntry(row: AuditRow, seq: number, chainSeq: number, expected: number, prevHash: string) {
  if (chainSeq !== expected)
    return `expected position ${expected} of chain ${row.chain} next, found ${chainSeq}: entries are missing`;
  if (row.prev_hash !== prevHash) return 'its previous-hash does not match the entry before it in its chain';
  const { content } = auditPayload({
    at: new Date(row.at_ms),
    actor: row.actor,
    onBehalfOf: row.on_behalf_of ?? undefined,
    agentRunId: row.agent_run_id ?? undefined,
    tool: row.tool,
    input: row.input,
    outcome: row.outcome,
    status: row.status,
  });
  const hash =
    row.hash_version === 1
      ? entryHashV1(prevHash, seq, content)
      : entryHash(prevHash, seq, row.chain, chainSeq, content);
  return hash === row.hash ? null : 'its content does not match its hash';
}
