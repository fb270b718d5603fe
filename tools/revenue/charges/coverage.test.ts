import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { miniHospital } from '../../../evals/hospital.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { rowCount } from '../../../test/mcp.ts';
import { refusal } from '../../../test/refusal.ts';
import { type Actor, roleScopes } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { revenueWard, TODAY_AT } from '../test-fixtures.ts';
import {
  addCoverage,
  addPriorAuthorization,
  endCoverage,
  getPatientCoverage,
  listPayers,
} from './coverage-operations.ts';
import type { CoverageView } from './schema.ts';

let database: Database;
const clock = new ManualClock(TODAY_AT);
const biller: Actor = { id: 'billing:office', kind: 'billing', scopes: roleScopes.billing };
const call = <T = Record<string, unknown>>(op: AnyOperation, input: unknown, actor: Actor = biller) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<T>;

interface PatientCoverage {
  on: string;
  coverages: CoverageView[];
  primaryCoverageId: string | null;
  selfPay: boolean;
}

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await revenueWard(database);
  await database.sql`insert into payers (id, name, kind, x12_payer_id, professional_filing_indicator,
    institutional_filing_indicator) values ('pay-medicaid', 'State Medicaid', 'medicaid', 'SKIL0', 'MC', 'MC')`;
  await database.sql`insert into payer_plans (id, payer_id, name) values ('plan-medicaid', 'pay-medicaid', 'Medicaid FFS')`;
});

describe('payers', () => {
  it('lists payers with plans, prior-auth codes and the timely-filing limit (365 by default)', async () => {
    const { payers } = await call<{ payers: Record<string, unknown>[] }>(listPayers, {});
    const acme = payers.find((p) => p.payerId === 'pay-acme');
    expect(acme).toMatchObject({
      timelyFilingDays: 180,
      plans: [{ planId: 'plan-acme-ppo', priorAuthCodes: ['29881', '27447'] }],
    });
    expect(payers.find((p) => p.payerId === 'pay-medicare')).toMatchObject({ timelyFilingDays: 365 });
  });
});

describe('a patient’s coverage', () => {
  it('shows Bo’s Acme PPO in force today as primary, with its authorisation', async () => {
    const view = await call<PatientCoverage>(getPatientCoverage, { patientId: 'pat-2' });
    expect(view).toMatchObject({ on: '2026-03-20', primaryCoverageId: 'cov-bo-acme', selfPay: false });
    expect(view.coverages[0]?.priorAuthorizations.map((a) => a.number)).toEqual(['AUTH-2201']);
  });

  it('is self-pay on a date before any coverage', async () => {
    const view = await call<PatientCoverage>(getPatientCoverage, { patientId: 'pat-2', on: '2024-06-01' });
    expect(view).toMatchObject({ primaryCoverageId: null, selfPay: true });
    expect(view.coverages[0]?.activeOn).toBe(false);
  });

  it('refuses an unknown patient', async () => {
    expect((await refusal(call(getPatientCoverage, { patientId: 'pat-nobody' }))).code).toBe('not_found');
  });
});

