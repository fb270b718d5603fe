import { describe, expect, it } from 'vitest';
import {
  accessTokenClaims,
  canonicalResource,
  looksLikeJwt,
  signHs256,
  verifyAccessToken,
} from './tokens.ts';

const secret = Buffer.from('a-test-secret-that-is-32-bytes-long');
const now = new Date('2026-03-01T12:00:00Z');
const claims = accessTokenClaims({
  issuer: 'https://cb.test',
  clientId: 'key-1',
  audience: 'https://cb.test/mcp/beds',
  scopes: ['beds:read'],
  now,
  ttlSeconds: 3600,
});
const verify = (token: string, at = now, audiences = ['https://cb.test/mcp/beds']) =>
  verifyAccessToken(token, {
    keys: { kind: 'hs256', secret },
    issuer: 'https://cb.test',
    audiences,
    now: at,
  });

describe('access tokens', () => {
  it.each([
    ['cbk_staff_AbC-dEf_123', false],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', true],
    ['a.b', false],
  ])('tells a JWT from an API key: %s → %s', (value, expected) => {
    expect(looksLikeJwt(value)).toBe(expected);
  });

  it.each([
    ['https://CB.test/mcp/beds/', 'https://cb.test/mcp/beds'],
    ['https://cb.test:443/mcp#x', 'https://cb.test/mcp'],
    ['not a url', 'not a url'],
  ])('compares resources canonically: %s → %s', (value, expected) => {
    expect(canonicalResource(value)).toBe(expected);
  });

  it('verifies its own token and returns the claims', async () => {
    await expect(verify(signHs256(claims, secret))).resolves.toMatchObject({
      sub: 'key-1',
      scope: 'beds:read',
    });
  });

  it.each([
    ['expired, beyond 30 s of skew', { exp: claims.exp - 3631 }, /expired/],
    ['not valid yet', { nbf: claims.exp }, /not valid yet/],
    ['without expiry', { exp: undefined }, /no expiry/],
    ['without subject', { sub: '' }, /no subject/],
    ['for another audience', { aud: ['https://cb.test/mcp/revenue'] }, /not issued for this resource/],
  ])('refuses a token %s', async (_name, overrides, message) => {
    await expect(verify(signHs256({ ...claims, ...overrides }, secret))).rejects.toThrow(message);
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = signHs256(claims, secret).split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims, scope: 'beds:write' })).toString('base64url');
    await expect(verify(`${h}.${payload}.${s}`)).rejects.toThrow(/signature/);
  });
});
