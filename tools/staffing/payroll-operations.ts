import { and, eq, gt, inArray, isNotNull, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { onCallRota, shifts, staff } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { defineOperation, type OperationContext } from '../core/operation.ts';
import { computePayroll, DEFAULT_PAY_POLICY, hours, isPeriodStart, type Payroll } from './payroll.ts';
import { requireStaff, requireUnit } from './records.ts';

const minuteOfDay = z.number().int().min(0).max(1439);
const policySchema = z.object({
  nightStartMinute: minuteOfDay.describe(
    'Night window start, minutes after midnight UTC (default 1320, 22:00)',
  ),
  nightEndMinute: minuteOfDay.describe('Night window end (default 360, 06:00); may be before the start'),
  nightDifferentialPercent: z.number().int().min(0).max(100).describe('% of base rate (default 15)'),
  weekendDifferentialPercent: z.number().int().min(0).max(100).describe('% of base rate (default 10)'),
  onCallCentsPerHour: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .describe('Flat on-call pay per hour (default 500)'),
});

const periodInput = z.object({
  start: z.iso.date().describe('First day of the pay period, YYYY-MM-DD: a Monday (UTC)'),
  days: z
    .union([z.literal(7), z.literal(14)])
    .default(14)
    .describe('7 (weekly) or 14 (biweekly, needed for 8/80)'),
  staffId: z.string().min(1).optional().describe('One staff member only'),
  unitId: z.string().min(1).optional().describe('Staff of this home unit only'),
  policy: policySchema
    .partial()
    .optional()
    .describe('Hospital pay policy overrides; each figure left out keeps its default'),
});
type PeriodInput = z.infer<typeof periodInput>;

const minutes = z.number().int();
const cents = z.number().int();
const totalsSchema = z.object({
  workedMinutes: minutes,
  regularMinutes: minutes,
  overtimeMinutes: minutes,
  nightMinutes: minutes,
  weekendMinutes: minutes,
  onCallMinutes: minutes,
  basePayCents: cents.describe('Straight time: every hour worked, overtime hours included, at the base rate'),
  nightDifferentialCents: cents,
  weekendDifferentialCents: cents,
  onCallPayCents: cents,
  overtimePremiumCents: cents.describe('Half the regular rate for each overtime hour'),
  grossPayCents: cents.describe('The sum of the five figures before it'),
});

export const payrollSchema = z.object({
  start: z.string(),
  end: z.string().describe('Exclusive: the Monday after the period'),
  days: z.union([z.literal(7), z.literal(14)]),
  policy: policySchema,
  staff: z.array(
    z.object({
      staffId: z.string(),
      name: z.string(),
      role: z.string(),
      employmentType: z.string(),
      homeUnitId: z.string().nullable(),
      hourlyRateCents: z.number().int().nullable(),
      overtimeBasis: z.enum(['weekly-40', '8-80', 'exempt']).describe('The rule applied in this period'),
      note: z.string().nullable(),
      shifts: z.array(
        z.object({
          shiftId: z.string(),
          unitId: z.string(),
          clockInAt: z.string(),
          clockOutAt: z.string(),
          workedMinutes: minutes.describe('Minutes of this shift inside the period'),
          regularMinutes: minutes,
          overtimeMinutes: minutes,
          nightMinutes: minutes,
          weekendMinutes: minutes,
          differentials: z.array(z.enum(['night', 'weekend'])),
        }),
      ),
      onCall: z.array(z.object({ start: z.string(), end: z.string(), minutes })),
      overtimePeriods: z.array(
        z.object({
          kind: z.enum(['workweek', '14-day period']),
          start: z.string(),
          end: z.string(),
          workedMinutes: minutes,
          overtimeMinutes: minutes,
          onCallMinutes: minutes,
          basePayCents: cents,
          nightDifferentialCents: cents,
          weekendDifferentialCents: cents,
          onCallPayCents: cents,
          regularRateCents: cents.nullable().describe('Cents per hour, rounded for reading; computed exact'),
          overtimePremiumCents: cents,
        }),
      ),
      totals: totalsSchema,
    }),
  ),
  totals: totalsSchema.extend({ staffCount: z.number().int() }),
});

/** Loads the period's clocked shifts, rota and staff, and computes the payroll. */
async function payrollFor(input: PeriodInput, ctx: OperationContext): Promise<Payroll> {
  const start = new Date(`${input.start}T00:00:00Z`);
  if (!isPeriodStart(start)) {
    throw new OperationError('invalid', `A pay period starts on a Monday; ${input.start} is not one`, [
      { field: 'start', message: 'must be a Monday (pay periods and workweeks begin Monday 00:00 UTC)' },
    ]);
  }
  const end = new Date(start.getTime() + input.days * 86_400_000);
  const db = ctx.database.db;
  if (input.staffId) await requireStaff(db, input.staffId);
  if (input.unitId) await requireUnit(db, input.unitId, 'unitId');
  const who: SQL[] = [];
  if (input.staffId) who.push(eq(staff.id, input.staffId));
  if (input.unitId) who.push(eq(staff.unitId, input.unitId));
  const people = await db
    .select()
    .from(staff)
    .where(and(...who));
  const ids = people.map((p) => p.id);
  const filtered = who.length > 0;
  const clocked =
    filtered && ids.length === 0
      ? []
      : await db
          .select()
          .from(shifts)
          .where(
            and(
              // Worked shifts only: a shift without both clock times was not worked (and is not paid).
              eq(shifts.status, 'worked'),
              isNotNull(shifts.clockInAt),
              isNotNull(shifts.clockOutAt),
              lt(shifts.clockInAt, end),
              gt(shifts.clockOutAt, start),
              ...(filtered ? [inArray(shifts.staffId, ids)] : []),
            ),
          );
  const rota =
    filtered && ids.length === 0
      ? []
      : await db
          .select()
          .from(onCallRota)
          .where(filtered ? inArray(onCallRota.staffId, ids) : undefined);
  return computePayroll({
    start,
    days: input.days,
    policy: { ...DEFAULT_PAY_POLICY, ...input.policy },
    staff: people.map((p) => ({
      staffId: p.id,
      name: p.name,
      role: p.role,
      employmentType: p.employmentType,
      homeUnitId: p.unitId,
      hourlyRateCents: p.hourlyRateCents,
      overtimeBasis: p.overtimeBasis,
    })),
    shifts: clocked.map((s) => ({
      shiftId: s.id,
      staffId: s.staffId,
      unitId: s.unitId,
      clockInAt: s.clockInAt!,
      clockOutAt: s.clockOutAt!,
    })),
    // The rota as it stands: it repeats weekly and keeps no history of past weeks.
    onCallRota: rota,
  });
}

export const computePayrollOperation = defineOperation({
  name: 'compute_payroll',
  module: 'staffing',
  title: 'Compute payroll for a pay period',
  description:
    'Computes gross pay for a pay period (a Monday start, 7 or 14 days, UTC) from clocked (worked) shifts ' +
    'and the on-call rota: per staff member each shift with its minutes split into regular and overtime ' +
    'and the night/weekend minutes, the on-call blocks, each overtime period (workweek, or the 14-day ' +
    'period under 8/80) with its regular rate, and the totals in cents. Overtime: FLSA weekly 40 hours or ' +
    'the hospital 8/80 system, at 1.5× the regular rate including differentials and on-call pay. Reads ' +
    'only; pays nothing.',
  input: periodInput,
  output: payrollSchema,
  scope: 'payroll:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  handler: payrollFor,
});

/** The CSV export's columns, in order, with what each holds. */
export const PAYROLL_CSV_COLUMNS = [
  ['period_start', 'first day of the pay period, YYYY-MM-DD'],
  ['period_end', 'last day of the pay period, YYYY-MM-DD (inclusive)'],
  ['staff_id', ''],
  ['name', ''],
  ['role', ''],
  ['employment_type', 'full-time, part-time, per-diem or agency'],
  ['home_unit_id', 'empty when none'],
  ['overtime_basis', 'rule applied: weekly-40, 8-80 or exempt'],
  ['hourly_rate_cents', 'base rate; empty for salaried staff'],
  ['worked_hours', 'hours worked in the period, two decimals'],
  ['regular_hours', ''],
  ['overtime_hours', ''],
  ['night_hours', 'hours in the night window (worked)'],
  ['weekend_hours', 'hours on Saturday or Sunday (worked)'],
  ['on_call_hours', 'rota hours not worked'],
  ['base_pay_cents', 'straight time for every hour worked'],
  ['night_differential_cents', ''],
  ['weekend_differential_cents', ''],
  ['on_call_pay_cents', ''],
  ['overtime_premium_cents', 'half the regular rate per overtime hour'],
  ['gross_pay_cents', 'sum of the five pay columns'],
] as const;

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with an apostrophe. */
function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function payrollCsv(payroll: Payroll): string {
  const first = payroll.start.slice(0, 10);
  const last = new Date(Date.parse(payroll.end) - 86_400_000).toISOString().slice(0, 10);
  const lines = [PAYROLL_CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const s of payroll.staff) {
    const t = s.totals;
    const row = [
      first,
      last,
      s.staffId,
      s.name,
      s.role,
      s.employmentType,
      s.homeUnitId,
      s.overtimeBasis,
      s.hourlyRateCents,
      hours(t.workedMinutes).toFixed(2),
      hours(t.regularMinutes).toFixed(2),
      hours(t.overtimeMinutes).toFixed(2),
      hours(t.nightMinutes).toFixed(2),
      hours(t.weekendMinutes).toFixed(2),
      hours(t.onCallMinutes).toFixed(2),
      t.basePayCents,
      t.nightDifferentialCents,
      t.weekendDifferentialCents,
      t.onCallPayCents,
      t.overtimePremiumCents,
      t.grossPayCents,
    ];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const exportPayrollCsv = defineOperation({
  name: 'export_payroll_csv',
  module: 'staffing',
  title: 'Export payroll as CSV',
  description:
    'The payroll of compute_payroll as CSV text (RFC 4180, CRLF lines, a header row): one line per staff ' +
    'member paid in the period, hours with two decimals and money in integer cents. `columns` lists the ' +
    'columns in order. Admins also get it at GET /v1/payroll.csv?start=&days=.',
  input: periodInput,
  output: z.object({
    start: z.string(),
    end: z.string(),
    days: z.union([z.literal(7), z.literal(14)]),
    columns: z.array(z.string()),
    rowCount: z.number().int(),
    csv: z.string(),
  }),
  scope: 'payroll:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const payroll = await payrollFor(input, ctx);
    return {
      start: payroll.start,
      end: payroll.end,
      days: payroll.days,
      columns: PAYROLL_CSV_COLUMNS.map(([name]) => name),
      rowCount: payroll.staff.length,
      csv: payrollCsv(payroll),
    };
  },
});

export const payrollOperations = [computePayrollOperation, exportPayrollCsv];
