import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { shifts } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService } from '../../test/service.ts';
import { ManualClock } from '../../tools/core/clock.ts';

let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;
const clock = new ManualClock('2026-03-09T12:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await database.sql`update staff set hourly_rate_cents = 4000 where id = 'stf-nurse'`;
  await database.db.insert(shifts).values({
    id: 'shf-1',
    staffId: 'stf-nurse',
    unitId: 'unit-ms',
    kind: 'night',
    startsAt: new Date('2026-03-07T19:00:00Z'),
    endsAt: new Date('2026-03-08T07:00:00Z'),
    status: 'worked',
    clockInAt: new Date('2026-03-07T19:00:00Z'),
    clockOutAt: new Date('2026-03-08T07:00:00Z'),
  });
  svc = await startTestService(database, clock, { worker: false });
});

describe('GET /v1/payroll.csv', () => {
  it('answers an admin with the CSV of export_payroll_csv, as a file', async () => {
    const res = await svc.call('GET', '/v1/payroll.csv?start=2026-03-02&days=7', svc.keys.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="payroll-2026-03-02-7d.csv"');
    const body = await res.text();
    const viaOp = await svc.call('POST', '/v1/ops/export_payroll_csv', svc.keys.admin, {
      start: '2026-03-02',
      days: 7,
    });
    expect(body).toBe(((await viaOp.json()) as { csv: string }).csv);
    // Saturday 19:00 → Sunday 07:00, 12 h: all weekend, 8 h of night ($40 + 10%, + 15% at night).
    const nia = body.split('\r\n').find((line) => line.includes(',stf-nurse,'));
    expect(nia).toBe(
      '2026-03-02,2026-03-08,stf-nurse,Nia Nurse,RN,full-time,unit-ms,weekly-40,4000,12.00,12.00,0.00,8.00,12.00,0.00,48000,4800,4800,0,0,57600',
    );
  });

  it('refuses a staff key (403) and no key (401), reading nothing', async () => {
    const staff = await svc.call('GET', '/v1/payroll.csv?start=2026-03-02&days=7', svc.keys.staff);
    expect(staff.status).toBe(403);
    expect(staff.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await staff.json()) as { detail: string }).detail).toMatch(/admin/);
    expect((await svc.call('GET', '/v1/payroll.csv?start=2026-03-02', null)).status).toBe(401);
    const viaOp = await svc.call('POST', '/v1/ops/compute_payroll', svc.keys.staff, { start: '2026-03-02' });
    expect(viaOp.status).toBe(403);
  });

  it.each([
    ['start=2026-03-03&days=7', 'start'],
    ['days=7', 'start'],
    ['start=2026-03-02&days=10', 'days'],
    ['start=2026-03-02&days=two', 'days'],
  ])('answers 422 for ?%s, naming %s', async (query, field) => {
    const res = await svc.call('GET', `/v1/payroll.csv?${query}`, svc.keys.admin);
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field)).toContain(field);
  });
});
