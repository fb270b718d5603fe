import {
  createHmac,
  createPublicKey,
  type KeyObject,
  randomUUID,
  timingSafeEqual,
  verify,
} from 'node:crypto';

/**
 * JWT access tokens (RFC 7519, JWS compact serialization RFC 7515) with node:crypto only.
 * Our own tokens are HS256; tokens from an external authorization server are RS256 or ES256,
 * checked against its JWKS. `alg: none` and any algorithm not expected by the caller are refused:
 * accepting the algorithm the token names is the classic JWT confusion attack.
 */

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  scope?: string;
  exp: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  client_id?: string;
  /** The patient a patient-bound client may act for. */
  patient?: string;
  [claim: string]: unknown;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A presented bearer value that has the shape of a JWS (three base64url parts); API keys do not. */
export function looksLikeJwt(value: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(value);
}

export function signHs256(claims: Record<string, unknown>, secret: Buffer): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }));
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The claims of a freshly issued access token; `ttlSeconds` may be negative in tests (an expired token). */
export function accessTokenClaims(opts: {
  issuer: string;
  clientId: string;
  audience: string;
  scopes: readonly string[];
  patientId?: string | undefined;
  now: Date;
  ttlSeconds: number;
}): AccessTokenClaims {
  const iat = Math.floor(opts.now.getTime() / 1000);
  return {
    iss: opts.issuer,
    sub: opts.clientId,
    aud: opts.audience,
    client_id: opts.clientId,
    scope: opts.scopes.join(' '),
    iat,
    exp: iat + opts.ttlSeconds,
    jti: randomUUID(),
    ...(opts.patientId ? { patient: opts.patientId } : {}),
  };
}

interface DecodedJwt {
  header: { alg?: unknown; kid?: unknown };
  claims: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

function decode(token: string): DecodedJwt {
  const [h, p, s] = token.split('.');
  if (h === undefined || p === undefined || s === undefined || token.split('.').length !== 3) {
    throw new TokenError('The token is not a JWT');
  }
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    if (typeof header !== 'object' || !header || typeof claims !== 'object' || !claims) throw new Error();
    return { header, claims, signingInput: `${h}.${p}`, signature: Buffer.from(s, 'base64url') };
  } catch {
    throw new TokenError('The token is not a JWT');
  }
}

/** Public keys of an issuer, by key id (`kid`); null when the key is unknown. */
export type PublicKeyLookup = (kid: string | undefined, alg: string) => Promise<KeyObject | null>;

export type TokenKeys =
  | { kind: 'hs256'; secret: Buffer }
  | { kind: 'jwks'; lookup: PublicKeyLookup; algorithms: readonly ('RS256' | 'ES256')[] };

async function checkSignature(jwt: DecodedJwt, keys: TokenKeys): Promise<void> {
  const alg = jwt.header.alg;
  if (keys.kind === 'hs256') {
    if (alg !== 'HS256') throw new TokenError(`The token's algorithm ${String(alg)} is not accepted`);
    const expected = createHmac('sha256', keys.secret).update(jwt.signingInput).digest();
    if (expected.length !== jwt.signature.length || !timingSafeEqual(expected, jwt.signature)) {
      throw new TokenError('The token signature is invalid');
    }
    return;
  }
  if (alg !== 'RS256' && alg !== 'ES256') {
    throw new TokenError(`The token's algorithm ${String(alg)} is not accepted`);
  }
  if (!keys.algorithms.includes(alg)) throw new TokenError(`The token's algorithm ${alg} is not accepted`);
  const kid = typeof jwt.header.kid === 'string' ? jwt.header.kid : undefined;
  const key = await keys.lookup(kid, alg);
  if (!key) throw new TokenError(`The issuer has no signing key ${kid ?? '(no kid)'}`);
  // JWS ES256 signatures are the raw r||s pair (RFC 7518 §3.4), not DER.
  const ok =
    alg === 'ES256'
      ? verify('sha256', Buffer.from(jwt.signingInput), { key, dsaEncoding: 'ieee-p1363' }, jwt.signature)
      : verify('sha256', Buffer.from(jwt.signingInput), key, jwt.signature);
  if (!ok) throw new TokenError('The token signature is invalid');
}

/**
 * Verifies signature, issuer, audience (one of `audiences`), expiry and not-before. Allows 30 s of
 * clock skew between issuer and server.
 */
export async function verifyAccessToken(
  token: string,
  opts: { keys: TokenKeys; issuer: string; audiences: readonly string[]; now: Date },
): Promise<AccessTokenClaims> {
  const jwt = decode(token);
  await checkSignature(jwt, opts.keys);
  const c = jwt.claims;
  const nowSec = opts.now.getTime() / 1000;
  const skew = 30;
  if (c.iss !== opts.issuer)
    throw new TokenError(`The token was issued by ${String(c.iss)}, not ${opts.issuer}`);
  const aud = typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) ? c.aud : [];
  const wanted = new Set(opts.audiences.map(canonicalResource));
  if (!aud.some((a) => typeof a === 'string' && wanted.has(canonicalResource(a)))) {
    throw new TokenError(`The token was not issued for this resource (aud ${JSON.stringify(c.aud)})`);
  }
  if (typeof c.exp !== 'number') throw new TokenError('The token has no expiry');
  if (c.exp + skew <= nowSec) throw new TokenError('The token has expired');
  if (typeof c.nbf === 'number' && c.nbf - skew > nowSec) throw new TokenError('The token is not valid yet');
  if (typeof c.sub !== 'string' || !c.sub) throw new TokenError('The token has no subject');
  if (c.scope !== undefined && typeof c.scope !== 'string')
    throw new TokenError('The token scope is not a string');
  return c as AccessTokenClaims;
}

/** RFC 8707 §2: an absolute URI without fragment; compared without a trailing slash and with a lower-case origin. */
export function canonicalResource(value: string): string {
  try {
    const url = new URL(value);
    url.hash = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return value;
  }
}

export function scopesOf(claims: AccessTokenClaims): string[] {
  if (typeof claims.scope === 'string') return claims.scope.split(' ').filter(Boolean);
  // Some authorization servers send `scp` as an array (e.g. Entra ID, Okta).
  return Array.isArray(claims.scp) ? claims.scp.filter((s): s is string => typeof s === 'string') : [];
}

/** A JWK from a JWKS document as a public key, or null for a key that cannot verify RS256/ES256. */
export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject | null {
  if (jwk.use !== undefined && jwk.use !== 'sig') return null;
  if (jwk.kty !== 'RSA' && !(jwk.kty === 'EC' && jwk.crv === 'P-256')) return null;
  try {
    // biome-ignore lint/suspicious/noExplicitAny: node's JsonWebKey input type is a loose record.
    return createPublicKey({ key: jwk as any, format: 'jwk' });
  } catch {
    return null;
  }
}
