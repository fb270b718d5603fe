import { and, asc, eq, ilike, or } from 'drizzle-orm';
import { z } from 'zod';
import {
  inventoryItemKinds,
  inventoryItems,
  inventoryLocationKinds,
  inventoryLocations,
  parLevels,
} from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { itemSchema, locationSchema, presentItem, presentLocation } from './schema.ts';
import { requireItem, requireLocation } from './store.ts';

// An NDC in the 11-digit 5-4-2 billing form (CMS NDC guidance for claims); HCPCS Level II is a letter and 4 digits.
const NDC_11 = /^[0-9]{11}$/;
const HCPCS_II = /^[A-V][0-9]{4}$/;

export const setInventoryItem = defineOperation({
  name: 'set_inventory_item',
  module: 'inventory',
  title: 'Add or change an inventory item',
  description:
    'Creates or updates (by itemId) a stocked item: a drug, supply or implant, with the unit it is counted ' +
    'and dispensed in, its NDC (11 digits, drugs) and HCPCS code (the J-code of a drug, the A/C/L code of a ' +
    'supply or implant), unit cost in cents, supplier lead time in days and order multiple. A drug needs an ' +
    'NDC or a HCPCS code so dispensing it can be charged. Set active false to discontinue it (its history ' +
    'stays). Returns the item and whether it was created.',
  input: z.object({
    itemId: z.string().trim().min(1).max(80),
    name: z.string().trim().min(2).max(200),
    kind: z.enum(inventoryItemKinds),
    unit: z.string().trim().min(1).max(30).describe('each, vial, mL, tablet, box…'),
    ndc: z.string().trim().regex(NDC_11, 'an NDC is 11 digits (5-4-2, no dashes)').optional(),
    hcpcs: z
      .string()
      .trim()
      .toUpperCase()
      .regex(HCPCS_II, 'a HCPCS Level II code is a letter and 4 digits')
      .optional(),
    unitCostCents: z.number().int().min(0).max(100_000_000),
    leadTimeDays: z.number().int().min(0).max(365).default(2),
    orderMultiple: z.number().int().min(1).max(10_000).default(1),
    active: z.boolean().default(true),
  }),
  output: z.object({ item: itemSchema, created: z.boolean() }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    if (input.kind === 'drug' && !input.ndc && !input.hcpcs) {
      throw new OperationError(
        'invalid',
        'A drug needs an NDC or a HCPCS code to be charged when dispensed',
        [{ field: 'ndc', message: 'required for a drug (or give hcpcs)' }],
      );
    }
    if (input.kind !== 'drug' && input.ndc) {
      throw new OperationError('invalid', `A ${input.kind} has no NDC`, [
        { field: 'ndc', message: 'only drugs have an NDC' },
      ]);
    }
    return auditedWrite(ctx, 'set_inventory_item', input, async (tx) => {
      if (input.ndc) {
        const [other] = await tx.select().from(inventoryItems).where(eq(inventoryItems.ndc, input.ndc));
        if (other && other.id !== input.itemId) {
          throw new OperationError(
            'conflict',
            `NDC ${input.ndc} is already item ${other.id} (${other.name})`,
            [{ field: 'ndc', message: `already used by ${other.id}` }],
          );
        }
      }
      const values = {
        name: input.name,
        kind: input.kind,
        unit: input.unit,
        ndc: input.ndc ?? null,
        hcpcs: input.hcpcs ?? null,
        unitCostCents: input.unitCostCents,
        leadTimeDays: input.leadTimeDays,
        orderMultiple: input.orderMultiple,
        active: input.active,
      };
      const [before] = await tx
        .select({ id: inventoryItems.id })
        .from(inventoryItems)
        .where(eq(inventoryItems.id, input.itemId))
        .for('update');
      const [row] = await tx
        .insert(inventoryItems)
        .values({ id: input.itemId, ...values })
        .onConflictDoUpdate({ target: inventoryItems.id, set: values })
        .returning();
      return { item: presentItem(row!), created: !before };
    });
  },
});

