import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { bedReservations, beds, patients } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { OperationError } from '../core/errors.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { offerBed, requestBed } from './negotiation-operations.ts';
import { expireBedHolds, findCandidateBeds, releaseBedReservation, reserveBed } from './operations.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const bedManager: Actor = { id: 'staff:test', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;

beforeAll(async () => {
  // 16 connections contend enough for the races, and keep three test files at once under
  // PostgreSQL's default of 100 connections (CI's server has that default).
  database = await createTestDatabase(16);
  await miniHospital(database, { medSurgBeds: 5 });
  ctx = { database, clock, actor: bedManager };
  // Many patients competing for few beds.
  await database.db.insert(patients).values(
    Array.from({ length: 60 }, (_, i) => ({
      id: `crowd-${i}`,
      mrn: `CROWD${i}`,
      givenName: 'C',
      familyName: `${i}`,
      birthDate: '1980-01-01',
      sex: 'female' as const,
    })),
  );
});

const medSurgNeed = {
  unitTypes: ['med-surg'],
  isolation: 'none',
  telemetry: false,
  bariatric: false,
  sex: 'female',
};

describe('bed reservations', () => {
  it('never holds one bed twice, however many requests race for it', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        invokeOperation(
          reserveBed,
          { bedId: `bed-ms-${i % 5}`, patientId: `crowd-${i}`, reason: 'race test' },
          ctx,
        ),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(5);
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(OperationError);
      expect((l.reason as OperationError).code).toBe('conflict');
    }
    const live = await database.sql`select bed_id, count(*)::int as n from bed_reservations
      where status in ('held','accepted') group by bed_id`;
    expect(live.every((r) => r.n === 1)).toBe(true);
    expect(live).toHaveLength(5);
  });

  it('offers no bed that is held', async () => {
    const r = (await invokeOperation(findCandidateBeds, { need: medSurgNeed }, ctx)) as {
      candidates: unknown[];
    };
    expect(r.candidates).toEqual([]);
  });

  it('frees the bed when the hold lapses, and then offers it again', async () => {
    clock.advance(31 * 60_000);
    const r = (await invokeOperation(findCandidateBeds, { need: medSurgNeed }, ctx)) as {
      candidates: { bedId: string }[];
    };
    expect(r.candidates.map((c) => c.bedId)).toEqual([
      'bed-ms-0',
      'bed-ms-1',
      'bed-ms-2',
      'bed-ms-3',
      'bed-ms-4',
    ]);
    const swept = (await invokeOperation(expireBedHolds, {}, ctx)) as { expired: string[] };
    expect(swept.expired).toHaveLength(5);
  });

  it('replays the same reservation for a repeated escalation instead of holding a second bed', async () => {
    const first = (await invokeOperation(
      reserveBed,
      { bedId: 'bed-ms-0', patientId: 'pat-1', escalationId: 'esc-x', reason: 'first' },
      ctx,
    )) as { reservationId: string; replayed: boolean };
    const again = (await invokeOperation(
      reserveBed,
      { bedId: 'bed-ms-1', patientId: 'pat-1', escalationId: 'esc-x', reason: 'retry' },
      ctx,
    )) as { reservationId: string; replayed: boolean; bedId: string };
    expect(again).toMatchObject({ reservationId: first.reservationId, replayed: true, bedId: 'bed-ms-0' });
    const released = (await invokeOperation(
      releaseBedReservation,
      { reservationId: first.reservationId, reason: 'test' },
      ctx,
    )) as {
      status: string;
    };
    expect(released.status).toBe('released');
    // Releasing again changes nothing and leaves no audit entry.
    const audited = async () =>
      Number(
        (
          await database.sql`select count(*)::int as n from audit_log where tool = 'release_bed_reservation'`
        )[0]!.n,
      );
    const before = await audited();
    const twice = (await invokeOperation(
      releaseBedReservation,
      { reservationId: first.reservationId, reason: 'test' },
      ctx,
    )) as { status: string; replayed: boolean };
    expect(twice).toMatchObject({ status: 'released', replayed: true });
    expect(await audited()).toBe(before);
  });

  it("refuses to release a bed request's hold or an admitted patient's, naming what to do instead", async () => {
    const filed = (await invokeOperation(
      requestBed,
      { patientId: 'pat-2', need: medSurgNeed, requester: 'ed' },
      ctx,
    )) as { requestId: string };
    const { approval } = (await invokeOperation(
      offerBed,
      { requestId: filed.requestId, bedId: 'bed-ms-3' },
      ctx,
    )) as {
      approval: { question: { reservationId: string } };
    };
    const err = await invokeOperation(
      releaseBedReservation,
      { reservationId: approval.question.reservationId, reason: 'test' },
      ctx,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'conflict', issues: [{ field: 'reservationId' }] });
    expect((err as Error).message).toMatch(/held for bed request .*close_bed_request/);

    await database.sql`update bed_reservations set status = 'fulfilled' where id = ${approval.question.reservationId}`;
    const admitted = await invokeOperation(
      releaseBedReservation,
      { reservationId: approval.question.reservationId, reason: 'test' },
      ctx,
    ).catch((e: unknown) => e);
    expect((admitted as Error).message).toMatch(/was admitted to bed bed-ms-3; discharge or transfer/);
  });

  it('refuses a bed that does not fit the stated need, naming why', async () => {
    await expect(
      invokeOperation(
        reserveBed,
        {
          bedId: 'bed-ms-2',
          patientId: 'pat-1',
          need: { ...medSurgNeed, telemetry: true },
          reason: 'needs telemetry',
        },
        ctx,
      ),
    ).rejects.toThrow(/no telemetry/);
  });

  it('refuses a dirty bed and writes nothing', async () => {
    await database.db.update(beds).set({ housekeeping: 'dirty', status: 'H' }).where(eq(beds.id, 'bed-ms-3'));
    const before = await database.db.select().from(bedReservations);
    await expect(
      invokeOperation(reserveBed, { bedId: 'bed-ms-3', patientId: 'pat-1', reason: 'dirty bed' }, ctx),
    ).rejects.toThrow(/not available/);
    expect(await database.db.select().from(bedReservations)).toHaveLength(before.length);
  });

  it('names the bad field when the input is wrong', async () => {
    await expect(
      invokeOperation(
        reserveBed,
        { bedId: 'bed-ms-1', patientId: 'pat-1', holdMinutes: 1, reason: 'x' },
        ctx,
      ),
    ).rejects.toThrow(/holdMinutes/);
  });

  it('refuses an actor without the beds:write scope', async () => {
    const reader = { ...ctx, actor: { ...bedManager, scopes: ['beds:read'] } };
    await expect(
      invokeOperation(reserveBed, { bedId: 'bed-ms-1', patientId: 'pat-1', reason: 'xyz' }, reader),
    ).rejects.toThrow(/lacks the scope beds:write/);
  });

  it('audits every reservation in its own transaction, and the chain verifies', async () => {
    const reservations = await database.db.select().from(bedReservations);
    // A bed request's holds are placed by offer_bed, every other by reserve_bed.
    const audited = await database.sql`select count(*)::int as n from audit_log
      where tool in ('reserve_bed', 'offer_bed')`;
    expect(audited[0]!.n).toBe(reservations.length);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});
