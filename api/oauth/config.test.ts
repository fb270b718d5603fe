import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oauthSettingsFromEnv, signingSecret } from './config.ts';

describe('OAuth configuration', () => {
  it('generates a 256-bit signing secret once, keeps it owner-only, and reuses it', () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), 'cb-oauth-')), 'data', 'oauth-secret');
    const first = signingSecret({ secretFile });
    expect(first.length).toBe(32);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(signingSecret({ secretFile }).equals(first)).toBe(true);
    expect(readFileSync(secretFile, 'utf8').trim()).toBe(first.toString('base64url'));
  });

  it('prefers the configured secret and refuses one shorter than 32 bytes', () => {
    expect(signingSecret({ secret: 'x'.repeat(32) }).toString()).toBe('x'.repeat(32));
    expect(() => signingSecret({ secret: 'too-short' })).toThrow(
      /CAREBRIDGE_OAUTH_SECRET must be at least 32 bytes/,
    );
  });

  it('reads the environment, and refuses an issuer without its JWKS', () => {
    expect(
      oauthSettingsFromEnv({
        CAREBRIDGE_PUBLIC_URL: 'https://carebridge.example',
        CAREBRIDGE_OAUTH_ISSUER: 'https://login.example',
        CAREBRIDGE_OAUTH_JWKS_URL: 'https://login.example/jwks',
      }),
    ).toEqual({
      publicUrl: 'https://carebridge.example',
      secret: undefined,
      external: { issuer: 'https://login.example', jwksUrl: 'https://login.example/jwks' },
    });
    expect(() => oauthSettingsFromEnv({ CAREBRIDGE_OAUTH_ISSUER: 'https://login.example' })).toThrow(
      /CAREBRIDGE_OAUTH_JWKS_URL/,
    );
  });
});
