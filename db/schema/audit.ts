import { bigint, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

// Append-only and hash-chained: each entry's hash covers the previous entry's hash, its own
// sequence number and its canonical content, so an edit, a deletion or a reordering breaks the chain.
export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
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
});
