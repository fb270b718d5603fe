import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, gte, isNull, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  employmentTypes,
  onCallRota,
  shiftRequests,
  staff,
  staffLeave,
  staffRoles,
  staffSkills,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../core/operation.ts';
import { attendanceOperations } from './attendance-operations.ts';
import { leaveOperations } from './leave-operations.ts';
import { skillOperations } from './skill-operations.ts';
import {
  assertRecord,
  canSeePay,
  canSetPay,
  isoDay,
  leaveRecordSchema,
  MAX_CONTRACTED_MINUTES,
  MAX_HOURLY_RATE_CENTS,
  presentLeave,
  presentShiftRequest,
  presentStaff,
  requireStaff,
  requireUnit,
  shiftRequestRecordSchema,
  type StaffRow,
  skillName,
  staffIdSchema,
  staffRecordSchema,
} from './records.ts';

const overtimeBasis = z
  .enum(['weekly-40', '8-80'])
  .describe('weekly-40: FLSA 40-hour workweek; 8-80: the hospital 8/80 system (29 CFR 778.601)');
const employmentFields = {
  name: z.string().trim().min(2).max(120),
  role: z.enum(staffRoles),
  specialty: z.string().trim().min(1).max(60).nullable().describe('Required for a physician'),
  homeUnitId: z.string().min(1).nullable().describe('Required for a charge nurse and for float eligibility'),
  pager: z.string().trim().min(1).max(40),
  employmentType: z.enum(employmentTypes),
  floatEligible: z.boolean(),
  contractedMinutesPerWeek: z.number().int().min(0).max(MAX_CONTRACTED_MINUTES).describe('0 for per diem'),
  hourlyRateCents: z
    .number()
    .int()
    .min(0)
    .max(MAX_HOURLY_RATE_CENTS)
    .nullable()
    .describe("Base rate in cents per hour; null for salaried staff. Needs the 'payroll:write' scope"),
  overtimeBasis: overtimeBasis.describe("Needs the 'payroll:write' scope"),
};
const PAY_FIELDS = ['hourlyRateCents', 'overtimeBasis'] as const;

function assertMaySetPay(ctx: OperationContext, input: Record<string, unknown>): void {
  const fields = PAY_FIELDS.filter((f) => input[f] !== undefined);
  if (fields.length > 0 && !canSetPay(ctx.actor)) {
    throw new OperationError(
      'forbidden',
      `${ctx.actor.id} may not set ${fields.join(' or ')}: pay terms need the payroll:write scope`,
      fields.map((field) => ({ field, message: 'needs the payroll:write scope' })),
    );
  }
}

const present = async (ctx: OperationContext, row: StaffRow) =>
  (
    await presentStaff(ctx.database.db, [row], {
      today: isoDay(ctx.clock.now()),
      showPay: canSeePay(ctx.actor),
    })
  )[0]!;

