import type { KeyObject } from 'node:crypto';
import { type PublicKeyLookup, publicKeyFromJwk } from '../../tools/auth/tokens.ts';

/**
 * The external authorization server's signing keys, fetched from its JWKS and cached. An unknown
 * `kid` triggers a refetch (the issuer rotated its keys), but at most once per `minRefetchMs` so a
 * flood of forged kids cannot make us hammer the issuer.
 */
export function jwksLookup(
  jwksUrl: string,
  opts: { maxAgeMs?: number; minRefetchMs?: number; fetch?: typeof fetch } = {},
): PublicKeyLookup {
  const maxAgeMs = opts.maxAgeMs ?? 10 * 60_000;
  const minRefetchMs = opts.minRefetchMs ?? 30_000;
  const doFetch = opts.fetch ?? fetch;
  let keys: { kid: string | undefined; alg: string | undefined; key: KeyObject }[] = [];
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | null = null;

  async function refresh(): Promise<void> {
    const res = await doFetch(jwksUrl, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`JWKS ${jwksUrl} answered ${res.status}`);
    const doc = (await res.json()) as { keys?: unknown };
    if (!Array.isArray(doc.keys)) throw new Error(`JWKS ${jwksUrl} has no keys array`);
    keys = doc.keys.flatMap((jwk: Record<string, unknown>) => {
      const key = publicKeyFromJwk(jwk);
      if (!key) return [];
      return [
        {
          kid: typeof jwk.kid === 'string' ? jwk.kid : undefined,
          alg: typeof jwk.alg === 'string' ? jwk.alg : undefined,
          key,
        },
      ];
    });
    fetchedAt = Date.now();
  }

  const find = (kid: string | undefined, alg: string) =>
    keys.find(
      (k) =>
        (kid === undefined || k.kid === kid) && (k.alg === undefined || k.alg === alg) && fitsAlg(k.key, alg),
    )?.key ?? null;

  return async (kid, alg) => {
    const age = Date.now() - fetchedAt;
    if (age > maxAgeMs || (!find(kid, alg) && age > minRefetchMs)) {
      inflight ??= refresh().finally(() => {
        inflight = null;
      });
      await inflight;
    }
    return find(kid, alg);
  };
}

function fitsAlg(key: KeyObject, alg: string): boolean {
  return alg === 'RS256' ? key.asymmetricKeyType === 'rsa' : key.asymmetricKeyType === 'ec';
}
