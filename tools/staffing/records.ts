import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import {
  employmentTypes,
  leaveKinds,
  requestStatuses,
  type shiftRequests,
  shiftStatuses,
  shifts,
  staff,
  type staffLeave,
  staffRoles,
  staffSkills,
  units,
} from '../../db/schema/index.ts';
import { type Actor, hasScope } from '../core/actor.ts';
import { type FieldIssue, OperationError } from '../core/errors.ts';

/**
 * Staff records: who works here, on what terms, with which skills, and how a shift's attendance may
 * change. The rules live here as plain functions; the operations (records-operations.ts and its
 * neighbours) load rows, call them and write.
 */

export type StaffRow = typeof staff.$inferSelect;
export type ShiftRow = typeof shifts.$inferSelect;

// A contract of more than 60 hours a week is not one the hospital offers; 0 is a per-diem's.
export const MAX_CONTRACTED_MINUTES = 60 * 60;
// $1,000 an hour: far above any rate paid here, so a bigger figure is a typing error (cents for dollars).
export const MAX_HOURLY_RATE_CENTS = 100_000;
// Clocking in opens this long before the shift starts; a clock-out more than a day after the clock-in
// is a forgotten one, which a manager corrects rather than pays.
export const CLOCK_IN_EARLY_MS = 2 * 3_600_000;
export const MAX_CLOCKED_MS = 24 * 3_600_000;

/** Pay rates are visible only to payroll (a 'payroll:read' scope, which admins hold). */
export const canSeePay = (actor: Actor) => hasScope(actor, 'payroll:read');
/** Setting a pay rate or an overtime agreement is payroll's, not the ward's. */
export const canSetPay = (actor: Actor) => hasScope(actor, 'payroll:write');

export const isoDay = (at: Date) => at.toISOString().slice(0, 10);

export const staffIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'letters, digits and . _ : - (at most 64)');
export const skillName = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 .+/-]{0,39}$/,
    'a skill or certification name such as BLS, ACLS, CCRN, charge',
  );

export const skillSchema = z.object({
  skill: z.string(),
  certifiedUntil: z.string().nullable().describe('Last day the certification is valid; null: no expiry'),
  current: z
    .boolean()
    .describe('False once certifiedUntil has passed: a lapsed certification no longer counts'),
});

export const staffRecordSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.enum(staffRoles),
  specialty: z.string().nullable(),
  pager: z.string(),
  homeUnitId: z.string().nullable(),
  employmentType: z.enum(employmentTypes),
  floatEligible: z.boolean().describe('May be floated to units other than the home unit'),
  contractedMinutesPerWeek: z.number().int(),
  overtimeBasis: z.enum(['weekly-40', '8-80']),
  skills: z.array(skillSchema),
  pay: z
    .object({ hourlyRateCents: z.number().int().nullable().describe('null: salaried, not paid hourly') })
    .nullable()
    .describe("null unless the caller holds the 'payroll:read' scope"),
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

export const shiftRecordSchema = z.object({
  shiftId: z.string(),
  staffId: z.string(),
  unitId: z.string(),
  kind: z.enum(['day', 'evening', 'night']),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(shiftStatuses),
  clockInAt: z.string().nullable(),
  clockOutAt: z.string().nullable(),
});

export function presentShift(s: ShiftRow): z.infer<typeof shiftRecordSchema> {
  return {
    shiftId: s.id,
    staffId: s.staffId,
    unitId: s.unitId,
    kind: s.kind,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    status: s.status,
    clockInAt: s.clockInAt?.toISOString() ?? null,
    clockOutAt: s.clockOutAt?.toISOString() ?? null,
  };
}

/** A certification with no expiry, or one whose last valid day is today or later. */
export const isCurrent = (certifiedUntil: string | null, today: string) =>
  certifiedUntil === null || certifiedUntil >= today;

/** Staff rows with their skills, as the caller may see them. */
export async function presentStaff(
  db: DbOrTx,
  rows: readonly StaffRow[],
  opts: { today: string; showPay: boolean },
): Promise<StaffRecord[]> {
  const ids = rows.map((r) => r.id);
  const skills =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(staffSkills)
          .where(inArray(staffSkills.staffId, ids))
          .orderBy(asc(staffSkills.skill));
  const skillsBy = Map.groupBy(skills, (s) => s.staffId);
  return rows.map((r) => ({
    staffId: r.id,
    name: r.name,
    role: r.role,
    specialty: r.specialty,
    pager: r.pager,
    homeUnitId: r.unitId,
    employmentType: r.employmentType,
    floatEligible: r.floatEligible,
    contractedMinutesPerWeek: r.contractedMinutesPerWeek,
    overtimeBasis: r.overtimeBasis,
    skills: (skillsBy.get(r.id) ?? []).map((s) => ({
      skill: s.skill,
      certifiedUntil: s.certifiedUntil,
      current: isCurrent(s.certifiedUntil, opts.today),
    })),
    pay: opts.showPay ? { hourlyRateCents: r.hourlyRateCents } : null,
  }));
}