export const listInventoryItems = defineOperation({
  name: 'list_inventory_items',
  module: 'inventory',
  title: 'Inventory items',
  description:
    'Lists stocked items (drugs, supplies, implants) with unit, NDC, HCPCS, cost, lead time and order ' +
    'multiple; filter by kind or by text matching the name, NDC or HCPCS code. Discontinued items are left ' +
    'out unless includeInactive. Use it to find an itemId before asking about stock or dispensing.',
  input: z.object({
    kind: z.enum(inventoryItemKinds).optional(),
    search: z.string().trim().min(1).max(100).optional(),
    includeInactive: z.boolean().default(false),
  }),
  output: z.object({ items: z.array(itemSchema) }),
  scope: 'inventory:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const like = input.search ? `%${input.search.replace(/[%_\\]/g, '\\$&')}%` : null;
    const rows = await ctx.database.db
      .select()
      .from(inventoryItems)
      .where(
        and(
          input.kind ? eq(inventoryItems.kind, input.kind) : undefined,
          input.includeInactive ? undefined : eq(inventoryItems.active, true),
          like
            ? or(
                ilike(inventoryItems.name, like),
                ilike(inventoryItems.ndc, like),
                ilike(inventoryItems.hcpcs, like),
              )
            : undefined,
        ),
      )
      .orderBy(asc(inventoryItems.name), asc(inventoryItems.id));
    return { items: rows.map(presentItem) };
  },
});

export const listInventoryLocations = defineOperation({
  name: 'list_inventory_locations',
  module: 'inventory',
  title: 'Inventory locations',
  description:
    'Lists where stock is kept: the central store, the pharmacy, each unit’s cabinet and each theatre’s ' +
    'store, with the unit or theatre they serve and where their reorders are filled from. Filter by kind.',
  input: z.object({ kind: z.enum(inventoryLocationKinds).optional() }),
  output: z.object({ locations: z.array(locationSchema) }),
  scope: 'inventory:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const rows = await ctx.database.db
      .select()
      .from(inventoryLocations)
      .where(input.kind ? eq(inventoryLocations.kind, input.kind) : undefined)
      .orderBy(asc(inventoryLocations.kind), asc(inventoryLocations.id));
    return { locations: rows.map(presentLocation) };
  },
});

const parLevelSchema = z.object({
  locationId: z.string(),
  itemId: z.string(),
  parLevel: z.number(),
  reorderPoint: z.number(),
});

export const setParLevel = defineOperation({
  name: 'set_par_level',
  module: 'inventory',
  title: 'Set a par level and reorder point',
  description:
    'Sets what a location should hold of an item (par level) and the level below which a reorder is ' +
    'proposed (reorder point, at most the par level: the lead time’s demand plus safety stock). The nightly ' +
    'propose_reorders orders back up to par. Returns the par level.',
  input: z.object({
    locationId: z.string().min(1),
    itemId: z.string().min(1),
    parLevel: z.number().min(0).max(1_000_000),
    reorderPoint: z.number().min(0).max(1_000_000),
  }),
  output: z.object({ parLevel: parLevelSchema }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    if (input.reorderPoint > input.parLevel) {
      throw new OperationError('invalid', 'The reorder point cannot be above the par level', [
        { field: 'reorderPoint', message: `above the par level ${input.parLevel}` },
      ]);
    }
    return auditedWrite(ctx, 'set_par_level', input, async (tx) => {
      await requireLocation(tx, input.locationId);
      await requireItem(tx, input.itemId);
      const values = { parLevel: input.parLevel, reorderPoint: input.reorderPoint };
      const [row] = await tx
        .insert(parLevels)
        .values({ locationId: input.locationId, itemId: input.itemId, ...values })
        .onConflictDoUpdate({ target: [parLevels.locationId, parLevels.itemId], set: values })
        .returning();
      return { parLevel: row! };
    });
  },
});
