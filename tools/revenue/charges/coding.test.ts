import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { miniHospital } from '../../../evals/hospital.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { type Actor, roleScopes } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER, revenueWard, TODAY_AT } from '../test-fixtures.ts';
import { listChargemaster, setChargemasterItem } from './chargemaster-operations.ts';
import { recordEncounterService, setEncounterDiagnoses } from './coding-operations.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
const biller: Actor = { id: 'billing:office', kind: 'billing', scopes: roleScopes.billing };
const call = <T = Record<string, unknown>>(op: AnyOperation, input: unknown, actor: Actor = biller) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await database.sql`insert into encounters (id, patient_id, class, status, unit_id, started_at)
    values ('enc-cancelled', 'pat-2', 'AMB', 'cancelled', 'unit-ms', '2026-03-15T09:00:00Z')`;
});

describe('the chargemaster', () => {
  it('upserts by kind and code: the second call updates the price', async () => {
    const item = {
      kind: 'accommodation',
      code: 'step-down',
      description: 'Step-down, per day',
      revenueCode: '0206',
    };
    const first = await call<{ created: boolean; item: { unitBasis: string } }>(setChargemasterItem, {
      ...item,
      unitPriceCents: 260_000,
    });
    expect(first).toMatchObject({ created: true, item: { unitBasis: 'DA' } });
    const second = await call<{ created: boolean; item: { unitPriceCents: number } }>(setChargemasterItem, {
      ...item,
      unitPriceCents: 275_000,
    });
    expect(second).toMatchObject({ created: false, item: { unitPriceCents: 275_000 } });
    const { items } = await call<{ items: unknown[] }>(listChargemaster, {
      kind: 'accommodation',
      code: 'step-down',
    });
    expect(items).toHaveLength(1);
  });

  it.each([
    [
      'an accommodation that is not a unit type',
      { kind: 'accommodation', code: 'penthouse', revenueCode: '0110' },
      'code',
    ],
    [
      'an accommodation under a pharmacy revenue code',
      { kind: 'accommodation', code: 'icu', revenueCode: '0250' },
      'revenueCode',
    ],
    [
      'a revenue code of three digits',
      { kind: 'procedure', code: '99223', revenueCode: '510' },
      'revenueCode',
    ],
    ['an unknown CPT code', { kind: 'procedure', code: '99999', revenueCode: '0510' }, 'code'],
    [
      'an NDC drug without its J-code',
      { kind: 'drug', code: '00002751001', revenueCode: '0636' },
      'hcpcsCode',
    ],
    ['a supply with a CPT code', { kind: 'supply', code: '99223', revenueCode: '0270' }, 'code'],
    [
      'a zero price',
      { kind: 'procedure', code: '99223', revenueCode: '0510', unitPriceCents: 0 },
      'unitPriceCents',
    ],
  ])('refuses %s, naming the field', async (_name, item, field) => {
    const before = await rowCount(database, 'chargemaster_items');
    const err = await refusal(call(setChargemasterItem, { description: 'x', unitPriceCents: 100, ...item }));
    expect(err.code).toBe('invalid');
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await rowCount(database, 'chargemaster_items')).toBe(before);
  });
});

