import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { patients } from './people.ts';

export const deviceKinds = [
  'cgm',
  'pulse-oximeter',
  'bp-cuff',
  'thermometer',
  'multi-parameter',
  'app',
] as const;

export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    kind: text('kind', { enum: deviceKinds }).notNull(),
    // How often the device is expected to send; silence beyond a multiple of it is stale data.
    expectedIntervalSeconds: integer('expected_interval_seconds').notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }),
    staleAlertedAt: timestamp('stale_alerted_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('devices_patient_idx').on(t.patientId)],
);

export const observations = pgTable(
  'observations',
  {
    id: text('id').primaryKey(),
    patientId: text('patient_id')
      .notNull()
      .references(() => patients.id),
    loinc: text('loinc').notNull(),
    kind: text('kind').notNull(),
    value: doublePrecision('value').notNull(),
    // UCUM unit after normalisation (glucose in mg/dL, temperature in Cel).
    unit: text('unit').notNull(),
    deviceId: text('device_id'),
    effectiveAt: timestamp('effective_at', { withTimezone: true, mode: 'date' }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    source: text('source', { enum: ['app', 'fhir', 'seed'] }).notNull(),
    fhir: jsonb('fhir'),
  },
  (t) => [index('observations_patient_kind_time_idx').on(t.patientId, t.kind, t.effectiveAt)],
);
