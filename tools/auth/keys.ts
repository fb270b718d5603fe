import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ApiKeyRole, apiKeys } from '../../db/schema/index.ts';
import { type Actor, roleScopes } from '../core/actor.ts';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Creates a key and returns it in clear: the only time it is ever seen; the database keeps its hash. */
export async function createApiKey(
  db: Db,
  opts: { role: ApiKeyRole; label: string; patientId?: string; now: Date },
): Promise<{ id: string; key: string }> {
  const key = `cbk_${opts.role.replace('-', '')}_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  await db.insert(apiKeys).values({
    id,
    keyHash: hashKey(key),
    role: opts.role,
    patientId: opts.patientId ?? null,
    label: opts.label,
    createdAt: opts.now,
  });
  return { id, key };
}

export function actorForKey(row: { id: string; role: ApiKeyRole; patientId: string | null }): Actor {
  return {
    id: `${row.role}:${row.id}`,
    kind: row.role,
    scopes: roleScopes[row.role],
    patientId: row.patientId ?? undefined,
  };
}

/**
 * Resolves a presented key to its actor. Lookups are cached briefly so that ingest at thousands of
 * readings a second does not query the key table each time; a revocation takes effect within the TTL.
 */
export class KeyResolver {
  readonly #cache = new Map<string, { actor: Actor | null; until: number }>();
  readonly #db: Db;
  readonly #ttlMs: number;
  constructor(db: Db, ttlMs = 30_000) {
    this.#db = db;
    this.#ttlMs = ttlMs;
  }

  async resolve(key: string): Promise<Actor | null> {
    const hash = hashKey(key);
    const cached = this.#cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.actor;
    const [row] = await this.#db
      .select({ id: apiKeys.id, role: apiKeys.role, patientId: apiKeys.patientId })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)));
    const actor = row ? actorForKey(row) : null;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { actor, until: Date.now() + this.#ttlMs });
    return actor;
  }
}
