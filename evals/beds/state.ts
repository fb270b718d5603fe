import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import {
  agentRuns,
  approvals,
  bedRequests,
  bedReservations,
  beds,
  jobs,
  rooms,
  units,
} from '../../db/schema/index.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import type { BedNeed, BedOption } from '../../tools/beds/schema.ts';

export const show = (v: unknown) => JSON.stringify(v);
const isolationLevel: Record<string, number> = { none: 0, contact: 1, droplet: 2, airborne: 3 };
const live = new Set(['held', 'accepted']);

export interface BedRow {
  id: string;
  unitType: string;
  isolation: string;
  sexPolicy: string;
  telemetry: boolean;
  bariatric: boolean;
  status: string;
  housekeeping: string;
  occupant: string | null;
}

export type RequestRow = typeof bedRequests.$inferSelect;
export type HoldRow = typeof bedReservations.$inferSelect;
export type ApprovalRow = typeof approvals.$inferSelect;

/** The hospital as the trial left it: what every grade reads. */
export interface FinalState {
  beds: Map<string, BedRow>;
  requests: Map<string, RequestRow>;
  /** Oldest first; a counter-offer's released hold before the one that replaced it at the same instant. */
  holds: HoldRow[];
  approvals: ApprovalRow[];
  /** Bed id → the reservation that holds or has it accepted now. */
  liveByBed: Map<string, string>;
}

export async function loadFinalState(database: Database): Promise<FinalState> {
  const db = database.db;
  const bedRows: BedRow[] = await db
    .select({
      id: beds.id,
      unitType: units.type,
      isolation: rooms.isolation,
      sexPolicy: rooms.sexPolicy,
      telemetry: beds.telemetry,
      bariatric: beds.bariatric,
      status: beds.status,
      housekeeping: beds.housekeeping,
      occupant: beds.occupantPatientId,
    })
    .from(beds)
    .innerJoin(units, eq(units.id, beds.unitId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId));
  const holds = await db
    .select()
    .from(bedReservations)
    .orderBy(
      asc(bedReservations.createdAt),
      sql`${bedReservations.closedAt} asc nulls last`,
      asc(bedReservations.id),
    );
  return {
    beds: new Map(bedRows.map((b) => [b.id, b])),
    requests: new Map((await db.select().from(bedRequests)).map((r) => [r.id, r])),
    holds,
    approvals: await db.select().from(approvals).orderBy(asc(approvals.createdAt), asc(approvals.id)),
    liveByBed: new Map(holds.filter((h) => live.has(h.status)).map((h) => [h.bedId, h.id])),
  };
}

/**
 * Why a bed can never suit this need, whatever its state: written here again, apart from the
 * operations' own check, so that the grade does not trust the code it grades.
 */
export function misfit(bed: BedRow, need: BedNeed): string | null {
  if (!need.unitTypes.includes(bed.unitType as BedNeed['unitTypes'][number]))
    return `unit type ${bed.unitType} is not among ${need.unitTypes.join('/')}`;
  if ((isolationLevel[bed.isolation] ?? 0) < (isolationLevel[need.isolation] ?? 0))
    return `room isolation ${bed.isolation} below the ${need.isolation} needed`;
  if (need.telemetry && !bed.telemetry) return 'no telemetry';
  if (need.bariatric && !bed.bariatric) return 'not bariatric';
  if (bed.sexPolicy !== 'mixed' && bed.sexPolicy !== need.sex)
    return `a ${bed.sexPolicy}-only room for a ${need.sex} patient`;
  return null;
}

/** Free now: unoccupied, clean or inspected, and neither held nor accepted for anyone. */
export function isFree(bed: BedRow, state: FinalState): boolean {
  return (
    bed.status === 'U' &&
    !bed.occupant &&
    (bed.housekeeping === 'clean' || bed.housekeeping === 'inspected') &&
    !state.liveByBed.has(bed.id)
  );
}

