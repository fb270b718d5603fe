import { sql } from 'drizzle-orm';
import { bigint, jsonb, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

// Append-only and hash-chained, in 16 chains (by the patient an entry concerns, else its actor): each
// entry's hash covers the previous entry of its chain, its global and chain positions and its
// canonical content, so an edit, a deletion or a reordering breaks the chain. Appended only through
// the audit_append function (migrations 0002, 0004).
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().default(sql`nextval('audit_log_seq_seq')`),
    chain: smallint('chain').notNull().default(0),
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
    hashVersion: smallint('hash_version').notNull().default(2),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    actor: text('actor').notNull(),
    onBehalfOf: text('on_behalf_of'),
    agentRunId: text('agent_run_id'),
    tool: text('tool').notNull(),
    input: jsonb('input').notNull(),
    outcome: jsonb('outcome').notNull(),
    status: text('status', { enum: ['ok', 'error'] }).notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_log_chain_seq_uq').on(t.chain, t.chainSeq)],
);
