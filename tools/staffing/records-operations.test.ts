import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { shifts, staffLeave, staffSkills } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { rowCount } from '../../test/mcp.ts';
import { verifyAuditChain } from '../audit/chain.ts';
import { type Actor, roleScopes } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { cancelShift, clockShift, markShiftCalledOut } from './attendance-operations.ts';
import { decideLeave, recordShiftRequest, requestLeave } from './leave-operations.ts';
import { createStaff, getStaff, listStaff, updateStaff } from './records-operations.ts';
import { recordStaffSkill, removeStaffSkill } from './skill-operations.ts';
import { refusal } from '../../test/refusal.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z'); // a Monday
const admin: Actor = { id: 'admin:hr', kind: 'admin', scopes: roleScopes.admin };
// A staffing agent: maintains records, but pay is not its business.
const agent: Actor = { id: 'agent:staffing', kind: 'agent', scopes: ['staffing:read', 'staffing:write'] };
const staffKey: Actor = { id: 'staff:ward', kind: 'staff', scopes: roleScopes.staff };
const ctx = (actor: Actor = agent) => ({ database, clock, actor });
const call = (op: AnyOperation, input: unknown, actor: Actor = agent) =>
  invokeOperation(op, input, ctx(actor)) as Promise<Record<string, unknown>>;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await database.sql`update staff set hourly_rate_cents = 4200 where id = 'stf-nurse'`;
});

/** Everything a refused call must leave exactly as it was. */
const snapshot = () =>
  Promise.all([
    rowCount(database, 'audit_log'),
    database.sql`select * from staff order by id`,
    database.sql`select * from staff_skills order by id`,
    database.sql`select * from staff_leave order by id`,
    database.sql`select * from shift_requests order by id`,
    database.sql`select * from shifts order by id`,
  ]);
const audited = (tool: string) => rowCount(database, `audit_log where tool = '${tool}'`);

describe('reading staff records', () => {
  it('shows the pay rate to payroll (admin) and hides it from a staff key', async () => {
    const asAdmin = await call(getStaff, { staffId: 'stf-nurse' }, admin);
    expect(asAdmin).toMatchObject({
      staffId: 'stf-nurse',
      role: 'RN',
      homeUnitId: 'unit-ms',
      employmentType: 'full-time',
      floatEligible: false,
      contractedMinutesPerWeek: 2400,
      overtimeBasis: 'weekly-40',
      pay: { hourlyRateCents: 4200 },
      leave: [],
      shiftRequests: [],
    });
    expect((await call(getStaff, { staffId: 'stf-nurse' }, staffKey)).pay).toBeNull();
    const listed = (await call(listStaff, { unitId: 'unit-ms' }, staffKey)) as { staff: { pay: unknown }[] };
    expect(listed.staff.map((s) => s.pay)).toEqual([null, null]);
  });

  it('filters by role and unit, pages, and names an unknown unit', async () => {
    const out = await call(listStaff, { role: 'physician', limit: 2 }, staffKey);
    expect(out).toMatchObject({ total: 3, nextOffset: 2 });
    expect((out.staff as { staffId: string }[]).map((s) => s.staffId)).toEqual(['stf-endo', 'stf-endo-2']);
    const icu = await call(listStaff, { specialty: 'critical-care' }, staffKey);
    expect((icu.staff as { staffId: string }[]).map((s) => s.staffId)).toEqual(['stf-icu']);
    const err = await refusal(call(listStaff, { unitId: 'unit-404' }, staffKey));
    expect(err.issues).toEqual([{ field: 'unitId', message: 'unknown unit' }]);
  });
});

