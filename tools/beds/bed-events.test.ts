import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import {
  type BedChangeCursor,
  currentBedChangeCursor,
  formatBedChangeCursor,
  parseBedChangeCursor,
  readBedChanges,
  recordBedChanges,
} from './bed-events.ts';

let database: Database;

beforeAll(async () => {
  database = await createTestDatabase();
});

/** Reads until something arrives: other databases' transactions on the same server may delay it. */
async function readSoon(after: BedChangeCursor) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await readBedChanges(database.db, after);
    if (rows.length > 0 || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('reading bed changes', () => {
  it('never skips an event whose transaction commits after a later one was read', async () => {
    const start = await currentBedChangeCursor(database.db);
    let releaseSlow!: () => void;
    const slowMayCommit = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    let slowInserted!: () => void;
    const slowHasInserted = new Promise<void>((resolve) => {
      slowInserted = resolve;
    });
    // The slow transaction takes the lower event id and commits last.
    const slow = database.db.transaction(async (tx) => {
      await recordBedChanges(tx, [{ bedId: 'bed-slow', change: 'housekeeping' }], new Date(), 'test');
      slowInserted();
      await slowMayCommit;
    });
    await slowHasInserted;
    await recordBedChanges(database.db, [{ bedId: 'bed-fast', change: 'housekeeping' }], new Date(), 'test');

    // Reading "id > last seen" now would return bed-fast and then never bed-slow.
    expect(await readBedChanges(database.db, start)).toEqual([]);
    releaseSlow();
    await slow;
    const rows = await readSoon(start);
    expect(rows.map((r) => r.bedId)).toEqual(['bed-slow', 'bed-fast']);
    expect(await readBedChanges(database.db, rows.at(-1)!)).toEqual([]);
  });

  it('formats a cursor as a Last-Event-ID and reads it back; anything else starts at the head', () => {
    expect(parseBedChangeCursor(formatBedChangeCursor({ txid: 4242, id: 7 }))).toEqual({ txid: 4242, id: 7 });
    expect(parseBedChangeCursor('7')).toBeNull();
    expect(parseBedChangeCursor(undefined)).toBeNull();
  });
});