describe('adding and ending coverage', () => {
  it('adds Medicaid as Ada’s secondary; her Medicare stays primary', async () => {
    const { coverage } = await call<{ coverage: CoverageView }>(addCoverage, {
      patientId: 'pat-1',
      planId: 'plan-medicaid',
      priority: 'secondary',
      memberId: 'MCD-5551',
      startsOn: '2026-01-01',
    });
    expect(coverage).toMatchObject({
      payerKind: 'medicaid',
      priority: 'secondary',
      relationship: '18',
      activeOn: true,
    });
    const view = await call<PatientCoverage>(getPatientCoverage, { patientId: 'pat-1' });
    expect(view.primaryCoverageId).toBe('cov-ada-medicare');
    expect(view.coverages.map((c) => c.priority)).toEqual(['primary', 'secondary']);
  });

  it.each([
    ['an open-ended one', { startsOn: '2026-06-01' }],
    ['a bounded one starting before', { startsOn: '2019-01-01', endsOn: '2020-01-01' }],
  ])('refuses overlapping primary coverage with the same payer: %s', async (_name, dates) => {
    const before = await rowCount(database, 'coverages');
    const err = await refusal(
      call(addCoverage, { patientId: 'pat-1', planId: 'plan-medicare', memberId: 'X', ...dates }),
    );
    expect(err.code).toBe('conflict');
    expect(err.message).toMatch(/overlapping/);
    expect(err.issues[0]?.message).toMatch(/cov-ada-medicare/);
    expect(await rowCount(database, 'coverages')).toBe(before);
  });

  it('allows coverage with the same payer once the old one has ended', async () => {
    await call(endCoverage, { coverageId: 'cov-ada-medicare', endsOn: '2026-03-31' });
    const { coverage } = await call<{ coverage: CoverageView }>(addCoverage, {
      patientId: 'pat-1',
      planId: 'plan-medicare',
      memberId: '1EG4TE5MK73',
      startsOn: '2026-04-01',
    });
    expect(coverage.activeOn).toBe(false);
    const april = await call<PatientCoverage>(getPatientCoverage, { patientId: 'pat-1', on: '2026-04-02' });
    expect(april.primaryCoverageId).toBe(coverage.coverageId);
  });

  it.each([
    ['an unknown patient', { patientId: 'pat-x' }, 'not_found', 'patientId'],
    ['an unknown plan', { planId: 'plan-x' }, 'not_found', 'planId'],
    ['an end before the start', { startsOn: '2026-05-01', endsOn: '2026-04-01' }, 'invalid', 'endsOn'],
    ['a bad relationship code', { relationship: '99' }, 'invalid', 'relationship'],
    ['no member id', { memberId: ' ' }, 'invalid', 'memberId'],
  ])('refuses %s, naming the field and writing nothing', async (_name, change, code, field) => {
    const before = await rowCount(database, 'coverages');
    const err = await refusal(
      call(addCoverage, {
        patientId: 'pat-2',
        planId: 'plan-medicaid',
        memberId: 'M1',
        startsOn: '2026-01-01',
        ...change,
      }),
    );
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await rowCount(database, 'coverages')).toBe(before);
  });

  it('lets only one of two concurrent overlapping adds through', async () => {
    const add = () =>
      call(addCoverage, {
        patientId: 'pat-2',
        planId: 'plan-medicaid',
        memberId: 'RACE',
        startsOn: '2026-02-01',
      }).then(
        () => 'ok',
        (e: { code: string }) => e.code,
      );
    expect((await Promise.all([add(), add()])).sort()).toEqual(['conflict', 'ok']);
  });

  it('refuses to end a coverage before it started', async () => {
    const err = await refusal(call(endCoverage, { coverageId: 'cov-bo-acme', endsOn: '2024-12-31' }));
    expect(err.issues.map((i) => i.field)).toEqual(['endsOn']);
  });
});

describe('prior authorisations', () => {
  it('records one with codes checked against CPT/HCPCS', async () => {
    const out = await call<{ priorAuthorization: { number: string } }>(addPriorAuthorization, {
      coverageId: 'cov-bo-acme',
      number: 'AUTH-3300',
      procedureCodes: ['27447'],
      validFrom: '2026-04-01',
      validTo: '2026-06-30',
      units: 1,
    });
    expect(out.priorAuthorization.number).toBe('AUTH-3300');
    const view = await call<PatientCoverage>(getPatientCoverage, { patientId: 'pat-2' });
    const acme = view.coverages.find((c) => c.coverageId === 'cov-bo-acme');
    expect(acme?.priorAuthorizations.map((a) => a.number)).toEqual(['AUTH-2201', 'AUTH-3300']);
  });

  it('refuses an unknown code by its position, and dates in the wrong order', async () => {
    const before = await rowCount(database, 'prior_authorizations');
    const err = await refusal(
      call(addPriorAuthorization, {
        coverageId: 'cov-bo-acme',
        number: 'AUTH-1',
        procedureCodes: ['29881', '99999'],
        validFrom: '2026-04-01',
        validTo: '2026-04-30',
      }),
    );
    expect(err.issues).toEqual([{ field: 'procedureCodes.1', message: expect.stringMatching(/99999/) }]);
    const dates = await refusal(
      call(addPriorAuthorization, {
        coverageId: 'cov-bo-acme',
        number: 'AUTH-1',
        procedureCodes: ['29881'],
        validFrom: '2026-04-30',
        validTo: '2026-04-01',
      }),
    );
    expect(dates.issues.map((i) => i.field)).toEqual(['validTo']);
    expect(await rowCount(database, 'prior_authorizations')).toBe(before);
  });
});
