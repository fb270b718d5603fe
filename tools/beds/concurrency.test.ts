import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckpointer } from '../../agents/runtime/checkpointer.ts';
import type { BatchPlanCache } from '../../agents/beds/graph.ts';
import { runBedAgent } from '../../agents/beds/run.ts';
import type { Database } from '../../db/client.ts';
import { beds, patients, rooms, staff, units } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import { systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { OperationError } from '../core/errors.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { answerApproval, closeBedRequest, offerBed, requestBed } from './negotiation-operations.ts';
import { admitPatient } from './patient-flow-operations.ts';
import { expireBedHolds, reserveBed } from './operations.ts';
import type { ApprovalView, BedRequestView } from './schema.ts';

// The guarantee: 200 requests race for 50 matching beds. No bed is ever held or occupied twice,
// and every request ends assigned or declined with its reason (no-fit, with the options proposed).
const BEDS = 50;
const REQUESTS = 200;
/** Bed agent runs in flight at once, as a worker pool would run them. */
const AGENT_RUNS = 16;
const T0 = '2026-03-02T08:00:00.000Z';

let database: Database;
let clock: ManualClock;
let checkpointer: Awaited<ReturnType<typeof createCheckpointer>>;

beforeAll(async () => {
  // 16 connections contend enough for the races, and keep three test files at once under
  // PostgreSQL's default of 100 connections (CI's server has that default).
  database = await createTestDatabase(16);
  await miniHospital(database);
  clock = new ManualClock(T0);
  checkpointer = await createCheckpointer(database.url);
});

afterAll(async () => {
  await checkpointer?.close();
});

/** A telemetry unit of single rooms with its charge nurse, and patients of alternating sex. */
async function addTelemetryUnit(unitId: string, bedCount: number, patientIds: string[]) {
  await database.db
    .insert(units)
    .values({ id: unitId, name: `Telemetry ${unitId}`, type: 'telemetry', floor: 5 });
  const ids = Array.from({ length: bedCount }, (_, i) => `${unitId}-bed-${String(i).padStart(2, '0')}`);
  await database.db.insert(rooms).values(ids.map((id) => ({ id: `${id}-room`, unitId, name: id })));
  await database.db
    .insert(beds)
    .values(ids.map((id) => ({ id, roomId: `${id}-room`, unitId, label: id, telemetry: true })));
  await database.db
    .insert(staff)
    .values({ id: `${unitId}-charge`, name: 'Tess Charge', role: 'charge-nurse', unitId, pager: 'PGR-9000' });
  await database.db.insert(patients).values(
    patientIds.map((id, i) => ({
      id,
      mrn: `MRN-${id}`,
      givenName: 'Race',
      familyName: id,
      birthDate: '1960-01-01',
      sex: i % 2 ? ('female' as const) : ('male' as const),
    })),
  );
  return ids;
}

const ctxFor = (patientId?: string): OperationContext => ({
  database,
  clock,
  actor: systemActor,
  onBehalfOf: patientId,
});

const needFor = (i: number) => ({ unitTypes: ['telemetry'], sex: i % 2 ? 'female' : 'male' });

/** Runs fn over items with at most `limit` in flight. */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  });
  await Promise.all(runners);
  return results;
}

const outcomes = (calls: Promise<unknown>[]) => Promise.allSettled(calls);

const auditCount = async (tool: string) =>
  Number((await database.sql`select count(*)::int as n from audit_log where tool = ${tool}`)[0]!.n);

