import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { bedReservations, beds, encounters, rooms } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { rowCount } from '../../test/mcp.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { OperationError } from '../core/errors.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { addTestPatients, admitForTest } from './admissions.fixture.ts';
import { getBedBoard, setHousekeepingState } from './board-operations.ts';
import type { BedBoardRow } from './board.ts';
import { findCandidateBeds, reserveBed } from './operations.ts';
import { dischargePatient, recordPendingDischarge, transferPatient } from './patient-flow-operations.ts';
import { refusal } from '../../test/refusal.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const manager: Actor = { id: 'staff:bed-manager', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;

const RACERS = 20;
// bed-ms-0…9 for the scenarios, bed-ms-10…29 for the racers, bed-ms-30 the bed they race for.
beforeAll(async () => {
  database = await createTestDatabase(RACERS + 10);
  await miniHospital(database, { medSurgBeds: 31 });
  ctx = { database, clock, actor: manager };
  await addTestPatients(database, 'race', RACERS);
  await addTestPatients(database, 'other', 1, 'male');
  for (let i = 0; i < RACERS; i++) await admitForTest(database, `race-${i}`, `bed-ms-${10 + i}`, clock.now());
});

const bedRow = async (id: string) => (await database.db.select().from(beds).where(eq(beds.id, id)))[0]!;
const boardRow = async (bedId: string) =>
  ((await invokeOperation(getBedBoard, { limit: 500 }, ctx)) as { beds: BedBoardRow[] }).beds.find(
    (b) => b.bedId === bedId,
  )!;
const candidateIds = async () =>
  (
    (await invokeOperation(
      findCandidateBeds,
      { need: { unitTypes: ['med-surg'], sex: 'male' }, limit: 50 },
      ctx,
    )) as { candidates: { bedId: string }[] }
  ).candidates.map((c) => c.bedId);
/** What a refused call must leave exactly as it was. */
const snapshot = () =>
  Promise.all([
    rowCount(database, 'audit_log'),
    rowCount(database, 'bed_events'),
    database.sql`select id, status, housekeeping, occupant_patient_id from beds order by id`,
    database.sql`select id, status, bed_id, expected_discharge_at from encounters order by id`,
    database.sql`select id, status from bed_reservations order by id`,
  ]);

