import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCheckpointer } from '../../agents/runtime/checkpointer.ts';
import { runSurgeryAgent } from '../../agents/surgery/run.ts';
import { SURGERY_NOW, surgeryHospital } from '../../agents/surgery/test-fixtures.ts';
import type { Database } from '../../db/client.ts';
import { ScratchServer } from '../../db/scratch.ts';
import { createTestDatabase } from '../../test/db.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { requestSurgery } from '../../tools/surgery/operations.ts';
import { surgeryScenarios } from '../suites/surgery.ts';
import { surgeryInvariants } from './grade.ts';
import { runSurgeryTrial } from './harness.ts';
import type { SurgeryScenario } from './types.ts';

const scenario = (id: string): SurgeryScenario => {
  const found = surgeryScenarios.find((s) => s.id === id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
};

describe('the surgery suite', () => {
  let scratch: ScratchServer;
  beforeAll(() => {
    scratch = ScratchServer.attach(inject('adminUrl'), inject('templateDb'));
  });
  afterAll(() => scratch.stop(false));

  it('has distinct scenario ids, at least 25', () => {
    const ids = surgeryScenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(25);
  });

  it.each(['book-appendectomy-with-bed', 'fault-book-bed-answer-lost', 'last-bed-same-night-raced'])(
    'passes %s on a fresh database',
    async (id) => {
      const result = await runSurgeryTrial(scratch, scenario(id), null);
      expect(result.failures).toEqual([]);
      expect(result.passed).toBe(true);
    },
  );

  it('fails a trial whose final state differs from the expectation, naming the difference', async () => {
    const wrong: SurgeryScenario = {
      ...scenario('book-cholecystectomy-day-case'),
      expect: { requests: { case: { status: 'booked', bed: true } } },
    };
    const result = await runSurgeryTrial(scratch, wrong, null);
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(['case: post-op bed false, expected true']);
  });
});

describe('the invariants', () => {
  let database: Database;
  let requestId: string;
  beforeAll(async () => {
    database = await createTestDatabase(3);
    const hospital = await surgeryHospital(database);
    const clock = new ManualClock(SURGERY_NOW);
    const checkpointer = await createCheckpointer(database.url);
    const made = (await invokeOperation(
      requestSurgery,
      {
        patientId: hospital.patientId,
        procedureCode: '47562',
        surgeonStaffId: hospital.generalSurgeons[0],
        diagnosisCodes: ['K80.10'],
      },
      { database, clock, actor: systemActor },
    )) as { requestId: string };
    requestId = made.requestId;
    await runSurgeryAgent({ database, clock, checkpointer: checkpointer.saver }, requestId);
    await checkpointer.close();
    await database.sql`update jobs set status = 'done' where queue = 'surgery'`;
  });

  it('hold on a booked request', async () => {
    expect(await surgeryInvariants(database, { faultsFired: null })).toEqual([]);
  });

  it('catch a failed request still holding its plan, and a nurse in two overlapping cases', async () => {
    const { sql } = database;
    await sql`update surgery_requests set status = 'failed' where id = ${requestId}`;
    const [nurse] = await sql<{ staff_id: string; theatre_booking_id: string }[]>`select staff_id,
      theatre_booking_id from surgical_team_assignments where role = 'scrub-nurse'`;
    await sql`insert into surgical_team_assignments (id, subject_id, theatre_booking_id, staff_id, role, starts_at,
        ends_at, status, created_by, created_at)
      select 'sta-double', 'sr-other', 'tb-other', staff_id, 'scrub-nurse', starts_at, ends_at, 'assigned',
        'eval', created_at from surgical_team_assignments where role = 'scrub-nurse'`;
    const failures = await surgeryInvariants(database, { faultsFired: null });
    expect(failures[0]).toBe(
      `request ${requestId} is failed but still holds {"stock":5,"team":4,"beds":0,"theatres":1}`,
    );
    expect(failures).toContain(
      `staff ${nurse!.staff_id} is in two overlapping cases: ${nurse!.theatre_booking_id} and tb-other`,
    );
  });
});
