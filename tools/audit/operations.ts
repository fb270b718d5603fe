import { and, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { type AnyOperation, defineOperation } from '../core/operation.ts';
import { verifyAuditChain } from './chain.ts';

// Only admins ('*') hold audit:read today: the trail shows every patient's data, so no role gets it by default.
const AUDIT_READ = 'audit:read';

const isoTime = z.iso.datetime({ offset: true });

export const auditEntrySchema = z.object({
  seq: z.number().int().describe('Global sequence number: the order entries committed in'),
  chain: z.number().int(),
  chainSeq: z.number().int().describe('Position in its chain'),
  at: isoTime,
  actor: z.string(),
  onBehalfOf: z.string().nullable(),
  agentRunId: z.string().nullable(),
  tool: z.string(),
  input: z.unknown(),
  outcome: z.unknown(),
  status: z.enum(['ok', 'error']),
  prevHash: z.string(),
  hash: z.string(),
});

type AuditRow = typeof auditLog.$inferSelect;
const present = (r: AuditRow): z.infer<typeof auditEntrySchema> => ({
  seq: r.seq,
  chain: r.chain,
  chainSeq: r.chainSeq,
  at: r.at.toISOString(),
  actor: r.actor,
  onBehalfOf: r.onBehalfOf,
  agentRunId: r.agentRunId,
  tool: r.tool,
  input: r.input,
  outcome: r.outcome,
  status: r.status,
  prevHash: r.prevHash,
  hash: r.hash,
});

// Opaque so the page order may change later without breaking clients that only echo it back.
export function encodeAuditCursor(beforeSeq: number): string {
  return Buffer.from(JSON.stringify({ before: beforeSeq })).toString('base64url');
}

function decodeAuditCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { before?: unknown };
    if (Number.isSafeInteger(parsed.before) && (parsed.before as number) > 0) return parsed.before as number;
  } catch {}
  throw new OperationError('invalid', 'cursor is not a cursor this server issued', [
    { field: 'cursor', message: 'unknown cursor; pass the nextCursor of the previous page' },
  ]);
}

export const listAuditEntries = defineOperation({
  name: 'list_audit_entries',
  module: 'audit',
  title: 'List audit entries',
  description:
    'Reads the hash-chained audit log: who did what, on whose behalf, in which agent run, with which tool, ' +
    'the input, the outcome and the entry hashes. Newest first. Filter by actor (e.g. staff:<key id>, ' +
    'mcp-client:stdio), tool name, onBehalfOf (the patient acted for), agent run, and a time window ' +
    '[from, to). One page of at most `limit` entries; pass nextCursor back as `cursor` for the next page.',
  input: z
    .object({
      actor: z.string().min(1).optional().describe('Exact actor id'),
      tool: z.string().min(1).optional().describe('Exact tool (operation) name'),
      onBehalfOf: z.string().min(1).optional().describe('The patient or person the actor acted for'),
      agentRunId: z.string().min(1).optional(),
      from: isoTime.optional().describe('Entries at or after this time, ISO 8601'),
      to: isoTime.optional().describe('Entries before this time, ISO 8601'),
      limit: z.number().int().min(1).max(100).default(50).describe('Entries per page (at most 100)'),
      cursor: z.string().min(1).optional().describe('The nextCursor of the previous page'),
    })
    .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
      path: ['to'],
      message: 'must be later than from',
    }),
  output: z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
  scope: AUDIT_READ,
  risk: 'read',
  idempotent: true,
  async handler(input, ctx) {
    const filters: SQL[] = [];
    if (input.cursor) filters.push(lt(auditLog.seq, decodeAuditCursor(input.cursor)));
    if (input.actor) filters.push(eq(auditLog.actor, input.actor));
    if (input.tool) filters.push(eq(auditLog.tool, input.tool));
    if (input.onBehalfOf) filters.push(eq(auditLog.onBehalfOf, input.onBehalfOf));
    if (input.agentRunId) filters.push(eq(auditLog.agentRunId, input.agentRunId));
    if (input.from) filters.push(gte(auditLog.at, new Date(input.from)));
    if (input.to) filters.push(lt(auditLog.at, new Date(input.to)));
    const rows = await ctx.database.db
      .select()
      .from(auditLog)
      .where(and(...filters))
      .orderBy(desc(auditLog.seq))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      entries: page.map(present),
      nextCursor: rows.length > input.limit && last ? encodeAuditCursor(last.seq) : null,
    };
  },
});

export const getAuditEntry = defineOperation({
  name: 'get_audit_entry',
  module: 'audit',
  title: 'Get one audit entry',
  description:
    'One audit entry by its sequence number (the seq of list_audit_entries): actor, on whose behalf, ' +
    'agent run, tool, input, outcome, status, and its place and hashes in the chain.',
  input: z.object({ seq: z.number().int().min(1).describe('The entry’s sequence number') }),
  output: auditEntrySchema,
  scope: AUDIT_READ,
  risk: 'read',
  idempotent: true,
  async handler(input, ctx) {
    const [row] = await ctx.database.db.select().from(auditLog).where(eq(auditLog.seq, input.seq));
    if (!row) {
      throw new OperationError('not_found', `No audit entry ${input.seq}`, [
        { field: 'seq', message: 'no entry has this sequence number' },
      ]);
    }
    return present(row);
  },
});

const badEntrySchema = z.object({
  seq: z.number().int(),
  chain: z.number().int(),
  chainSeq: z.number().int(),
  problem: z.string(),
});

export const verifyAuditChainOperation = defineOperation({
  name: 'verify_audit_chain',
  module: 'audit',
  title: 'Verify the audit chain',
  description:
    'Recomputes every audit entry’s hash along its chain and reports whether the log is intact. If not, ' +
    'names the first entry that fails (edited content, a missing entry, or a broken link) and every chain ' +
    'that is broken. Reads the whole log, so it takes a while on a large one.',
  input: z.object({}),
  output: z.object({
    intact: z.boolean(),
    entries: z.number().int().describe('Entries that verified'),
    chains: z.number().int(),
    firstBad: badEntrySchema.nullable(),
    brokenChains: z.array(z.number().int()),
  }),
  scope: AUDIT_READ,
  risk: 'read',
  idempotent: true,
  async handler(_input, ctx) {
    const report = await verifyAuditChain(ctx.database.sql);
    return report.intact
      ? { ...report, firstBad: null, brokenChains: [] }
      : { ...report, firstBad: report.firstBad, brokenChains: report.brokenChains };
  },
});

export const auditOperations: readonly AnyOperation[] = [
  listAuditEntries,
  getAuditEntry,
  verifyAuditChainOperation,
];
