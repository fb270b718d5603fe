import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import {
  bedReservations,
  beds,
  encounters,
  rooms,
  shifts,
  staff,
  staffSkills,
} from '../../../db/schema/index.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { rowCount } from '../../../test/mcp.ts';
import { verifyAuditChain } from '../../audit/chain.ts';
import { addTestPatients, admitForTest } from '../../beds/admissions.fixture.ts';
import { type Actor, roleScopes } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import type { UnitShiftForecast } from './forecast.ts';
import { forecastStaffingDemand, getStaffingPolicy, setUnitStaffingPolicy } from './operations.ts';
import { refusal } from '../../../test/refusal.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const admin: Actor = { id: 'admin:ops', kind: 'admin', scopes: roleScopes.admin };
const nurseKey: Actor = { id: 'staff:nia', kind: 'staff', scopes: roleScopes.staff };
const ctx = (actor: Actor = admin): OperationContext => ({ database, clock, actor });

const at = (time: string) => new Date(`2026-03-${time}:00Z`);
const SHIFT_TIMES = {
  day: ['02T07:00', '02T15:00'],
  evening: ['02T15:00', '02T23:00'],
  night: ['02T23:00', '03T07:00'],
} as const;

/**
 * 2 March 2026, 10:00 UTC. Med-Surg: 10 patients, one expected home at 20:00 (before the night shift),
 * one accepted reservation and one lapsed hold. ICU: 7 patients. Rosters as each test describes.
 */
beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database, { medSurgBeds: 12 });
  const db = database.db;
  await db.insert(rooms).values({ id: 'room-icu-3', unitId: 'unit-icu', name: 'ICU3' });
  await db.insert(beds).values(
    Array.from({ length: 5 }, (_, i) => ({
      id: `bed-icu-${i + 3}`,
      roomId: 'room-icu-3',
      unitId: 'unit-icu',
      label: `ICU${i + 3}`,
    })),
  );
  await addTestPatients(database, 'ms', 12);
  await addTestPatients(database, 'icu', 7);
  const admitted = at('01T08:00');
  for (let i = 0; i < 10; i++) await admitForTest(database, `ms-${i}`, `bed-ms-${i}`, admitted);
  const icuBeds = ['bed-icu-1', 'bed-icu-2', 'bed-icu-3', 'bed-icu-4', 'bed-icu-5', 'bed-icu-6', 'bed-icu-7'];
  for (const [i, bedId] of icuBeds.entries()) await admitForTest(database, `icu-${i}`, bedId, admitted);
  await db
    .update(encounters)
    .set({ expectedDischargeAt: at('02T20:00') })
    .where(eq(encounters.patientId, 'ms-0'));
  const reservation = {
    patientId: 'ms-10',
    reason: 'ED admission',
    createdAt: at('02T09:00'),
    createdBy: 'test',
  };
  await db.insert(bedReservations).values([
    {
      ...reservation,
      id: 'res-accepted',
      bedId: 'bed-ms-10',
      status: 'accepted',
      holdExpiresAt: at('02T11:00'),
    },
    // Lapsed before now, not yet swept: brings nobody.
    {
      ...reservation,
      id: 'res-lapsed',
      patientId: 'ms-11',
      bedId: 'bed-ms-11',
      holdExpiresAt: at('02T09:30'),
    },
  ]);

  const person = (id: string, role: 'RN' | 'LPN' | 'CNA', unitId: string) => ({
    id,
    name: id,
    role,
    unitId,
    pager: `PGR-${id}`,
  });
  await db
    .insert(staff)
    .values([
      ...['a', 'b', 'c', 'd', 'e'].map((x) => person(`rn-ms-${x}`, 'RN', 'unit-ms')),
      person('lpn-ms', 'LPN', 'unit-ms'),
      ...['a', 'b', 'c', 'd'].map((x) => person(`rn-icu-${x}`, 'RN', 'unit-icu')),
    ]);
  await db.insert(staffSkills).values([
    { id: 'sk-1', staffId: 'rn-ms-a', skill: 'BLS', certifiedUntil: '2027-06-30' },
    { id: 'sk-2', staffId: 'rn-ms-d', skill: 'BLS', certifiedUntil: null },
    // Lapsed the day before: does not count toward the ICU's ACLS.
    { id: 'sk-3', staffId: 'rn-icu-a', skill: 'ACLS', certifiedUntil: '2026-03-01' },
  ]);
  let n = 0;
  const shift = (
    staffId: string,
    unitId: string,
    kind: keyof typeof SHIFT_TIMES,
    status: 'scheduled' | 'worked' | 'called-out' = 'scheduled',
  ) => ({
    id: `shf-${++n}`,
    staffId,
    unitId,
    kind,
    status,
    startsAt: at(SHIFT_TIMES[kind][0]),
    endsAt: at(SHIFT_TIMES[kind][1]),
  });
  await db.insert(shifts).values([
    // Med-Surg day: 3 RNs (one with BLS) and the charge nurse, clocked in.
    shift('rn-ms-a', 'unit-ms', 'day', 'worked'),
    shift('rn-ms-b', 'unit-ms', 'day', 'worked'),
    shift('rn-ms-c', 'unit-ms', 'day', 'worked'),
    shift('stf-charge-ms', 'unit-ms', 'day', 'worked'),
    // Evening: 2 RNs without BLS and the charge nurse; a third RN called out.
    shift('rn-ms-b', 'unit-ms', 'evening'),
    shift('rn-ms-c', 'unit-ms', 'evening'),
    shift('rn-ms-e', 'unit-ms', 'evening', 'called-out'),
    shift('stf-charge-ms', 'unit-ms', 'evening'),
    // Night: an RN with BLS and an LPN, no charge nurse.
    shift('rn-ms-d', 'unit-ms', 'night'),
    shift('lpn-ms', 'unit-ms', 'night'),
    // ICU day: 4 RNs (one whose ACLS lapsed) and the charge nurse.
    ...['a', 'b', 'c', 'd'].map((x) => shift(`rn-icu-${x}`, 'unit-icu', 'day', 'worked')),
    shift('stf-charge-icu', 'unit-icu', 'day', 'worked'),
  ]);
});

