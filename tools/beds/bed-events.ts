import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { bedEvents } from '../../db/schema/index.ts';

export type BedChange =
  | 'housekeeping'
  | 'pending-discharge'
  | 'discharged'
  | 'transferred-out'
  | 'transferred-in'
  | 'reserved'
  | 'reservation-released'
  | 'reservation-expired'
  | 'reservation-accepted'
  | 'admitted';

/** Records that a bed's board row changed, in the caller's transaction. */
export async function recordBedChanges(
  tx: DbOrTx,
  changes: readonly { bedId: string; change: BedChange }[],
  at: Date,
  actor: string,
): Promise<void> {
  if (changes.length === 0) return;
  await tx.insert(bedEvents).values(changes.map((c) => ({ ...c, at, actor })));
}

/** Where a reader of bed changes stands: the last (transaction id, event id) it has seen. */
export interface BedChangeCursor {
  txid: number;
  id: number;
}

export interface BedChangeRow {
  txid: number;
  id: number;
  bedId: string;
  change: string;
  at: Date;
}

/**
 * Bed changes after the cursor, in commit-safe order. Event ids are taken when a row is inserted but
 * transactions commit in any order, so reading "id > last seen" could skip an event whose
 * transaction committed after a later one was read. Reading only events of transactions older than
 * every transaction still running (the snapshot's xmin), ordered by (txid, id), means no event can
 * later appear before the cursor. A long transaction elsewhere delays events; it never loses one.
 */
export async function readBedChanges(
  db: DbOrTx,
  after: BedChangeCursor,
  limit = 500,
): Promise<BedChangeRow[]> {
  const rows = await db.execute<{ txid: string; id: string; bed_id: string; change: string; at: Date }>(sql`
    select txid, id, bed_id, change, at from ${bedEvents}
    where (txid, id) > (${after.txid}::bigint, ${after.id}::bigint)
      and txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    order by txid, id
    limit ${limit}`);
  return rows.map((r) => ({
    txid: Number(r.txid),
    id: Number(r.id),
    bedId: r.bed_id,
    change: r.change,
    at: new Date(r.at),
  }));
}

/** The cursor just past every event visible now: where a new subscriber starts. */
export async function currentBedChangeCursor(db: DbOrTx): Promise<BedChangeCursor> {
  const rows = await db.execute<{ txid: string; id: string }>(sql`
    select txid, id from ${bedEvents}
    where txid < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    order by txid desc, id desc limit 1`);
  const row = rows[0];
  return row ? { txid: Number(row.txid), id: Number(row.id) } : { txid: 0, id: 0 };
}

export function formatBedChangeCursor(c: BedChangeCursor): string {
  return `${c.txid}-${c.id}`;
}

/** Parses a Last-Event-ID; anything unreadable starts from the current head (null). */
export function parseBedChangeCursor(text: string | undefined): BedChangeCursor | null {
  const m = /^(\d{1,19})-(\d{1,19})$/.exec(text ?? '');
  if (!m) return null;
  return { txid: Number(m[1]), id: Number(m[2]) };
}
