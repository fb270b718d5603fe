import { z } from 'zod';
import { rosterProposalStatuses } from '../../../db/schema/index.ts';
import { shiftKinds } from '../demand/forecast.ts';

export const MAX_WEEKS = 6;
export const DEFAULT_WEEKS = 4;

export const horizonFields = {
  unitId: z.string().min(1).describe('The unit whose nursing staff are rostered'),
  startsOn: z.iso
    .date()
    .describe('First day of the roster, YYYY-MM-DD: a Monday (UTC) after today, at most 12 weeks ahead'),
  weeks: z
    .number()
    .int()
    .min(1)
    .max(MAX_WEEKS)
    .default(DEFAULT_WEEKS)
    .describe('Length in whole weeks, Monday to Sunday (1–6, default 4: a common hospital schedule period)'),
  plannedCensus: z
    .number()
    .int()
    .min(0)
    .max(500)
    .optional()
    .describe(
      'Patients to staff every shift for. Default: the demand forecast (occupants less expected discharges ' +
        'plus reserved beds), which cannot foresee admissions weeks ahead',
    ),
};

export const assignmentSchema = z.object({
  staffId: z.string().min(1),
  date: z.iso.date().describe('The day the shift starts, YYYY-MM-DD'),
  kind: z.enum(shiftKinds).describe('day 07:00–15:00, evening 15:00–23:00, night 23:00–07:00 (UTC)'),
});
export const assignmentsSchema = z
  .array(assignmentSchema)
  .max(6000)
  .describe('Every shift of the roster: one entry per person, day and shift');

export const violationSchema = z.object({
  rule: z
    .string()
    .describe('e.g. approved-leave, overlap, forbidden-succession, max-12h-in-24h, min-total-minutes'),
  staffId: z.string(),
  date: z.string().nullable().describe('The day it happens on; null for a rule over the whole roster'),
  kind: z.enum(shiftKinds).nullable(),
  message: z.string().describe('Who, when and which rule, in words'),
  source: z.string().describe('Where the rule comes from'),
  assignment: z.number().int().nullable().describe('Index of the offending entry in the assignments'),
});

export const breakdownSchema = z.object({
  underCover: z.number().int().describe('Missing nurses × weight (100 a licensed or charge nurse, 10 a CNA)'),
  overCover: z.number().int().describe('Nurses beyond what is needed × weight (1; 10 a CNA)'),
  onRequestsNotGranted: z.number().int().describe('Weights of wishes to work a shift that were not granted'),
  offRequestsBroken: z.number().int().describe('Weights of wishes to be off that were broken'),
});

export const coverageSchema = z.object({
  date: z.string(),
  kind: z.enum(shiftKinds),
  census: z.number().int(),
  required: z.object({
    licensedNurses: z.number().int(),
    chargeNurses: z.number().int(),
    skill: z.string().nullable(),
  }),
  rostered: z.object({
    rn: z.number().int(),
    lpn: z.number().int(),
    chargeNurses: z.number().int(),
    cna: z.number().int(),
    countedTowardRatio: z.number().int(),
  }),
  gaps: z.array(z.object({ rule: z.string(), short: z.number().int(), reason: z.string() })),
  status: z.enum(['short', 'met', 'surplus']),
});

export const staffRosterSchema = z.object({
  staffId: z.string(),
  name: z.string(),
  role: z.string(),
  employmentType: z.string(),
  float: z.boolean().describe('A float-pool nurse from another unit'),
  minutes: z.object({
    rostered: z.number().int(),
    min: z.number().int().describe('Contracted minutes still owed in the horizon (0 for per diem and float)'),
    max: z.number().int(),
    alreadyScheduled: z
      .number()
      .int()
      .describe('Minutes of shifts already scheduled in the horizon, any unit'),
  }),
  shifts: z.array(z.object({ date: z.string(), kind: z.enum(shiftKinds) })),
});

export const judgementFields = {
  unitId: z.string(),
  unitName: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  weeks: z.number().int(),
  feasible: z.boolean().describe('True when no hard rule is broken'),
  violations: z.array(violationSchema),
  objective: z
    .number()
    .int()
    .describe('Weighted cover shortfall and surplus plus broken requests: lower is better'),
  breakdown: breakdownSchema,
  requestsBroken: z.array(
    z.object({
      staffId: z.string(),
      date: z.string(),
      kind: z.enum(shiftKinds),
      want: z.enum(['on', 'off']),
      weight: z.number().int(),
    }),
  ),
  coverage: z.array(coverageSchema).describe('Every shift of the horizon against the unit staffing policy'),
  staff: z.array(staffRosterSchema),
  notes: z.array(z.string()).describe('What the model could not express, and uncovered roles'),
};

export const proposalSchema = z.object({
  proposalId: z.string().nullable().describe('null when nothing was stored (an infeasible roster)'),
  status: z.enum([...rosterProposalStatuses, 'infeasible']),
  ...judgementFields,
  lowerBound: z
    .number()
    .int()
    .nullable()
    .describe('A proven bound no roster can beat, when the solver found one'),
  provenOptimal: z.boolean(),
  solver: z.object({
    method: z.string(),
    stoppedBy: z.enum(['budget', 'time-limit']),
    seed: z.number().int(),
    timeLimitSeconds: z.number(),
  }),
  policy: z.object({
    patientsPerNurse: z.number().int(),
    chargeNursesPerShift: z.number().int(),
    requiredSkill: z.string().nullable(),
    source: z.string(),
    plannedCensus: z.number().int().nullable(),
    rules: z.array(z.object({ rule: z.string(), limit: z.string(), source: z.string() })),
  }),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type ProposalOut = z.infer<typeof proposalSchema>;