type Forecast = {
  shifts: UnitShiftForecast[];
  summary: Record<string, number>;
  policies: { unitId: string }[];
};
const forecast = async (input: Record<string, unknown>, actor: Actor = nurseKey) =>
  (await invokeOperation(forecastStaffingDemand, input, ctx(actor))) as Forecast;

describe('forecast_staffing_demand', () => {
  it('forecasts Med-Surg from census, the discharge before the night and the accepted reservation', async () => {
    const out = await forecast({ unitId: 'unit-ms', days: 1 });
    expect(out.shifts.map((s) => [s.kind, s.census, s.required.licensedNurses])).toEqual([
      ['day', { current: 10, dischargesBefore: 0, scheduledAdmissions: 1, expected: 11 }, 3],
      ['evening', { current: 10, dischargesBefore: 0, scheduledAdmissions: 1, expected: 11 }, 3],
      ['night', { current: 10, dischargesBefore: 1, scheduledAdmissions: 1, expected: 10 }, 2],
    ]);
    const [day, evening, night] = out.shifts;
    expect(day).toMatchObject({
      status: 'met',
      scheduled: { rn: 3, chargeNurses: 1, countedTowardRatio: 3, withRequiredSkill: ['rn-ms-a'] },
    });
    // The called-out RN is not counted; nobody on the evening holds BLS.
    expect(evening!.scheduled).toMatchObject({ rn: 2, chargeNurses: 1 });
    expect(evening!.gaps.map((g) => [g.rule, g.short])).toEqual([
      ['ratio', 1],
      ['required-skill', 1],
    ]);
    expect(evening!.gaps[0]!.reason).toMatch(/Ratio 1:5 \(Title 22 CCR §70217\(a\)\(11\).*census 11 needs 3/);
    // An LPN counts beside one RN; the charge nurse is missing.
    expect(night).toMatchObject({ scheduled: { rn: 1, lpn: 1, countedTowardRatio: 2 }, status: 'short' });
    expect(night!.gaps).toEqual([expect.objectContaining({ rule: 'charge-nurse', short: 1 })]);
  });

  it('finds the ICU short of ACLS only: 7 patients need 4 RNs, and the one ACLS lapsed yesterday', async () => {
    const out = await forecast({ unitId: 'unit-icu', from: '2026-03-02', days: 1 });
    const [day] = out.shifts;
    expect(day).toMatchObject({
      kind: 'day',
      census: { expected: 7 },
      required: { licensedNurses: 4, chargeNurses: 1, skill: 'ACLS' },
      scheduled: { rn: 4, chargeNurses: 1, withRequiredSkill: [] },
    });
    expect(day!.gaps).toEqual([
      {
        rule: 'required-skill',
        short: 1,
        reason: expect.stringMatching(/ACLS valid through 2026-03-02.*lapsed or expiring: rn-icu-a/),
        source: 'house policy',
      },
    ]);
  });

  it('covers every unit for the days asked, leaving out shifts already over', async () => {
    clock.set('2026-03-02T16:00:00Z');
    try {
      const out = await forecast({ days: 2 });
      expect(out.policies.map((p) => p.unitId)).toEqual(['unit-icu', 'unit-ms']);
      expect(out.summary.unitShifts).toBe(2 * 5);
      expect(out.shifts.some((s) => s.day === '2026-03-02' && s.kind === 'day')).toBe(false);
      const short = await forecast({ days: 2, onlyShort: true });
      expect(short.shifts.every((s) => s.status === 'short')).toBe(true);
      expect(short.shifts).toHaveLength(out.summary.short!);
    } finally {
      clock.set('2026-03-02T10:00:00Z');
    }
  });

  it.each([
    [{ days: 0 }, 'invalid', 'days'],
    [{ days: 15 }, 'invalid', 'days'],
    [{ from: '2026-03-01' }, 'invalid', 'from'],
    [{ from: '2026-03-17' }, 'invalid', 'from'],
    [{ from: 'tomorrow' }, 'invalid', 'from'],
    [{ unitId: 'unit-404' }, 'not_found', 'unitId'],
  ])('refuses %j (%s, naming %s)', async (input, code, field) => {
    const err = await refusal(forecast(input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
  });
});

describe('get_staffing_policy', () => {
  it('gives the Title 22 default with its source when a unit has no policy of its own', async () => {
    const out = (await invokeOperation(getStaffingPolicy, { unitId: 'unit-icu' }, ctx(nurseKey))) as {
      policies: unknown[];
    };
    expect(out.policies).toEqual([
      expect.objectContaining({
        unitId: 'unit-icu',
        unitName: 'ICU',
        patientsPerNurse: 2,
        chargeNursesPerShift: 1,
        requiredSkill: 'ACLS',
        overridden: false,
        source: 'Title 22 CCR §70217(a)(1): critical care unit, 1:2 or fewer at all times',
        skillSource: 'house policy: AHA Advanced Cardiovascular Life Support for critically ill adults',
        title22: { patientsPerNurse: 2, source: expect.stringContaining('§70217(a)(1)') },
      }),
    ]);
  });

  it('names the unit it does not know', async () => {
    const err = await refusal(invokeOperation(getStaffingPolicy, { unitId: 'unit-404' }, ctx(nurseKey)));
    expect(err).toMatchObject({ code: 'not_found', issues: [{ field: 'unitId' }] });
  });
});

describe('set_unit_staffing_policy', () => {
  const snapshot = () =>
    Promise.all([
      rowCount(database, 'audit_log'),
      database.sql`select * from unit_staffing_policies order by unit_id`,
    ]);
  const valid = { unitId: 'unit-ms', patientsPerNurse: 4, source: 'Nursing council, February 2026' };

  const actors = { admin, 'staff key': nurseKey };
  it.each([
    ['staff key', valid, 'forbidden', ''],
    ['admin', { ...valid, patientsPerNurse: 0 }, 'invalid', 'patientsPerNurse'],
    ['admin', { ...valid, patientsPerNurse: 13 }, 'invalid', 'patientsPerNurse'],
    ['admin', { ...valid, patientsPerNurse: 2.5 }, 'invalid', 'patientsPerNurse'],
    ['admin', { ...valid, chargeNursesPerShift: 4 }, 'invalid', 'chargeNursesPerShift'],
    ['admin', { ...valid, source: '  ' }, 'invalid', 'source'],
    ['admin', { unitId: 'unit-ms', patientsPerNurse: 4 }, 'invalid', 'source'],
    ['admin', { ...valid, requiredSkill: '' }, 'invalid', 'requiredSkill'],
    ['admin', { ...valid, unitId: 'unit-404' }, 'not_found', 'unitId'],
  ] as const)('refuses the %s %j (%s, naming %s) and writes nothing', async (actor, input, code, field) => {
    const before = await snapshot();
    const err = await refusal(invokeOperation(setUnitStaffingPolicy, input, ctx(actors[actor])));
    expect(err.code).toBe(code);
    if (field) expect(err.issues.map((i) => i.field)).toContain(field);
    else expect(err.message).toMatch(/lacks the scope staffing:write/);
    expect(await snapshot()).toEqual(before);
  });

  it('sets a unit ratio, audited, and the forecast follows it', async () => {
    const auditBefore = await rowCount(database, "audit_log where tool = 'set_unit_staffing_policy'");
    const out = await invokeOperation(setUnitStaffingPolicy, valid, ctx());
    expect(out).toMatchObject({
      policy: {
        unitId: 'unit-ms',
        patientsPerNurse: 4,
        chargeNursesPerShift: 1,
        requiredSkill: 'BLS',
        source: 'unit policy: Nursing council, February 2026',
        overridden: true,
        updatedBy: 'admin:ops',
        updatedAt: '2026-03-02T10:00:00.000Z',
      },
      previous: { patientsPerNurse: 5, overridden: false },
      warnings: [],
    });
    const [entry] = await database.sql`select actor, tool, input, outcome from audit_log
      where tool = 'set_unit_staffing_policy' order by seq desc limit 1`;
    expect(entry).toMatchObject({
      actor: 'admin:ops',
      input: { ...valid, chargeNursesPerShift: 1 },
      outcome: { policy: { patientsPerNurse: 4 } },
    });
    expect(await rowCount(database, "audit_log where tool = 'set_unit_staffing_policy'")).toBe(
      auditBefore + 1,
    );
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);

    const after = await forecast({ unitId: 'unit-ms', days: 1 });
    expect(after.shifts.map((s) => s.required.licensedNurses)).toEqual([3, 3, 3]);
    expect(after.shifts[2]!.gaps[0]).toMatchObject({ rule: 'ratio', source: 'unit policy' });
    expect(after.shifts[2]!.gaps[0]!.reason).toMatch(/^Ratio 1:4 \(unit policy\): census 10 needs 3/);
  });

  it('warns when the ratio is looser than Title 22, and null requires no skill', async () => {
    const out = await invokeOperation(
      setUnitStaffingPolicy,
      {
        unitId: 'unit-icu',
        patientsPerNurse: 3,
        chargeNursesPerShift: 0,
        requiredSkill: null,
        source: 'Out-of-state sister hospital policy',
      },
      ctx(),
    );
    expect(out).toMatchObject({
      policy: { patientsPerNurse: 3, chargeNursesPerShift: 0, requiredSkill: null },
      warnings: [
        expect.stringMatching(/1:3 is looser than Title 22 CCR §70217\(a\)\(1\)/),
        'no charge nurse will be required on this unit',
      ],
    });
    const [day] = (await forecast({ unitId: 'unit-icu', days: 1 })).shifts;
    expect(day).toMatchObject({ required: { licensedNurses: 3, chargeNurses: 0, skill: null }, gaps: [] });
  });
});
