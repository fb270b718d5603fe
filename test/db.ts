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
