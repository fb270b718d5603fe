import type { Database } from '../../db/client.ts';
import type { Refs } from './types.ts';

/**
 * What the fixture held before the first step: each lot's opening quantity (the fixture writes its lots
 * directly, with no receive movement) and the services and charges already recorded, so the grader can
 * tell what the trial itself moved and charged.
 */
export interface Opening {
  lots: Map<string, number>;
  services: Set<string>;
  charges: Set<string>;
}

export async function openingOf(database: Database): Promise<Opening> {
  const { sql } = database;
  const lots = await sql<{ id: string; quantity: string }[]>`select id, quantity from stock_lots`;
  const services = await sql<{ id: string }[]>`select id from encounter_services`;
  const charges = await sql<{ id: string }[]>`select id from charges`;
  return {
    lots: new Map(lots.map((l) => [l.id, Number(l.quantity)])),
    services: new Set(services.map((s) => s.id)),
    charges: new Set(charges.map((c) => c.id)),
  };
}

/** Where the fixture keeps each of its lot numbers (tools/inventory/test-fixtures.ts). */
export const FIXTURE_LOT_AT: Record<string, string> = {
  'INS-OLD': 'loc-pharmacy',
  'INS-A': 'loc-pharmacy',
  'INS-B': 'loc-pharmacy',
  'STR-1': 'loc-central',
};

/** Ids as they stand now, for a step's body: reservations and orders have random ids. */
export async function refsNow(database: Database): Promise<Refs> {
  const { sql } = database;
  const reservations = await sql<{ id: string; subject_id: string }[]>`
    select id, subject_id from stock_reservations order by created_at, id`;
  const orders = await sql<{ id: string; location_id: string }[]>`
    select id, location_id from purchase_orders order by created_at, id`;
  const lots = await sql<{ id: string; lot_number: string; location_id: string }[]>`
    select id, lot_number, location_id from stock_lots`;
  return {
    reservation(subjectId) {
      const found = reservations.filter((r) => r.subject_id === subjectId).at(-1);
      if (!found) throw new Error(`step names a reservation for ${subjectId}, but there is none`);
      return found.id;
    },
    order(locationId, nth) {
      const at = orders.filter((o) => o.location_id === locationId);
      const found = nth === undefined ? at.at(-1) : at[nth];
      if (!found) throw new Error(`step names a purchase order at ${locationId}, but there is none`);
      return found.id;
    },
    lot(lotNumber, locationId) {
      const found = lots.find((l) => l.lot_number === lotNumber && l.location_id === locationId);
      if (!found) throw new Error(`step names lot ${lotNumber} at ${locationId}, but there is none`);
      return found.id;
    },
  };
}
