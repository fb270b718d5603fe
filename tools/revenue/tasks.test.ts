import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { beds, encounters, jobs, revenueTasks } from '../../db/schema/index.ts';
import { miniHospital } from '../../evals/hospital.ts';
import { createTestDatabase } from '../../test/db.ts';
import { refusal } from '../../test/refusal.ts';
import { dischargePatient } from '../beds/patient-flow-operations.ts';
import { systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { invokeOperation } from '../core/operation.ts';
import { REVENUE_QUEUE, type RevenueTaskView, recordRevenueTask, startRevenueTask } from './tasks.ts';
import { ADA_ENCOUNTER, revenueWard } from './test-fixtures.ts';

let database: Database;
const clock = new ManualClock('2026-03-20T09:00:00Z');
const ctx = () => ({ database, clock, actor: systemActor });
const start = (kind: string, subjectId: string) =>
  invokeOperation(startRevenueTask, { kind, subjectId }, ctx()) as Promise<RevenueTaskView>;
const revenueJobs = async () =>
  (await database.db.select().from(jobs).where(eq(jobs.queue, REVENUE_QUEUE))).map((j) => j.payload);

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  // Bo is in bed 30A on an inpatient stay.
  await database.db
    .update(beds)
    .set({ status: 'O', occupantPatientId: 'pat-2' })
    .where(eq(beds.id, 'bed-ms-0'));
  await database.db.insert(encounters).values({
    id: 'enc-bo-stay',
    patientId: 'pat-2',
    class: 'IMP',
    status: 'in-progress',
    unitId: 'unit-ms',
    bedId: 'bed-ms-0',
    startedAt: new Date('2026-03-18T10:00:00Z'),
  });
});

describe('revenue tasks', () => {
  it('refuses to bill an inpatient stay still in progress, and an unknown subject', async () => {
    const err = await refusal(start('bill-encounter', 'enc-bo-stay'));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('inpatient stay in-progress');
    expect((await refusal(start('bill-encounter', 'enc-nope'))).code).toBe('not_found');
    expect((await refusal(start('work-remittance', 'rem-nope'))).code).toBe('not_found');
    expect(await database.db.select().from(revenueTasks)).toHaveLength(0);
  });

  it('a discharge opens the billing task and wakes the agent in the same transaction', async () => {
    await invokeOperation(dischargePatient, { patientId: 'pat-2' }, ctx());
    const [task] = await database.db
      .select()
      .from(revenueTasks)
      .where(eq(revenueTasks.subjectId, 'enc-bo-stay'));
    expect(task).toMatchObject({ kind: 'bill-encounter', status: 'open', createdBy: 'system' });
    expect(await revenueJobs()).toEqual([{ taskId: task!.id }]);
  });

  it('starting a task twice reuses it; a finished task is reopened for late charges', async () => {
    const first = await start('bill-encounter', ADA_ENCOUNTER);
    const again = await start('bill-encounter', ADA_ENCOUNTER);
    expect(again.taskId).toBe(first.taskId);
    const done = (await invokeOperation(
      recordRevenueTask,
      { taskId: first.taskId, status: 'done', notes: ['Submitted CLM1'], outcome: 'billed' },
      ctx(),
    )) as RevenueTaskView;
    expect(done).toMatchObject({ status: 'done', notes: ['Submitted CLM1'], outcome: 'billed' });
    const reopened = await start('bill-encounter', ADA_ENCOUNTER);
    expect(reopened).toMatchObject({ taskId: first.taskId, status: 'open', notes: ['Submitted CLM1'] });
    expect(
      (await revenueJobs()).filter((p) => (p as { taskId: string }).taskId === first.taskId),
    ).toHaveLength(3);
  });
});
