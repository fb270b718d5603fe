import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { beds, encounterDiagnoses, encounterServices, encounters } from '../../db/schema/index.ts';
import { file835 } from '../../tools/revenue/remittance/test-remittances.ts';
import { createTestDatabase } from '../../test/db.ts';
import { tempOutbox } from '../../test/outbox.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService } from '../../test/service.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import type { RevenueTaskView } from '../../tools/revenue/tasks.ts';
import { revenueWard, TODAY_AT } from '../../tools/revenue/test-fixtures.ts';
import type { ClaimSummary } from './views.ts';

/**
 * A discharge through the running service: HTTP in, the revenue task and its job committed with the
 * discharge, the worker's revenue agent billing the stay, the claims in the outbox; then the payer's
 * 835 in the inbox, posted by the worker as the revenue agent, which works the denial.
 */
let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;
const clock = new ManualClock(TODAY_AT);
const outbox = tempOutbox();
let inbox: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  // Ada back in the ICU since the 16th, with a visit recorded: she goes home today.
  await database.db
    .update(beds)
    .set({ status: 'O', occupantPatientId: 'pat-1' })
    .where(eq(beds.id, 'bed-icu-1'));
  await database.db.insert(encounters).values({
    id: 'enc-ada-again',
    patientId: 'pat-1',
    class: 'IMP',
    status: 'in-progress',
    unitId: 'unit-icu',
    bedId: 'bed-icu-1',
    attendingId: 'stf-endo',
    startedAt: new Date('2026-03-16T10:00:00Z'),
  });
  await database.db
    .insert(encounterDiagnoses)
    .values({ encounterId: 'enc-ada-again', sequence: 1, code: 'E11.65' });
  await database.db.insert(encounterServices).values({
    id: 'svc-ada-again',
    encounterId: 'enc-ada-again',
    kind: 'procedure',
    code: '99223',
    quantity: 1,
    servicedOn: '2026-03-16',
    performerId: 'stf-endo',
    diagnosisSequences: [1],
    recordedBy: 'test',
    recordedAt: new Date('2026-03-16T12:00:00Z'),
  });
  inbox = mkdtempSync(join(tmpdir(), 'carebridge-inbox-'));
  svc = await startTestService(database, clock, { tickMs: 100, inboxDir: inbox });
});
afterAll(async () => {
  await svc?.stop();
});

async function op<T>(
  name: string,
  body: unknown,
  key = svc.keys.billing,
): Promise<{ status: number; body: T }> {
  const res = await svc.call('POST', `/v1/ops/${name}`, key, body);
  return { status: res.status, body: (await res.json()) as T };
}

describe('a discharge through the running service', () => {
  it('is billed by the worker’s revenue agent: claims built, scrubbed and in the outbox', async () => {
    expect((await op('discharge_patient', { patientId: 'pat-1' }, svc.keys.admin)).status).toBe(200);
    const deadline = Date.now() + 20_000;
    let tasks: RevenueTaskView[] = [];
    while (Date.now() < deadline) {
      tasks = (await op<{ tasks: RevenueTaskView[] }>('list_revenue_tasks', {})).body.tasks;
      if (tasks[0]?.status === 'done' || tasks[0]?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(tasks).toEqual([expect.objectContaining({ subjectId: 'enc-ada-again', status: 'done' })]);
    const { claims } = (await op<{ claims: ClaimSummary[] }>('list_claims', { encounterId: 'enc-ada-again' }))
      .body;
    // Four ICU bed-days (16th–19th; the day of discharge is not one) on the 837I, the visit on the 837P.
    expect(claims.map((c) => [c.type, c.status, c.totalChargeCents]).sort()).toEqual([
      ['837I', 'submitted', 4 * 420_000],
      ['837P', 'submitted', 42_000],
    ]);
    expect(outbox.files()).toHaveLength(1);
  });

  it('posts the payer’s 835 dropped in the inbox; the agent leaves a write-off to the billing office', async () => {
    const { claims } = (await op<{ claims: ClaimSummary[] }>('list_claims', { encounterId: 'enc-ada-again' }))
      .body;
    const facility = claims.find((c) => c.type === '837I')!;
    // Medicare denies the stay: no authorisation (CO-197), and none is on file to appeal with.
    const era = file835({
      payerName: 'MEDICARE',
      payerId: '06102',
      claims: [
        {
          id: facility.id,
          status: '4',
          charge: 16_800,
          paid: 0,
          payerNumber: 'MCR-1',
          cas: [['CO', '197', 16_800]],
        },
      ],
    });
    writeFileSync(join(inbox, 'era-0001.835'), era);
    const deadline = Date.now() + 20_000;
    let task: RevenueTaskView | undefined;
    while (Date.now() < deadline) {
      const { tasks } = (
        await op<{ tasks: RevenueTaskView[] }>('list_revenue_tasks', { kind: 'work-remittance' })
      ).body;
      task = tasks[0];
      if (task?.status === 'done') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(readdirSync(join(inbox, 'posted'))).toEqual(['era-0001.835']);
    expect((await op<{ status: string }>('get_claim', { claimId: facility.id })).body.status).toBe('denied');
    const { items } = (await op<{ items: { suggestedAction: string; status: string }[] }>('list_denials', {}))
      .body;
    expect(items).toEqual([
      expect.objectContaining({ category: 'authorization', suggestedAction: 'write-off', status: 'open' }),
    ]);
    expect(task?.outcome).toMatch(
      /0 of 1 work item\(s\) resolved; left for the billing office: .* write-off$/,
    );
    // The posting was the revenue agent's.
    const [entry] = await database.sql`select actor from audit_log where tool = 'post_remittance'`;
    expect(entry).toEqual({ actor: 'agent:revenue' });
  });
});