/** The staff row (locked for the transaction when asked), or not_found naming the field. */
export async function requireStaff(
  db: DbOrTx,
  staffId: string,
  opts: { field?: string; lock?: boolean } = {},
) {
  const query = db.select().from(staff).where(eq(staff.id, staffId));
  const [row] = opts.lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No staff member ${staffId}`, [
      { field: opts.field ?? 'staffId', message: 'unknown staff member' },
    ]);
  }
  return row;
}

export async function requireUnit(db: DbOrTx, unitId: string, field: string) {
  const [row] = await db.select({ id: units.id }).from(units).where(eq(units.id, unitId));
  if (!row) throw new OperationError('not_found', `No unit ${unitId}`, [{ field, message: 'unknown unit' }]);
  return row;
}

export async function requireShift(db: DbOrTx, shiftId: string, lock: boolean) {
  const query = db.select().from(shifts).where(eq(shifts.id, shiftId));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) {
    throw new OperationError('not_found', `No shift ${shiftId}`, [
      { field: 'shiftId', message: 'unknown shift' },
    ]);
  }
  return row;
}

/** What a record must hold together: a physician has a specialty, a charge nurse a home unit. */
export function recordIssues(r: {
  role: StaffRow['role'];
  specialty: string | null;
  unitId: string | null;
  floatEligible: boolean;
}): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (r.role === 'physician' && !r.specialty)
    issues.push({ field: 'specialty', message: 'a physician needs a specialty (their on-call rota)' });
  if (r.role === 'charge-nurse' && !r.unitId)
    issues.push({ field: 'homeUnitId', message: 'a charge nurse leads a unit: give the home unit' });
  if (r.floatEligible && !r.unitId)
    issues.push({
      field: 'floatEligible',
      message: 'floating means working away from a home unit: give one',
    });
  return issues;
}

export function assertRecord(r: Parameters<typeof recordIssues>[0]): void {
  const issues = recordIssues(r);
  if (issues.length > 0) {
    throw new OperationError(
      'invalid',
      `Invalid staff record: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
}

export type AttendanceEvent = 'clock-in' | 'clock-out' | 'called-out' | 'cancelled';

/**
 * The one state machine of a shift's attendance: scheduled → (clocked in) → worked, or scheduled →
 * called-out | cancelled. Returns the new state, or throws naming the field at fault.
 */
export function attendanceChange(
  shift: Pick<ShiftRow, 'id' | 'status' | 'startsAt' | 'endsAt' | 'clockInAt' | 'clockOutAt'>,
  event: AttendanceEvent,
  at: Date,
  now: Date,
): Pick<ShiftRow, 'status' | 'clockInAt' | 'clockOutAt'> {
  const refuse = (field: string, message: string, code: 'conflict' | 'invalid' = 'conflict'): never => {
    throw new OperationError(code, `Shift ${shift.id}: ${message}`, [{ field, message }]);
  };
  if (shift.status !== 'scheduled') {
    const state =
      shift.status === 'worked'
        ? `was worked (clocked out at ${shift.clockOutAt?.toISOString()})`
        : `is ${shift.status}`;
    const verb = event === 'cancelled' ? 'cancelled' : event === 'called-out' ? 'called out' : 'clocked';
    refuse('shiftId', `the shift ${state}; only a scheduled shift can be ${verb}`);
  }
  if (at > now) refuse('at', `must not be in the future (now is ${now.toISOString()})`, 'invalid');
  const clockedIn = shift.clockInAt;
  switch (event) {
    case 'clock-in': {
      if (clockedIn) refuse('shiftId', `already clocked in at ${clockedIn.toISOString()}`);
      const opens = new Date(shift.startsAt.getTime() - CLOCK_IN_EARLY_MS);
      if (at < opens)
        refuse('at', `clocking in opens at ${opens.toISOString()}, 2 hours before the shift`, 'invalid');
      if (at >= shift.endsAt) refuse('at', `the shift ended at ${shift.endsAt.toISOString()}`, 'invalid');
      return { status: 'scheduled', clockInAt: at, clockOutAt: null };
    }
    case 'clock-out': {
      if (!clockedIn) return refuse('shiftId', 'not clocked in: clock in first');
      if (at <= clockedIn)
        refuse('at', `must be after the clock-in at ${clockedIn.toISOString()}`, 'invalid');
      if (at.getTime() - clockedIn.getTime() > MAX_CLOCKED_MS)
        refuse(
          'at',
          'more than 24 hours after the clock-in: a manager corrects a forgotten clock-out',
          'invalid',
        );
      return { status: 'worked', clockInAt: clockedIn, clockOutAt: at };
    }
    case 'called-out':
    case 'cancelled': {
      if (clockedIn) refuse('shiftId', `already clocked in at ${clockedIn.toISOString()}: clock out instead`);
      return { status: event, clockInAt: null, clockOutAt: null };
    }
  }
}

/** Days from `from` to `to`, both YYYY-MM-DD. */
export const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

export const leaveRecordSchema = z.object({
  leaveId: z.string(),
  staffId: z.string(),
  kind: z.enum(leaveKinds),
  startsOn: z.string(),
  endsOn: z.string().describe('Last day of leave, inclusive'),
  status: z.enum(requestStatuses),
  note: z.string().nullable(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
});

export function presentLeave(l: typeof staffLeave.$inferSelect): z.infer<typeof leaveRecordSchema> {
  return {
    leaveId: l.id,
    staffId: l.staffId,
    kind: l.kind,
    startsOn: l.startsOn,
    endsOn: l.endsOn,
    status: l.status,
    note: l.note,
    requestedAt: l.createdAt.toISOString(),
    decidedBy: l.decidedBy,
  };
}

export const shiftRequestRecordSchema = z.object({
  requestId: z.string(),
  staffId: z.string(),
  day: z.string(),
  kind: z.enum(['day', 'evening', 'night', 'any']),
  want: z.enum(['on', 'off']),
  weight: z.number().int(),
  requestedAt: z.string(),
});

export function presentShiftRequest(
  r: typeof shiftRequests.$inferSelect,
): z.infer<typeof shiftRequestRecordSchema> {
  return {
    requestId: r.id,
    staffId: r.staffId,
    day: r.day,
    kind: r.kind,
    want: r.want,
    weight: r.weight,
    requestedAt: r.createdAt.toISOString(),
  };
}
