import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database, Tx } from '../client.ts';
import * as schema from '../schema/index.ts';
import { generateHospital, type Hospital, hospitalTables, type SeedSize } from './generate.ts';

export interface SeedProgress {
  table: string;
  done: number;
  total: number;
}

export interface SeedOptions {
  seed: number;
  size: SeedSize;
  /** Delete the current hospital (and its escalations, jobs and runs) first. */
  replace?: boolean;
  onProgress?: (p: SeedProgress) => void;
  /** Runs inside the seed's transaction after the rows are written: where the caller audits it. */
  onWritten?: (
    tx: Tx,
    written: { seed: number; size: SeedSize; replace: boolean; counts: Record<string, number> },
  ) => Promise<void>;
}

const tableOf: Record<keyof Hospital, PgTable> = {
  units: schema.units,
  rooms: schema.rooms,
  beds: schema.beds,
  theatres: schema.theatres,
  staff: schema.staff,
  staffSkills: schema.staffSkills,
  onCallRota: schema.onCallRota,
  patients: schema.patients,
  encounters: schema.encounters,
  devices: schema.devices,
  shifts: schema.shifts,
  billingProfiles: schema.billingProfiles,
  payers: schema.payers,
  payerPlans: schema.payerPlans,
  coverages: schema.coverages,
  priorAuthorizations: schema.priorAuthorizations,
  chargemasterItems: schema.chargemasterItems,
  feeScheduleEntries: schema.feeScheduleEntries,
  encounterDiagnoses: schema.encounterDiagnoses,
  encounterServices: schema.encounterServices,
  inventoryItems: schema.inventoryItems,
  inventoryLocations: schema.inventoryLocations,
  stockLots: schema.stockLots,
  parLevels: schema.parLevels,
  surgicalProcedures: schema.surgicalProcedures,
  procedureItems: schema.procedureItems,
};

// Everything that refers to the hospital's rows, children first. The audit log stays: it is history.
const REPLACED_TABLES = [
  'surgical_team_assignments',
  'bed_bookings',
  'surgery_requests',
  'procedure_items',
  'surgical_procedures',
  'purchase_order_lines',
  'purchase_orders',
  'stock_reservations',
  'stock_movements',
  'par_levels',
  'stock_lots',
  'inventory_locations',
  'inventory_items',
  'revenue_tasks',
  'denial_work_items',
  'claim_payments',
  'remittances',
  'claim_submissions',
  'claims',
  'charges',
  'encounter_services',
  'encounter_diagnoses',
  'fee_schedule_entries',
  'chargemaster_items',
  'prior_authorizations',
  'coverages',
  'payer_plans',
  'payers',
  'billing_profiles',
  'cover_requests',
  'roster_proposals',
  'approvals',
  'bed_requests',
  'theatre_bookings',
  'theatres',
  'staff_skills',
  'staff_leave',
  'shift_requests',
  'unit_staffing_policies',
  'notifications',
  'escalation_events',
  'escalations',
  'observations',
  'bed_reservations',
  'bed_events',
  'idempotency_keys',
  'jobs',
  'agent_runs',
  'shifts',
  'devices',
  'encounters',
  'on_call_rota',
  'patients',
  'staff',
  'beds',
  'rooms',
  'units',
];

const BATCH = 1000;

export class AlreadySeededError extends Error {
  constructor() {
    super('The database already holds a hospital; pass --replace to delete it and seed again.');
    this.name = 'AlreadySeededError';
  }
}

export async function isSeeded(database: Database): Promise<boolean> {
  const rows = await database.sql`select exists (select 1 from units) as seeded`;
  return Boolean(rows[0]?.seeded);
}

/**
 * Writes the generated hospital in one transaction: a failure leaves the database as it was.
 * Returns the row count per table.
 */
export async function seedDatabase(database: Database, opts: SeedOptions): Promise<Record<string, number>> {
  const hospital = generateHospital(opts.seed, opts.size);
  const counts: Record<string, number> = {};
  await database.db.transaction(async (tx) => {
    // Two seeders racing on an empty database would otherwise both pass the check below.
    await tx.execute(sql`select pg_advisory_xact_lock(7320003)`);
    const existing = await tx.execute<{ seeded: boolean }>(
      sql`select exists (select 1 from units) as seeded`,
    );
    if (existing[0]?.seeded) {
      if (!opts.replace) throw new AlreadySeededError();
      await tx.execute(sql.raw(`truncate ${REPLACED_TABLES.join(', ')}`));
    }
    for (const name of hospitalTables) {
      const rows = hospital[name];
      for (let i = 0; i < rows.length; i += BATCH) {
        await tx.insert(tableOf[name]).values(rows.slice(i, i + BATCH));
        opts.onProgress?.({ table: name, done: Math.min(i + BATCH, rows.length), total: rows.length });
      }
      if (rows.length === 0) opts.onProgress?.({ table: name, done: 0, total: 0 });
      counts[name] = rows.length;
    }
    await opts.onWritten?.(tx, { seed: opts.seed, size: opts.size, replace: Boolean(opts.replace), counts });
  });
  return counts;
}