describe('200 bed requests racing for 50 beds', () => {
  it('gives each bed to one request, declines the rest with options, and audits every change', async () => {
    const patientIds = Array.from({ length: REQUESTS }, (_, i) => `race-${String(i).padStart(3, '0')}`);
    const bedIds = await addTelemetryUnit('unit-race', BEDS, patientIds);

    const filed = (await Promise.all(
      patientIds.map((patientId, i) =>
        invokeOperation(
          requestBed,
          { patientId, need: needFor(i), requester: 'ed', priority: 'urgent' },
          ctxFor(patientId),
        ),
      ),
    )) as BedRequestView[];
    const requestIds = filed.map((r) => r.requestId);
    expect(new Set(requestIds).size).toBe(REQUESTS);

    const plans: BatchPlanCache = { last: null };
    const runAll = () =>
      inPool(requestIds, AGENT_RUNS, (id) =>
        runBedAgent({ database, clock, checkpointer: checkpointer.saver, plans }, id),
      );
    const first = await runAll();
    expect(first.filter((r) => r.status === 'awaiting-acceptance')).toHaveLength(BEDS);
    expect(first.filter((r) => r.status === 'no-fit')).toHaveLength(REQUESTS - BEDS);

    expect(await database.sql`select thread_id, error from agent_runs where status = 'failed'`).toEqual([]);
    const pending = await database.sql<{ id: string }[]>`select id from approvals where status = 'pending'`;
    expect(pending).toHaveLength(BEDS);
    await inPool(pending, AGENT_RUNS, ({ id }) =>
      invokeOperation(
        answerApproval,
        { approvalId: id, staffId: 'unit-race-charge', decision: 'accept' },
        ctxFor(),
      ),
    );
    // Until nothing advances: a run that finds its request where the last one left it does nothing.
    let passes = 0;
    while ((await runAll()).some((r) => r.advanced)) expect(++passes).toBeLessThan(3);

    const assigned = await database.sql<{ id: string; patient_id: string; bed_id: string }[]>`
      select id, patient_id, bed_id from bed_requests where status = 'assigned'`;
    await inPool(assigned, AGENT_RUNS, ({ patient_id }) =>
      invokeOperation(admitPatient, { patientId: patient_id }, ctxFor(patient_id)),
    );

    // Never two live reservations, nor two occupants, on one bed; never one patient in two beds.
    expect(
      await database.sql`select bed_id from bed_reservations where status in ('held', 'accepted')
        group by bed_id having count(*) > 1`,
    ).toEqual([]);
    expect(
      await database.sql`select bed_id from bed_reservations where status in ('held', 'accepted', 'fulfilled')
        group by bed_id having count(*) > 1`,
    ).toEqual([]);
    expect(
      await database.sql`select occupant_patient_id from beds where occupant_patient_id is not null
        group by occupant_patient_id having count(*) > 1`,
    ).toEqual([]);

    // Every bed went to exactly one request and its patient lies in it.
    expect(assigned).toHaveLength(BEDS);
    expect(new Set(assigned.map((r) => r.bed_id))).toEqual(new Set(bedIds));
    const occupied = await database.sql<{ id: string; occupant_patient_id: string }[]>`
      select id, occupant_patient_id from beds where unit_id = 'unit-race'`;
    const occupantOf = new Map(occupied.map((b) => [b.id, b.occupant_patient_id]));
    for (const r of assigned) expect(occupantOf.get(r.bed_id)).toBe(r.patient_id);

    // Every other request ended declined with its reason and the options proposed.
    const final = await database.sql<{ status: string; outcome: string | null; options: unknown[] | null }[]>`
      select status, outcome, options from bed_requests where id in ${database.sql(requestIds)}`;
    expect(final.filter((r) => r.status === 'assigned')).toHaveLength(BEDS);
    const declined = final.filter((r) => r.status !== 'assigned');
    expect(declined).toHaveLength(REQUESTS - BEDS);
    for (const r of declined) {
      expect(r.status).toBe('no-fit');
      expect(r.outcome).toMatch(/^No free telemetry bed fits .*Options: /);
      expect(r.options!.length).toBeGreaterThan(0);
    }

    // Every state change has its audit entry: one per request filed, per hold and question, per answer,
    // per request closed and per admission, each naming the row it changed.
    const [counts] = await database.sql<{ reservations: number; approvals: number; answered: number }[]>`
      select (select count(*)::int from bed_reservations) as reservations,
        (select count(*)::int from approvals) as approvals,
        (select count(*)::int from approvals where status = 'answered') as answered`;
    expect(counts!.reservations).toBe(BEDS);
    expect(counts!.approvals).toBe(BEDS);
    expect(await auditCount('request_bed')).toBe(REQUESTS);
    expect(await auditCount('offer_bed')).toBe(counts!.approvals);
    expect(await auditCount('answer_approval')).toBe(counts!.answered);
    expect(await auditCount('close_bed_request')).toBe(REQUESTS - BEDS);
    expect(await auditCount('admit_patient')).toBe(BEDS);
    expect(
      await database.sql`select r.id from bed_reservations r where not exists (select 1 from audit_log a
        where a.tool = 'offer_bed' and a.outcome -> 'question' ->> 'reservationId' = r.id)`,
    ).toEqual([]);
    expect(
      await database.sql`select p.id from approvals p where not exists (select 1 from audit_log a
        where a.tool = 'answer_approval' and a.outcome ->> 'id' = p.id and a.outcome ->> 'status' = 'answered')`,
    ).toEqual([]);
    expect(
      await database.sql`select r.id from bed_requests r where r.status = 'no-fit' and not exists (select 1 from
        audit_log a where a.tool = 'close_bed_request' and a.input ->> 'requestId' = r.id)`,
    ).toEqual([]);
    expect(
      await database.sql`select r.id from bed_reservations r where r.status <> 'fulfilled' or not exists (select 1
        from audit_log a where a.tool = 'admit_patient' and a.outcome ->> 'reservationId' = r.id)`,
    ).toEqual([]);
    expect(await verifyAuditChain(database.sql)).toMatchObject({ intact: true });
  }, 120_000);
});

