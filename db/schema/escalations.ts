import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { patients } from './people.ts';

export const escalationStatuses = ['accepted', 'triaging', 'completed', 'suppressed', 'failed'] as const;
export type EscalationStatus = (typeof escalationStatuses)[number];

// The response bands, most urgent first; see tools/health-data/triage.ts for how readings map to them.
export const responseLevels = ['emergency', 'urgent', 'notify', 'advice'] as const;
export type ResponseLevel = (typeof responseLevels)[number];

export const escalations = pgTable(
  'escalations',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    observationId: text('observation_id'),
    condition: text('condition').notNull(),
    severity: integer('severity').notNull(),
    level: text('level', { enum: responseLevels }).notNull(),
    status: text('status', { enum: escalationStatuses }).notNull().default('accepted'),
    outcome: text('outcome'),
    duplicateOf: text('duplicate_of'),
    screen: jsonb('screen').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('escalations_patient_condition_idx').on(t.patientId, t.condition, t.createdAt)],
);

export const escalationEvents = pgTable(
  'escalation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    escalationId: text('escalation_id')
      .notNull()
      .references(() => escalations.id),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    step: text('step').notNull(),
    message: text('message').notNull(),
    data: jsonb('data'),
  },
  (t) => [
    index('escalation_events_escalation_idx').on(t.escalationId, t.id),
    // A step re-run after a crash records its event once.
    uniqueIndex('escalation_events_step_uq').on(t.escalationId, t.step),
  ],
);

export const notificationChannels = ['page', 'notify', 'advice'] as const;

export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    escalationId: text('escalation_id').references(() => escalations.id),
    channel: text('channel', { enum: notificationChannels }).notNull(),
    recipientKind: text('recipient_kind', { enum: ['patient', 'staff'] }).notNull(),
    recipientId: text('recipient_id').notNull(),
    message: text('message').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [
    // A retried agent step sends the same message once.
    uniqueIndex('notifications_once_uq').on(t.escalationId, t.channel, t.recipientId),
  ],
);
