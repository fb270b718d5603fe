/**
 * Charges as charge capture (tools/revenue/charges) writes them, inserted directly for the claims tests:
 * one per fact — a bed-day per night on the encounter's unit (revenue code and DA from the chargemaster)
 * and one per encounter service (CPT with performer and diagnosis sequences; a drug billed by NDC with
 * its J-code; a supply).
 */
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import {
  charges,
  chargemasterItems,
  encounterServices,
  encounters,
  units,
} from '../../../db/schema/index.ts';

const DAY_MS = 86_400_000;

export async function captureCharges(database: Database, encounterId: string): Promise<string[]> {
  const { db } = database;
  const [encounter] = await db.select().from(encounters).where(eq(encounters.id, encounterId));
  if (!encounter) throw new Error(`no encounter ${encounterId}`);
  const capturedAt = new Date('2026-03-06T08:00:00Z');
  const rows: (typeof charges.$inferInsert)[] = [];
  if (encounter.class === 'IMP' && encounter.unitId && encounter.endedAt) {
    const [unit] = await db.select().from(units).where(eq(units.id, encounter.unitId));
    const [item] = await db
      .select()
      .from(chargemasterItems)
      .where(and(eq(chargemasterItems.kind, 'accommodation'), eq(chargemasterItems.code, unit!.type)));
    // Bed-days: each midnight the patient is in the bed; the day of discharge is not one.
    const first = Date.parse(encounter.startedAt.toISOString().slice(0, 10));
    const last = Date.parse(encounter.endedAt.toISOString().slice(0, 10));
    for (let t = first; t < last; t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      rows.push({
        id: `chg-${encounterId}-bed-${day}`,
        encounterId,
        kind: 'accommodation',
        source: `bed-day:${unit!.id}:${day}`,
        chargemasterItemId: item!.id,
        serviceDate: day,
        revenueCode: item!.revenueCode,
        units: 1,
        unitBasis: item!.unitBasis,
        unitPriceCents: item!.unitPriceCents,
        amountCents: item!.unitPriceCents,
        capturedBy: 'test:capture',
        capturedAt,
      });
    }
  }
  const services = await db
    .select({ s: encounterServices, item: chargemasterItems })
    .from(encounterServices)
    .innerJoin(
      chargemasterItems,
      and(
        eq(chargemasterItems.kind, encounterServices.kind),
        eq(chargemasterItems.code, encounterServices.code),
      ),
    )
    .where(eq(encounterServices.encounterId, encounterId));
  for (const { s, item } of services) {
    rows.push({
      id: `chg-${s.id}`,
      encounterId,
      kind: s.kind,
      source: `service:${s.id}`,
      chargemasterItemId: item.id,
      serviceDate: s.servicedOn,
      revenueCode: item.revenueCode,
      procedureCode: s.kind === 'drug' ? item.hcpcsCode : s.code,
      modifiers: s.modifiers,
      ndc: s.kind === 'drug' ? s.code : null,
      units: s.quantity,
      unitBasis: item.unitBasis,
      unitPriceCents: item.unitPriceCents,
      amountCents: Math.round(item.unitPriceCents * s.quantity),
      performerId: s.performerId,
      diagnosisSequences: s.diagnosisSequences,
      capturedBy: 'test:capture',
      capturedAt,
    });
  }
  await db.insert(charges).values(rows);
  return rows.map((r) => r.id);
}