describe('a pending discharge', () => {
  it('is recorded on the in-progress encounter and shown on the board', async () => {
    await admitForTest(database, 'pat-2', 'bed-ms-0', new Date('2026-03-01T08:00:00Z'));
    const out = await invokeOperation(
      recordPendingDischarge,
      { patientId: 'pat-2', expectedAt: '2026-03-02T16:00:00+01:00' },
      ctx,
    );
    expect(out).toEqual({
      patientId: 'pat-2',
      encounterId: 'enc-pat-2',
      bedId: 'bed-ms-0',
      expectedAt: '2026-03-02T15:00:00.000Z',
    });
    expect((await boardRow('bed-ms-0')).pendingDischarge).toEqual({
      encounterId: 'enc-pat-2',
      expectedAt: '2026-03-02T15:00:00.000Z',
    });
  });

  it.each([
    [{ patientId: 'pat-2', expectedAt: '2026-03-02T09:00:00Z' }, 'invalid', 'expectedAt', /in the past/],
    [{ patientId: 'pat-2', expectedAt: 'tomorrow' }, 'invalid', 'expectedAt', /expectedAt/],
    [{ patientId: 'pat-1', expectedAt: '2026-03-02T15:00:00Z' }, 'not_found', 'patientId', /no in-progress/],
    [{ patientId: 'pat-404', expectedAt: '2026-03-02T15:00:00Z' }, 'not_found', 'patientId', /No patient/],
  ] as const)('refuses %j (%s, naming %s) and writes nothing', async (input, code, field, message) => {
    const before = await snapshot();
    const err = await refusal(invokeOperation(recordPendingDischarge, input, ctx));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(err.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('is cancelled with null', async () => {
    await invokeOperation(recordPendingDischarge, { patientId: 'pat-2', expectedAt: null }, ctx);
    expect((await boardRow('bed-ms-0')).pendingDischarge).toBeNull();
    await invokeOperation(
      recordPendingDischarge,
      { patientId: 'pat-2', expectedAt: '2026-03-02T15:00:00Z' },
      ctx,
    );
  });
});

describe('discharge → dirty → cleaning → clean → offered again', () => {
  it('discharges: encounter finished, pending discharge cancelled, bed H and dirty with no occupant', async () => {
    expect(await candidateIds()).not.toContain('bed-ms-0');
    const out = await invokeOperation(dischargePatient, { patientId: 'pat-2', reason: 'home' }, ctx);
    expect(out).toEqual({
      patientId: 'pat-2',
      encounterId: 'enc-pat-2',
      bedId: 'bed-ms-0',
      bedStatus: 'H',
      housekeeping: 'dirty',
      dischargedAt: '2026-03-02T10:00:00.000Z',
    });
    const [stay] = await database.db.select().from(encounters).where(eq(encounters.id, 'enc-pat-2'));
    expect(stay).toMatchObject({ status: 'finished', endedAt: clock.now(), expectedDischargeAt: null });
    expect(await bedRow('bed-ms-0')).toMatchObject({
      status: 'H',
      housekeeping: 'dirty',
      occupantPatientId: null,
    });
    expect(await boardRow('bed-ms-0')).toMatchObject({
      status: 'H',
      pendingDischarge: null,
      availableNow: false,
    });
  });

  it('does not offer the bed while it is dirty or being cleaned, and offers it once clean', async () => {
    expect(await candidateIds()).not.toContain('bed-ms-0');
    await invokeOperation(setHousekeepingState, { bedId: 'bed-ms-0', state: 'cleaning' }, ctx);
    expect(await candidateIds()).not.toContain('bed-ms-0');
    await invokeOperation(setHousekeepingState, { bedId: 'bed-ms-0', state: 'clean' }, ctx);
    expect(await bedRow('bed-ms-0')).toMatchObject({ status: 'U', housekeeping: 'clean' });
    expect(await candidateIds()).toContain('bed-ms-0');
    expect(await boardRow('bed-ms-0')).toMatchObject({ status: 'U', availableNow: true });
  });

  it.each([
    ['pat-2', 'conflict', /occupies no bed/],
    ['pat-404', 'not_found', /No patient pat-404/],
  ] as const)('refuses to discharge %s (%s) and writes nothing', async (patientId, code, message) => {
    const before = await snapshot();
    const err = await refusal(invokeOperation(dischargePatient, { patientId }, ctx));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.issues[0]!.field).toBe('patientId');
    expect(await snapshot()).toEqual(before);
  });
});

describe('transfer_patient', () => {
  it('moves the occupant: the new bed occupied, the encounter moved, the old bed dirty', async () => {
    await admitForTest(database, 'pat-1', 'bed-ms-1', clock.now());
    const out = await invokeOperation(
      transferPatient,
      { patientId: 'pat-1', toBedId: 'bed-ms-2', reason: 'closer to the nurses station' },
      ctx,
    );
    expect(out).toEqual({
      patientId: 'pat-1',
      fromBedId: 'bed-ms-1',
      toBedId: 'bed-ms-2',
      encounterId: 'enc-pat-1',
      usedReservationId: null,
      transferredAt: '2026-03-02T10:00:00.000Z',
    });
    expect(await bedRow('bed-ms-1')).toMatchObject({
      status: 'H',
      housekeeping: 'dirty',
      occupantPatientId: null,
    });
    expect(await bedRow('bed-ms-2')).toMatchObject({ status: 'O', occupantPatientId: 'pat-1' });
    const [stay] = await database.db.select().from(encounters).where(eq(encounters.id, 'enc-pat-1'));
    expect(stay).toMatchObject({ bedId: 'bed-ms-2', unitId: 'unit-ms', status: 'in-progress' });
  });

  it("uses up the patient's own hold on the target bed", async () => {
    const hold = (await invokeOperation(
      reserveBed,
      { bedId: 'bed-ms-3', patientId: 'pat-1', reason: 'step down' },
      ctx,
    )) as { reservationId: string };
    const out = await invokeOperation(
      transferPatient,
      { patientId: 'pat-1', toBedId: 'bed-ms-3', reason: 'step down' },
      ctx,
    );
    expect(out).toMatchObject({
      fromBedId: 'bed-ms-2',
      toBedId: 'bed-ms-3',
      usedReservationId: hold.reservationId,
    });
    const [r] = await database.db
      .select()
      .from(bedReservations)
      .where(eq(bedReservations.id, hold.reservationId));
    expect(r).toMatchObject({ status: 'released', closedAt: clock.now() });
    expect(await boardRow('bed-ms-3')).toMatchObject({
      status: 'O',
      reservation: null,
      occupantPatientId: 'pat-1',
    });
  });

  describe('refusals (pat-1 is in bed-ms-3)', () => {
    beforeAll(async () => {
      await admitForTest(database, 'other-0', 'bed-ms-4', clock.now());
      await invokeOperation(
        reserveBed,
        { bedId: 'bed-ms-5', patientId: 'pat-2', reason: 'readmission' },
        ctx,
      );
      await database.db
        .update(beds)
        .set({ status: 'H', housekeeping: 'dirty' })
        .where(eq(beds.id, 'bed-ms-6'));
      await database.db
        .update(beds)
        .set({ status: 'C', housekeeping: 'blocked' })
        .where(eq(beds.id, 'bed-ms-7'));
      await database.db.update(rooms).set({ sexPolicy: 'male' }).where(eq(rooms.id, 'room-ms-8'));
    });

    it.each([
      [{ toBedId: 'bed-ms-4' }, 'conflict', 'toBedId', /the bed is occupied/],
      [{ toBedId: 'bed-ms-5' }, 'conflict', 'toBedId', /reserved for another patient until 2026-03-02T10:30/],
      [{ toBedId: 'bed-ms-6' }, 'conflict', 'toBedId', /the bed is dirty; only a clean or inspected bed/],
      [{ toBedId: 'bed-ms-7' }, 'conflict', 'toBedId', /the bed is blocked/],
      [{ toBedId: 'bed-ms-8' }, 'conflict', 'toBedId', /room is male-only/],
      [{ toBedId: 'bed-ms-9', isolation: 'airborne' }, 'conflict', 'toBedId', /patient needs airborne/],
      [{ toBedId: 'bed-ms-9', telemetry: true }, 'conflict', 'toBedId', /no telemetry/],
      [{ toBedId: 'bed-ms-3' }, 'invalid', 'toBedId', /already occupies bed-ms-3/],
      [{ toBedId: 'bed-nowhere' }, 'not_found', 'toBedId', /No bed bed-nowhere/],
      [{ patientId: 'pat-2', toBedId: 'bed-ms-9' }, 'conflict', 'patientId', /occupies no bed/],
      [{ patientId: 'pat-404', toBedId: 'bed-ms-9' }, 'not_found', 'patientId', /No patient/],
      [{ toBedId: '' }, 'invalid', 'toBedId', /toBedId/],
    ] as const)('refuses %j (%s, naming %s) and writes nothing', async (over, code, field, message) => {
      const before = await snapshot();
      const err = await refusal(
        invokeOperation(transferPatient, { patientId: 'pat-1', reason: 'test move', ...over }, ctx),
      );
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(err.issues.map((i) => i.field)).toContain(field);
      expect(await snapshot()).toEqual(before);
    });

    it('moves a patient who needs airborne isolation and telemetry to the negative-pressure ICU bed', async () => {
      const out = await invokeOperation(
        transferPatient,
        {
          patientId: 'pat-1',
          toBedId: 'bed-icu-2',
          isolation: 'airborne',
          telemetry: true,
          reason: 'TB rule-out',
        },
        ctx,
      );
      expect(out).toMatchObject({ fromBedId: 'bed-ms-3', toBedId: 'bed-icu-2' });
      const [stay] = await database.db.select().from(encounters).where(eq(encounters.id, 'enc-pat-1'));
      expect(stay).toMatchObject({ bedId: 'bed-icu-2', unitId: 'unit-icu' });
    });
  });

  it(`lets exactly one of ${RACERS} concurrent transfers into one bed win`, async () => {
    const transfersBefore = await rowCount(database, "audit_log where tool = 'transfer_patient'");
    const outcomes = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, i) =>
        invokeOperation(
          transferPatient,
          { patientId: `race-${i}`, toBedId: 'bed-ms-30', reason: 'race' },
          ctx,
        ),
      ),
    );
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value as { patientId: string }] : []));
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(RACERS - 1);
    for (const err of lost) {
      expect(err).toBeInstanceOf(OperationError);
      expect((err as OperationError).code).toBe('conflict');
      expect((err as OperationError).message).toMatch(/the bed is occupied/);
    }
    const winner = won[0]!.patientId;
    const winnerOldBed = `bed-ms-${10 + Number(winner.split('-')[1])}`;
    expect(await bedRow('bed-ms-30')).toMatchObject({ status: 'O', occupantPatientId: winner });
    expect(await bedRow(winnerOldBed)).toMatchObject({
      status: 'H',
      housekeeping: 'dirty',
      occupantPatientId: null,
    });
    // Every loser is still in the bed they started in.
    for (let i = 0; i < RACERS; i++) {
      if (`race-${i}` === winner) continue;
      expect(await bedRow(`bed-ms-${10 + i}`)).toMatchObject({ status: 'O', occupantPatientId: `race-${i}` });
    }
    const occupied =
      await database.sql`select occupant_patient_id from beds where occupant_patient_id like 'race-%'`;
    expect(occupied).toHaveLength(RACERS);
    expect(await rowCount(database, "audit_log where tool = 'transfer_patient'")).toBe(transfersBefore + 1);
  });
});

