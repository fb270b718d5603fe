import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { shifts, staff } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { rowCount } from '../../test/mcp.ts';
import { type Actor, roleScopes } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../core/operation.ts';
import { clockShift } from './attendance-operations.ts';
import type { Payroll } from './payroll.ts';
import { computePayrollOperation, exportPayrollCsv, PAYROLL_CSV_COLUMNS } from './payroll-operations.ts';
import { refusal } from '../../test/refusal.ts';

let database: Database;
const clock = new ManualClock('2026-03-09T12:00:00Z');
const admin: Actor = { id: 'admin:payroll', kind: 'admin', scopes: roleScopes.admin };
const staffKey: Actor = { id: 'staff:ward', kind: 'staff', scopes: roleScopes.staff };
const call = (op: AnyOperation, input: unknown, actor: Actor = admin) =>
  invokeOperation(op, input, { database, clock, actor }) as Promise<Record<string, unknown>>;
const payrollOf = (input: Record<string, unknown>) =>
  invokeOperation(computePayrollOperation, input, { database, clock, actor: admin }) as Promise<Payroll>;

const day = (d: number, hour: number) => new Date(Date.UTC(2026, 2, 2 + d, hour));
const scheduled = (id: string, staffId: string, d: number) => ({
  id,
  staffId,
  unitId: 'unit-ms',
  kind: 'day' as const,
  startsAt: day(d, 7),
  endsAt: day(d, 19),
});

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  await database.sql`update staff set hourly_rate_cents = 4000 where id = 'stf-nurse'`;
  // A name a spreadsheet would run as a formula, with a comma and quotes: the CSV must defuse and quote it.
  await database.db.insert(staff).values({
    id: 'stf-odd',
    name: '=HYPERLINK("x"), Jr',
    role: 'CNA',
    unitId: 'unit-ms',
    pager: 'PGR-0900',
    hourlyRateCents: 1800,
  });
  // Nia works Mon–Thu, clocked 07:00–18:00 through the operations: 44 hours.
  await database.db
    .insert(shifts)
    .values([
      ...[0, 1, 2, 3].map((d) => scheduled(`shf-n${d}`, 'stf-nurse', d)),
      scheduled('shf-never-clocked', 'stf-nurse', 4),
      scheduled('shf-cancelled', 'stf-nurse', 5),
      scheduled('shf-still-in', 'stf-odd', 6),
      scheduled('shf-odd', 'stf-odd', 0),
    ]);
  for (const d of [0, 1, 2, 3]) {
    await call(clockShift, { shiftId: `shf-n${d}`, event: 'in', at: day(d, 7).toISOString() });
    await call(clockShift, { shiftId: `shf-n${d}`, event: 'out', at: day(d, 18).toISOString() });
  }
  await call(clockShift, { shiftId: 'shf-odd', event: 'in', at: day(0, 7).toISOString() });
  await call(clockShift, { shiftId: 'shf-odd', event: 'out', at: day(0, 15).toISOString() });
  await call(clockShift, { shiftId: 'shf-still-in', event: 'in', at: day(6, 7).toISOString() });
  await database.sql`update shifts set status = 'cancelled' where id = 'shf-cancelled'`;
});

