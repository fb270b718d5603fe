import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { chargemasterItems, charges, encounterServices } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { priceEncounter, serviceSource } from '../revenue/charges/capture.ts';
import { refuseCancelled, requireEncounter } from '../revenue/charges/records.ts';
import type { ItemRow } from './store.ts';

/**
 * What a dispense is billed as: a drug by its NDC (or its J-code when it has none), a supply or implant
 * by its HCPCS code as a supply. The price comes from the chargemaster, as capture_charges prices it.
 */
export function billedAs(item: ItemRow): { kind: 'drug' | 'supply'; code: string } | null {
  if (item.kind === 'drug') {
    const code = item.ndc ?? item.hcpcs;
    return code ? { kind: 'drug', code } : null;
  }
  return item.hcpcs ? { kind: 'supply', code: item.hcpcs } : null;
}

export type PriceRow = typeof chargemasterItems.$inferSelect;

/** The chargemaster price a dispense of the item is charged at, refused naming the item when there is none. */
export async function requirePrice(
  tx: Tx,
  item: ItemRow,
): Promise<{ price: PriceRow; kind: 'drug' | 'supply'; code: string }> {
  const billed = billedAs(item);
  if (!billed) {
    throw new OperationError(
      'conflict',
      `${item.name} (${item.id}) has no NDC or HCPCS code to charge it by`,
      [{ field: 'itemId', message: 'no billing code: set_inventory_item with ndc or hcpcs' }],
    );
  }
  const [price] = await tx
    .select()
    .from(chargemasterItems)
    .where(and(eq(chargemasterItems.kind, billed.kind), eq(chargemasterItems.code, billed.code)));
  if (!price) {
    throw new OperationError(
      'conflict',
      `Nothing dispensed: ${item.name} (${billed.kind} ${billed.code}) has no chargemaster price ` +
        '(add it with set_chargemaster_item)',
      [{ field: 'itemId', message: `no chargemaster price for ${billed.kind} ${billed.code}` }],
    );
  }
  return { price, ...billed };
}

/**
 * Records the dispense as a service given in the patient's encounter and captures its charge, in the
 * caller's transaction: the same service row and the same pricing capture_charges uses, so a later
 * capture finds the charge already there (one charge per service source).
 */
export async function chargeDispense(
  tx: Tx,
  input: {
    encounterId: string;
    patientId: string;
    item: ItemRow;
    quantity: number;
    today: string;
    by: string;
    now: Date;
  },
): Promise<{ serviceId: string; chargeId: string; amountCents: number }> {
  const encounter = await requireEncounter(tx, input.encounterId, { lock: true });
  refuseCancelled(encounter, 'nothing is dispensed on it');
  if (encounter.patientId !== input.patientId) {
    throw new OperationError('invalid', `Encounter ${encounter.id} is patient ${encounter.patientId}’s`, [
      { field: 'encounterId', message: `not an encounter of patient ${input.patientId}` },
    ]);
  }
  const from = encounter.startedAt.toISOString().slice(0, 10);
  const to = encounter.endedAt ? encounter.endedAt.toISOString().slice(0, 10) : input.today;
  if (input.today < from || input.today > to) {
    throw new OperationError(
      'conflict',
      `Encounter ${encounter.id} runs ${from} to ${to}, not today (${input.today})`,
      [{ field: 'encounterId', message: `not in progress on ${input.today}` }],
    );
  }
  const { price, kind, code } = await requirePrice(tx, input.item);
  const [service] = await tx
    .insert(encounterServices)
    .values({
      id: `svc-${randomUUID()}`,
      encounterId: encounter.id,
      kind,
      code,
      quantity: input.quantity,
      servicedOn: input.today,
      recordedBy: input.by,
      recordedAt: input.now,
    })
    .returning();
  const priced = priceEncounter(
    {
      encounterClass: encounter.class,
      unitType: null,
      startedAt: encounter.startedAt,
      endedAt: encounter.endedAt,
      services: [{ ...service!, quantity: input.quantity }],
    },
    [price],
    input.today,
  );
  const planned = priced.charges.find((c) => c.source === serviceSource(service!.id));
  if (!planned) throw new Error(`pricing ${service!.id} produced no charge`);
  const [charge] = await tx
    .insert(charges)
    .values({
      id: `chg-${randomUUID()}`,
      encounterId: encounter.id,
      ...planned,
      capturedBy: input.by,
      capturedAt: input.now,
    })
    .returning();
  return { serviceId: service!.id, chargeId: charge!.id, amountCents: charge!.amountCents };
}
