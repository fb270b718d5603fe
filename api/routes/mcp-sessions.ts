import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Actor } from '../../tools/core/actor.ts';
import type { OperationContext } from '../../tools/core/operation.ts';

export interface McpSession {
  id: string;
  /** Who opened it: only the same identity may use it (MCP security best practices: bind sessions to users). */
  identity: string;
  /** The endpoint and module selection it was opened on. */
  route: string;
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  /** The latest request's context: the same identity, with the scopes its current credential carries. */
  context: OperationContext;
  lastSeen: number;
}

export interface SessionLimits {
  /** A session unused this long is closed; its client starts a new one on the 404. */
  idleMs: number;
  /** Opening one more closes that identity's least recently used session. */
  perIdentity: number;
  /** Beyond this the server refuses new sessions rather than grow without bound. */
  total: number;
}

export const defaultSessionLimits: SessionLimits = { idleMs: 30 * 60_000, perIdentity: 16, total: 512 };

export function identityOf(actor: Actor): string {
  return `${actor.id}|${actor.patientId ?? ''}`;
}

/**
 * Streamable HTTP sessions held in this process. They carry no state the database does not: a lost
 * session (a restart, an idle close) costs the client one new `initialize`.
 */
export class McpSessions {
  readonly limits: SessionLimits;
  readonly #sessions = new Map<string, McpSession>();
  readonly #now: () => number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(limits: Partial<SessionLimits> = {}, now: () => number = Date.now) {
    this.limits = { ...defaultSessionLimits, ...limits };
    this.#now = now;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** The session, if it exists, was opened on this route, and belongs to this identity. */
  find(id: string, actor: Actor, route: string): McpSession | undefined {
    const session = this.#sessions.get(id);
    if (!session || session.identity !== identityOf(actor) || session.route !== route) return undefined;
    if (this.#now() - session.lastSeen > this.limits.idleMs) {
      void this.close(id);
      return undefined;
    }
    session.lastSeen = this.#now();
    return session;
  }

  /** Whether one more session may be opened: at the total cap, only after an idle one is swept. */
  hasRoom(): boolean {
    if (this.#sessions.size < this.limits.total) return true;
    this.sweep();
    return this.#sessions.size < this.limits.total;
  }

  add(session: McpSession): void {
    const own = [...this.#sessions.values()]
      .filter((s) => s.identity === session.identity)
      .sort((a, b) => a.lastSeen - b.lastSeen);
    for (const old of own.slice(0, Math.max(0, own.length - this.limits.perIdentity + 1))) {
      void this.close(old.id);
    }
    session.lastSeen = this.#now();
    this.#sessions.set(session.id, session);
    this.#startSweeping();
  }

  /** Forgets the session and closes its server (and with it any stream still open). */
  async close(id: string): Promise<void> {
    const session = this.#sessions.get(id);
    if (!session) return;
    this.#sessions.delete(id);
    await session.server.close().catch(() => {});
  }

  sweep(): void {
    const now = this.#now();
    for (const s of this.#sessions.values()) {
      if (now - s.lastSeen > this.limits.idleMs) void this.close(s.id);
    }
  }

  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await Promise.all([...this.#sessions.keys()].map((id) => this.close(id)));
  }

  #startSweeping(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.limits.idleMs));
    // Sessions must never keep a process alive.
    this.#sweeper.unref();
  }
}
