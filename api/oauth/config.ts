import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { defaultDataDir } from '../../db/client.ts';
import { allOperations, operationsByModule, type ServedModule } from '../../tools/registry.ts';

/**
 * How /mcp accepts OAuth access tokens. By default CareBridge is its own authorization server
 * (client credentials, the client being an API key) and signs HS256 tokens; with `external` set, it
 * is only a resource server and trusts the tokens that issuer signs (RS256/ES256, its JWKS).
 */
export interface OAuthSettings {
  /** The public base URL (CAREBRIDGE_PUBLIC_URL); by default the origin the request came to. */
  publicUrl?: string | undefined;
  /** The HS256 signing secret (CAREBRIDGE_OAUTH_SECRET); by default one kept in the data dir. */
  secret?: string | undefined;
  /** Where a generated secret is kept; the data dir by default. */
  secretFile?: string | undefined;
  /** Lifetime of issued access tokens; one hour by default. */
  tokenTtlSeconds?: number | undefined;
  /** An external authorization server (CAREBRIDGE_OAUTH_ISSUER + CAREBRIDGE_OAUTH_JWKS_URL). */
  external?: { issuer: string; jwksUrl: string } | undefined;
}

export function oauthSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OAuthSettings {
  const issuer = env.CAREBRIDGE_OAUTH_ISSUER;
  const jwksUrl = env.CAREBRIDGE_OAUTH_JWKS_URL;
  if (Boolean(issuer) !== Boolean(jwksUrl)) {
    throw new Error('CAREBRIDGE_OAUTH_ISSUER and CAREBRIDGE_OAUTH_JWKS_URL must be set together');
  }
  return {
    publicUrl: env.CAREBRIDGE_PUBLIC_URL || undefined,
    secret: env.CAREBRIDGE_OAUTH_SECRET || undefined,
    external: issuer && jwksUrl ? { issuer, jwksUrl } : undefined,
  };
}

// RFC 7518 §3.2: an HS256 key must be at least as long as the hash output (256 bits).
const minSecretBytes = 32;

/** The signing secret: the configured one, else one generated once and kept (mode 0600) in the data dir. */
export function signingSecret(settings: OAuthSettings): Buffer {
  if (settings.secret !== undefined) {
    const secret = Buffer.from(settings.secret, 'utf8');
    if (secret.length < minSecretBytes) {
      throw new Error(`CAREBRIDGE_OAUTH_SECRET must be at least ${minSecretBytes} bytes`);
    }
    return secret;
  }
  const file = settings.secretFile ?? join(defaultDataDir(), 'oauth-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  mkdirSync(join(file, '..'), { recursive: true });
  const secret = randomBytes(32);
  try {
    writeFileSync(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (err) {
    // Another process on the same data dir wrote it first: use theirs, so both verify the same tokens.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  }
}

/** Settings with the lazily loaded secret memoised: nothing is written unless a token is issued or checked. */
export interface OAuthConfig {
  settings: OAuthSettings;
  secret(): Buffer;
}

export function oauthConfig(settings: OAuthSettings): OAuthConfig {
  let secret: Buffer | undefined;
  return {
    settings,
    secret: () => {
      secret ??= signingSecret(settings);
      return secret;
    },
  };
}

export function baseUrl(c: Context, settings: OAuthSettings): string {
  return (settings.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
}

/** The MCP resource identifiers (RFC 8707): the server-wide `/mcp`, or one module's endpoint. */
export function mcpResource(base: string, module?: string): string {
  return module ? `${base}/mcp/${module}` : `${base}/mcp`;
}

export function resourceMetadataUrl(base: string, module?: string): string {
  return `${base}/.well-known/oauth-protected-resource${module ? `/mcp/${module}` : ''}`;
}

export function issuerOf(base: string, settings: OAuthSettings): string {
  return settings.external?.issuer ?? base;
}

/** Every scope an operation of the module (or of any module) requires, sorted. */
export function scopesSupported(module?: ServedModule): string[] {
  const ops = module ? operationsByModule[module] : allOperations;
  return [...new Set(ops.map((op) => op.scope))].sort();
}
