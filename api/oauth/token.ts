import { timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type ApiKeyRole, apiKeys } from '../../db/schema/index.ts';
import { appendAudit } from '../../tools/audit/chain.ts';
import { hashKey } from '../../tools/auth/keys.ts';
import { accessTokenClaims, canonicalResource, signHs256 } from '../../tools/auth/tokens.ts';
import { roleScopes } from '../../tools/core/actor.ts';
import type { Clock } from '../../tools/core/clock.ts';
import { type ServedModule, servedModules } from '../../tools/registry.ts';
import { baseUrl, issuerOf, mcpResource, type OAuthConfig, scopesSupported } from './config.ts';

/** RFC 6749 §5.2 error codes, plus RFC 8707 §2 invalid_target. */
type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target';

// Token responses must never be cached (RFC 6749 §5.1).
const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

function tokenError(c: Context, error: TokenErrorCode, description: string, basicChallenge = false) {
  const status = error === 'invalid_client' ? 401 : 400;
  if (basicChallenge) c.header('WWW-Authenticate', 'Basic realm="carebridge", charset="UTF-8"');
  return c.json({ error, error_description: description }, status, noStore);
}

const tokenRequest = z.object({
  grant_type: z.string({ error: 'grant_type is required' }),
  resource: z.string({ error: 'resource is required (RFC 8707): the MCP endpoint the token is for' }),
  scope: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, 'space-separated scope tokens')
    .optional(),
  client_id: z.string().min(1).optional(),
  client_secret: z.string().min(1).optional(),
});

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null | 'malformed' {
  if (!header?.toLowerCase().startsWith('basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** The API key whose id is the client id, if the secret is that key and it is not revoked. */
async function authenticateClient(db: Db, id: string, secret: string) {
  const [row] = await db
    .select({ id: apiKeys.id, keyHash: apiKeys.keyHash, role: apiKeys.role, patientId: apiKeys.patientId })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  const presented = Buffer.from(hashKey(secret));
  const stored = Buffer.from(row?.keyHash ?? hashKey(''));
  const match = presented.length === stored.length && timingSafeEqual(presented, stored);
  return row && match ? row : null;
}

export function roleAllows(role: ApiKeyRole, scope: string): boolean {
  const scopes: readonly string[] = roleScopes[role];
  return scopes.includes('*') || scopes.includes(scope);
}

/** Which MCP resource a `resource` parameter names: the server-wide /mcp, one module, or none of ours. */
function resolveResource(base: string, resource: string): { module?: ServedModule } | null {
  const wanted = canonicalResource(resource);
  if (wanted === canonicalResource(mcpResource(base))) return {};
  const module = servedModules.find((m) => canonicalResource(mcpResource(base, m)) === wanted);
  return module ? { module } : null;
}

/**
 * The built-in authorization server's token endpoint: OAuth 2.1 client credentials, where the
 * client is an API key (client_id = the key's id, client_secret = the key). The token is bound to
 * the one MCP resource it names (RFC 8707) and carries at most the key's role scopes.
 */
export function tokenRoutes(deps: { database: { db: Db }; clock: Clock }, config: OAuthConfig) {
  const app = new Hono();
  // No interactive (authorization code) flow: a person's IDE uses an API key or an external issuer.
  app.get('/oauth/authorize', (c) =>
    c.json(
      {
        error: 'unsupported_response_type',
        error_description:
          'This server issues tokens only by client_credentials at /oauth/token; there is no interactive authorization',
      },
      400,
      noStore,
    ),
  );
  app.post('/oauth/token', async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      return tokenError(c, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await c.req.text());
    const repeated = [...new Set(form.keys())].find((k) => form.getAll(k).length > 1);
    if (repeated) return tokenError(c, 'invalid_request', `${repeated} is given more than once`);
    const parsed = tokenRequest.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      const message = issue?.message ?? 'invalid';
      return tokenError(c, 'invalid_request', message.startsWith(field) ? message : `${field}: ${message}`);
    }
    const body = parsed.data;

    const basic = basicCredentials(c.req.header('authorization'));
    if (basic === 'malformed') return tokenError(c, 'invalid_client', 'Malformed Basic credentials', true);
    if (basic && (body.client_id !== undefined || body.client_secret !== undefined)) {
      return tokenError(c, 'invalid_request', 'Use one client authentication method, not Basic and the body');
    }
    const credentials =
      basic ??
      (body.client_id && body.client_secret ? { id: body.client_id, secret: body.client_secret } : null);
    if (!credentials) {
      return tokenError(
        c,
        'invalid_client',
        'Client authentication is required (client_secret_basic or client_secret_post)',
        true,
      );
    }
    const client = await authenticateClient(deps.database.db, credentials.id, credentials.secret);
    if (!client)
      return tokenError(
        c,
        'invalid_client',
        'The client id or secret is wrong, or the key is revoked',
        Boolean(basic),
      );

    if (body.grant_type !== 'client_credentials') {
      return tokenError(
        c,
        'unsupported_grant_type',
        `grant_type ${body.grant_type} is not supported; use client_credentials`,
      );
    }
    const base = baseUrl(c, config.settings);
    const target = resolveResource(base, body.resource);
    if (!target) {
      return tokenError(
        c,
        'invalid_target',
        `resource ${body.resource} is not an MCP endpoint of this server (${mcpResource(base)} or ${mcpResource(base)}/<module>)`,
      );
    }

    const audit = (status: 'ok' | 'error', outcome: Record<string, unknown>) =>
      deps.database.db.transaction((tx) =>
        appendAudit(tx, {
          at: deps.clock.now(),
          actor: `oauth:${client.id}`,
          onBehalfOf: client.patientId ?? undefined,
          tool: 'oauth_token',
          input: { grant_type: body.grant_type, resource: body.resource, scope: body.scope },
          outcome,
          status,
        }),
      );

    const known = scopesSupported();
    let scopes: string[];
    if (body.scope !== undefined) {
      scopes = [...new Set(body.scope.split(' '))];
      const refused = scopes.filter((s) => !known.includes(s) || !roleAllows(client.role, s));
      if (refused.length > 0) {
        await audit('error', { error: 'invalid_scope', refused });
        return tokenError(
          c,
          'invalid_scope',
          `scope: a ${client.role} key may not be granted ${refused.join(' ')}`,
        );
      }
    } else {
      scopes = scopesSupported(target.module).filter((s) => roleAllows(client.role, s));
      if (scopes.length === 0) {
        await audit('error', { error: 'invalid_scope', refused: scopesSupported(target.module) });
        return tokenError(
          c,
          'invalid_scope',
          `scope: a ${client.role} key holds none of the scopes of ${body.resource}`,
        );
      }
    }

    const ttl = config.settings.tokenTtlSeconds ?? 3600;
    const claims = accessTokenClaims({
      issuer: issuerOf(base, config.settings),
      clientId: client.id,
      audience: mcpResource(base, target.module),
      scopes,
      patientId: client.patientId ?? undefined,
      now: deps.clock.now(),
      ttlSeconds: ttl,
    });
    // Who holds a token for what, and until when: the token itself is never stored.
    await audit('ok', {
      jti: claims.jti,
      audience: claims.aud,
      scopes,
      expiresAt: new Date(claims.exp * 1000).toISOString(),
    });
    return c.json(
      {
        access_token: signHs256(claims, config.secret()),
        token_type: 'Bearer',
        expires_in: ttl,
        scope: scopes.join(' '),
      },
      200,
      noStore,
    );
  });
  return app;
}
