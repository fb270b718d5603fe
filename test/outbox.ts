import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Points the default clearinghouse adapter at a temporary outbox for one test file (and puts the
 * setting back after). `clear()` empties it: each test database numbers its interchanges from 1.
 */
export function tempOutbox(): { dir(): string; files(): string[]; clear(): void } {
  let dir = '';
  const previous = process.env.CAREBRIDGE_OUTBOX_DIR;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'carebridge-outbox-'));
    process.env.CAREBRIDGE_OUTBOX_DIR = dir;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.CAREBRIDGE_OUTBOX_DIR;
    else process.env.CAREBRIDGE_OUTBOX_DIR = previous;
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    files: () => readdirSync(dir),
    clear: () => {
      for (const f of readdirSync(dir)) rmSync(join(dir, f));
    },
  };
}
