import { and, eq, isNull } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { apiKeys } from '../../db/schema/index.ts';
import {
  type AccessTokenClaims,
  looksLikeJwt,
  scopesOf,
  type TokenKeys,
  TokenError,
  verifyAccessToken,
} from '../../tools/auth/tokens.ts';
import { type Actor, hasScope } from '../../tools/core/actor.ts';
import {
  isServedModule,
  operationsByModule,
  type ServedModule,
  servedModules,
} from '../../tools/registry.ts';
import { type AppDeps, type AppEnv, presentedKey } from '../context.ts';
import { problem } from '../problem.ts';
import {
  baseUrl,
  issuerOf,
  mcpResource,
  type OAuthConfig,
  resourceMetadataUrl,
  scopesSupported,
} from './config.ts';
import { jwksLookup } from './jwks.ts';
import { roleAllows } from './token.ts';

/** RFC 6750 §3 challenge parameters are quoted-strings: no bare quotes or backslashes. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

function challenge(params: Record<string, string | undefined>): string {
  const parts = Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${quoted(v)}`]));
  return `Bearer ${parts.join(', ')}`;
}

/**
 * Authorization for /mcp/<module> as an OAuth 2.1 resource server (MCP Authorization, revision
 * 2025-06-18): no credentials → 401 pointing at the RFC 9728 metadata; a JWT must be signed by our
 * issuer and addressed to this resource (RFC 8707 audience) → else 401 invalid_token; a tools/call
 * whose scope the token lacks → 403 insufficient_scope. API keys, this server's own credentials,
 * keep working unchanged. The token is consumed here and never forwarded.
 */
export function requireMcpAuth(deps: AppDeps, config: OAuthConfig): MiddlewareHandler<AppEnv> {
  const { settings } = config;
  const external = settings.external;
  const lookup = external ? jwksLookup(external.jwksUrl) : null;
  const tokenKeys = (): TokenKeys =>
    lookup
      ? { kind: 'jwks', lookup, algorithms: ['RS256', 'ES256'] }
      : { kind: 'hs256', secret: config.secret() };

  async function actorForToken(claims: AccessTokenClaims): Promise<Actor> {
    const scopes = scopesOf(claims);
    if (external) {
      // Scopes we do not define (and never `*`) grant nothing here.
      const known = scopesSupported();
      const clientId = [claims.client_id, claims.azp, claims.sub].find(
        (v) => typeof v === 'string',
      ) as string;
      return {
        id: `oauth:${clientId}`,
        kind: 'mcp-client',
        scopes: scopes.filter((s) => known.includes(s)),
        patientId: typeof claims.patient === 'string' ? claims.patient : undefined,
      };
    }
    // Our own tokens stay as strong as the key they came from: revoking it, or narrowing its role, ends them.
    const [key] = await deps.database.db
      .select({ id: apiKeys.id, role: apiKeys.role, patientId: apiKeys.patientId })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, claims.sub), isNull(apiKeys.revokedAt)));
    if (!key) throw new TokenError("The token's client key is unknown or revoked");
    if ((claims.patient ?? null) !== key.patientId)
      throw new TokenError("The token's patient does not match its client");
    return {
      id: `oauth:${key.id}`,
      kind: 'mcp-client',
      scopes: scopes.filter((s) => roleAllows(key.role, s)),
      patientId: key.patientId ?? undefined,
    };
  }

  return async (c, next) => {
    const segment = c.req.path.split('/')[2] ?? '';
    const module = isServedModule(segment) ? segment : undefined;
    const base = baseUrl(c, settings);
    const metadata = resourceMetadataUrl(base, module);
    const unauthorized = (detail: string, error?: string) => {
      c.header(
        'WWW-Authenticate',
        challenge({ error, error_description: error && detail, resource_metadata: metadata }),
      );
      return problem(c, 'unauthorized', detail);
    };

    const presented = presentedKey(c);
    if (!presented) {
      return unauthorized('An access token or API key is required (Authorization: Bearer <token>)');
    }
    // RFC 6750 §2.1 and the metadata's bearer_methods_supported: an access token travels only in the
    // Authorization header; X-API-Key is for API keys.
    const jwt = looksLikeJwt(presented);
    if (jwt && !c.req.header('authorization')?.toLowerCase().startsWith('bearer ')) {
      const detail = 'Send an access token in Authorization: Bearer, not X-API-Key';
      c.header(
        'WWW-Authenticate',
        challenge({ error: 'invalid_request', error_description: detail, resource_metadata: metadata }),
      );
      return problem(c, 'invalid', detail, [{ field: 'X-API-Key', message: 'holds an access token' }]);
    }
    if (!jwt) {
      const actor = await deps.keys.resolve(presented);
      if (!actor) return unauthorized('The API key is unknown or revoked', 'invalid_token');
      c.set('actor', actor);
      return next();
    }

    let actor: Actor;
    try {
      const claims = await verifyAccessToken(presented, {
        keys: tokenKeys(),
        issuer: issuerOf(base, settings),
        audiences: module ? [mcpResource(base, module), mcpResource(base)] : [mcpResource(base)],
        now: deps.clock.now(),
      });
      actor = await actorForToken(claims);
    } catch (err) {
      if (err instanceof TokenError) return unauthorized(err.message, 'invalid_token');
      console.error('[mcp-auth] cannot verify tokens', err);
      return problem(c, 'unavailable', 'The authorization server keys cannot be fetched right now');
    }
    c.set('actor', actor);

    const needed = await scopeOfToolCall(c, module ? [module] : servedModules);
    if (needed && !hasScope(actor, needed)) {
      c.header(
        'WWW-Authenticate',
        challenge({
          error: 'insufficient_scope',
          scope: needed,
          error_description: `${actor.id} lacks the scope ${needed}`,
          resource_metadata: metadata,
        }),
      );
      return problem(c, 'forbidden', `The access token lacks the scope ${needed} this tool requires`);
    }
    return next();
  };
}

/**
 * The scope a single JSON-RPC tools/call needs, read from a clone so the MCP transport still gets
 * the body. Batches and other methods pass: the operation checks its scope itself in any case.
 */
async function scopeOfToolCall(c: Context, modules: readonly ServedModule[]): Promise<string | null> {
  if (c.req.method !== 'POST' || !c.req.header('content-type')?.includes('json')) return null;
  let message: unknown;
  try {
    message = await c.req.raw.clone().json();
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  if (method !== 'tools/call' || typeof params?.name !== 'string') return null;
  const tool = modules.flatMap((m) => operationsByModule[m]).find((op) => op.name === params.name);
  return tool?.scope ?? null;
}
