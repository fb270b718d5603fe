import { afterAll, inject } from 'vitest';
import type { Database } from '../db/client.ts';
import { ScratchServer } from '../db/scratch.ts';

/**
 * A fresh, migrated database for one test file, dropped when the file's tests end.
 * `DATABASE_URL` selects the server (the machine's PostgreSQL in CI); by default an embedded one.
 */
export async function createTestDatabase(poolSize = 10): Promise<Database> {
  const scratch = ScratchServer.attach(inject('adminUrl'), inject('templateDb'));
  const database = await scratch.createDatabase(poolSize);
  afterAll(async () => {
    await database.drop();
    await scratch.stop(false);
  });
  return database;
}
