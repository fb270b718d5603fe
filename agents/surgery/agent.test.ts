import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import {
  charges,
  claims,
  coverages,
  stockReservations,
  surgicalTeamAssignments,
} from '../../db/schema/index.ts';
import { createTestDatabase, dropTestDatabase } from '../../test/db.ts';
import { tempOutbox } from '../../test/outbox.ts';
import { addPriorAuthorization } from '../../tools/revenue/charges/coverage-operations.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../tools/core/operation.ts';
import { completeTheatreBooking } from '../../tools/beds/theatre-completion.ts';
import { cancelSurgery, getSurgeryRequest, requestSurgery } from '../../tools/surgery/operations.ts';
import type { SurgeryRequestView } from '../../tools/surgery/store.ts';
import { createCheckpointer } from '../runtime/checkpointer.ts';
import { runRevenueAgent } from '../revenue/run.ts';
import { runSurgeryAgent } from './run.ts';
import { admitForCase, heldFor, SURGERY_NOW, surgeryHospital } from './test-fixtures.ts';

let database: Database;
let hospital: Awaited<ReturnType<typeof surgeryHospital>>;
const clock = new ManualClock(SURGERY_NOW);
const savers: { close(): Promise<void> }[] = [];
const outbox = tempOutbox();
let rt: {
  database: Database;
  clock: ManualClock;
  checkpointer: Awaited<ReturnType<typeof createCheckpointer>>['saver'];
};

afterEach(async () => {
  for (const s of savers.splice(0)) await s.close();
  await dropTestDatabase(database);
});

beforeEach(async () => {
  clock.set(SURGERY_NOW);
  outbox.clear();
  database = await createTestDatabase(6);
  hospital = await surgeryHospital(database);
  const checkpointer = await createCheckpointer(database.url);
  savers.push(checkpointer);
  rt = { database, clock, checkpointer: checkpointer.saver };
});

const call = <T>(op: AnyOperation, input: unknown) =>
  invokeOperation(op, input, { database, clock, actor: systemActor }) as Promise<T>;
const get = (requestId: string) => call<SurgeryRequestView>(getSurgeryRequest, { requestId });

// Usual indications, ICD-10-CM: gallstones with cholecystitis, acute appendicitis, primary knee osteoarthritis.
const INDICATION: Record<string, string> = { '47562': 'K80.10', '44970': 'K35.80', '27447': 'M17.11' };

async function request(procedureCode: string, surgeon = hospital.generalSurgeons[0]!, extra: object = {}) {
  const r = await call<SurgeryRequestView>(requestSurgery, {
    patientId: hospital.patientId,
    procedureCode,
    surgeonStaffId: surgeon,
    diagnosisCodes: [INDICATION[procedureCode]!],
    ...extra,
  });
  return r.requestId;
}

describe('the surgery orchestration', () => {
  it('books a day case, uses and charges its stock at completion, and sees the claim made', async () => {
    const id = await request('47562');
    const first = await runSurgeryAgent(rt, id);
    expect(first).toMatchObject({ status: 'booked', waitingOn: `case:${id}` });
    const booked = await get(id);
    expect(booked.plan).toMatchObject({ theatreBookingId: `${id}.slot0`, bedBooking: null });
    expect(booked.plan!.reservations.map((r) => r.itemId).sort()).toEqual(
      booked.procedure.items.map((i) => i.itemId).sort(),
    );
    expect(booked.plan!.team.map((m) => m.role).sort()).toEqual([
      'anaesthetist',
      'circulating-nurse',
      'scrub-nurse',
      'surgeon',
    ]);
    expect(await heldFor(database, id)).toEqual({ stock: 5, team: 4, beds: 0, theatres: 1 });

    // The surgeon's office obtained the payer's authorisation for the case.
    const [coverage] = await database.db
      .select()
      .from(coverages)
      .where(eq(coverages.patientId, hospital.patientId));
    await call(addPriorAuthorization, {
      coverageId: coverage!.id,
      number: 'PA-47562-1',
      procedureCodes: ['47562'],
      validFrom: booked.plan!.startsAt.slice(0, 10),
      validTo: booked.plan!.startsAt.slice(0, 10),
    });
    // The case is done: the patient came in as an outpatient, the theatre completes it.
    clock.set(booked.plan!.endsAt);
    const encounterId = await admitForCase(
      database,
      hospital.patientId,
      'AMB',
      new Date(booked.plan!.startsAt),
      booked.surgeonStaffId,
    );
    const done = await call<{ revenueTaskId: string; surgeryRequestId: string }>(completeTheatreBooking, {
      bookingId: booked.plan!.theatreBookingId,
    });
    expect(done.surgeryRequestId).toBe(id);
    const used = await database.db
      .select()
      .from(stockReservations)
      .where(eq(stockReservations.subjectId, id));
    expect(used.map((r) => r.status)).toEqual(used.map(() => 'consumed'));
    const charged = await database.db.select().from(charges).where(eq(charges.encounterId, encounterId));
    expect(charged.length).toBe(5);
    const team = await database.db
      .select()
      .from(surgicalTeamAssignments)
      .where(eq(surgicalTeamAssignments.subjectId, id));
    expect(team.map((t) => t.status)).toEqual(team.map(() => 'completed'));

    expect(await runSurgeryAgent(rt, id)).toMatchObject({ status: 'completed', waitingOn: `claim:${id}` });
    const billing = await runRevenueAgent(rt, done.revenueTaskId);
    expect(billing.status).toBe('done');
    const made = await database.db.select().from(claims).where(eq(claims.encounterId, encounterId));
    expect(made.map((c) => c.status)).toEqual(made.map(() => 'submitted'));
    expect(made.length).toBeGreaterThan(0);
    expect(outbox.files().length).toBe(1);
    expect(await runSurgeryAgent(rt, id)).toMatchObject({ status: 'billed', waitingOn: null });
  });

  it('books an inpatient case with a post-op bed, and files the bed request when the case is done', async () => {
    const id = await request('44970');
    await runSurgeryAgent(rt, id);
    const booked = await get(id);
    expect(booked.status).toBe('booked');
    expect(booked.plan!.bedBooking).not.toBeNull();
    expect(await heldFor(database, id)).toMatchObject({ beds: 1, team: 4 });
    clock.set(booked.plan!.endsAt);
    await admitForCase(
      database,
      hospital.patientId,
      'IMP',
      new Date(booked.plan!.startsAt),
      booked.surgeonStaffId,
    );
    await call(completeTheatreBooking, { bookingId: booked.plan!.theatreBookingId });
    expect(await runSurgeryAgent(rt, id)).toMatchObject({ status: 'completed', waitingOn: `claim:${id}` });
    const after = await get(id);
    expect(after.notes.join('\n')).toMatch(/Post-op bed requested from the bed agent/);
    expect(await heldFor(database, id)).toMatchObject({ beds: 0 });
  });

  it('releases everything when the office cancels a booked request', async () => {
    const id = await request('27447', hospital.orthopaedicSurgeons[0]);
    await runSurgeryAgent(rt, id);
    expect((await get(id)).status).toBe('booked');
    await call(cancelSurgery, { requestId: id, reason: 'patient unwell' });
    expect(await runSurgeryAgent(rt, id)).toMatchObject({ status: 'cancelled', waitingOn: null });
    expect(await heldFor(database, id)).toEqual({ stock: 0, team: 0, beds: 0, theatres: 0 });
    expect((await get(id)).notes.join('\n')).toMatch(
      /Released post-op bed, 4 team member\(s\), 6 stock reservation\(s\), theatre booking/,
    );
  });
});