describe('create_staff and update_staff', () => {
  const valid = {
    name: 'Fay Float',
    role: 'RN',
    homeUnitId: 'unit-icu',
    pager: 'PGR-0100',
    floatEligible: true,
  };

  it('creates a record, audited; the same staffId and details again replay it, other details are refused', async () => {
    const before = await audited('create_staff');
    const input = { ...valid, staffId: 'stf-fay', hourlyRateCents: 4600, overtimeBasis: '8-80' };
    const out = await call(createStaff, input, admin);
    expect(out).toMatchObject({
      staffId: 'stf-fay',
      floatEligible: true,
      contractedMinutesPerWeek: 2400,
      overtimeBasis: '8-80',
      pay: { hourlyRateCents: 4600 },
      replayed: false,
    });
    expect(await audited('create_staff')).toBe(before + 1);
    expect(await call(createStaff, input, admin)).toMatchObject({ staffId: 'stf-fay', replayed: true });
    expect(await audited('create_staff')).toBe(before + 1);
    const err = await refusal(call(createStaff, { ...input, pager: 'PGR-0999' }, admin));
    expect(err.code).toBe('conflict');
    expect(err.issues[0]).toMatchObject({ field: 'staffId', message: expect.stringMatching(/pager/) });
  });

  it.each([
    ['an unknown role', { role: 'surgeon' }, 'invalid', 'role'],
    ['an unknown unit', { homeUnitId: 'unit-404' }, 'not_found', 'homeUnitId'],
    ['a negative rate', { hourlyRateCents: -1 }, 'invalid', 'hourlyRateCents'],
    ['a rate in dollars by mistake', { hourlyRateCents: 4_600_000 }, 'invalid', 'hourlyRateCents'],
    ['a 61-hour contract', { contractedMinutesPerWeek: 3660 }, 'invalid', 'contractedMinutesPerWeek'],
    ['negative contracted minutes', { contractedMinutesPerWeek: -60 }, 'invalid', 'contractedMinutesPerWeek'],
    ['a physician with no specialty', { role: 'physician', floatEligible: false }, 'invalid', 'specialty'],
    [
      'a charge nurse with no unit',
      { role: 'charge-nurse', homeUnitId: null, floatEligible: false },
      'invalid',
      'homeUnitId',
    ],
    ['a float nurse with no home unit', { homeUnitId: null }, 'invalid', 'floatEligible'],
    ['an empty name', { name: ' ' }, 'invalid', 'name'],
  ] as const)('refuses %s, naming the field and writing nothing', async (_case, change, code, field) => {
    const before = await snapshot();
    const err = await refusal(call(createStaff, { ...valid, ...change }, admin));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses pay terms from an actor without payroll:write, and any write from a staff key', async () => {
    const before = await snapshot();
    const pay = await refusal(call(createStaff, { ...valid, hourlyRateCents: 5000 }, agent));
    expect(pay).toMatchObject({ code: 'forbidden', issues: [{ field: 'hourlyRateCents' }] });
    const rate = await refusal(call(updateStaff, { staffId: 'stf-nurse', overtimeBasis: '8-80' }, agent));
    expect(rate).toMatchObject({ code: 'forbidden', issues: [{ field: 'overtimeBasis' }] });
    const key = await refusal(call(updateStaff, { staffId: 'stf-nurse', floatEligible: true }, staffKey));
    expect(key.message).toMatch(/lacks the scope staffing:write/);
    expect(await snapshot()).toEqual(before);
  });

  it('updates the given fields, audited, says what changed, and writes nothing when nothing changes', async () => {
    const before = await audited('update_staff');
    const out = await call(updateStaff, {
      staffId: 'stf-nurse',
      floatEligible: true,
      contractedMinutesPerWeek: 2160,
      employmentType: 'full-time',
    });
    expect(out).toMatchObject({ floatEligible: true, contractedMinutesPerWeek: 2160, pay: null });
    expect(out.changed).toEqual(['floatEligible', 'contractedMinutesPerWeek']);
    expect(await audited('update_staff')).toBe(before + 1);
    expect((await call(updateStaff, { staffId: 'stf-nurse', floatEligible: true })).changed).toEqual([]);
    expect(await audited('update_staff')).toBe(before + 1);
    const paid = await call(updateStaff, { staffId: 'stf-nurse', hourlyRateCents: 4300 }, admin);
    expect(paid).toMatchObject({ pay: { hourlyRateCents: 4300 }, changed: ['hourlyRateCents'] });
  });

  it.each([
    [
      'taking the home unit from a charge nurse',
      { staffId: 'stf-charge-ms', homeUnitId: null },
      'invalid',
      'homeUnitId',
    ],
    ['an unknown staff member', { staffId: 'stf-404', pager: 'PGR-1' }, 'not_found', 'staffId'],
    ['nothing to change', { staffId: 'stf-nurse' }, 'invalid', ''],
    ['an unknown unit', { staffId: 'stf-nurse', homeUnitId: 'unit-404' }, 'not_found', 'homeUnitId'],
    // Both hold on-call blocks: the rota would page them for a specialty they no longer have.
    [
      'an on-call endocrinologist moving to cardiology',
      { staffId: 'stf-endo', specialty: 'cardiology' },
      'conflict',
      'specialty',
    ],
    ['an on-call physician becoming an RN', { staffId: 'stf-icu', role: 'RN' }, 'conflict', 'role'],
  ] as const)('refuses an update of %s and writes nothing', async (_case, input, code, field) => {
    const before = await snapshot();
    const err = await refusal(call(updateStaff, input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('skills and certifications', () => {
  it('adds, renews (any case), lists current holders only, and removes', async () => {
    const added = await call(recordStaffSkill, {
      staffId: 'stf-nurse',
      skill: 'ACLS',
      certifiedUntil: '2027-01-31',
    });
    expect(added).toMatchObject({ change: 'added', current: true, previousCertifiedUntil: null });
    const renewed = await call(recordStaffSkill, {
      staffId: 'stf-nurse',
      skill: 'acls',
      certifiedUntil: '2029-01-31',
    });
    expect(renewed).toMatchObject({ skill: 'ACLS', change: 'renewed', previousCertifiedUntil: '2027-01-31' });
    expect(
      (await call(recordStaffSkill, { staffId: 'stf-nurse', skill: 'ACLS', certifiedUntil: '2029-01-31' }))
        .change,
    ).toBe('unchanged');
    // A lapsed certification (recorded before it lapsed) no longer counts.
    await database.db
      .insert(staffSkills)
      .values({ id: 'sk-lapsed', staffId: 'stf-charge-ms', skill: 'ACLS', certifiedUntil: '2026-03-01' });
    const holders = (await call(listStaff, { skill: 'ACLS' }, staffKey)) as { staff: { staffId: string }[] };
    expect(holders.staff.map((s) => s.staffId)).toEqual(['stf-nurse']);
    const record = (await call(getStaff, { staffId: 'stf-charge-ms' }, staffKey)) as { skills: unknown[] };
    expect(record.skills).toEqual([{ skill: 'ACLS', certifiedUntil: '2026-03-01', current: false }]);

    const before = await audited('remove_staff_skill');
    const removed = await call(removeStaffSkill, {
      staffId: 'stf-nurse',
      skill: 'ACLS',
      reason: 'recorded in error',
    });
    expect(removed).toMatchObject({ change: 'removed', previousCertifiedUntil: '2029-01-31' });
    expect(await audited('remove_staff_skill')).toBe(before + 1);
  });

  it.each([
    [
      'an expiry in the past',
      recordStaffSkill,
      { staffId: 'stf-nurse', skill: 'BLS', certifiedUntil: '2026-03-01' },
      'invalid',
      'certifiedUntil',
    ],
    [
      'an expiry that is no date',
      recordStaffSkill,
      { staffId: 'stf-nurse', skill: 'BLS', certifiedUntil: '2026-02-30' },
      'invalid',
      'certifiedUntil',
    ],
    [
      'an empty skill',
      recordStaffSkill,
      { staffId: 'stf-nurse', skill: '', certifiedUntil: null },
      'invalid',
      'skill',
    ],
    [
      'an unknown staff member',
      recordStaffSkill,
      { staffId: 'stf-404', skill: 'BLS', certifiedUntil: null },
      'not_found',
      'staffId',
    ],
    [
      'removing a skill not held',
      removeStaffSkill,
      { staffId: 'stf-nurse', skill: 'PALS', reason: 'never held' },
      'not_found',
      'skill',
    ],
  ] as const)('refuses %s and writes nothing', async (_case, op, input, code, field) => {
    const before = await snapshot();
    const err = await refusal(call(op, input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('leave', () => {
  const annual = { staffId: 'stf-nurse', kind: 'annual', startsOn: '2026-03-10', endsOn: '2026-03-12' };
  let leaveId: string;

  it('is requested, then approved by the charge nurse of the home unit, naming shifts needing cover', async () => {
    await database.db.insert(shifts).values({
      id: 'shf-during-leave',
      staffId: 'stf-nurse',
      unitId: 'unit-ms',
      kind: 'day',
      startsAt: new Date('2026-03-11T07:00:00Z'),
      endsAt: new Date('2026-03-11T19:00:00Z'),
    });
    const requested = await call(requestLeave, { ...annual, note: 'family wedding' });
    expect(requested).toMatchObject({ status: 'requested', decidedBy: null, note: 'family wedding' });
    leaveId = requested.leaveId as string;
    const before = await audited('decide_leave');
    const approved = await call(decideLeave, {
      leaveId,
      decision: 'approve',
      approverStaffId: 'stf-charge-ms',
    });
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: 'Cara Charge (stf-charge-ms) via agent:staffing',
      scheduledShiftsDuringLeave: ['shf-during-leave'],
    });
    expect(await audited('decide_leave')).toBe(before + 1);
    const record = (await call(getStaff, { staffId: 'stf-nurse' }, staffKey)) as { leave: unknown[] };
    expect(record.leave).toMatchObject([{ leaveId, status: 'approved' }]);
  });

  it.each([
    [
      'no approver from a non-admin',
      () => ({ leaveId: 'PENDING', decision: 'approve' }),
      'forbidden',
      'approverStaffId',
    ],
    [
      'the charge nurse of another unit',
      () => ({ leaveId: 'PENDING', decision: 'approve', approverStaffId: 'stf-charge-icu' }),
      'forbidden',
      'approverStaffId',
    ],
    [
      'the requester deciding their own',
      () => ({ leaveId: 'PENDING', decision: 'approve', approverStaffId: 'stf-nurse' }),
      'forbidden',
      'approverStaffId',
    ],
    [
      'a decline without a reason',
      () => ({ leaveId: 'PENDING', decision: 'decline', approverStaffId: 'stf-charge-ms' }),
      'invalid',
      'reason',
    ],
    ['an unknown leave', () => ({ leaveId: 'lv-404', decision: 'approve' }), 'not_found', 'leaveId'],
    [
      'a decision already made',
      () => ({ leaveId, decision: 'decline', reason: 'changed my mind', approverStaffId: 'stf-charge-ms' }),
      'conflict',
      'leaveId',
    ],
  ] as const)('refuses a decision by %s and writes nothing', async (_case, input, code, field) => {
    await database.db
      .insert(staffLeave)
      .values({
        id: 'PENDING',
        staffId: 'stf-nurse',
        kind: 'study',
        startsOn: '2026-04-01',
        endsOn: '2026-04-01',
        createdAt: clock.now(),
      })
      .onConflictDoNothing();
    const before = await snapshot();
    const err = await refusal(call(decideLeave, input()));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('lets an admin decide without naming an approver', async () => {
    const out = await call(
      decideLeave,
      { leaveId: 'PENDING', decision: 'decline', reason: 'exam week cover' },
      admin,
    );
    expect(out).toMatchObject({ status: 'declined', decidedBy: 'admin:hr', scheduledShiftsDuringLeave: [] });
  });

  it.each([
    [
      'leave overlapping approved leave',
      { ...annual, startsOn: '2026-03-12', endsOn: '2026-03-14' },
      'conflict',
      'startsOn',
    ],
    ['an end before the start', { ...annual, endsOn: '2026-03-09' }, 'invalid', 'endsOn'],
    [
      'annual leave in the past',
      { ...annual, startsOn: '2026-02-20', endsOn: '2026-02-21' },
      'invalid',
      'startsOn',
    ],
    ['a date that does not exist', { ...annual, startsOn: '2026-02-30' }, 'invalid', 'startsOn'],
    ['more than a year of leave', { ...annual, endsOn: '2027-03-11' }, 'invalid', 'endsOn'],
    ['an unknown kind', { ...annual, kind: 'sabbatical' }, 'invalid', 'kind'],
  ] as const)('refuses a request for %s and writes nothing', async (_case, input, code, field) => {
    const before = await snapshot();
    const err = await refusal(call(requestLeave, input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('records sick leave after the fact', async () => {
    const out = await call(requestLeave, {
      staffId: 'stf-nurse',
      kind: 'sick',
      startsOn: '2026-02-26',
      endsOn: '2026-02-27',
    });
    expect(out).toMatchObject({ status: 'requested', kind: 'sick' });
  });

  it('never approves two overlapping leaves, however they were requested', async () => {
    for (const id of ['lv-a', 'lv-b'])
      await database.db.insert(staffLeave).values({
        id,
        staffId: 'stf-charge-ms',
        kind: 'annual',
        startsOn: '2026-05-01',
        endsOn: '2026-05-05',
        createdAt: clock.now(),
      });
    await call(decideLeave, { leaveId: 'lv-a', decision: 'approve' }, admin);
    const before = await snapshot();
    const err = await refusal(call(decideLeave, { leaveId: 'lv-b', decision: 'approve' }, admin));
    expect(err).toMatchObject({ code: 'conflict', issues: [{ field: 'leaveId' }] });
    expect(await snapshot()).toEqual(before);
  });
});

describe('shift requests', () => {
  it('records a wish and replaces it with a new one for the same day and kind', async () => {
    const off = await call(recordShiftRequest, {
      staffId: 'stf-nurse',
      day: '2026-03-05',
      kind: 'night',
      want: 'off',
    });
    expect(off).toMatchObject({ want: 'off', weight: 1, replaced: false });
    const on = await call(recordShiftRequest, {
      staffId: 'stf-nurse',
      day: '2026-03-05',
      kind: 'night',
      want: 'on',
      weight: 3,
    });
    expect(on).toMatchObject({ want: 'on', weight: 3, replaced: true });
    expect(await rowCount(database, "shift_requests where staff_id = 'stf-nurse'")).toBe(1);
  });

  it.each([
    ['a past day', { day: '2026-03-01' }, 'invalid', 'day'],
    ['a day two years ahead', { day: '2028-03-01' }, 'invalid', 'day'],
    ['a wish to work a day of approved leave', { day: '2026-03-11', want: 'on' }, 'conflict', 'day'],
    ['a weight of 11', { weight: 11 }, 'invalid', 'weight'],
  ] as const)('refuses %s and writes nothing', async (_case, change, code, field) => {
    const before = await snapshot();
    const input = { staffId: 'stf-nurse', day: '2026-03-06', kind: 'any', want: 'off', ...change };
    const err = await refusal(call(recordShiftRequest, input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });
});

describe('shift attendance: scheduled → worked | called-out | cancelled', () => {
  const shift = (id: string, day: string) => ({
    id,
    staffId: 'stf-nurse',
    unitId: 'unit-ms',
    kind: 'day' as const,
    startsAt: new Date(`${day}T07:00:00Z`),
    endsAt: new Date(`${day}T19:00:00Z`),
  });

  beforeAll(async () => {
    await database.db
      .insert(shifts)
      .values([
        shift('shf-worked', '2026-03-02'),
        shift('shf-cancel', '2026-03-03'),
        shift('shf-sick', '2026-03-04'),
      ]);
  });

  it('clocks in and out: the shift is worked, each step audited', async () => {
    clock.set('2026-03-02T20:00:00Z');
    const before = await audited('clock_shift');
    const inAt = await call(clockShift, { shiftId: 'shf-worked', event: 'in', at: '2026-03-02T06:55:00Z' });
    expect(inAt).toMatchObject({
      status: 'scheduled',
      clockInAt: '2026-03-02T06:55:00.000Z',
      clockOutAt: null,
    });
    const out = await call(clockShift, {
      shiftId: 'shf-worked',
      event: 'out',
      at: '2026-03-02T19:05:00+00:00',
    });
    expect(out).toMatchObject({ status: 'worked', clockOutAt: '2026-03-02T19:05:00.000Z' });
    expect(await audited('clock_shift')).toBe(before + 2);
  });

  it('cancels one shift and marks another called out', async () => {
    expect(await call(cancelShift, { shiftId: 'shf-cancel', reason: 'low census' })).toMatchObject({
      status: 'cancelled',
    });
    expect(await call(markShiftCalledOut, { shiftId: 'shf-sick', reason: 'flu' })).toMatchObject({
      status: 'called-out',
    });
  });

  it.each([
    [
      'clocking in to a cancelled shift',
      clockShift,
      { shiftId: 'shf-cancel', event: 'in', at: '2026-03-03T07:00:00Z' },
      'conflict',
      'shiftId',
    ],
    [
      'clocking out of a called-out shift',
      clockShift,
      { shiftId: 'shf-sick', event: 'out' },
      'conflict',
      'shiftId',
    ],
    [
      'clocking in again to a worked shift',
      clockShift,
      { shiftId: 'shf-worked', event: 'in' },
      'conflict',
      'shiftId',
    ],
    [
      'calling out of a worked shift',
      markShiftCalledOut,
      { shiftId: 'shf-worked', reason: 'flu' },
      'conflict',
      'shiftId',
    ],
    [
      'cancelling a called-out shift',
      cancelShift,
      { shiftId: 'shf-sick', reason: 'no need' },
      'conflict',
      'shiftId',
    ],
    ['an unknown shift', clockShift, { shiftId: 'shf-404', event: 'in' }, 'not_found', 'shiftId'],
    [
      'a time that is not ISO 8601',
      clockShift,
      { shiftId: 'shf-open', event: 'in', at: 'at seven' },
      'invalid',
      'at',
    ],
    [
      'clocking in 3 hours early',
      clockShift,
      { shiftId: 'shf-open', event: 'in', at: '2026-03-05T04:00:00Z' },
      'invalid',
      'at',
    ],
    [
      'clocking in in the future',
      clockShift,
      { shiftId: 'shf-open', event: 'in', at: '2026-03-05T08:00:00Z' },
      'invalid',
      'at',
    ],
    [
      'clocking out before clocking in',
      clockShift,
      { shiftId: 'shf-open', event: 'out' },
      'conflict',
      'shiftId',
    ],
    ['cancelling without a reason', cancelShift, { shiftId: 'shf-open' }, 'invalid', 'reason'],
  ] as const)('refuses %s and writes nothing', async (_case, op, input, code, field) => {
    clock.set('2026-03-05T06:00:00Z');
    await database.db.insert(shifts).values(shift('shf-open', '2026-03-05')).onConflictDoNothing();
    const before = await snapshot();
    const err = await refusal(call(op, input));
    expect(err.code).toBe(code);
    expect(err.issues.map((i) => i.field)).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a clock-out before the clock-in, or a day later', async () => {
    clock.set('2026-03-07T12:00:00Z');
    await call(clockShift, { shiftId: 'shf-open', event: 'in', at: '2026-03-05T07:00:00Z' });
    for (const at of ['2026-03-05T06:59:00Z', '2026-03-06T07:01:00Z']) {
      const before = await snapshot();
      const err = await refusal(call(clockShift, { shiftId: 'shf-open', event: 'out', at }));
      expect(err).toMatchObject({ code: 'invalid', issues: [{ field: 'at' }] });
      expect(await snapshot()).toEqual(before);
    }
    const err = await refusal(call(cancelShift, { shiftId: 'shf-open', reason: 'too late' }));
    expect(err.message).toMatch(/already clocked in/);
  });

  it('leaves an audit chain that verifies', async () => {
    expect((await verifyAuditChain(database.sql)).intact).toBe(true);
  });
});
