import { z } from 'zod';
import { unitStaffingPolicies, unitTypes } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation, type OperationContext } from '../../core/operation.ts';
import { addDays, forecastDemand, shiftKinds, shiftSlots } from './forecast.ts';
import {
  defaultRequiredSkill,
  effectivePolicy,
  type PolicyOverride,
  type StaffingPolicy,
  title22Ratios,
  title22Source,
} from './policy.ts';
import { loadDemandFacts, loadUnitsWithPolicies } from './store.ts';

const MAX_DAYS = 14;

const policySchema = z.object({
  unitId: z.string(),
  unitName: z.string(),
  unitType: z.enum(unitTypes),
  patientsPerNurse: z.number().int().describe('Patients per licensed nurse: the ratio 1:patientsPerNurse'),
  chargeNursesPerShift: z.number().int(),
  requiredSkill: z.string().nullable().describe('A certification at least one licensed nurse on shift holds'),
  source: z.string().describe('Where the ratio comes from'),
  chargeNurseSource: z.string(),
  skillSource: z.string(),
  citations: z.object({ ratio: z.string(), chargeNurse: z.string(), skill: z.string() }),
  overridden: z.boolean().describe('True when the unit has its own policy instead of the Title 22 default'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  title22: z.object({ patientsPerNurse: z.number().int(), source: z.string() }),
});
type PolicyOut = z.infer<typeof policySchema>;

const present = (unit: { name: string }, policy: StaffingPolicy): PolicyOut => ({
  ...policy,
  unitName: unit.name,
  title22: {
    patientsPerNurse: title22Ratios[policy.unitType].patientsPerNurse,
    source: title22Source(policy.unitType),
  },
});

const unknownUnit = (unitId: string) =>
  new OperationError('not_found', `No unit ${unitId}`, [{ field: 'unitId', message: 'unknown unit' }]);

async function policiesOf(ctx: OperationContext, unitId: string | undefined) {
  const rows = await loadUnitsWithPolicies(ctx.database.db, unitId);
  if (unitId !== undefined && rows.length === 0) throw unknownUnit(unitId);
  return rows.map((u) => present(u, effectivePolicy(u, u.override)));
}

const gapSchema = z.object({
  rule: z.enum(['ratio', 'charge-nurse', 'required-skill']),
  short: z.number().int(),
  reason: z.string(),
  source: z.string(),
});

const unitShiftSchema = z.object({
  unitId: z.string(),
  unitName: z.string(),
  day: z.string(),
  kind: z.enum(shiftKinds),
  startsAt: z.string(),
  endsAt: z.string(),
  census: z.object({
    current: z.number().int(),
    dischargesBefore: z.number().int().describe('Pending discharges expected before the shift starts'),
    scheduledAdmissions: z
      .number()
      .int()
      .describe(
        'Held or accepted bed reservations into the unit, and beds booked ahead for a stay overlapping the shift',
      ),
    expected: z.number().int(),
  }),
  required: z.object({
    licensedNurses: z.number().int(),
    chargeNurses: z.number().int(),
    skill: z.string().nullable(),
  }),
  scheduled: z.object({
    rn: z.number().int(),
    lpn: z.number().int(),
    chargeNurses: z.number().int(),
    cna: z.number().int(),
    countedTowardRatio: z.number().int(),
    withRequiredSkill: z.array(z.string()),
  }),
  gaps: z.array(gapSchema),
  surplusLicensedNurses: z.number().int(),
  status: z.enum(['short', 'met', 'surplus']),
});

export const forecastStaffingDemand = defineOperation({
  name: 'forecast_staffing_demand',
  module: 'staffing',
  title: 'Forecast staffing demand',
  description:
    'For each unit and each day, evening and night shift over `days` days from `from` (default today): ' +
    'the expected census (occupants, less pending discharges expected before the shift, plus reserved ' +
    'beds), the licensed nurses the unit ratio requires (California Title 22 §70217 by default, or the ' +
    "unit's own policy), the charge nurses and the certification the shift needs, what is scheduled, " +
    'and every gap with the rule and its source. Shifts already over are left out. Use to find shifts ' +
    'to fill before rostering. A whole hospital over a week is hundreds of unit-shifts: pass unitId, ' +
    'or onlyShort to return just the shifts with a gap (the summary still counts them all).',
  input: z.object({
    unitId: z.string().min(1).optional().describe('One unit; all units when omitted'),
    from: z.iso.date().optional().describe('First day, YYYY-MM-DD (hospital time, UTC); default today'),
    days: z.number().int().min(1).max(MAX_DAYS).default(7),
    onlyShort: z.boolean().default(false),
  }),
  output: z.object({
    from: z.string(),
    days: z.number().int(),
    generatedAt: z.string(),
    policies: z.array(policySchema),
    shifts: z.array(unitShiftSchema),
    summary: z.object({
      unitShifts: z.number().int(),
      short: z.number().int(),
      licensedNursesShort: z.number().int(),
      chargeNursesShort: z.number().int(),
      skillGaps: z.number().int(),
    }),
  }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const today = now.toISOString().slice(0, 10);
    const from = input.from ?? today;
    const latest = addDays(today, MAX_DAYS);
    if (from < today || from > latest) {
      throw new OperationError('invalid', `from ${from} is outside today (${today}) to ${latest}`, [
        {
          field: 'from',
          message: `must be a day from ${today} (today) to ${latest}: census is forecast from now`,
        },
      ]);
    }
    const policies = await policiesOf(ctx, input.unitId);
    const slots = shiftSlots(from, input.days);
    const facts = await loadDemandFacts(ctx.database.db, {
      unitId: input.unitId,
      from: slots[0]!.startsAt,
      to: slots[slots.length - 1]!.endsAt,
      now,
    });
    const all = forecastDemand(facts, slots, now);
    const shortBy = (rule: string) =>
      all.flatMap((s) => s.gaps).reduce((n, g) => (g.rule === rule ? n + g.short : n), 0);
    return {
      from,
      days: input.days,
      generatedAt: now.toISOString(),
      policies,
      shifts: input.onlyShort ? all.filter((s) => s.status === 'short') : all,
      summary: {
        unitShifts: all.length,
        short: all.filter((s) => s.status === 'short').length,
        licensedNursesShort: shortBy('ratio'),
        chargeNursesShort: shortBy('charge-nurse'),
        skillGaps: all.filter((s) => s.gaps.some((g) => g.rule === 'required-skill')).length,
      },
    };
  },
});

export const getStaffingPolicy = defineOperation({
  name: 'get_staffing_policy',
  module: 'staffing',
  title: 'Staffing policy per unit',
  description:
    "Returns each unit's effective staffing policy (or one unit's): patients per licensed nurse, charge " +
    'nurses per shift and the certification a shift needs, where each comes from, whether the unit ' +
    'overrides the default, and the California Title 22 §70217 ratio for comparison.',
  input: z.object({ unitId: z.string().min(1).optional() }),
  output: z.object({ policies: z.array(policySchema) }),
  scope: 'staffing:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ unitId }, ctx) {
    return { policies: await policiesOf(ctx, unitId) };
  },
});

