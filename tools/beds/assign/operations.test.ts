import { eq } from 'drizzle-orm';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { bedRequests, beds, patients, units } from '../../../db/schema/index.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { startTestService } from '../../../test/service.ts';
import { createModuleServer } from '../../../mcp-servers/server.ts';
import type { Actor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { OperationError } from '../../core/errors.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import { bedOperations, reserveBed } from '../operations.ts';
import { planBedAssignmentsOperation } from './operations.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T08:00:00Z');
const bedManager: Actor = { id: 'staff:planner', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;

interface Plan {
  method: string;
  status: string;
  fallbackReason: string | null;
  assignments: {
    requestId: string;
    patientId: string;
    bedId: string;
    unitId: string;
    cost: number;
    breakdown: { kind: string; cost: number; reason: string }[];
  }[];
  unassigned: { requestId: string; patientId: string; reason: string; detail: string }[];
  repeated: { requestId: string; patientId: string; reason: string }[];
  objective: number;
  bound: number | null;
  gap: number | null;
}

const plan = async (input: unknown, as = ctx) =>
  (await invokeOperation(planBedAssignmentsOperation, input, as)) as Plan;

const need = (over: Record<string, unknown> = {}) => ({
  unitTypes: ['med-surg'],
  isolation: 'none',
  telemetry: false,
  bariatric: false,
  sex: 'female',
  ...over,
});
const icuNeed = (over: Record<string, unknown> = {}) =>
  need({ unitTypes: ['icu'], telemetry: true, ...over });

const person = (id: string, birthDate: string, sex: 'male' | 'female', careSpecialty: string) => ({
  id,
  mrn: id.toUpperCase(),
  givenName: 'P',
  familyName: id,
  birthDate,
  sex,
  careSpecialty,
});

const countRows = async (table: string) =>
  Number((await database.sql.unsafe(`select count(*)::int as n from ${table}`))[0]?.n);

beforeAll(async () => {
  database = await createTestDatabase(10);
  // Med-Surg: six clean beds; ICU: one telemetry bed and one negative-pressure telemetry bed.
  await miniHospital(database, { medSurgBeds: 6 });
  await database.db
    .update(units)
    .set({ specialty: 'internal-medicine', minAgeYears: 18 })
    .where(eq(units.id, 'unit-ms'));
  await database.db.update(units).set({ specialty: 'critical-care' }).where(eq(units.id, 'unit-icu'));
  await database.db.update(beds).set({ housekeeping: 'inspected' });
  await database.db
    .insert(patients)
    .values([
      person('pat-3', '1961-09-14', 'male', 'critical-care'),
      person('pat-4', '1944-01-30', 'female', 'cardiology'),
      person('pat-child', '2014-05-20', 'female', 'internal-medicine'),
    ]);
  ctx = { database, clock, actor: bedManager };
});

describe('plan_bed_assignments', () => {
  it('is one of the beds module’s operations', () => {
    expect(bedOperations.map((op) => op.name)).toContain('plan_bed_assignments');
  });

  it('places a batch, keeping every hard rule, and says what each placement costs and why', async () => {
    const result = await plan({
      requests: [
        { requestId: 'adm-1', patientId: 'pat-1', need: need(), priority: 'routine' },
        {
          requestId: 'adm-2',
          patientId: 'pat-2',
          need: icuNeed({ isolation: 'airborne', sex: 'male' }),
          priority: 'emergency',
        },
        { requestId: 'adm-3', patientId: 'pat-3', need: icuNeed({ sex: 'male' }), priority: 'urgent' },
        { requestId: 'adm-4', patientId: 'pat-child', need: need() },
      ],
    });
    expect(result).toMatchObject({
      method: 'milp',
      status: 'optimal',
      fallbackReason: null,
      gap: 0,
      unassigned: [],
    });
    const byRequest = new Map(result.assignments.map((a) => [a.requestId, a]));
    // Only the negative-pressure room takes airborne isolation; the other ICU bed is left for pat-3.
    expect(byRequest.get('adm-2')?.bedId).toBe('bed-icu-2');
    expect(byRequest.get('adm-3')).toMatchObject({ bedId: 'bed-icu-1', cost: 0, breakdown: [] });
    expect(byRequest.get('adm-1')?.breakdown).toEqual([
      { kind: 'specialty', cost: 20, reason: "unit specialty internal-medicine, patient's is endocrinology" },
    ]);
    // 11 years old on 2 March 2026, on a ward for 18 and over.
    expect(byRequest.get('adm-4')?.breakdown).toEqual([
      { kind: 'age', cost: 50, reason: 'patient is 11, unit takes 18 and over' },
    ]);
    expect(result.objective).toBe(result.assignments.reduce((s, a) => s + a.cost, 0));
  });

  it('gives the last ICU bed to the emergency and says why the others wait', async () => {
    const result = await plan({
      requests: [
        { requestId: 'r', patientId: 'pat-3', need: icuNeed({ sex: 'male' }), priority: 'routine' },
        { requestId: 'u', patientId: 'pat-4', need: icuNeed(), priority: 'urgent' },
        { requestId: 'e', patientId: 'pat-2', need: icuNeed({ sex: 'male' }), priority: 'emergency' },
        { requestId: 'e2', patientId: 'pat-1', need: icuNeed(), priority: 'emergency' },
      ],
    });
    expect(result.assignments.map((a) => a.requestId).sort()).toEqual(['e', 'e2']);
    expect(result.unassigned).toEqual([
      expect.objectContaining({
        requestId: 'r',
        reason: 'outranked',
        detail: expect.stringMatching(/2 emergency/),
      }),
      expect.objectContaining({ requestId: 'u', reason: 'outranked' }),
    ]);
  });

  it('plans every request still negotiating, once per patient, when asked for the pending ones', async () => {
    const row = (id: string, patientId: string, status: 'negotiating' | 'assigned', minute: number) => ({
      id,
      patientId,
      need: need({ sex: patientId === 'pat-2' ? 'male' : 'female' }),
      requester: 'admissions' as const,
      priority: 'urgent' as const,
      status,
      holdMinutes: 30,
      escalateAfterMinutes: 10,
      createdBy: 'staff:test',
      createdAt: new Date(Date.UTC(2026, 2, 2, 7, minute)),
      updatedAt: new Date(Date.UTC(2026, 2, 2, 7, minute)),
    });
    await database.db
      .insert(bedRequests)
      .values([
        row('breq-1', 'pat-1', 'negotiating', 1),
        row('breq-2', 'pat-2', 'negotiating', 2),
        row('breq-3', 'pat-4', 'assigned', 3),
        row('breq-4', 'pat-1', 'negotiating', 4),
      ]);
    const result = await plan({ pending: true });
    expect(result.assignments.map((a) => a.requestId).sort()).toEqual(['breq-1', 'breq-2']);
    expect(result.repeated).toEqual([
      expect.objectContaining({
        requestId: 'breq-4',
        patientId: 'pat-1',
        reason: expect.stringMatching(/older request breq-1/),
      }),
    ]);
    await database.db.delete(bedRequests);
  });

  it('names the request whose patient is unknown', async () => {
    const failure = await plan({
      requests: [
        { patientId: 'pat-1', need: need() },
        { patientId: 'pat-nobody', need: need() },
      ],
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(OperationError);
    expect(failure).toMatchObject({
      code: 'not_found',
      issues: [{ field: 'requests.1.patientId', message: 'no unknown patient pat-nobody' }],
    });
  });

  it.each([
    [{}, 'requests'],
    [{ pending: true, requests: [{ patientId: 'pat-1', need: need() }] }, 'pending'],
    [
      {
        requests: [
          { patientId: 'pat-1', need: need() },
          { patientId: 'pat-1', need: need() },
        ],
      },
      'requests.1.patientId',
    ],
    [{ pending: true, timeLimitSeconds: 60 }, 'timeLimitSeconds'],
    [{ requests: [{ patientId: 'pat-1', need: need({ unitTypes: [] }) }] }, 'requests.0.need.unitTypes'],
  ])('refuses %j, naming %s', async (input, field) => {
    const failure = await plan(input).catch((err: unknown) => err);
    expect(failure).toMatchObject({
      code: 'invalid',
      issues: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });

  it('leaves out held and occupied beds, counts moving a patient out of their bed, and writes nothing', async () => {
    await database.db
      .update(beds)
      .set({ status: 'O', occupantPatientId: 'pat-2' })
      .where(eq(beds.id, 'bed-ms-0'));
    await invokeOperation(
      reserveBed,
      { bedId: 'bed-ms-1', patientId: 'pat-4', reason: 'held for another admission' },
      ctx,
    );
    const before = await Promise.all(['bed_reservations', 'audit_log', 'bed_events', 'beds'].map(countRows));
    const requests = [
      { requestId: 'move', patientId: 'pat-2', need: need({ sex: 'male' }) },
      { requestId: 'a', patientId: 'pat-1', need: need() },
      { requestId: 'b', patientId: 'pat-3', need: need({ sex: 'male' }) },
      { requestId: 'c', patientId: 'pat-child', need: need() },
    ];
    const four = await plan({ requests });
    expect(four.assignments.map((a) => a.bedId).sort()).toEqual([
      'bed-ms-2',
      'bed-ms-3',
      'bed-ms-4',
      'bed-ms-5',
    ]);
    expect(four.assignments.find((a) => a.requestId === 'move')?.breakdown).toEqual([
      { kind: 'transfer', cost: 100, reason: 'moves the patient from bed bed-ms-0' },
    ]);
    // A fifth patient for four free beds: the one who already has a bed waits (moving them costs most).
    const five = await plan({
      requests: [...requests, { requestId: 'd', patientId: 'pat-4', need: need() }],
    });
    expect(five.unassigned).toEqual([expect.objectContaining({ requestId: 'move', reason: 'contended' })]);
    expect(await Promise.all(['bed_reservations', 'audit_log', 'bed_events', 'beds'].map(countRows))).toEqual(
      before,
    );
  });

  it('answers over HTTP at POST /v1/ops/plan_bed_assignments, and names a bad field in problem+json', async () => {
    const svc = await startTestService(database, clock, { worker: false });
    const ok = await svc.call('POST', '/v1/ops/plan_bed_assignments', svc.keys.staff, {
      requests: [{ patientId: 'pat-3', need: icuNeed({ sex: 'male' }), priority: 'emergency' }],
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      method: 'milp',
      assignments: [{ requestId: 'request-1', patientId: 'pat-3', unitId: 'unit-icu' }],
    });
    const bad = await svc.call('POST', '/v1/ops/plan_bed_assignments', svc.keys.staff, {
      timeLimitSeconds: 2,
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors).toContainEqual(
      expect.objectContaining({ field: 'requests' }),
    );
    await svc.stop();
  });

  it('is an MCP tool of the beds server, read-only, with its input schema', async () => {
    const server = createModuleServer('beds', () => ctx);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '0.0.0' });
    await client.connect(clientSide);
    const tool = (await client.listTools()).tools.find((t) => t.name === 'plan_bed_assignments');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(Object.keys(tool?.inputSchema.properties ?? {})).toEqual([
      'requests',
      'pending',
      'timeLimitSeconds',
    ]);
    const result = await client.callTool({
      name: 'plan_bed_assignments',
      arguments: { requests: [{ patientId: 'pat-4', need: icuNeed(), priority: 'urgent' }] },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      method: 'milp',
      unassigned: [],
      assignments: [{ patientId: 'pat-4' }],
    });
    await client.close();
  });

  it('needs the beds:read scope', async () => {
    const stranger = { ...ctx, actor: { ...bedManager, scopes: ['health-data:read'] } };
    await expect(plan({ pending: true }, stranger)).rejects.toThrow(/lacks the scope beds:read/);
  });
});
