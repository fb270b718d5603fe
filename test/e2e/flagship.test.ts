import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import { systemClock } from '../../tools/core/clock.ts';
import { createTestDatabase } from '../db.ts';
import { miniHospital } from '../fixtures.ts';
import { rowCount } from '../mcp.ts';
import { startTestService, waitForEscalation } from '../service.ts';

let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  svc = await startTestService(database, systemClock);
});
afterAll(async () => svc.stop());

const lowGlucose = { patientId: 'pat-1', deviceId: 'dev-1-cgm', glucose: { value: 48, unit: 'mg/dL' } };

const count = (table: string) => rowCount(database, table);

describe('the flagship flow: a CGM reading of 48 mg/dL', () => {
  let escalationId: string;

  it('is accepted with 202 and an escalation id', async () => {
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient1, lowGlucose, {
      'idempotency-key': 'cgm-0001',
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { escalationId: string; level: string; condition: string };
    expect(body).toMatchObject({ level: 'emergency', condition: 'hypoglycaemia' });
    escalationId = body.escalationId;
    expect(res.headers.get('location')).toBe(`/v1/escalations/${escalationId}`);
  });

  it('answers a retry with the same key with the same id and writes nothing new', async () => {
    // The worker is triaging meanwhile; only what ingest writes must stay unchanged.
    const ingestRows = () =>
      Promise.all([
        ...['observations', 'escalations', 'jobs', 'idempotency_keys'].map(count),
        count("audit_log where tool = 'record_observations'"),
      ]);
    const before = await ingestRows();
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient1, lowGlucose, {
      'idempotency-key': 'cgm-0001',
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { escalationId: string }).escalationId).toBe(escalationId);
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(await ingestRows()).toEqual(before);
  });

  it('refuses the same key with a different body', async () => {
    const res = await svc.call(
      'POST',
      '/v1/observations',
      svc.keys.patient1,
      { ...lowGlucose, glucose: { value: 47, unit: 'mg/dL' } },
      {
        'idempotency-key': 'cgm-0001',
      },
    );
    expect(res.status).toBe(409);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('Idempotency-Key');
  });

  it('ends with a bed reserved and the on-call endocrinologist paged', async () => {
    const esc = (await waitForEscalation(svc.call, svc.keys.staff, escalationId)) as unknown as Record<
      string,
      unknown
    > & {
      events: { step: string }[];
      notifications: { channel: string; recipientId: string; recipientKind: string; message: string }[];
      bedReservations: { status: string; bedId: string }[];
    };
    expect(esc.status).toBe('completed');
    expect(esc.outcome).toBe('bed reserved and on-call specialist paged');
    expect(esc.events.map((e) => e.step)).toEqual([
      'accepted',
      'triage-started',
      'scored',
      'history-checked',
      'decided',
      'composed',
      'action:reserve-bed',
      'action:page-on-call',
      'action:notify-nurse',
      'action:advise-patient',
      'completed',
    ]);
    expect(esc.bedReservations).toEqual([
      expect.objectContaining({ status: 'held', bedId: expect.stringMatching(/^bed-ms-/) }),
    ]);
    const page = esc.notifications.find((n) => n.channel === 'page');
    expect(page).toMatchObject({ recipientId: 'stf-endo', recipientKind: 'staff' });
    expect(page!.message).toContain(escalationId);
    const advice = esc.notifications.find((n) => n.channel === 'advice');
    expect(advice).toMatchObject({ recipientId: 'pat-1', recipientKind: 'patient' });
    expect(advice!.message).toMatch(/15 g of fast-acting carbohydrate/);
  });

  it('streams the same steps as server-sent events, ending with the end state', async () => {
    const res = await svc.call('GET', `/v1/escalations/${escalationId}/events`, svc.keys.patient1);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    const steps = [...text.matchAll(/"step":"([^"]+)"/g)].map((m) => m[1]);
    expect(steps[0]).toBe('accepted');
    expect(steps.at(-1)).toBe('completed');
    expect(text).toMatch(
      /event: end\ndata: \{"status":"completed","outcome":"bed reserved and on-call specialist paged"\}/,
    );
  });

  it('suppresses a repeat within the window that is not worse', async () => {
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient1, {
      ...lowGlucose,
      glucose: { value: 50, unit: 'mg/dL' },
    });
    const { escalationId: second } = (await res.json()) as { escalationId: string };
    const esc = await waitForEscalation(svc.call, svc.keys.staff, second);
    expect(esc).toMatchObject({ status: 'suppressed', duplicateOf: escalationId });
    const holds = await database.sql`select count(*)::int as n from bed_reservations where status = 'held'`;
    expect(holds[0]!.n).toBe(1);
  });

  it('lists every step in the audit log for admins, with actor, on-behalf-of and agent run', async () => {
    const res = await svc.call('GET', '/v1/audit?limit=500', svc.keys.admin);
    expect(res.status).toBe(200);
    const { entries } = (await res.json()) as {
      entries: { tool: string; actor: string; onBehalfOf: string; agentRunId: string | null }[];
    };
    const tools = entries.map((e) => e.tool);
    expect(tools).toEqual(
      expect.arrayContaining([
        'record_observations',
        'request_bed',
        'offer_bed',
        'page_staff',
        'notify_staff',
        'send_patient_advice',
        'complete_escalation',
      ]),
    );
    // Triage asks for the bed; the bed agent holds it and asks the charge nurse, both for the patient.
    expect(entries.find((e) => e.tool === 'request_bed')).toMatchObject({
      actor: 'agent:triage',
      onBehalfOf: 'pat-1',
      agentRunId: expect.any(String),
    });
    expect(entries.find((e) => e.tool === 'offer_bed')).toMatchObject({
      actor: 'agent:beds',
      onBehalfOf: 'pat-1',
      agentRunId: expect.any(String),
    });
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });

  it('keeps the audit log from staff and patient keys', async () => {
    expect((await svc.call('GET', '/v1/audit', svc.keys.staff)).status).toBe(403);
    expect((await svc.call('GET', '/v1/audit', svc.keys.patient1)).status).toBe(403);
    expect((await svc.call('GET', '/v1/audit', null)).status).toBe(401);
  });
});