export const setUnitStaffingPolicy = defineOperation({
  name: 'set_unit_staffing_policy',
  module: 'staffing',
  title: "Set a unit's staffing policy",
  description:
    "Sets a unit's own staffing rule in place of the default: patients per licensed nurse (1–12), charge " +
    'nurses per shift (0–3) and the certification at least one licensed nurse on shift must hold ' +
    "(omitted: the unit type's default; null: none), with the source of the rule (a regulation, a " +
    'staffing committee decision). Audited. Returns the new and previous policy, with a warning when ' +
    'the ratio is looser than Title 22 §70217.',
  input: z.object({
    unitId: z.string().min(1),
    patientsPerNurse: z.number().int().min(1).max(12),
    chargeNursesPerShift: z.number().int().min(0).max(3).default(1),
    requiredSkill: z.string().trim().min(1).max(40).nullable().optional(),
    source: z.string().trim().min(3).max(500).describe('Where the rule comes from'),
  }),
  output: z.object({ policy: policySchema, previous: policySchema, warnings: z.array(z.string()) }),
  scope: 'staffing:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const [unit] = await loadUnitsWithPolicies(ctx.database.db, input.unitId);
    if (!unit) throw unknownUnit(input.unitId);
    const override: PolicyOverride = {
      patientsPerNurse: input.patientsPerNurse,
      chargeNursesPerShift: input.chargeNursesPerShift,
      requiredSkill:
        input.requiredSkill === undefined ? defaultRequiredSkill[unit.type].skill : input.requiredSkill,
      source: input.source,
      updatedAt: ctx.clock.now(),
      updatedBy: ctx.actor.id,
    };
    const law = title22Ratios[unit.type];
    const warnings = [
      ...(override.patientsPerNurse > law.patientsPerNurse
        ? [
            `1:${override.patientsPerNurse} is looser than ${title22Source(unit.type)}: ` +
              'lawful only where Title 22 does not apply',
          ]
        : []),
      ...(override.chargeNursesPerShift === 0 ? ['no charge nurse will be required on this unit'] : []),
    ];
    return auditedWrite(ctx, 'set_unit_staffing_policy', input, async (tx) => {
      await tx
        .insert(unitStaffingPolicies)
        .values({ unitId: unit.id, ...override })
        .onConflictDoUpdate({ target: unitStaffingPolicies.unitId, set: override });
      return {
        policy: present(unit, effectivePolicy(unit, override)),
        previous: present(unit, effectivePolicy(unit, unit.override)),
        warnings,
      };
    });
  },
});

export const demandOperations = [forecastStaffingDemand, getStaffingPolicy, setUnitStaffingPolicy];
