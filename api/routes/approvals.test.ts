import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService } from '../../test/service.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import type { ApprovalView, BedRequestView } from '../../tools/beds/schema.ts';
import { systemClock } from '../../tools/core/clock.ts';

let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 3 });
  svc = await startTestService(database, systemClock);
});
afterAll(async () => {
  await svc.stop();
});

const need = { unitTypes: ['med-surg'], sex: 'male' };

async function get<T>(path: string): Promise<T> {
  const res = await svc.call('GET', path, svc.keys.staff);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** The worker runs the bed agent asynchronously: waits for the request's question to be asked. */
async function pendingQuestion(requestId: string): Promise<ApprovalView> {
  return vi.waitFor(
    async () => {
      const r = await get<BedRequestView>(`/v1/bed-requests/${requestId}`);
      const pending = r.approvals.find((a) => a.status === 'pending');
      if (!pending) throw new Error(`no question yet (request ${r.status})`);
      return pending;
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('bed requests and approvals over HTTP', () => {
  it('negotiates a bed end to end: 202, a question to the charge nurse, an accept, an assigned bed', async () => {
    const res = await svc.call('POST', '/v1/bed-requests', svc.keys.staff, {
      patientId: 'pat-2',
      need,
      requester: 'ed',
    });
    expect(res.status).toBe(202);
    const filed = (await res.json()) as BedRequestView;
    expect(res.headers.get('location')).toBe(`/v1/bed-requests/${filed.requestId}`);

    const question = await pendingQuestion(filed.requestId);
    expect(question).toMatchObject({ assigneeRole: 'charge-nurse', unitId: 'unit-ms' });
    expect(question.question.text).toMatch(
      /^Accept patient pat-2 \(urgent, from ed\) into bed 30A on Med-Surg 3\?/,
    );
    const listed = await get<{ approvals: ApprovalView[] }>('/v1/approvals?unit=unit-ms');
    expect(listed.approvals.map((a) => a.approvalId)).toContain(question.approvalId);

    const answered = await svc.call('POST', `/v1/approvals/${question.approvalId}`, svc.keys.staff, {
      staffId: 'stf-charge-ms',
      decision: 'accept',
    });
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ status: 'answered', decision: 'accept' });
    const done = await get<BedRequestView>(`/v1/bed-requests/${filed.requestId}`);
    expect(done).toMatchObject({ status: 'assigned', bedId: 'bed-ms-0' });

    // The same answer twice is refused and says why.
    const again = await svc.call('POST', `/v1/approvals/${question.approvalId}`, svc.keys.staff, {
      staffId: 'stf-charge-ms',
      decision: 'accept',
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { detail: string }).detail).toMatch(
      /already answered: accept by Cara Charge/,
    );
  });

  it('keeps the question across a restart and carries on when it is answered afterwards', async () => {
    const filed = (await (
      await svc.call('POST', '/v1/bed-requests', svc.keys.staff, {
        patientId: 'pat-1',
        need: { ...need, sex: 'female' },
        requester: 'admissions',
      })
    ).json()) as BedRequestView;
    const question = await pendingQuestion(filed.requestId);
    await svc.stop();
    svc = await startTestService(database, systemClock);

    const declined = await svc.call('POST', `/v1/approvals/${question.approvalId}`, svc.keys.staff, {
      staffId: 'stf-bed-manager',
      decision: 'decline',
      reason: 'bed 31A is kept for a planned admission',
    });
    expect(declined.status).toBe(200);
    const next = await pendingQuestion(filed.requestId);
    expect(next.approvalId).not.toBe(question.approvalId);
    expect(next.question.bedId).not.toBe(question.question.bedId);
  });

  it('names what is wrong with a bad answer, and writes nothing', async () => {
    const { approvals } = await get<{ approvals: ApprovalView[] }>('/v1/approvals');
    const open = approvals[0]!;
    const bad = await svc.call('POST', `/v1/approvals/${open.approvalId}`, svc.keys.staff, {
      staffId: 'stf-charge-ms',
      decision: 'maybe',
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('decision');
    const notJson = await svc.call('POST', `/v1/approvals/${open.approvalId}`, svc.keys.staff, 'accept');
    expect(notJson.status).toBe(422);
    const unknown = await svc.call('GET', '/v1/approvals/nope', svc.keys.staff);
    expect(unknown.status).toBe(404);
    expect((await get<ApprovalView>(`/v1/approvals/${open.approvalId}`)).status).toBe('pending');
  });

  it('cancels a request, releasing its hold, and keeps the API from patient keys', async () => {
    const { requests } = await get<{ requests: { requestId: string; status: string }[] }>(
      '/v1/bed-requests?status=awaiting-acceptance',
    );
    const open = requests[0]!;
    const noReason = await svc.call('POST', `/v1/bed-requests/${open.requestId}/cancel`, svc.keys.staff, {});
    expect(noReason.status).toBe(422);
    const res = await svc.call('POST', `/v1/bed-requests/${open.requestId}/cancel`, svc.keys.staff, {
      reason: 'patient went home against advice',
    });
    expect(res.status).toBe(200);
    const cancelled = (await res.json()) as BedRequestView;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.holds.every((h) => h.status !== 'held')).toBe(true);
    expect(cancelled.approvals.every((a) => a.status !== 'pending')).toBe(true);

    expect((await svc.call('GET', '/v1/approvals', svc.keys.patient1)).status).toBe(403);
    expect((await svc.call('POST', '/v1/bed-requests', svc.keys.patient1, {})).status).toBe(403);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});