describe('calls racing for one bed', () => {
  const RACERS = 24;
  let racers: string[];

  beforeAll(async () => {
    racers = Array.from({ length: RACERS }, (_, i) => `solo-${String(i).padStart(2, '0')}`);
    await addTelemetryUnit('unit-solo', 4, racers);
  });

  async function freshRequests(): Promise<string[]> {
    const views = (await Promise.all(
      racers.map((patientId, i) =>
        invokeOperation(requestBed, { patientId, need: needFor(i), requester: 'ed' }, ctxFor(patientId)),
      ),
    )) as BedRequestView[];
    return views.map((v) => v.requestId);
  }

  function expectOneWinner(results: PromiseSettledResult<unknown>[]) {
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(1);
    for (const err of lost) {
      expect(err).toBeInstanceOf(OperationError);
      expect(err).toMatchObject({ code: 'conflict' });
      expect((err as Error).message).toMatch(/already reserved/);
    }
    return won[0]!;
  }

  it('lets exactly one of many offer_bed calls hold the bed; the others get a conflict', async () => {
    const requestIds = await freshRequests();
    const results = await outcomes(
      requestIds.map((requestId, i) =>
        invokeOperation(offerBed, { requestId, bedId: 'unit-solo-bed-00' }, ctxFor(racers[i])),
      ),
    );
    const winner = expectOneWinner(results) as PromiseFulfilledResult<{ approval: ApprovalView }>;
    const live = await database.sql`select request_id from bed_reservations
      where bed_id = 'unit-solo-bed-00' and status in ('held', 'accepted')`;
    expect(live).toEqual([{ request_id: winner.value.approval.requestId }]);
    // The losers wrote nothing: no hold, no question, no audit entry, and they still negotiate.
    expect(await database.sql`select count(*)::int as n from approvals where unit_id = 'unit-solo'`).toEqual([
      { n: 1 },
    ]);
    const waiting = await database.sql`select count(*)::int as n from bed_requests
      where id in ${database.sql(requestIds)} and status = 'negotiating'`;
    expect(waiting).toEqual([{ n: RACERS - 1 }]);
  });

  it('lets exactly one of many reserve_bed and offer_bed calls hold the bed', async () => {
    const requestIds = await freshRequests();
    const results = await outcomes(
      racers.map((patientId, i) =>
        i % 2
          ? invokeOperation(
              reserveBed,
              { bedId: 'unit-solo-bed-01', patientId, reason: 'direct hold in the race' },
              ctxFor(patientId),
            )
          : invokeOperation(
              offerBed,
              { requestId: requestIds[i], bedId: 'unit-solo-bed-01' },
              ctxFor(patientId),
            ),
      ),
    );
    expectOneWinner(results);
    const live = await database.sql`select count(*)::int as n from bed_reservations
      where bed_id = 'unit-solo-bed-01' and status in ('held', 'accepted')`;
    expect(live).toEqual([{ n: 1 }]);
  });

  it('refuses, never deadlocks, when two requests whose holds lapsed offer each other’s bed at once', async () => {
    // Each offer expires its own request's lapsed hold, then the lapsed hold on the bed it wants. Crossed,
    // each would wait for the request the other holds (PostgreSQL 40P01 before the fix): now the second
    // lock is not waited for and the offer is refused as a conflict, to be retried or moved on from.
    const [a, b] = (await freshRequests()).slice(0, 2) as [string, string];
    const [pa, pb] = racers as [string, string];
    let [bedA, bedB] = ['unit-solo-bed-02', 'unit-solo-bed-03'];
    await invokeOperation(offerBed, { requestId: a, bedId: bedA }, ctxFor(pa));
    await invokeOperation(offerBed, { requestId: b, bedId: bedB }, ctxFor(pb));
    for (let round = 0; round < 6; round++) {
      clock.advance(31 * 60_000);
      const crossing = [
        { requestId: a, bedId: bedB, patientId: pa },
        { requestId: b, bedId: bedA, patientId: pb },
      ];
      const results = await outcomes(
        crossing.map((c) =>
          invokeOperation(offerBed, { requestId: c.requestId, bedId: c.bedId }, ctxFor(c.patientId)),
        ),
      );
      for (const [i, r] of results.entries()) {
        if (r.status === 'fulfilled') continue;
        expect(r.reason).toBeInstanceOf(OperationError);
        expect(r.reason).toMatchObject({ code: 'conflict' });
        expect((r.reason as Error).message).toMatch(/being released from a lapsed hold by another request/);
        // Alone, the same offer goes through.
        const c = crossing[i]!;
        await invokeOperation(offerBed, { requestId: c.requestId, bedId: c.bedId }, ctxFor(c.patientId));
      }
      const live = await database.sql<{ request_id: string; bed_id: string }[]>`
        select request_id, bed_id from bed_reservations where request_id in (${a}, ${b}) and status = 'held'`;
      expect(new Map(live.map((r) => [r.request_id, r.bed_id]))).toEqual(
        new Map([
          [a, bedB],
          [b, bedA],
        ]),
      );
      [bedA, bedB] = [bedB, bedA];
    }
  });
});

