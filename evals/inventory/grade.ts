import type { Database } from '../../db/client.ts';
import type { InventoryCall } from './harness.ts';
import { checkInvariants } from './invariants.ts';
import { FIXTURE_LOT_AT, type Opening } from './state.ts';
import type { AlertExpectation, InventoryExpectation } from './types.ts';

const show = (v: unknown) => JSON.stringify(v);

/** The invariants (invariants.ts), then the scenario's own expectation; one line per difference. */
export async function gradeInventory(
  database: Database,
  expect: InventoryExpectation,
  run: { calls: InventoryCall[]; opening: Opening },
): Promise<string[]> {
  const failures = await checkInvariants(database, run);
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  const { sql } = database;

  for (const e of expect.lots ?? []) {
    const at = e.at ?? FIXTURE_LOT_AT[e.lot] ?? '';
    const [row] = await sql<{ quantity: string }[]>`
      select quantity from stock_lots where lot_number = ${e.lot} and location_id = ${at}`;
    check(!!row, `lot ${e.lot} at ${at}: none`);
    if (row)
      check(
        Number(row.quantity) === e.quantity,
        `lot ${e.lot} at ${at}: ${row.quantity}, expected ${e.quantity}`,
      );
  }
  if (expect.movements) {
    const rows = await sql<{ kind: string; n: number }[]>`
      select kind, count(*)::int as n from stock_movements group by kind`;
    const got = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    for (const [kind, n] of Object.entries(expect.movements))
      check((got[kind] ?? 0) === n, `${got[kind] ?? 0} ${kind} movements, expected ${n}`);
  }
  if (expect.dispensed) {
    const rows = await sql<{ lot_number: string; quantity: string }[]>`
      select l.lot_number, m.quantity from stock_movements m join stock_lots l on l.id = m.lot_id
      where m.kind = 'dispense' order by m.at, l.expires_on, l.received_at, l.lot_number`;
    const got = rows.map((r) => [r.lot_number, -Number(r.quantity)]);
    check(show(got) === show(expect.dispensed), `dispensed ${show(got)}, expected ${show(expect.dispensed)}`);
  }
  for (const [encounter, want] of Object.entries(expect.charges ?? {})) {
    // Only charges for services (a dispense is one); bed days a capture adds are not the suite's concern.
    const rows = await sql<{ amount_cents: number; procedure_code: string | null }[]>`
      select amount_cents, procedure_code from charges
      where encounter_id = ${encounter} and source like 'service:%' order by captured_at, id`;
    const amounts = rows.map((r) => r.amount_cents);
    check(
      show(amounts) === show(want.amounts),
      `${encounter}: charges ${show(amounts)}, expected ${show(want.amounts)}`,
    );
    if (want.codes) {
      const codes = rows.map((r) => r.procedure_code);
      check(
        show(codes) === show(want.codes),
        `${encounter}: charged codes ${show(codes)}, expected ${show(want.codes)}`,
      );
    }
  }
  if (expect.reservations) {
    const rows = await sql<
      { subject_id: string; status: string; quantity: string; closed_reason: string | null }[]
    >`
      select subject_id, status, quantity, closed_reason from stock_reservations order by created_at, id`;
    check(
      rows.length === expect.reservations.length,
      `${rows.length} reservations ${show(rows.map((r) => `${r.subject_id}:${r.status}`))}, expected ${expect.reservations.length}`,
    );
    for (const e of expect.reservations) {
      const r = rows.find((x) => x.subject_id === e.subject);
      if (!r) {
        failures.push(`reservation for ${e.subject}: none`);
        continue;
      }
      check(r.status === e.status, `reservation for ${e.subject}: ${r.status}, expected ${e.status}`);
      if (e.quantity !== undefined)
        check(
          Number(r.quantity) === e.quantity,
          `reservation for ${e.subject}: ${r.quantity}, expected ${e.quantity}`,
        );
      if (e.closedReason)
        check(
          e.closedReason.test(r.closed_reason ?? ''),
          `reservation for ${e.subject}: closed ${show(r.closed_reason)}, expected ${e.closedReason}`,
        );
    }
  }
  await gradeOrders(database, expect, check);
  for (const [tool, n] of Object.entries(expect.audited ?? {})) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from audit_log where tool = ${tool}`;
    check(row!.n === n, `${row!.n} audit entries for ${tool}, expected ${n}`);
  }
  for (const [tag, want] of Object.entries(expect.calls ?? {})) {
    const c = run.calls.find((x) => x.tag === tag);
    if (!c) {
      failures.push(`call ${tag} not made`);
      continue;
    }
    check(
      c.status === want.status,
      `call ${tag}: status ${c.status} (${c.detail.slice(0, 300)}), expected ${want.status}`,
    );
    if (want.detail)
      check(want.detail.test(c.detail), `call ${tag}: ${show(c.detail)} does not match ${want.detail}`);
    if (want.field !== undefined)
      check(c.field === want.field, `call ${tag}: names field ${show(c.field)}, expected ${want.field}`);
  }
  for (const race of expect.raced ?? []) {
    const got = race.tags.map((t) => run.calls.find((c) => c.tag === t)?.status ?? 0).sort((a, b) => a - b);
    check(
      show(got) === show([...race.statuses].sort((a, b) => a - b)),
      `concurrent calls ${race.tags.join(', ')}: statuses ${show(got)}, expected ${show(race.statuses)}`,
    );
  }
  for (const [tag, want] of Object.entries(expect.alerts ?? {})) {
    const c = run.calls.find((x) => x.tag === tag);
    if (c?.status !== 200) {
      failures.push(`alerts ${tag}: ${c ? `status ${c.status} ${c.detail}` : 'not asked'}`);
      continue;
    }
    gradeAlerts(tag, c.body as AlertsAnswer, want, check);
  }
  return failures;
}

interface AlertsAnswer {
  expiringSoon: { lotNumber: string }[];
  expired: { lotNumber: string }[];
  belowReorderPoint: { itemId: string; locationId: string }[];
  overdueReservations: { subjectId: string }[];
}

function gradeAlerts(
  tag: string,
  got: AlertsAnswer,
  want: AlertExpectation,
  check: (ok: boolean, what: string) => void,
) {
  const same = (what: string, have: string[], expected: string[] | undefined) => {
    if (expected)
      check(
        show(have) === show(expected),
        `alerts ${tag}: ${what} ${show(have)}, expected ${show(expected)}`,
      );
  };
  same(
    'expiring soon',
    got.expiringSoon.map((l) => l.lotNumber),
    want.expiringSoon,
  );
  same(
    'expired',
    got.expired.map((l) => l.lotNumber),
    want.expired,
  );
  same(
    'below reorder point',
    got.belowReorderPoint.map((b) => `${b.itemId}@${b.locationId}`),
    want.belowReorderPoint,
  );
  same(
    'overdue reservations',
    got.overdueReservations.map((r) => r.subjectId),
    want.overdue,
  );
}

async function gradeOrders(
  database: Database,
  expect: InventoryExpectation,
  check: (ok: boolean, what: string) => void,
) {
  if (expect.orderCount === undefined && !expect.orders) return;
  const { sql } = database;
  const orders = await sql<
    {
      id: string;
      location_id: string;
      status: string;
      total_cents: number;
      decided_by: string | null;
      expected_on: string | null;
    }[]
  >`select id, location_id, status, total_cents, decided_by, expected_on::text from purchase_orders order by created_at, id`;
  const lines = await sql<
    { purchase_order_id: string; item_id: string; quantity: string; received_quantity: string }[]
  >`
    select purchase_order_id, item_id, quantity, received_quantity from purchase_order_lines order by item_id`;
  if (expect.orderCount !== undefined)
    check(
      orders.length === expect.orderCount,
      `${orders.length} purchase orders ${show(orders.map((o) => `${o.location_id}:${o.status}`))}, expected ${expect.orderCount}`,
    );
  const used = new Set<string>();
  for (const e of expect.orders ?? []) {
    const o = orders.find((x) => !used.has(x.id) && x.location_id === e.location);
    const n = `order at ${e.location}`;
    if (!o) {
      check(false, `${n}: none`);
      continue;
    }
    used.add(o.id);
    check(o.status === e.status, `${n}: ${o.status}, expected ${e.status}`);
    if (e.totalCents !== undefined)
      check(o.total_cents === e.totalCents, `${n}: total ${o.total_cents}, expected ${e.totalCents}`);
    if (e.decidedBy !== undefined)
      check(o.decided_by === e.decidedBy, `${n}: decided by ${o.decided_by}, expected ${e.decidedBy}`);
    if (e.expectedOn)
      check(o.expected_on === e.expectedOn, `${n}: expected on ${o.expected_on}, expected ${e.expectedOn}`);
    if (e.lines) {
      const got = lines
        .filter((l) => l.purchase_order_id === o.id)
        .map((l) => ({
          item: l.item_id,
          quantity: Number(l.quantity),
          received: Number(l.received_quantity),
        }));
      const want = e.lines.map((l) => ({ item: l.item, quantity: l.quantity, received: l.received ?? 0 }));
      check(show(got) === show(want), `${n}: lines ${show(got)}, expected ${show(want)}`);
    }
  }
}