describe('readings that do not escalate, and bad input', () => {
  it('stores an in-range reading with 201 and starts nothing', async () => {
    const jobs = await count('jobs');
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient1, {
      ...lowGlucose,
      glucose: { value: 6.1, unit: 'mmol/L' },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { escalation: unknown }).escalation).toBeNull();
    expect(await count('jobs')).toBe(jobs);
  });

  it('refuses a patient app posting for another patient with 403 and stores nothing', async () => {
    const before = await count('observations');
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient2, lowGlucose);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await count('observations')).toBe(before);
  });

  it('names the bad field in problem+json and stores nothing', async () => {
    const before = await count('observations');
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient1, {
      patientId: 'pat-1',
      glucose: { value: -3, unit: 'mg/dL' },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field)).toContain('glucose.value');
    expect(await count('observations')).toBe(before);
  });

  it("rejects a device that is not the patient's", async () => {
    const res = await svc.call('POST', '/v1/observations', svc.keys.patient1, {
      ...lowGlucose,
      deviceId: 'dev-2-mon',
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('deviceId');
  });

  it('answers a malformed FHIR Observation with an OperationOutcome naming the element', async () => {
    const res = await svc.call('POST', '/fhir/Observation', svc.keys.patient1, {
      resourceType: 'Observation',
      code: { coding: [{ system: 'http://loinc.org', code: '2339-0' }] },
      subject: { reference: 'Patient/pat-1' },
      valueQuantity: { value: 48, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    });
    expect(res.status).toBe(422);
    const outcome = (await res.json()) as { resourceType: string; issue: { expression?: string[] }[] };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.flatMap((i) => i.expression ?? []).join(' ')).toMatch(
      /Observation\.(status|effective)/,
    );
  });
});