describe('compute_payroll', () => {
  it('pays the clocked 44-hour week with 4 hours of overtime, and physicians their on-call week', async () => {
    const auditBefore = await rowCount(database, 'audit_log');
    const payroll = await payrollOf({ start: '2026-03-02', days: 7 });
    expect(payroll.staff.map((s) => s.staffId)).toEqual([
      'stf-endo',
      'stf-endo-2',
      'stf-icu',
      'stf-nurse',
      'stf-odd',
    ]);
    const nia = payroll.staff.find((s) => s.staffId === 'stf-nurse')!;
    // Only the four clocked shifts: not the one never clocked, the cancelled one, or one still clocked in.
    expect(nia.shifts.map((s) => [s.shiftId, s.regularMinutes, s.overtimeMinutes])).toEqual([
      ['shf-n0', 660, 0],
      ['shf-n1', 660, 0],
      ['shf-n2', 660, 0],
      ['shf-n3', 420, 240],
    ]);
    expect(nia.totals).toMatchObject({
      workedMinutes: 2640,
      overtimeMinutes: 240,
      basePayCents: 176_000,
      overtimePremiumCents: 8_000,
      grossPayCents: 184_000,
    });
    // On call all week on the rota (168 h at $5), salaried: no hourly pay.
    expect(payroll.staff.find((s) => s.staffId === 'stf-endo')).toMatchObject({
      overtimeBasis: 'exempt',
      hourlyRateCents: null,
      totals: { onCallMinutes: 10_080, onCallPayCents: 84_000, grossPayCents: 84_000 },
    });
    expect(payroll.totals).toMatchObject({ staffCount: 5, grossPayCents: 184_000 + 3 * 84_000 + 8 * 1800 });
    expect(await rowCount(database, 'audit_log')).toBe(auditBefore);
  });

  it('takes policy overrides, and filters by staff member or home unit', async () => {
    const policy = { onCallCentsPerHour: 1000 };
    const one = await payrollOf({ start: '2026-03-02', days: 7, staffId: 'stf-endo', policy });
    expect(one.staff).toHaveLength(1);
    expect(one.staff[0]!.totals.onCallPayCents).toBe(168_000);
    expect(one.policy).toMatchObject({ onCallCentsPerHour: 1000, nightDifferentialPercent: 15 });
    const unit = await payrollOf({ start: '2026-03-02', days: 14, unitId: 'unit-ms' });
    expect(unit.staff.map((s) => s.staffId)).toEqual(['stf-nurse', 'stf-odd']);
    expect(unit.end).toBe('2026-03-16T00:00:00.000Z');
  });

  it.each([
    ['a start that is not a Monday', { start: '2026-03-03' }, admin, 'invalid', 'start'],
    ['a start that is no date', { start: '2026-02-30' }, admin, 'invalid', 'start'],
    ['a 10-day period', { start: '2026-03-02', days: 10 }, admin, 'invalid', 'days'],
    [
      'a fractional differential',
      { start: '2026-03-02', policy: { nightDifferentialPercent: 12.5 } },
      admin,
      'invalid',
      'policy.nightDifferentialPercent',
    ],
    ['an unknown staff member', { start: '2026-03-02', staffId: 'stf-404' }, admin, 'not_found', 'staffId'],
    ['an unknown unit', { start: '2026-03-02', unitId: 'unit-404' }, admin, 'not_found', 'unitId'],
    ['a staff key (no payroll:read)', { start: '2026-03-02' }, staffKey, 'forbidden', ''],
  ] as const)('refuses %s', async (_case, input, actor, code, field) => {
    const err = await refusal(call(computePayrollOperation, input, actor));
    expect(err.code).toBe(code);
    if (field) expect(err.issues.map((i) => i.field)).toContain(field);
    else expect(err.message).toMatch(/lacks the scope payroll:read/);
  });
});

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (quoted || (ch !== ',' && ch !== '\r')) {
      field += ch;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else {
      // CRLF ends the record.
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    }
  }
  return rows;
}

describe('export_payroll_csv', () => {
  it('has one line per staff member that matches compute_payroll, figure for figure', async () => {
    const input = { start: '2026-03-02', days: 7 };
    const payroll = await payrollOf(input);
    const out = await call(exportPayrollCsv, input);
    expect(out).toMatchObject({
      rowCount: payroll.staff.length,
      columns: PAYROLL_CSV_COLUMNS.map(([c]) => c),
    });
    const [header, ...rows] = parseCsv(out.csv as string);
    expect(header).toEqual(out.columns);
    expect(rows).toHaveLength(payroll.staff.length);
    const hours = (m: number) => (m / 60).toFixed(2);
    rows.forEach((row, i) => {
      const s = payroll.staff[i]!;
      const t = s.totals;
      const line = Object.fromEntries(header!.map((h, k) => [h, row[k]]));
      expect(line).toEqual({
        period_start: '2026-03-02',
        period_end: '2026-03-08',
        staff_id: s.staffId,
        name: s.name.startsWith('=') ? `'${s.name}` : s.name,
        role: s.role,
        employment_type: s.employmentType,
        home_unit_id: s.homeUnitId ?? '',
        overtime_basis: s.overtimeBasis,
        hourly_rate_cents: s.hourlyRateCents === null ? '' : String(s.hourlyRateCents),
        worked_hours: hours(t.workedMinutes),
        regular_hours: hours(t.regularMinutes),
        overtime_hours: hours(t.overtimeMinutes),
        night_hours: hours(t.nightMinutes),
        weekend_hours: hours(t.weekendMinutes),
        on_call_hours: hours(t.onCallMinutes),
        base_pay_cents: String(t.basePayCents),
        night_differential_cents: String(t.nightDifferentialCents),
        weekend_differential_cents: String(t.weekendDifferentialCents),
        on_call_pay_cents: String(t.onCallPayCents),
        overtime_premium_cents: String(t.overtimePremiumCents),
        gross_pay_cents: String(t.grossPayCents),
      });
    });
    // The formula-looking name is defused and quoted, not split at its comma.
    expect(out.csv).toContain(`"'=HYPERLINK(""x""), Jr"`);
    expect(rows.find((r) => r[2] === 'stf-nurse')!.slice(9, 12)).toEqual(['44.00', '40.00', '4.00']);
  });
});