describe('coding diagnoses', () => {
  it('replaces the list in order, the first principal, keeping POA indicators', async () => {
    const out = await call<{
      diagnoses: { sequence: number; code: string; principal: boolean }[];
      warnings: string[];
    }>(setEncounterDiagnoses, {
      encounterId: BO_ENCOUNTER,
      diagnoses: [{ code: 'm23.221' }, { code: 'I10', presentOnAdmission: 'Y' }],
    });
    expect(out.diagnoses).toEqual([
      { sequence: 1, code: 'M23.221', presentOnAdmission: null, principal: true },
      { sequence: 2, code: 'I10', presentOnAdmission: 'Y', principal: false },
    ]);
    const rows = await database.sql`select sequence, code from encounter_diagnoses
      where encounter_id = ${BO_ENCOUNTER} order by sequence`;
    expect(rows.map((r) => r.code)).toEqual(['M23.221', 'I10']);
  });

  it('keeps a code the file cannot confirm, with a warning', async () => {
    const out = await call<{ warnings: string[] }>(setEncounterDiagnoses, {
      encounterId: BO_ENCOUNTER,
      diagnoses: [{ code: 'I10' }, { code: 'J18.9' }],
    });
    expect(out.warnings).toEqual([expect.stringMatching(/^diagnoses\.1: J18\.9 is not in the code file/)]);
  });

  it('refuses invalid codes naming each position, and leaves the old list', async () => {
    const before =
      await database.sql`select code from encounter_diagnoses where encounter_id = ${ADA_ENCOUNTER} order by sequence`;
    const err = await refusal(
      call(setEncounterDiagnoses, {
        encounterId: ADA_ENCOUNTER,
        diagnoses: [{ code: 'E11.65' }, { code: 'E11' }, { code: 'XYZ' }, { code: 'E11.65' }],
      }),
    );
    expect(err.code).toBe('invalid');
    expect(err.issues.map((i) => i.field)).toEqual([
      'diagnoses.1.code',
      'diagnoses.2.code',
      'diagnoses.3.code',
    ]);
    expect(err.message).toMatch(/E11 is a category header/);
    const after =
      await database.sql`select code from encounter_diagnoses where encounter_id = ${ADA_ENCOUNTER} order by sequence`;
    expect(after).toEqual(before);
  });

  it('refuses a shorter list that would leave a service pointing at a missing diagnosis', async () => {
    const err = await refusal(
      call(setEncounterDiagnoses, { encounterId: ADA_ENCOUNTER, diagnoses: [{ code: 'E11.65' }] }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/svc-ada-admit/);
    expect(await rowCount(database, 'encounter_diagnoses')).toBe(5);
  });

  it('refuses a cancelled encounter', async () => {
    const err = await refusal(
      call(setEncounterDiagnoses, { encounterId: 'enc-cancelled', diagnoses: [{ code: 'I10' }] }),
    );
    expect(err.code).toBe('conflict');
    expect(await rowCount(database, 'encounter_diagnoses')).toBe(5);
  });
});

describe('recording a service', () => {
  const base = { encounterId: ADA_ENCOUNTER, quantity: 1, servicedOn: '2026-03-03', diagnosisSequences: [1] };

  it('records a procedure with modifiers, performer and pointers', async () => {
    const { service } = await call<{ service: Record<string, unknown> }>(recordEncounterService, {
      ...base,
      kind: 'procedure',
      code: '99232',
      modifiers: ['25'],
      performerId: 'stf-icu',
      diagnosisSequences: [1, 2],
    });
    expect(service).toMatchObject({
      kind: 'procedure',
      code: '99232',
      modifiers: ['25'],
      recordedBy: 'billing:office',
    });
  });

  it.each([
    ['an unknown CPT code', { kind: 'procedure', code: '99999' }, 'code'],
    ['a drug code that is neither NDC nor J-code', { kind: 'drug', code: 'A4253' }, 'code'],
    ['a 10-digit NDC', { kind: 'drug', code: '0002751001' }, 'code'],
    ['a supply billed by CPT', { kind: 'supply', code: '80053' }, 'code'],
    [
      'five modifiers',
      { kind: 'procedure', code: '99232', modifiers: ['25', '59', 'RT', 'LT', 'XU'] },
      'modifiers',
    ],
    ['a date outside the stay', { kind: 'procedure', code: '99232', servicedOn: '2026-03-06' }, 'servicedOn'],
    [
      'a performer who is not staff',
      { kind: 'procedure', code: '99232', performerId: 'stf-ghost' },
      'performerId',
    ],
    [
      'a diagnosis the encounter lacks',
      { kind: 'procedure', code: '99232', diagnosisSequences: [1, 4] },
      'diagnosisSequences.1',
    ],
    [
      'another patient’s theatre booking',
      { kind: 'procedure', code: '99232', theatreBookingId: 'tb-bo-knee' },
      'theatreBookingId',
    ],
    ['a zero quantity', { kind: 'supply', code: 'A4253', quantity: 0 }, 'quantity'],
  ])('refuses %s, naming the field and writing nothing', async (_name, change, field) => {
    const before = await rowCount(database, 'encounter_services');
    const err = await refusal(call(recordEncounterService, { ...base, ...change }));
    expect(err.code).toBe('invalid');
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await rowCount(database, 'encounter_services')).toBe(before);
  });

  it('refuses an unknown or cancelled encounter', async () => {
    const unknown = await refusal(
      call(recordEncounterService, { ...base, kind: 'supply', code: 'A4253', encounterId: 'enc-x' }),
    );
    expect(unknown.code).toBe('not_found');
    const cancelled = await refusal(
      call(recordEncounterService, {
        ...base,
        kind: 'supply',
        code: 'A4253',
        encounterId: 'enc-cancelled',
        servicedOn: '2026-03-15',
      }),
    );
    expect(cancelled.code).toBe('conflict');
  });
});
