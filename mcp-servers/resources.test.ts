import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalations } from '../db/schema/index.ts';
import { type Actor, roleScopes, systemActor } from '../tools/core/actor.ts';
import type { OperationContext } from '../tools/core/operation.ts';
import { buildClaimsOp } from '../tools/revenue/claims/build-operations.ts';
import type { ClaimSummary } from '../tools/revenue/claims/schema.ts';
import { claimsWard, type Ward } from '../tools/revenue/claims/test-support.ts';
import { ADA_ENCOUNTER } from '../tools/revenue/test-fixtures.ts';
import type { ServedModule } from '../tools/registry.ts';
import { createMcpServer } from './server.ts';

let ward: Ward;
let claimId: string;
const clients: Client[] = [];
const staffActor: Actor = { id: 'staff:nia', kind: 'staff', scopes: roleScopes.staff };
const otherPatientApp: Actor = {
  id: 'app:pat-2',
  kind: 'patient-app',
  scopes: roleScopes['patient-app'],
  patientId: 'pat-2',
};

beforeAll(async () => {
  ward = await claimsWard();
  const built = await ward.call<{ claims: ClaimSummary[] }>(buildClaimsOp, { encounterId: ADA_ENCOUNTER });
  claimId = built.claims[0]!.id;
  const at = ward.clock.now();
  await ward.database.db.insert(escalations).values({
    id: 'esc-1',
    patientId: 'pat-1',
    condition: 'glucose',
    severity: 2,
    level: 'emergency',
    screen: { summary: 'Glucose 48 mg/dL: level 2 hypoglycaemia' },
    createdAt: at,
    updatedAt: at,
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function connect(modules: ServedModule[], actor: Actor = systemActor): Promise<Client> {
  const context = (): OperationContext => ({ database: ward.database, clock: ward.clock, actor });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(modules, context).connect(serverSide);
  const client = new Client({ name: 'resources-test', version: '0.0.0' });
  await client.connect(clientSide);
  clients.push(client);
  return client;
}

async function readJson(client: Client, uri: string) {
  const { contents } = await client.readResource({ uri });
  expect(contents).toHaveLength(1);
  expect(contents[0]).toMatchObject({ uri, mimeType: 'application/json' });
  return JSON.parse((contents[0] as { text: string }).text);
}

describe('resources', () => {
  it('offers each template only on servers with its module', async () => {
    const beds = await connect(['beds']);
    const templates = (await beds.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort();
    expect(templates).toEqual([
      'carebridge://beds/units/{unitId}/board',
      'carebridge://beds/units/{unitId}/census',
    ]);
    const all = await connect(['beds', 'staffing', 'revenue', 'health-data']);
    expect((await all.listResourceTemplates()).resourceTemplates.map((t) => t.name).sort()).toEqual([
      'bed-board',
      'claim',
      'escalation',
      'unit-census',
      'unit-roster-today',
    ]);
  });

  it('lists the units and recent claims a caller may read', async () => {
    const client = await connect(['beds', 'revenue']);
    const uris = (await client.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(
      expect.arrayContaining([
        'carebridge://beds/units/unit-ms/board',
        'carebridge://beds/units/unit-icu/census',
        `carebridge://revenue/claims/${claimId}`,
      ]),
    );
  });

  it("reads a unit's bed board and its census through the bed board operation", async () => {
    const client = await connect(['beds'], staffActor);
    const board = await readJson(client, 'carebridge://beds/units/unit-icu/board');
    expect(board.beds.map((b: { bedId: string }) => b.bedId).sort()).toEqual(['bed-icu-1', 'bed-icu-2']);
    expect(await readJson(client, 'carebridge://beds/units/unit-ms/census')).toMatchObject({
      unit: { id: 'unit-ms', name: 'Med-Surg 3' },
      beds: 4,
      occupied: 0,
      available: 4,
      reserved: 0,
      occupancy: 0,
    });
  });

  it("reads today's staffing of a unit", async () => {
    const client = await connect(['staffing'], staffActor);
    const today = await readJson(client, 'carebridge://staffing/units/unit-ms/roster/today');
    expect(today.days).toBe(1);
    for (const shift of today.shifts) expect(shift.unitId).toBe('unit-ms');
  });

  it('reads a claim and an escalation', async () => {
    const client = await connect(['revenue', 'health-data']);
    expect(await readJson(client, `carebridge://revenue/claims/${claimId}`)).toMatchObject({ id: claimId });
    expect(await readJson(client, 'carebridge://escalations/esc-1')).toMatchObject({
      escalation: { id: 'esc-1', level: 'emergency' },
      patient: { id: 'pat-1' },
    });
  });

  it.each([
    [
      'a caller without the scope',
      ['revenue'] as ServedModule[],
      staffActor,
      'claim',
      /forbidden: staff:nia lacks the scope revenue:read/,
    ],
    [
      'an unknown unit',
      ['beds'] as ServedModule[],
      staffActor,
      'census',
      /not_found: No beds in unit unit-none/,
    ],
    [
      'an unknown escalation',
      ['health-data'] as ServedModule[],
      otherPatientApp,
      'escalation',
      /not_found: No escalation esc-none/,
    ],
  ])('refuses %s with an MCP error saying why', async (_, modules, actor, kind, message) => {
    const uri = {
      claim: `carebridge://revenue/claims/${claimId}`,
      census: 'carebridge://beds/units/unit-none/census',
      escalation: 'carebridge://escalations/esc-none',
    }[kind]!;
    const client = await connect(modules, actor);
    const err = await client.readResource({ uri }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).message).toMatch(message);
  });

  it('lists nothing the caller may not read, rather than failing the whole list', async () => {
    const client = await connect(['revenue'], staffActor);
    expect((await client.listResources()).resources).toEqual([]);
  });
});
