import { asc, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import {
  bedReservations,
  beds,
  escalationEvents,
  escalations,
  notifications,
  units,
} from '../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { verifyAuditChain } from '../tools/audit/chain.ts';
import type { Expectation } from './types.ts';

const show = (v: unknown) => JSON.stringify(v);
const matches = (text: string, pattern: string | RegExp) =>
  typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);

/** Compares the final database state with the expectation; returns one line per difference. */
export async function grade(database: Database, expect: Expectation, statuses: number[]): Promise<string[]> {
  const failures: string[] = [];
  const db = database.db;
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };
  if (expect.statuses)
    check(
      show(statuses) === show(expect.statuses),
      `statuses ${show(statuses)}, expected ${show(expect.statuses)}`,
    );

  const escs = await db.select().from(escalations).orderBy(asc(escalations.createdAt), asc(escalations.id));
  if (expect.escalations) {
    check(
      escs.length === expect.escalations.length,
      `${escs.length} escalations, expected ${expect.escalations.length}`,
    );
    expect.escalations.forEach((want, i) => {
      const got = escs[i];
      if (!got) return;
      check(
        got.condition === want.condition,
        `escalation ${i + 1}: condition ${got.condition}, expected ${want.condition}`,
      );
      if (want.level)
        check(got.level === want.level, `escalation ${i + 1}: level ${got.level}, expected ${want.level}`);
      check(
        got.status === want.status,
        `escalation ${i + 1}: status ${got.status}, expected ${want.status} (outcome: ${got.outcome})`,
      );
      if (want.outcome) {
        check(
          matches(got.outcome ?? '', want.outcome),
          `escalation ${i + 1}: outcome "${got.outcome}", expected ${String(want.outcome)}`,
        );
      }
    });
  }

  if (expect.heldBeds) {
    const held = await db
      .select({ unitType: units.type, telemetry: beds.telemetry })
      .from(bedReservations)
      .innerJoin(beds, eq(beds.id, bedReservations.bedId))
      .innerJoin(units, eq(units.id, beds.unitId))
      .where(inArray(bedReservations.status, ['held', 'accepted']));
    check(
      held.length === expect.heldBeds.count,
      `${held.length} beds held, expected ${expect.heldBeds.count}`,
    );
    if (expect.heldBeds.unitTypes) {
      const allowed = expect.heldBeds.unitTypes;
      check(
        held.every((h) => allowed.includes(h.unitType)),
        `held beds in ${show(held.map((h) => h.unitType))}, expected only ${show(allowed)}`,
      );
    }
    if (expect.heldBeds.telemetry !== undefined) {
      check(
        held.every((h) => h.telemetry === expect.heldBeds!.telemetry),
        `held bed telemetry ${show(held.map((h) => h.telemetry))}`,
      );
    }
  }

  const sent = await db
    .select()
    .from(notifications)
    .orderBy(asc(notifications.createdAt), asc(notifications.id));
  const byChannel = (c: string) => sent.filter((n) => n.channel === c);
  if (expect.paged) {
    const got = byChannel('page').map((n) => n.recipientId);
    check(show(got) === show(expect.paged), `paged ${show(got)}, expected ${show(expect.paged)}`);
  }
  if (expect.notified) {
    const got = byChannel('notify').map((n) => n.recipientId);
    check(show(got) === show(expect.notified), `notified ${show(got)}, expected ${show(expect.notified)}`);
  }
  for (const pattern of expect.adviceContains ?? []) {
    const advice = byChannel('advice');
    check(advice.length > 0, 'no advice was sent to the patient');
    for (const a of advice)
      check(matches(a.message, pattern), `advice "${a.message}" lacks ${String(pattern)}`);
  }
  for (const pattern of expect.clinicianMessageContains ?? []) {
    for (const n of sent.filter((s) => s.recipientKind === 'staff')) {
      const p =
        typeof pattern === 'string' ? pattern.replace('{escalationId}', n.escalationId ?? '') : pattern;
      check(matches(n.message, p), `${n.channel} to ${n.recipientId} "${n.message}" lacks ${String(p)}`);
    }
  }
  if (expect.eventMessages) {
    const events = await db.select({ message: escalationEvents.message }).from(escalationEvents);
    for (const pattern of expect.eventMessages) {
      check(
        events.some((e) => pattern.test(e.message)),
        `no escalation event matches ${String(pattern)}`,
      );
    }
  }
  if (expect.observations !== undefined) {
    const [row] = await database.sql`select count(*)::int as n from observations`;
    check(row!.n === expect.observations, `${row!.n} observations stored, expected ${expect.observations}`);
  }
  if (expect.auditChainIntact !== false) {
    const report = await verifyAuditChain(database.sql);
    check(report.intact, `audit chain broken: ${show(report)}`);
  }
  return failures;
}
