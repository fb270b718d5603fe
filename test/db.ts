import { afterAll, inject } from 'vitest';
import type { Database } from '../db/client.ts';
import { ScratchServer } from '../db/scratch.ts';

type ScratchDatabase = Database & { drop(): Promise<void> };
let scratch: ScratchServer | null = null;
const created: ScratchDatabase[] = [];

// Registered when a test file imports this module, so it runs once when that file's tests end
// (vitest ignores afterAll registered from inside beforeAll).
afterAll(async () => {
  for (const database of created.splice(0)) await database.drop();
  await scratch?.stop(false);
  scratch = null;
});

/**
 * A fresh, migrated database for one test file, dropped when the file's tests end.
 * `DATABASE_URL` selects the server (the machine's PostgreSQL in CI); by default an embedded one.
 */
export async function createTestDatabase(poolSize = 10): Promise<Database> {
  scratch ??= ScratchServer.attach(inject('adminUrl'), inject('templateDb'));
  const database = await scratch.createDatabase(poolSize);
  created.push(database);
  return database;
}

/**
 * Drops a test database before its file ends. Files that make one per test call it after each, so
 * their pools do not pile up against the server's connection limit (100 by default).
 */
export async function dropTestDatabase(database: Database): Promise<void> {
  const index = created.indexOf(database as ScratchDatabase);
  if (index < 0) return;
  created.splice(index, 1);
  await (database as ScratchDatabase).drop();
}
