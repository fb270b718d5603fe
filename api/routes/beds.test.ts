import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService } from '../../test/service.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import { addTestPatients, admitForTest } from '../../tools/beds/admissions.fixture.ts';
import type { BedBoardRow } from '../../tools/beds/board.ts';
import { ManualClock } from '../../tools/core/clock.ts';

let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;
const clock = new ManualClock('2026-03-02T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 6 });
  svc = await startTestService(database, clock, { worker: false });
  await addTestPatients(database, 'inpatient', 2, 'male');
  await admitForTest(database, 'inpatient-0', 'bed-ms-0', clock.now());
  await admitForTest(database, 'inpatient-1', 'bed-icu-1', clock.now());
});

type Board = { beds: BedBoardRow[]; nextCursor: string | null };

describe('GET /v1/beds', () => {
  it('answers staff and admin keys with the board, the same JSON as the get_bed_board operation', async () => {
    const res = await svc.call('GET', '/v1/beds?unit=unit-ms&limit=4', svc.keys.staff);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as Board;
    expect(body.beds.map((b) => b.bedId)).toEqual(['bed-ms-0', 'bed-ms-1', 'bed-ms-2', 'bed-ms-3']);
    expect(body.beds[0]).toMatchObject({ status: 'O', occupantPatientId: 'inpatient-0' });
    const viaOp = await svc.call('POST', '/v1/ops/get_bed_board', svc.keys.admin, {
      unit: 'unit-ms',
      limit: 4,
    });
    expect(await viaOp.json()).toEqual(body);
  });

  it('refuses an unknown field in an operation body with 422 naming it', async () => {
    const res = await svc.call('POST', '/v1/ops/get_bed_board', svc.keys.admin, { unitId: 'unit-ms' });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errors: [{ field: 'unitId', message: 'is not a known field' }],
    });
  });

  it('follows nextCursor to the last page', async () => {
    const first = (await (await svc.call('GET', '/v1/beds?limit=5', svc.keys.admin)).json()) as Board;
    expect(first.beds).toHaveLength(5);
    const second = (await (
      await svc.call('GET', `/v1/beds?limit=5&cursor=${first.nextCursor}`, svc.keys.admin)
    ).json()) as Board;
    expect(second.beds.map((b) => b.bedId)).toEqual(['bed-ms-3', 'bed-ms-4', 'bed-ms-5']);
    expect(second.nextCursor).toBeNull();
  });

  it('filters by status', async () => {
    const body = (await (await svc.call('GET', '/v1/beds?status=O', svc.keys.staff)).json()) as Board;
    expect(body.beds.map((b) => b.bedId)).toEqual(['bed-icu-1', 'bed-ms-0']);
  });

  it.each([
    ['limit=abc', 'limit'],
    ['limit=501', 'limit'],
    ['status=vacant', 'status'],
    ['cursor=%21%21', 'cursor'],
  ])('answers ?%s with 422 problem+json naming %s', async (query, field) => {
    const res = await svc.call('GET', `/v1/beds?${query}`, svc.keys.staff);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
      field,
    );
  });

  it('refuses patient-app keys with 403 and no key with 401', async () => {
    for (const path of ['/v1/beds', '/v1/beds/events']) {
      const res = await svc.call('GET', path, svc.keys.patient1);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await svc.call('GET', path, null)).status).toBe(401);
    }
  });
});

interface SseEvent {
  id: string;
  event: string;
  data: { bedId: string; changes: string[]; at: string; bed: BedBoardRow | null };
}

/** Reads server-sent events until one matches, or fails after the timeout. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  buffer: { text: string },
  match: (e: SseEvent) => boolean,
  timeoutMs = 10_000,
): Promise<SseEvent> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let end = buffer.text.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.text.slice(0, end);
      buffer.text = buffer.text.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((l) => !l.startsWith(':') && l.includes(': '))
          .map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]),
      );
      if (fields.data) {
        const event = { id: fields.id, event: fields.event, data: JSON.parse(fields.data) } as SseEvent;
        if (match(event)) return event;
      }
      end = buffer.text.indexOf('\n\n');
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error('no matching bed event before the timeout');
    const chunk = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), remaining)),
    ]);
    if (chunk.done) throw new Error('the event stream ended');
    buffer.text += decoder.decode(chunk.value, { stream: true });
  }
}

async function openStream(query = '', headers: Record<string, string> = {}) {
  const res = await svc.call('GET', `/v1/beds/events${query}`, svc.keys.staff, undefined, headers);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  return { reader: res.body!.getReader(), buffer: { text: '' } };
}

describe('GET /v1/beds/events', () => {
  let dischargeEventId: string;

  it('streams the freed bed with its new board row after a discharge', async () => {
    const { reader, buffer } = await openStream();
    try {
      const res = await svc.call('POST', '/v1/ops/discharge_patient', svc.keys.staff, {
        patientId: 'inpatient-0',
      });
      expect(res.status).toBe(200);
      const event = await nextEvent(reader, buffer, (e) => e.data.bedId === 'bed-ms-0');
      expect(event.event).toBe('bed');
      expect(event.id).toMatch(/^\d+-\d+$/);
      expect(event.data.changes).toEqual(['discharged']);
      expect(event.data.bed).toMatchObject({
        bedId: 'bed-ms-0',
        status: 'H',
        housekeeping: 'dirty',
        occupantPatientId: null,
        availableNow: false,
      });
      dischargeEventId = event.id;
    } finally {
      await reader.cancel();
    }
  });

  it('resumes after Last-Event-ID with the changes made meanwhile, one event per bed', async () => {
    for (const state of ['cleaning', 'clean']) {
      const res = await svc.call('POST', '/v1/ops/set_housekeeping_state', svc.keys.staff, {
        bedId: 'bed-ms-0',
        state,
      });
      expect(res.status).toBe(200);
    }
    const { reader, buffer } = await openStream('', { 'last-event-id': dischargeEventId });
    try {
      const event = await nextEvent(reader, buffer, (e) => e.data.bedId === 'bed-ms-0');
      expect(event.data.changes).toEqual(['housekeeping', 'housekeeping']);
      expect(event.data.bed).toMatchObject({ status: 'U', housekeeping: 'clean', availableNow: true });
    } finally {
      await reader.cancel();
    }
  });

  it('keeps to one unit with ?unit=', async () => {
    const { reader, buffer } = await openStream('?unit=unit-icu');
    try {
      await svc.call('POST', '/v1/ops/reserve_bed', svc.keys.staff, {
        bedId: 'bed-ms-1',
        patientId: 'pat-1',
        reason: 'admission',
      });
      await svc.call('POST', '/v1/ops/transfer_patient', svc.keys.staff, {
        patientId: 'inpatient-1',
        toBedId: 'bed-icu-2',
        telemetry: true,
        reason: 'needs negative pressure',
      });
      const seen: SseEvent[] = [];
      await nextEvent(reader, buffer, (e) => {
        seen.push(e);
        return e.data.bedId === 'bed-icu-2';
      });
      expect(seen.map((e) => e.data.bedId)).toEqual(['bed-icu-1', 'bed-icu-2']);
      expect(seen[1]!.data.bed).toMatchObject({ status: 'O', occupantPatientId: 'inpatient-1' });
    } finally {
      await reader.cancel();
    }
  });

  it('left an audit entry for every change and the chain intact', async () => {
    const rows = await database.sql`select tool from audit_log order by seq`;
    expect(rows.map((r) => r.tool)).toEqual([
      'discharge_patient',
      'set_housekeeping_state',
      'set_housekeeping_state',
      'reserve_bed',
      'transfer_patient',
    ]);
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});