/**
 * What must hold at the end of every scenario: no bed promised twice or promised while someone else
 * lies in it; an assigned request has exactly its one accepted bed, a waiting one exactly one hold and
 * one question about that bed, a closed one neither; every bed given or held fits its patient; no
 * request left negotiating, no bed job left queued, no agent run failed; the audit chain intact.
 */
export async function checkInvariants(
  database: Database,
  state: FinalState,
  requestIds: readonly string[],
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  check(
    state.requests.size === requestIds.length,
    `${state.requests.size} bed requests stored, ${requestIds.length} filed`,
  );
  const seen = new Map<string, string>();
  for (const h of state.holds.filter((x) => live.has(x.status))) {
    const other = seen.get(h.bedId);
    check(!other, `bed ${h.bedId} is promised twice (reservations ${other} and ${h.id})`);
    seen.set(h.bedId, h.id);
    const occupant = state.beds.get(h.bedId)?.occupant;
    check(
      !occupant || occupant === h.patientId,
      `bed ${h.bedId} is ${h.status} for ${h.patientId} but occupied by ${occupant}`,
    );
  }
  for (const [i, id] of requestIds.entries()) {
    const r = state.requests.get(id);
    const n = `request ${i + 1}`;
    if (!r) {
      failures.push(`${n} (${id}) is not stored`);
      continue;
    }
    const mine = state.holds.filter((h) => h.requestId === id);
    const liveHolds = mine.filter((h) => live.has(h.status));
    const pending = state.approvals.filter((a) => a.subjectId === id && a.status === 'pending');
    const fits = (bedId: string, what: string) => {
      const bed = state.beds.get(bedId);
      const why = bed ? misfit(bed, r.need as BedNeed) : 'no such bed';
      check(!why, `${n}: ${what} bed ${bedId} does not fit ${show(r.need)}: ${why}`);
    };
    if (r.status === 'assigned') {
      const kept = mine.filter((h) => h.status === 'accepted' || h.status === 'fulfilled');
      check(
        kept.length === 1 && kept[0]!.bedId === r.bedId,
        `${n}: assigned bed ${r.bedId} but its accepted holds are ${show(kept.map((h) => h.bedId))}`,
      );
      if (r.bedId) fits(r.bedId, 'assigned');
      check(pending.length === 0, `${n}: assigned yet a question is still pending`);
    } else if (r.status === 'awaiting-acceptance') {
      const [hold] = liveHolds;
      check(
        liveHolds.length === 1 && hold?.status === 'held',
        `${n}: awaiting acceptance with holds ${show(liveHolds.map((h) => h.status))}`,
      );
      check(pending.length === 1, `${n}: awaiting acceptance with ${pending.length} pending questions`);
      const asks = (pending[0]?.question as { bedId?: string } | undefined)?.bedId;
      check(
        !hold || asks === hold.bedId,
        `${n}: the question is about bed ${asks}, the hold is on ${hold?.bedId}`,
      );
      if (hold) fits(hold.bedId, 'held');
    } else if (r.status === 'negotiating') {
      failures.push(`${n}: still negotiating; the bed agent left it unfinished`);
    } else {
      check(
        liveHolds.length === 0,
        `${n}: ${r.status} but still holds ${show(liveHolds.map((h) => h.bedId))}`,
      );
      check(pending.length === 0, `${n}: ${r.status} but a question is still pending`);
      const kinds = ((r.options as BedOption[] | null) ?? []).map((o) => o.kind);
      if (r.status === 'no-fit')
        check(
          kinds.at(-1) === 'transfer-out',
          `${n}: no-fit options ${show(kinds)} do not end in transfer-out`,
        );
    }
  }
  const db = database.db;
  const [left] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(sql`${jobs.queue} = 'beds' and ${jobs.status} in ('queued', 'running')`);
  check(left!.n === 0, `${left!.n} bed agent jobs left unfinished`);
  for (const f of await db.select().from(agentRuns).where(eq(agentRuns.status, 'failed')))
    failures.push(`bed agent run on ${f.threadId} failed: ${f.error}`);
  const audit = await verifyAuditChain(database.sql);
  check(audit.intact, `audit chain broken: ${show(audit)}`);
  return failures;
}
