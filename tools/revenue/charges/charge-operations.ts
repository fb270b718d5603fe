import { randomUUID } from 'node:crypto';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../../db/client.ts';
import { chargemasterItems, charges, chargeStatuses, units } from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import { auditedWrite, defineOperation } from '../../core/operation.ts';
import { priceEncounter } from './capture.ts';
import { loadCoding } from './coding-operations.ts';
import { refuseCancelled, requireEncounter } from './records.ts';
import { isoDay } from './rules.ts';
import { type ChargeView, chargeSchema, presentCharge, totalsOf, totalsSchema } from './schema.ts';

export async function loadCharges(db: DbOrTx, encounterId: string, status?: string): Promise<ChargeView[]> {
  const rows = await db
    .select()
    .from(charges)
    .where(
      and(
        eq(charges.encounterId, encounterId),
        status ? eq(charges.status, status as (typeof chargeStatuses)[number]) : undefined,
      ),
    )
    .orderBy(asc(charges.serviceDate), asc(charges.kind), asc(charges.source));
  return rows.map(presentCharge);
}

export const captureCharges = defineOperation({
  name: 'capture_charges',
  module: 'revenue',
  title: "Capture an encounter's charges",
  description:
    'Prices every billable fact of an encounter from the chargemaster into charges: for an inpatient stay ' +
    'one room-and-board charge per midnight (admission day counted, discharge day not; a same-day stay ' +
    "counts one day) at the unit type's price, and each recorded procedure, drug (NDC drugs with their " +
    'J-code) and supply. Idempotent: a fact already charged is not charged again, so run it again after ' +
    'recording more services to add just those. If any fact has no price, nothing is captured and the ' +
    'error lists every unpriced fact (add them with set_chargemaster_item). Returns the charges created, ' +
    'the ones already there, and totals.',
  input: z.object({ encounterId: z.string().min(1) }),
  output: z.object({
    encounterId: z.string(),
    created: z.array(chargeSchema),
    existing: z.array(chargeSchema).describe('Charges captured before, not voided'),
    totals: totalsSchema.describe('Over created and existing charges'),
  }),
  scope: 'revenue:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(
      ctx,
      'capture_charges',
      input,
      async (tx) => {
        // The encounter's row serialises captures of one encounter: the second waits, then finds the first's
        // charges. The unique index on (encounter, source) backs this up.
        const encounter = await requireEncounter(tx, input.encounterId, { lock: true });
        refuseCancelled(encounter, 'it is not billed');
        const [unit] = encounter.unitId
          ? await tx.select({ type: units.type }).from(units).where(eq(units.id, encounter.unitId))
          : [];
        const { services } = await loadCoding(tx, encounter.id);
        const items = await tx.select().from(chargemasterItems);
        const priced = priceEncounter(
          {
            encounterClass: encounter.class,
            unitType: unit?.type ?? null,
            startedAt: encounter.startedAt,
            endedAt: encounter.endedAt,
            services: services.map((s) => ({ ...s, quantity: Number(s.quantity) })),
          },
          items,
          isoDay(now),
        );
        if (priced.unpriced.length) {
          throw new OperationError(
            'conflict',
            `Nothing captured for ${encounter.id}: ${priced.unpriced.length} fact(s) have no chargemaster price: ` +
              priced.unpriced.map((u) => `${u.source} (${u.message})`).join('; '),
            priced.unpriced.map((u) => ({ field: u.source, message: u.message })),
          );
        }
        const existing = await loadCharges(tx, encounter.id);
        const live = existing.filter((c) => c.status !== 'voided');
        const charged = new Set(live.map((c) => c.source));
        const fresh = priced.charges.filter((c) => !charged.has(c.source));
        const created = fresh.length
          ? await tx
              .insert(charges)
              .values(
                fresh.map((c) => ({
                  id: `chg-${randomUUID()}`,
                  encounterId: encounter.id,
                  ...c,
                  capturedBy: ctx.actor.id,
                  capturedAt: now,
                })),
              )
              .onConflictDoNothing({
                target: [charges.encounterId, charges.source],
                where: sql`status <> 'voided'`,
              })
              .returning()
          : [];
        const createdViews = created.map(presentCharge);
        return {
          encounterId: encounter.id,
          created: createdViews,
          existing: live,
          totals: totalsOf([...live, ...createdViews]),
        };
      },
      (outcome) => outcome.created.length > 0,
    );
  },
});

export const listCharges = defineOperation({
  name: 'list_charges',
  module: 'revenue',
  title: "An encounter's charges",
  description:
    "An encounter's charges by service date, optionally only open (not yet on a claim), billed or voided, " +
    'with totals (voided charges excluded). Each says what it was captured from, its revenue code, ' +
    'CPT/HCPCS (J-code and NDC for drugs), units and amount in cents, and the claim that billed it.',
  input: z.object({ encounterId: z.string().min(1), status: z.enum(chargeStatuses).optional() }),
  output: z.object({ encounterId: z.string(), charges: z.array(chargeSchema), totals: totalsSchema }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    await requireEncounter(db, input.encounterId);
    const list = await loadCharges(db, input.encounterId, input.status);
    return { encounterId: input.encounterId, charges: list, totals: totalsOf(list) };
  },
});

export const voidCharge = defineOperation({
  name: 'void_charge',
  module: 'revenue',
  title: 'Void a charge',
  description:
    'Voids one open charge (captured in error, or a duplicate), with the reason. A charge already on a ' +
    'claim is refused, naming the claim: correct the claim instead. Capturing the encounter again will ' +
    'charge the fact anew, so void a fact only with the service corrected. Returns the voided charge.',
  input: z.object({ chargeId: z.string().min(1), reason: z.string().trim().min(3).max(500) }),
  output: z.object({ charge: chargeSchema }),
  scope: 'revenue:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const row = await auditedWrite(ctx, 'void_charge', input, async (tx) => {
      const [c] = await tx.select().from(charges).where(eq(charges.id, input.chargeId)).for('update');
      if (!c) {
        throw new OperationError('not_found', `No charge ${input.chargeId}`, [
          { field: 'chargeId', message: 'no such charge' },
        ]);
      }
      if (c.status === 'billed') {
        throw new OperationError(
          'conflict',
          `Charge ${c.id} is billed on claim ${c.claimId}: correct or void the claim instead`,
          [{ field: 'chargeId', message: `billed on claim ${c.claimId}` }],
        );
      }
      if (c.status === 'voided') {
        throw new OperationError('conflict', `Charge ${c.id} is already voided (${c.voidReason})`, [
          { field: 'chargeId', message: 'already voided' },
        ]);
      }
      const [updated] = await tx
        .update(charges)
        .set({ status: 'voided', voidReason: input.reason })
        .where(and(eq(charges.id, c.id), ne(charges.status, 'voided')))
        .returning();
      return updated!;
    });
    return { charge: presentCharge(row) };
  },
});
