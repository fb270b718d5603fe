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
import { getEncounterBilling } from './billing-operations.ts';
import { captureCharges, listCharges, voidCharge } from './charge-operations.ts';
import { setChargemasterItem } from './chargemaster-operations.ts';
import { recordEncounterService } from './coding-operations.ts';
import type { ChargeView } from './schema.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
const biller: Actor = { id: 'billing:office', kind: 'billing', scopes: roleScopes.billing };
const call = <T = Record<string, unknown>>(op: AnyOperation, input: unknown, actor: Actor = biller) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

interface Captured {
  created: ChargeView[];
  existing: ChargeView[];
  totals: { count: number; amountCents: number; byKind: Record<string, number> };
}

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
});

describe('capturing Ada’s ICU stay', () => {
  let first: Captured;
  beforeAll(async () => {
    first = await call<Captured>(captureCharges, { encounterId: ADA_ENCOUNTER });
  });

  it('charges 3 ICU bed-days (02, 03, 04 March; not the discharge day) at the ICU price', () => {
    const days = first.created.filter((c) => c.kind === 'accommodation');
    expect(days.map((d) => d.serviceDate)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    for (const d of days) {
      expect(d).toMatchObject({ revenueCode: '0200', unitBasis: 'DA', units: 1, amountCents: 420_000 });
      expect(d.source).toBe(`bed-day:icu:${d.serviceDate}`);
      expect(d.procedureCode).toBeNull();
    }
  });

  it('charges the three visits by Dr Endo and the labs with their diagnosis pointers', () => {
    const byCode = new Map(first.created.map((c) => [c.procedureCode, c]));
    expect(byCode.get('99223')).toMatchObject({
      amountCents: 42_000,
      performerId: 'stf-endo',
      diagnosisSequences: [1, 2],
    });
    expect(byCode.get('99232')).toMatchObject({ amountCents: 16_000, serviceDate: '2026-03-03' });
    expect(byCode.get('99238')).toMatchObject({ amountCents: 15_000, serviceDate: '2026-03-05' });
    expect(byCode.get('36415')).toMatchObject({ amountCents: 2_500, revenueCode: '0300' });
    expect(byCode.get('80053')).toMatchObject({ amountCents: 18_000, revenueCode: '0301' });
  });

  it('bills the insulin as 4 × J1815 carrying its NDC, and the strips under A4253', () => {
    const insulin = first.created.find((c) => c.kind === 'drug');
    expect(insulin).toMatchObject({
      procedureCode: 'J1815',
      ndc: '00002751001',
      units: 4,
      unitPriceCents: 1_200,
      amountCents: 4_800,
      revenueCode: '0636',
    });
    expect(first.created.find((c) => c.kind === 'supply')).toMatchObject({
      procedureCode: 'A4253',
      amountCents: 4_500,
    });
  });

  it('totals 10 charges, $13,628.00', () => {
    expect(first.created).toHaveLength(10);
    expect(first.existing).toEqual([]);
    expect(first.totals).toEqual({
      count: 10,
      amountCents: 1_362_800,
      byKind: { accommodation: 1_260_000, procedure: 93_500, drug: 4_800, supply: 4_500 },
    });
  });

  it('adds nothing when captured again, and reports the charges already there', async () => {
    const auditBefore = await rowCount(database, 'audit_log');
    const again = await call<Captured>(captureCharges, { encounterId: ADA_ENCOUNTER });
    expect(again.created).toEqual([]);
    expect(again.existing.map((c) => c.chargeId).sort()).toEqual(first.created.map((c) => c.chargeId).sort());
    expect(again.totals).toEqual(first.totals);
    expect(await rowCount(database, 'audit_log')).toBe(auditBefore);
  });

  it('adds just the charge of a service recorded later', async () => {
    await call(recordEncounterService, {
      encounterId: ADA_ENCOUNTER,
      kind: 'procedure',
      code: '85025',
      quantity: 1,
      servicedOn: '2026-03-04',
      diagnosisSequences: [1],
    });
    const later = await call<Captured>(captureCharges, { encounterId: ADA_ENCOUNTER });
    expect(later.created.map((c) => c.procedureCode)).toEqual(['85025']);
    expect(later.totals).toMatchObject({ count: 11, amountCents: 1_362_800 + 9_500 });
  });

  it('shows everything a biller needs in get_encounter_billing', async () => {
    const view = await call<Record<string, unknown>>(getEncounterBilling, { encounterId: ADA_ENCOUNTER });
    expect(view).toMatchObject({
      patient: { patientId: 'pat-1' },
      encounter: { class: 'IMP', unitType: 'icu', startedAt: '2026-03-02T14:00:00.000Z' },
      coverageOn: '2026-03-02',
      selfPay: false,
      uncapturedServiceIds: [],
    });
    expect((view.diagnoses as { code: string; principal: boolean }[])[0]).toMatchObject({
      code: 'E11.65',
      principal: true,
    });
    expect((view.coverages as { coverageId: string }[]).map((c) => c.coverageId)).toEqual([
      'cov-ada-medicare',
    ]);
    expect((view.charges as unknown[]).length).toBe(11);
  });
});

describe('an unpriced fact', () => {
  it('refuses the whole capture, naming every unpriced fact, and writes nothing', async () => {
    await call(recordEncounterService, {
      encounterId: BO_ENCOUNTER,
      kind: 'supply',
      code: 'A4550',
      quantity: 1,
      servicedOn: '2026-03-10',
    });
    await call(recordEncounterService, {
      encounterId: BO_ENCOUNTER,
      kind: 'drug',
      code: 'J2405',
      quantity: 2,
      servicedOn: '2026-03-10',
    });
    const before = await rowCount(database, 'charges');
    const err = await refusal(call(captureCharges, { encounterId: BO_ENCOUNTER }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/2 fact\(s\) have no chargemaster price/);
    expect(err.message).toMatch(/no supply price for A4550/);
    expect(err.message).toMatch(/no drug price for J2405/);
    expect(err.issues.map((i) => i.field).every((f) => f.startsWith('service:'))).toBe(true);
    expect(await rowCount(database, 'charges')).toBe(before);

    // Priced, the same capture goes through; an outpatient encounter has no bed-days.
    await call(setChargemasterItem, {
      kind: 'supply',
      code: 'A4550',
      description: 'Surgical tray',
      revenueCode: '0272',
      unitPriceCents: 9_000,
    });
    await call(setChargemasterItem, {
      kind: 'drug',
      code: 'J2405',
      description: 'Ondansetron 1 mg',
      revenueCode: '0636',
      unitPriceCents: 700,
    });
    const ok = await call<Captured>(captureCharges, { encounterId: BO_ENCOUNTER });
    expect(ok.created.map((c) => c.kind).sort()).toEqual(['drug', 'procedure', 'supply']);
    expect(ok.created.find((c) => c.procedureCode === '29881')).toMatchObject({
      modifiers: ['RT'],
      amountCents: 680_000,
    });
    expect(ok.created.find((c) => c.kind === 'drug')).toMatchObject({
      procedureCode: 'J2405',
      ndc: null,
      amountCents: 1_400,
    });
  });
});

describe('voiding a charge', () => {
  it('voids an open charge with its reason, leaves it out of totals, and refuses a second void', async () => {
    const { charges } = await call<{ charges: ChargeView[] }>(listCharges, {
      encounterId: BO_ENCOUNTER,
      status: 'open',
    });
    const tray = charges.find((c) => c.procedureCode === 'A4550')!;
    const out = await call<{ charge: ChargeView }>(voidCharge, {
      chargeId: tray.chargeId,
      reason: 'tray not opened',
    });
    expect(out.charge).toMatchObject({ status: 'voided', voidReason: 'tray not opened' });
    const after = await call<{ totals: { count: number } }>(listCharges, { encounterId: BO_ENCOUNTER });
    expect(after.totals.count).toBe(charges.length - 1);
    const again = await refusal(call(voidCharge, { chargeId: tray.chargeId, reason: 'twice' }));
    expect(again.code).toBe('conflict');
  });

  it('refuses a billed charge, naming its claim', async () => {
    const { charges } = await call<{ charges: ChargeView[] }>(listCharges, {
      encounterId: BO_ENCOUNTER,
      status: 'open',
    });
    const scope = charges.find((c) => c.procedureCode === '29881')!;
    await database.sql`update charges set status = 'billed', claim_id = 'CLM-77' where id = ${scope.chargeId}`;
    const err = await refusal(call(voidCharge, { chargeId: scope.chargeId, reason: 'wrong side' }));
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/billed on claim CLM-77/);
    const [row] = await database.sql`select status from charges where id = ${scope.chargeId}`;
    expect(row?.status).toBe('billed');
  });

  it('requires a reason, naming the field', async () => {
    const err = await refusal(call(voidCharge, { chargeId: 'chg-x', reason: '' }));
    expect(err.code).toBe('invalid');
    expect(err.issues.map((i) => i.field)).toEqual(['reason']);
  });

  it('is refused to a key without revenue:write', async () => {
    const staffKey: Actor = { id: 'staff:ward', kind: 'staff', scopes: roleScopes.staff };
    const err = await refusal(call(voidCharge, { chargeId: 'chg-x', reason: 'nope' }, staffKey));
    expect(err.code).toBe('forbidden');
  });
});

describe('concurrent captures of one encounter', () => {
  it('create each charge once', async () => {
    // A second finished stay for Bo: med-surg 2026-03-12 → 03-14, two bed-days and one visit.
    await database.sql`
      insert into encounters (id, patient_id, class, status, unit_id, attending_id, started_at, ended_at)
      values ('enc-bo-ms', 'pat-2', 'IMP', 'finished', 'unit-ms', 'stf-endo',
              '2026-03-12T10:00:00Z', '2026-03-14T09:00:00Z')`;
    await call(recordEncounterService, {
      encounterId: 'enc-bo-ms',
      kind: 'procedure',
      code: '99232',
      quantity: 1,
      servicedOn: '2026-03-13',
      performerId: 'stf-endo',
    });
    const results = await Promise.all([
      call<Captured>(captureCharges, { encounterId: 'enc-bo-ms' }),
      call<Captured>(captureCharges, { encounterId: 'enc-bo-ms' }),
    ]);
    expect(results.map((r) => r.created.length).sort()).toEqual([0, 3]);
    const [row] = await database.sql`select count(*)::int as n, count(distinct source)::int as sources
      from charges where encounter_id = 'enc-bo-ms'`;
    expect(row).toEqual({ n: 3, sources: 3 });
    expect(results.every((r) => r.totals.amountCents === 2 * 185_000 + 16_000)).toBe(true);
  });
});