export const listStaff = defineOperation({
  name: 'list_staff',
  module: 'staffing',
  title: 'List staff',
  description:
    'Lists staff records, filtered by home unit, role, specialty (physicians), a skill held with a current certification, float ' +
    'eligibility, employment type or part of the name. Each record has the role, home unit, employment, ' +
    'contracted minutes a week, overtime basis and skills (each marked current or lapsed). The pay rate ' +
    "is shown only to callers with the 'payroll:read' scope (pay: null otherwise). Paged by offset.",
  input: z.object({
    unitId: z.string().min(1).optional().describe('Home unit'),
    role: z.enum(staffRoles).optional(),
    specialty: z.string().trim().min(1).max(60).optional().describe('e.g. general-surgery, anaesthesia'),
    skill: skillName.optional().describe('Only staff holding this skill with a current certification'),
    floatEligible: z.boolean().optional(),
    employmentType: z.enum(employmentTypes).optional(),
    name: z.string().trim().min(1).max(100).optional().describe('Part of the name, any case'),
    limit: z.number().int().min(1).max(500).default(100),
    offset: z.number().int().min(0).default(0),
  }),
  output: z.object({
    staff: z.array(staffRecordSchema),
    total: z.number().int(),
    nextOffset: z.number().int().nullable(),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const today = isoDay(ctx.clock.now());
    if (input.unitId) await requireUnit(db, input.unitId, 'unitId');
    const filters: SQL[] = [];
    if (input.unitId) filters.push(eq(staff.unitId, input.unitId));
    if (input.role) filters.push(eq(staff.role, input.role));
    if (input.specialty) filters.push(eq(staff.specialty, input.specialty));
    if (input.floatEligible !== undefined) filters.push(eq(staff.floatEligible, input.floatEligible));
    if (input.employmentType) filters.push(eq(staff.employmentType, input.employmentType));
    if (input.name) filters.push(sql`strpos(lower(${staff.name}), lower(${input.name})) > 0`);
    if (input.skill) {
      const held = db
        .select({ one: sql`1` })
        .from(staffSkills)
        .where(
          and(
            eq(staffSkills.staffId, staff.id),
            sql`lower(${staffSkills.skill}) = lower(${input.skill})`,
            or(isNull(staffSkills.certifiedUntil), gte(staffSkills.certifiedUntil, today)),
          ),
        );
      filters.push(sql`exists ${held}`);
    }
    const where = and(...filters);
    const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(staff).where(where);
    const rows = await db
      .select()
      .from(staff)
      .where(where)
      .orderBy(asc(staff.id))
      .limit(input.limit)
      .offset(input.offset);
    const next = input.offset + rows.length;
    return {
      staff: await presentStaff(db, rows, { today, showPay: canSeePay(ctx.actor) }),
      total,
      nextOffset: next < total ? next : null,
    };
  },
});

export const getStaff = defineOperation({
  name: 'get_staff',
  module: 'staffing',
  title: 'Get a staff record',
  description:
    "One staff member's record (as list_staff) with their current and coming leave (requested or " +
    'approved, ending today or later) and their shift requests from today on.',
  input: z.object({ staffId: z.string().min(1) }),
  output: staffRecordSchema.extend({
    leave: z.array(leaveRecordSchema),
    shiftRequests: z.array(shiftRequestRecordSchema),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const today = isoDay(ctx.clock.now());
    const row = await requireStaff(db, input.staffId);
    const leave = await db
      .select()
      .from(staffLeave)
      .where(
        and(
          eq(staffLeave.staffId, row.id),
          gte(staffLeave.endsOn, today),
          sql`${staffLeave.status} in ('requested', 'approved')`,
        ),
      )
      .orderBy(asc(staffLeave.startsOn), asc(staffLeave.id));
    const requests = await db
      .select()
      .from(shiftRequests)
      .where(and(eq(shiftRequests.staffId, row.id), gte(shiftRequests.day, today)))
      .orderBy(asc(shiftRequests.day), asc(shiftRequests.kind));
    return {
      ...(await present(ctx, row)),
      leave: leave.map(presentLeave),
      shiftRequests: requests.map(presentShiftRequest),
    };
  },
});

const withReplayed = staffRecordSchema.extend({
  replayed: z.boolean().describe('True when this staffId already existed with these same details'),
});

export const createStaff = defineOperation({
  name: 'create_staff',
  module: 'staffing',
  title: 'Create a staff record',
  description:
    'Adds a staff member: name, role, pager, home unit (must exist), specialty (a physician needs one), ' +
    'employment type, float eligibility, contracted minutes a week (0–3600) and, for payroll only, the ' +
    'hourly rate in cents and overtime basis. Give your own staffId to make a retry safe: the same ' +
    'details again answer the existing record (replayed), different ones are refused.',
  input: z.object({
    staffId: staffIdSchema.optional().describe('Your id for the new record; generated when absent'),
    ...employmentFields,
    specialty: employmentFields.specialty.default(null),
    homeUnitId: employmentFields.homeUnitId.default(null),
    employmentType: employmentFields.employmentType.default('full-time'),
    floatEligible: employmentFields.floatEligible.default(false),
    contractedMinutesPerWeek: employmentFields.contractedMinutesPerWeek.default(2400),
    hourlyRateCents: employmentFields.hourlyRateCents.optional(),
    overtimeBasis: employmentFields.overtimeBasis.optional(),
  }),
  output: withReplayed,
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertMaySetPay(ctx, input);
    assertRecord({ ...input, unitId: input.homeUnitId });
    if (input.homeUnitId) await requireUnit(ctx.database.db, input.homeUnitId, 'homeUnitId');
    const values = {
      id: input.staffId ?? `stf-${randomUUID()}`,
      name: input.name,
      role: input.role,
      specialty: input.specialty,
      unitId: input.homeUnitId,
      pager: input.pager,
      employmentType: input.employmentType,
      floatEligible: input.floatEligible,
      contractedMinutesPerWeek: input.contractedMinutesPerWeek,
      hourlyRateCents: input.hourlyRateCents ?? null,
      overtimeBasis: input.overtimeBasis ?? 'weekly-40',
    };
    const { row, replayed } = await auditedWrite(
      ctx,
      'create_staff',
      input,
      async (tx) => {
        const [inserted] = await tx.insert(staff).values(values).onConflictDoNothing().returning();
        if (inserted) return { row: inserted, replayed: false };
        const existing = await requireStaff(tx, values.id);
        // Pay terms the caller did not give are not part of what they asked for.
        const asked = (Object.keys(values) as (keyof typeof values)[]).filter(
          (k) => !(k === 'hourlyRateCents' || k === 'overtimeBasis') || input[k] !== undefined,
        );
        const differs = asked.filter((k) => existing[k] !== values[k]);
        if (differs.length > 0) {
          throw new OperationError(
            'conflict',
            `Staff member ${values.id} already exists with other details`,
            [{ field: 'staffId', message: `taken (differs in ${differs.join(', ')})` }],
          );
        }
        return { row: existing, replayed: true };
      },
      (outcome) => !outcome.replayed,
    );
    return { ...(await present(ctx, row)), replayed };
  },
});

export const updateStaff = defineOperation({
  name: 'update_staff',
  module: 'staffing',
  title: 'Update a staff record',
  description:
    'Changes the given fields of a staff record (role, home unit, employment type, float eligibility, ' +
    "contracted minutes, pager, name, specialty; pay rate and overtime basis need 'payroll:write'). The " +
    'whole record must still hold together (a charge nurse keeps a home unit, a physician a specialty). ' +
    'Returns the record and which fields changed; a call that changes nothing writes nothing.',
  input: z
    .object({
      staffId: z.string().min(1),
      name: employmentFields.name.optional(),
      role: employmentFields.role.optional(),
      specialty: employmentFields.specialty.optional(),
      homeUnitId: employmentFields.homeUnitId.optional(),
      pager: employmentFields.pager.optional(),
      employmentType: employmentFields.employmentType.optional(),
      floatEligible: employmentFields.floatEligible.optional(),
      contractedMinutesPerWeek: employmentFields.contractedMinutesPerWeek.optional(),
      hourlyRateCents: employmentFields.hourlyRateCents.optional(),
      overtimeBasis: employmentFields.overtimeBasis.optional(),
    })
    .refine((v) => Object.entries(v).some(([k, value]) => k !== 'staffId' && value !== undefined), {
      message: 'name at least one field to change',
    }),
  output: staffRecordSchema.extend({ changed: z.array(z.string()) }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertMaySetPay(ctx, input);
    const { staffId, homeUnitId, ...rest } = input;
    if (homeUnitId) await requireUnit(ctx.database.db, homeUnitId, 'homeUnitId');
    const wanted: Partial<StaffRow> = {
      ...rest,
      ...(homeUnitId !== undefined ? { unitId: homeUnitId } : {}),
    };
    const { row, changed } = await auditedWrite(
      ctx,
      'update_staff',
      input,
      async (tx) => {
        const current = await requireStaff(tx, staffId, { lock: true });
        const changes = Object.fromEntries(
          Object.entries(wanted).filter(([k, v]) => v !== undefined && current[k as keyof StaffRow] !== v),
        ) as Partial<StaffRow>;
        const merged = { ...current, ...changes };
        assertRecord(merged);
        // The on-call rota pages people by specialty: a physician leaves it before changing either.
        if (merged.role !== current.role || merged.specialty !== current.specialty) {
          const blocks = await tx
            .select({ id: onCallRota.id, specialty: onCallRota.specialty })
            .from(onCallRota)
            .where(eq(onCallRota.staffId, staffId));
          const stale = blocks.filter((b) => merged.role !== 'physician' || b.specialty !== merged.specialty);
          if (stale.length > 0) {
            throw new OperationError(
              'conflict',
              `${current.name} holds ${stale.length} on-call block(s) on the ${stale[0]!.specialty} rota (${stale
                .map((b) => b.id)
                .join(
                  ', ',
                )}): move or remove them (set_on_call_block, remove_on_call_block) before changing ${
                merged.role !== current.role ? 'the role' : 'the specialty'
              }`,
              [
                {
                  field: merged.role !== current.role ? 'role' : 'specialty',
                  message: 'on the on-call rota',
                },
              ],
            );
          }
        }
        const names = Object.keys(changes).map((k) => (k === 'unitId' ? 'homeUnitId' : k));
        if (names.length === 0) return { row: current, changed: names };
        const [updated] = await tx.update(staff).set(changes).where(eq(staff.id, staffId)).returning();
        return { row: updated!, changed: names };
      },
      (outcome) => outcome.changed.length > 0,
    );
    return { ...(await present(ctx, row)), changed };
  },
});

export const staffRecordOperations = [
  listStaff,
  getStaff,
  createStaff,
  updateStaff,
  ...skillOperations,
  ...leaveOperations,
  ...attendanceOperations,
];
