import type { ModelSettings } from '../agents/runtime/model.ts';
import type { Context, MiddlewareHandler } from 'hono';
import type { Database } from '../db/client.ts';
import type { Actor } from '../tools/core/actor.ts';
import type { Clock } from '../tools/core/clock.ts';
import type { OperationContext } from '../tools/core/operation.ts';
import type { KeyResolver } from '../tools/auth/keys.ts';
import type { OAuthSettings } from './oauth/config.ts';
import { problem } from './problem.ts';

export interface AppDeps {
  database: Database;
  clock: Clock;
  keys: KeyResolver;
  /** Origins allowed to call the MCP endpoint from a browser (DNS-rebinding protection). */
  allowedOrigins?: readonly string[];
  /** The language model the chat agents may use; none: deterministic mode. */
  model?: ModelSettings | null | undefined;
  /** OAuth access tokens on /mcp; by default read from CAREBRIDGE_* environment variables. */
  oauth?: OAuthSettings | undefined;
}

export type AppEnv = { Variables: { actor: Actor } };

export function presentedKey(c: Context): string | null {
  const auth = c.req.header('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return c.req.header('x-api-key') ?? null;
}

/** Every /v1 and /fhir request carries an API key (Authorization: Bearer, or X-API-Key). */
export function requireKey(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = presentedKey(c);
    const actor = key ? await deps.keys.resolve(key) : null;
    if (!actor) {
      c.header('WWW-Authenticate', 'Bearer realm="carebridge"');
      return problem(
        c,
        'unauthorized',
        key ? 'The API key is unknown or revoked' : 'An API key is required (Authorization: Bearer <key>)',
      );
    }
    c.set('actor', actor);
    await next();
  };
}

export function requireRole(...kinds: Actor['kind'][]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (!kinds.includes(actor.kind)) {
      return problem(
        c,
        'forbidden',
        `This endpoint needs a ${kinds.join(' or ')} key; this key is ${actor.kind}`,
      );
    }
    await next();
  };
}

export function operationContext(deps: AppDeps, actor: Actor): OperationContext {
  return { database: deps.database, clock: deps.clock, actor, onBehalfOf: actor.patientId };
}