describe('the hold sweeper racing the people and the agent', () => {
  it('expires lapsed holds while answers, offers and cancellations arrive, without a deadlock', async () => {
    const patientIds = Array.from({ length: 12 }, (_, i) => `sweep-${String(i).padStart(2, '0')}`);
    const bedIds = await addTelemetryUnit('unit-sweep', 24, patientIds);
    for (let round = 0; round < 3; round++) {
      await database.sql`update bed_requests set status = 'cancelled' where patient_id like 'sweep-%'`;
      await database.sql`update bed_reservations set status = 'released'
        where patient_id like 'sweep-%' and status in ('held', 'accepted')`;
      await database.sql`update approvals set status = 'cancelled'
        where unit_id = 'unit-sweep' and status = 'pending'`;
      const offered = await Promise.all(
        patientIds.map(async (patientId, i) => {
          const { requestId } = (await invokeOperation(
            requestBed,
            { patientId, need: needFor(i), requester: 'ed' },
            ctxFor(patientId),
          )) as BedRequestView;
          const { approval } = (await invokeOperation(
            offerBed,
            { requestId, bedId: bedIds[i]! },
            ctxFor(patientId),
          )) as { approval: ApprovalView };
          return { requestId, approvalId: approval.approvalId, patientId };
        }),
      );
      clock.advance(31 * 60_000);
      // A late accept, an offer of another bed, or a cancellation for every request, with two sweeps.
      const calls = offered.map(({ requestId, approvalId, patientId }, i) => {
        const ctx = ctxFor(patientId);
        if (i % 3 === 0)
          return invokeOperation(
            answerApproval,
            { approvalId, staffId: 'unit-sweep-charge', decision: 'accept' },
            ctx,
          );
        if (i % 3 === 1) return invokeOperation(offerBed, { requestId, bedId: bedIds[12 + i]! }, ctx);
        return invokeOperation(
          closeBedRequest,
          { requestId, status: 'cancelled', outcome: 'went home' },
          ctx,
        );
      });
      const results = await outcomes([
        invokeOperation(expireBedHolds, {}, ctxFor()),
        ...calls,
        invokeOperation(expireBedHolds, {}, ctxFor()),
      ]);
      for (const r of results) {
        if (r.status === 'rejected') {
          expect(r.reason).toBeInstanceOf(OperationError);
          expect(r.reason).toMatchObject({ code: 'conflict' });
        }
      }
      // Every late accept was refused because the hold lapsed, whether the sweeper came first or not.
      for (const [i, r] of results.slice(1, -1).entries()) {
        if (i % 3 === 0) {
          expect(r.status).toBe('rejected');
          expect(((r as PromiseRejectedResult).reason as Error).message).toMatch(/lapsed/);
        }
      }
      await invokeOperation(expireBedHolds, {}, ctxFor());
      expect(
        await database.sql`select id from bed_reservations where status = 'held'
          and hold_expires_at <= ${clock.now().toISOString()}`,
      ).toEqual([]);
      expect(
        await database.sql`select bed_id from bed_reservations where status in ('held', 'accepted')
          group by bed_id having count(*) > 1`,
      ).toEqual([]);
    }
    expect(await verifyAuditChain(database.sql)).toMatchObject({ intact: true });
  });
});
