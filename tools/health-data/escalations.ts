import { and, desc, eq, gte, lt, lte, ne } from 'drizzle-orm';
import { z } from 'zod';
import { beds, escalationEvents, escalations, observations, patients, units } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import {
  assertPatientAccess,
  auditedWrite,
  defineOperation,
  type OperationContext,
} from '../core/operation.ts';
import { notificationSchema } from '../staffing/operations.ts';
import { presentNotification, sendOnce } from '../staffing/notifications.ts';
import { recentVitals } from './ingest.ts';
import { RATE_WINDOW_MINUTES, rateOfChange } from './glucose.ts';
import { vitalsFromReadings } from './readings.ts';

const levelSchema = z.enum(['emergency', 'urgent', 'notify', 'advice']);

export async function loadEscalation(ctx: OperationContext, escalationId: string) {
  const [esc] = await ctx.database.db.select().from(escalations).where(eq(escalations.id, escalationId));
  if (!esc) {
    throw new OperationError('not_found', `No escalation ${escalationId}`, [
      { field: 'escalationId', message: 'unknown escalation' },
    ]);
  }
  assertPatientAccess(ctx, esc.patientId);
  return esc;
}

export const getTriageContext = defineOperation({
  name: 'get_triage_context',
  module: 'health-data',
  title: 'Get an escalation with its patient and reading',
  description:
    'Returns what triage needs about one escalation: its screen (condition, severity, response level), ' +
    'the triggering reading, the vital signs scored with it, the patient (sex, isolation, assigned nurse, ' +
    'care specialty, current unit), any data gap from the device before the reading, and for glucose the ' +
    'rate of change over the 15 minutes up to the reading (CGM trend-arrow categories).',
  input: z.object({ escalationId: z.string().min(1) }),
  output: z.object({
    escalation: z.object({
      id: z.string(),
      patientId: z.string(),
      condition: z.string(),
      severity: z.number(),
      level: levelSchema,
      summary: z.string(),
      createdAt: z.string(),
      reading: z
        .object({ kind: z.string(), value: z.number(), unit: z.string(), effectiveAt: z.string() })
        .nullable(),
      vitals: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).nullable(),
    }),
    patient: z.object({
      id: z.string(),
      name: z.string(),
      sex: z.enum(['male', 'female', 'other', 'unknown']),
      assignedNurseId: z.string().nullable(),
      careSpecialty: z.string(),
      isolation: z.enum(['none', 'contact', 'droplet', 'airborne']),
      currentUnitType: z.string().nullable(),
    }),
    deviceGapMinutes: z.number().nullable(),
    glucoseRate: z
      .object({
        mgDlPerMin: z.number(),
        trend: z.string(),
        points: z.number().int(),
        spanMinutes: z.number(),
      })
      .nullable(),
  }),
  scope: 'escalations:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler({ escalationId }, ctx) {
    const esc = await loadEscalation(ctx, escalationId);
    const db = ctx.database.db;
    const [p] = await db
      .select({ patient: patients, unitType: units.type })
      .from(patients)
      .leftJoin(beds, eq(beds.occupantPatientId, patients.id))
      .leftJoin(units, eq(units.id, beds.unitId))
      .where(eq(patients.id, esc.patientId));
    const [obs] = esc.observationId
      ? await db.select().from(observations).where(eq(observations.id, esc.observationId))
      : [];
    const screen = esc.screen as { summary: string; deviceGapMinutes?: number | null; spo2Scale?: 1 | 2 };
    let vitals: Record<string, number | string | boolean> | null = null;
    if (esc.condition === 'news2' && obs) {
      const rows = await recentVitals(ctx.database.sql, esc.patientId, obs.effectiveAt);
      vitals = { ...vitalsFromReadings(rows, screen.spo2Scale ?? 1) };
    }
    let glucoseRate = null;
    if (obs && obs.kind === 'glucose') {
      const since = new Date(obs.effectiveAt.getTime() - RATE_WINDOW_MINUTES * 60_000);
      const series = await db
        .select({ at: observations.effectiveAt, valueMgDl: observations.value })
        .from(observations)
        .where(
          and(
            eq(observations.patientId, esc.patientId),
            eq(observations.kind, 'glucose'),
            gte(observations.effectiveAt, since),
            lte(observations.effectiveAt, obs.effectiveAt),
          ),
        );
      glucoseRate = rateOfChange(series);
    }
    const patient = p!.patient;
    return {
      escalation: {
        id: esc.id,
        patientId: esc.patientId,
        condition: esc.condition,
        severity: esc.severity,
        level: esc.level,
        summary: screen.summary,
        createdAt: esc.createdAt.toISOString(),
        reading: obs
          ? { kind: obs.kind, value: obs.value, unit: obs.unit, effectiveAt: obs.effectiveAt.toISOString() }
          : null,
        vitals,
      },
      patient: {
        id: patient.id,
        name: `${patient.givenName} ${patient.familyName}`,
        sex: patient.sex,
        assignedNurseId: patient.assignedNurseId,
        careSpecialty: patient.careSpecialty,
        isolation: patient.isolation,
        currentUnitType: p!.unitType ?? null,
      },
      deviceGapMinutes: screen.deviceGapMinutes ?? null,
      glucoseRate,
    };
  },
});

