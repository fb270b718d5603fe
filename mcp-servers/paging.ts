/**
 * Output caps for MCP answers: a tool result or a resource must never flood a client's context. A
 * result whose longest top-level array is longer than a page, or whose text is larger than the byte
 * cap, is cut to its first page with an opaque cursor; the client calls again with `cursor` and the
 * read is re-run and sliced. MCP's own list pagination uses the same opaque-cursor idea
 * (modelcontextprotocol.io/specification/2025-06-18/server/utilities/pagination).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OperationError } from '../tools/core/errors.ts';
import type { AnyOperation } from '../tools/core/operation.ts';

export interface PageLimits {
  /** Items of the paged array per answer. */
  pageSize: number;
  /** Bytes of serialized JSON per answer. */
  maxBytes: number;
}

export const defaultPageLimits: PageLimits = { pageSize: 50, maxBytes: 64 * 1024 };

/** Stable JSON (sorted keys), so the same arguments always hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Ties a cursor to one tool (or resource) and one set of arguments. */
export function argsHash(target: string, args: unknown): string {
  return createHash('sha256')
    .update(`${target}\n${canonical(args)}`)
    .digest('base64url')
    .slice(0, 22);
}

interface CursorState {
  offset: number;
  argsHash: string;
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The offset a cursor points at; refuses a cursor that is malformed or was made for other arguments. */
export function offsetOfCursor(cursor: string, expectedHash: string): number {
  const bad = (message: string) =>
    new OperationError('invalid', `Invalid cursor: ${message}`, [{ field: 'cursor', message }]);
  let state: unknown;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad('not a cursor this server issued');
  }
  const parsed = z.object({ offset: z.number().int().min(0), argsHash: z.string() }).safeParse(state);
  if (!parsed.success) throw bad('not a cursor this server issued');
  if (parsed.data.argsHash !== expectedHash) {
    throw bad('it was issued for other arguments; repeat the call with the arguments of the first page');
  }
  return parsed.data.offset;
}

export interface Page {
  /** The result with its paged array cut to this page (the whole result when nothing was cut). */
  result: Record<string, unknown>;
  /** Set when the answer was cut. */
  page?: { key: string; offset: number; shown: number; total: number; nextCursor: string | null };
  /** Set when the answer is over the byte cap and has no array to page: only the text is cut. */
  oversized?: boolean;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** The longest top-level array of a result: the one worth paging. */
function pagedKey(result: Record<string, unknown>): string | undefined {
  let best: string | undefined;
  let length = -1;
  for (const [key, value] of Object.entries(result)) {
    if (Array.isArray(value) && value.length > length) {
      best = key;
      length = value.length;
    }
  }
  return best;
}

/** Cuts `result` to the page starting at `offset`; items are shed until the page fits the byte cap. */
export function pageOf(
  result: Record<string, unknown>,
  offset: number,
  hash: string,
  limits: PageLimits = defaultPageLimits,
): Page {
  const key = pagedKey(result);
  const items = key === undefined ? undefined : (result[key] as unknown[]);
  if (key === undefined || items === undefined) {
    return bytes(result) > limits.maxBytes ? { result, oversized: true } : { result };
  }
  if (offset === 0 && items.length <= limits.pageSize && bytes(result) <= limits.maxBytes) return { result };
  let shown = Math.max(0, Math.min(limits.pageSize, items.length - offset));
  let cut = { ...result, [key]: items.slice(offset, offset + shown) };
  while (shown > 1 && bytes(cut) > limits.maxBytes) {
    shown = Math.ceil(shown / 2);
    cut = { ...result, [key]: items.slice(offset, offset + shown) };
  }
  const next = offset + shown;
  return {
    result: cut,
    page: {
      key,
      offset,
      shown,
      total: items.length,
      nextCursor: next < items.length ? encodeCursor({ offset: next, argsHash: hash }) : null,
    },
    oversized: bytes(cut) > limits.maxBytes,
  };
}

/** What a person or a model reads after a cut answer. */
export function pageNote(page: NonNullable<Page['page']>): string {
  const range = `${page.key} ${page.offset + 1}–${page.offset + page.shown} of ${page.total} shown`;
  return page.nextCursor
    ? `… ${range}; call again with the same arguments and cursor="${page.nextCursor}" for the next page.`
    : `… ${range}; this is the last page.`;
}

/** The text of a JSON answer, cut to the byte cap when it has no array to page. */
export function cappedText(value: unknown, limits: PageLimits = defaultPageLimits): string {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) <= limits.maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, limits.maxBytes).toString('utf8');
  return `${cut}\n… cut at ${limits.maxBytes} bytes of ${Buffer.byteLength(text)}; narrow the call with its filters.`;
}

/**
 * Read operations whose input is a plain object and that do not page themselves (an own `cursor` or
 * `offset`) get the generic `cursor` argument. Writes are never paginated: a cursor re-runs the call.
 */
export function pageableInput(op: AnyOperation): z.ZodObject | undefined {
  if (op.risk !== 'read' || !(op.input instanceof z.ZodObject)) return undefined;
  const shape = op.input.shape as Record<string, unknown>;
  if ('cursor' in shape || 'offset' in shape) return undefined;
  // A solver's answer depends on its time limit: re-run for a page, it could give another plan.
  if ('timeLimitSeconds' in shape) return undefined;
  return op.input.safeExtend({
    cursor: z
      .string()
      .min(1)
      .optional()
      .describe('The cursor a previous answer gave for its next page; the other arguments must be the same'),
  });
}
