import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { startTestService } from '../../test/service.ts';
import { addTestPatients, admitForTest } from '../../tools/beds/admissions.fixture.ts';
import { ManualClock } from '../../tools/core/clock.ts';

let database: Database;
let svc: Awaited<ReturnType<typeof startTestService>>;
const clock = new ManualClock('2026-03-02T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 5 });
  svc = await startTestService(database, clock, { worker: false });
  await addTestPatients(database, 'inpatient', 1);
  await admitForTest(database, 'inpatient-0', 'bed-ms-0', clock.now());
  const res = await svc.call('POST', '/v1/ops/reserve_bed', svc.keys.staff, {
    bedId: 'bed-ms-1',
    patientId: 'pat-1',
    holdMinutes: 45,
    reason: 'admission',
  });
  expect(res.status).toBe(200);
  await svc.call('POST', '/v1/ops/set_housekeeping_state', svc.keys.staff, {
    bedId: 'bed-ms-2',
    state: 'dirty',
  });
});

type Json = Record<string, unknown>;
const get = async (path: string, key = svc.keys.staff) => {
  const res = await svc.call('GET', path, key);
  return { res, body: (await res.json()) as Json };
};

describe('GET /fhir/Location/{id}', () => {
  it('renders a free bed as an R4 Location: physicalType bd, v2-0116 status, part of its unit', async () => {
    const { res, body } = await get('/fhir/Location/bed-icu-2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/fhir+json');
    expect(body).toEqual({
      resourceType: 'Location',
      id: 'bed-icu-2',
      status: 'active',
      operationalStatus: {
        system: 'http://terminology.hl7.org/CodeSystem/v2-0116',
        code: 'U',
        display: 'Unoccupied',
      },
      name: 'ICU ICU2',
      mode: 'instance',
      physicalType: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
            code: 'bd',
            display: 'Bed',
          },
        ],
      },
      partOf: { reference: 'Location/unit-icu', display: 'ICU' },
    });
  });

  it.each([
    ['bed-ms-0', 'O', 'Occupied'],
    ['bed-ms-2', 'H', 'Housekeeping'],
  ])('gives %s the operationalStatus %s (%s)', async (id, code, display) => {
    const { body } = await get(`/fhir/Location/${id}`);
    expect(body.operationalStatus).toMatchObject({ code, display });
    expect(body.extension).toBeUndefined();
  });

  it('marks a reserved bed with the bed-reserved extension and the hold expiry', async () => {
    const { body } = await get('/fhir/Location/bed-ms-1');
    expect(body.operationalStatus).toMatchObject({ code: 'U' });
    expect(body.extension).toEqual([
      { url: 'https://carebridge.dev/fhir/StructureDefinition/bed-reserved', valueBoolean: true },
      {
        url: 'https://carebridge.dev/fhir/StructureDefinition/bed-reserved-until',
        valueDateTime: '2026-03-02T10:45:00.000Z',
      },
    ]);
  });

  it('resolves partOf: the unit is a ward Location', async () => {
    const { res, body } = await get('/fhir/Location/unit-ms');
    expect(res.status).toBe(200);
    expect(body).toMatchObject({
      resourceType: 'Location',
      id: 'unit-ms',
      name: 'Med-Surg 3',
      physicalType: { coding: [expect.objectContaining({ code: 'wa' })] },
    });
  });

  it('answers an unknown bed with 404 and an OperationOutcome', async () => {
    const { res, body } = await get('/fhir/Location/bed-nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/fhir+json');
    expect(body).toEqual({
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: 'not-found',
          diagnostics: 'no bed or unit bed-nowhere',
          expression: ['Location.id'],
        },
      ],
    });
  });

  it('refuses a patient-app key with 403 as an OperationOutcome', async () => {
    const { res, body } = await get('/fhir/Location/bed-ms-0', svc.keys.patient1);
    expect(res.status).toBe(403);
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
  });
});

describe('GET /fhir/Location?unit=&_count=', () => {
  it('is a searchset Bundle whose next links walk every bed of the unit', async () => {
    const ids: string[] = [];
    let path: string | null = '/fhir/Location?unit=unit-ms&_count=2';
    let pages = 0;
    while (path) {
      const { res, body } = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/fhir+json');
      expect(body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      const entry = body.entry as { fullUrl: string; resource: Json; search: Json }[];
      for (const e of entry) {
        expect(e.fullUrl).toMatch(new RegExp(`/fhir/Location/${e.resource.id}$`));
        expect(e.search).toEqual({ mode: 'match' });
        expect(e.resource).toMatchObject({
          resourceType: 'Location',
          partOf: { reference: 'Location/unit-ms' },
        });
        ids.push(e.resource.id as string);
      }
      const links = body.link as { relation: string; url: string }[];
      expect(links.find((l) => l.relation === 'self')).toBeDefined();
      const next = links.find((l) => l.relation === 'next');
      path = next ? new URL(next.url).pathname + new URL(next.url).search : null;
      if (next) expect(next.url).toMatch(/unit=unit-ms/);
      pages++;
    }
    expect(pages).toBe(3);
    expect(ids).toEqual(['bed-ms-0', 'bed-ms-1', 'bed-ms-2', 'bed-ms-3', 'bed-ms-4']);
  });

  it.each([
    ['_count=0', '_count'],
    ['_count=many', '_count'],
    ['_cursor=nonsense', '_cursor'],
  ])('answers ?%s with 422 and an OperationOutcome naming %s', async (query, field) => {
    const { res, body } = await get(`/fhir/Location?${query}`);
    expect(res.status).toBe(422);
    expect(body.resourceType).toBe('OperationOutcome');
    expect((body.issue as { expression?: string[] }[]).flatMap((i) => i.expression ?? [])).toContain(field);
  });
});