export const getEscalationHistory = defineOperation({
  name: 'get_escalation_history',
  module: 'health-data',
  title: "A patient's recent escalations of one condition",
  description:
    'Lists the escalations of one condition for a patient created in the `withinMinutes` before `before` ' +
    '(newest first), to tell a repeat of an episode already handled from a worsening.',
  input: z.object({
    patientId: z.string().min(1),
    condition: z.string().min(1),
    withinMinutes: z.number().int().min(1).max(10_080),
    before: z.iso.datetime({ offset: true }),
    excludeEscalationId: z.string().optional(),
  }),
  output: z.object({
    escalations: z.array(
      z.object({
        id: z.string(),
        severity: z.number(),
        level: levelSchema,
        status: z.string(),
        createdAt: z.string(),
      }),
    ),
  }),
  scope: 'escalations:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    assertPatientAccess(ctx, input.patientId);
    const before = new Date(input.before);
    const since = new Date(before.getTime() - input.withinMinutes * 60_000);
    const conditions = [
      eq(escalations.patientId, input.patientId),
      eq(escalations.condition, input.condition),
      gte(escalations.createdAt, since),
      lt(escalations.createdAt, before),
    ];
    if (input.excludeEscalationId) conditions.push(ne(escalations.id, input.excludeEscalationId));
    const rows = await ctx.database.db
      .select()
      .from(escalations)
      .where(and(...conditions))
      .orderBy(desc(escalations.createdAt))
      .limit(50);
    return {
      escalations: rows.map((e) => ({
        id: e.id,
        severity: e.severity,
        level: e.level,
        status: e.status,
        createdAt: e.createdAt.toISOString(),
      })),
    };
  },
});

export const recordEscalationEvent = defineOperation({
  name: 'record_escalation_event',
  module: 'health-data',
  title: 'Record a step of an escalation',
  description:
    "Appends a step to an escalation's timeline (shown to the patient app and the console). Each step name " +
    'is recorded once per escalation; repeating a step is a no-op. The step "triage-started" marks the escalation as triaging.',
  input: z.object({
    escalationId: z.string().min(1),
    step: z.string().min(1).max(64),
    message: z.string().min(1).max(2000),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
  output: z.object({ recorded: z.boolean() }),
  scope: 'health-data:write',
  risk: 'write',
  idempotent: true,
  async handler(input, ctx) {
    const esc = await loadEscalation(ctx, input.escalationId);
    return auditedWrite(ctx, 'record_escalation_event', input, async (tx) => {
      const now = ctx.clock.now();
      const inserted = await tx
        .insert(escalationEvents)
        .values({
          escalationId: esc.id,
          at: now,
          step: input.step,
          message: input.message,
          data: input.data ?? null,
        })
        .onConflictDoNothing()
        .returning({ id: escalationEvents.id });
      if (input.step === 'triage-started' && esc.status === 'accepted') {
        await tx
          .update(escalations)
          .set({ status: 'triaging', updatedAt: now })
          .where(eq(escalations.id, esc.id));
      }
      return { recorded: inserted.length > 0 };
    });
  },
});

export const completeEscalation = defineOperation({
  name: 'complete_escalation',
  module: 'health-data',
  title: 'Close an escalation',
  description:
    "Sets an escalation's end state (completed, suppressed as a duplicate, or failed) and the outcome text people read.",
  input: z.object({
    escalationId: z.string().min(1),
    status: z.enum(['completed', 'suppressed', 'failed']),
    outcome: z.string().min(3).max(2000),
    duplicateOf: z.string().optional(),
  }),
  output: z.object({ escalationId: z.string(), status: z.string(), outcome: z.string() }),
  scope: 'health-data:write',
  risk: 'write',
  idempotent: true,
  async handler(input, ctx) {
    const esc = await loadEscalation(ctx, input.escalationId);
    if (esc.status === 'completed' || esc.status === 'suppressed') {
      return { escalationId: esc.id, status: esc.status, outcome: esc.outcome ?? '' };
    }
    return auditedWrite(ctx, 'complete_escalation', input, async (tx) => {
      const now = ctx.clock.now();
      await tx
        .update(escalations)
        .set({
          status: input.status,
          outcome: input.outcome,
          duplicateOf: input.duplicateOf ?? null,
          updatedAt: now,
          completedAt: now,
        })
        .where(eq(escalations.id, esc.id));
      await tx
        .insert(escalationEvents)
        .values({ escalationId: esc.id, at: now, step: input.status, message: input.outcome, data: null })
        .onConflictDoNothing();
      return { escalationId: esc.id, status: input.status, outcome: input.outcome };
    });
  },
});

export const sendPatientAdvice = defineOperation({
  name: 'send_patient_advice',
  module: 'health-data',
  title: 'Send advice to the patient',
  description: "Sends a message to the patient's app about an escalation. Sent once per escalation.",
  input: z.object({
    patientId: z.string().min(1),
    escalationId: z.string().min(1),
    message: z.string().min(3).max(1000),
  }),
  output: notificationSchema,
  scope: 'notifications:write',
  risk: 'write',
  idempotent: true,
  async handler(input, ctx) {
    const esc = await loadEscalation(ctx, input.escalationId);
    if (esc.patientId !== input.patientId) {
      throw new OperationError('invalid', `Escalation ${esc.id} is not about patient ${input.patientId}`, [
        { field: 'patientId', message: 'does not match the escalation' },
      ]);
    }
    return auditedWrite(ctx, 'send_patient_advice', input, async (tx) => {
      const sent = await sendOnce(
        tx,
        {
          escalationId: esc.id,
          channel: 'advice',
          recipientKind: 'patient',
          recipientId: input.patientId,
          message: input.message,
          createdBy: ctx.actor.id,
        },
        ctx.clock.now(),
      );
      return presentNotification(sent.notification, sent.replayed);
    });
  },
});

export const escalationOperations = [
  getTriageContext,
  getEscalationHistory,
  recordEscalationEvent,
  completeEscalation,
  sendPatientAdvice,
];
