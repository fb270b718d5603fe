import type { Database } from '../../db/client.ts';
import { verifyAuditChain } from '../../tools/audit/chain.ts';
import type { InventoryCall } from './harness.ts';
import type { Opening } from './state.ts';

const show = (v: unknown) => JSON.stringify(v);

/** The tools that may record a movement of each kind (tools/inventory/*-operations.ts). */
const TOOLS_OF: Record<string, string[]> = {
  receive: ['receive_stock', 'receive_purchase_order'],
  'transfer-out': ['transfer_stock'],
  'transfer-in': ['transfer_stock'],
  dispense: ['dispense_to_patient', 'consume_stock_reservation'],
  waste: ['waste_stock'],
  adjust: ['adjust_stock'],
};

/**
 * What every trial must keep, whatever its scenario: no lot below zero; each lot's quantity is its
 * opening quantity plus its movements; every movement is named in an ok audit entry of a tool that may
 * make it, at the same moment (a write and its record commit together); every dispense to an encounter
 * carries its own charge of that encounter, and every service and charge dispensing created is one a
 * movement names (no charge without its dispense, no dispense without its charge); no call ended in a
 * server error; the audit chain verifies.
 */
export async function checkInvariants(
  database: Database,
  run: { calls: InventoryCall[]; opening: Opening },
): Promise<string[]> {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const { sql } = database;
  const lots = await sql<
    { id: string; lot_number: string; location_id: string; quantity: string; moved: string | null }[]
  >`
    select l.id, l.lot_number, l.location_id, l.quantity,
      (select sum(m.quantity) from stock_movements m where m.lot_id = l.id) as moved
    from stock_lots l order by l.id`;
  for (const l of lots) {
    const name = `lot ${l.lot_number} at ${l.location_id}`;
    const quantity = Number(l.quantity);
    check(quantity >= 0, `${name} holds ${quantity}, below zero`);
    const expected = Math.round(((run.opening.lots.get(l.id) ?? 0) + Number(l.moved ?? 0)) * 10_000) / 10_000;
    check(
      quantity === expected,
      `${name} holds ${quantity}, but its opening quantity and movements add up to ${expected}`,
    );
  }

  const movements = await sql<
    { id: string; kind: string; at: Date; encounter_id: string | null; charge_id: string | null }[]
  >`select id, kind, at, encounter_id, charge_id from stock_movements order by at, id`;
  const audits = await sql<{ tool: string; at: Date; outcome: string }[]>`
    select tool, at, outcome::text as outcome from audit_log where status = 'ok'`;
  for (const m of movements) {
    const entry = audits.find((a) => a.outcome.includes(`"${m.id}"`));
    if (!entry) {
      failures.push(`movement ${m.id} (${m.kind}) has no audit entry`);
      continue;
    }
    check(
      (TOOLS_OF[m.kind] ?? []).includes(entry.tool),
      `movement ${m.id} (${m.kind}) is audited as ${entry.tool}`,
    );
    check(
      new Date(entry.at).getTime() === new Date(m.at).getTime(),
      `movement ${m.id} at ${new Date(m.at).toISOString()} audited at ${new Date(entry.at).toISOString()}`,
    );
  }

  const charges = await sql<{ id: string; encounter_id: string; source: string }[]>`
    select id, encounter_id, source from charges`;
  const chargeById = new Map(charges.map((c) => [c.id, c]));
  const named = new Set<string>();
  for (const m of movements.filter((x) => x.kind === 'dispense' && x.encounter_id)) {
    const charge = m.charge_id ? chargeById.get(m.charge_id) : undefined;
    check(!!charge, `dispense ${m.id} to ${m.encounter_id} has no charge (${m.charge_id})`);
    if (charge)
      check(
        charge.encounter_id === m.encounter_id,
        `dispense ${m.id} to ${m.encounter_id} is charged to ${charge.encounter_id}`,
      );
    if (m.charge_id) named.add(m.charge_id);
  }
  const services = await sql<{ id: string }[]>`select id from encounter_services`;
  const newServices = services.map((s) => s.id).filter((id) => !run.opening.services.has(id));
  for (const id of newServices) {
    const of = charges.filter((c) => c.source === `service:${id}`);
    check(of.length === 1, `service ${id} recorded in the trial has ${of.length} charges`);
    for (const c of of)
      check(named.has(c.id), `charge ${c.id} for service ${id} is named by no dispense movement`);
  }
  const fromDispensing = charges.filter(
    (c) => !run.opening.charges.has(c.id) && newServices.some((s) => c.source === `service:${s}`),
  );
  check(
    fromDispensing.length === named.size,
    `${fromDispensing.length} charges for services recorded in the trial, ${named.size} named by dispenses`,
  );

  for (const c of run.calls)
    check(c.status < 500, `call ${c.tag ?? '(untagged)'} answered ${c.status}: ${c.detail.slice(0, 200)}`);
  const audit = await verifyAuditChain(sql);
  check(audit.intact, `audit chain broken: ${show(audit)}`);
  return failures;
}