describe('the audit trail of bed changes', () => {
  it('has one entry per change, and the chain verifies', async () => {
    const byTool =
      await database.sql`select tool, count(*)::int as n from audit_log group by tool order by tool`;
    expect(Object.fromEntries(byTool.map((r) => [r.tool, r.n]))).toEqual({
      discharge_patient: 1,
      record_pending_discharge: 3,
      reserve_bed: 2,
      set_housekeeping_state: 2,
      transfer_patient: 4,
    });
    const [transfer] = await database.sql`select input, outcome, actor from audit_log
      where tool = 'transfer_patient' order by seq limit 1`;
    expect(transfer).toMatchObject({
      actor: 'staff:bed-manager',
      input: { patientId: 'pat-1', toBedId: 'bed-ms-2' },
      outcome: { fromBedId: 'bed-ms-1', toBedId: 'bed-ms-2' },
    });
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });

  it('records a bed event for each bed each change touched', async () => {
    const events =
      await database.sql`select bed_id, change from bed_events where bed_id in ('bed-ms-1', 'bed-ms-2')
      order by id`;
    expect(events.map((e) => `${e.bed_id}:${e.change}`)).toEqual([
      'bed-ms-1:transferred-out',
      'bed-ms-2:transferred-in',
      'bed-ms-2:transferred-out',
    ]);
  });
});
