import { and, asc, eq, gt, lt, lte } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { inventoryItems, parLevels, stockLots, stockReservations } from '../../db/schema/index.ts';
import { defineOperation } from '../core/operation.ts';
import { addDays } from './rules.ts';
import { lotSchema, presentLot, presentReservation, reservationSchema } from './schema.ts';
import { isoDay, positionOf, requireLocation } from './store.ts';

const lotAlertSchema = lotSchema.extend({ itemName: z.string(), daysLeft: z.number().int() });

export const listInventoryAlerts = defineOperation({
  name: 'list_inventory_alerts',
  module: 'inventory',
  title: 'Inventory alerts',
  description:
    'What needs attention in stock, optionally at one location: lots expiring within `withinDays` (default ' +
    '30; use them first or move them), expired lots still on hand (waste them with waste_stock), items ' +
    'whose available stock is below the reorder point (propose_reorders orders them), and held reservations ' +
    'whose needed time has passed (consume or release them). Returns the four lists, soonest first.',
  input: z.object({
    withinDays: z.number().int().min(0).max(365).default(30),
    locationId: z.string().min(1).optional(),
  }),
  output: z.object({
    asOf: z.string(),
    expiringSoon: z.array(lotAlertSchema),
    expired: z.array(lotAlertSchema),
    belowReorderPoint: z.array(
      z.object({
        locationId: z.string(),
        itemId: z.string(),
        itemName: z.string(),
        available: z.number(),
        reorderPoint: z.number(),
        parLevel: z.number(),
      }),
    ),
    overdueReservations: z.array(reservationSchema),
  }),
  scope: 'inventory:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const now = ctx.clock.now();
    const today = isoDay(now);
    if (input.locationId) await requireLocation(db, input.locationId);
    const at = (col: AnyPgColumn) => (input.locationId ? eq(col, input.locationId) : undefined);
    const lots = await db
      .select({ lot: stockLots, itemName: inventoryItems.name })
      .from(stockLots)
      .innerJoin(inventoryItems, eq(inventoryItems.id, stockLots.itemId))
      .where(
        and(
          gt(stockLots.quantity, 0),
          lte(stockLots.expiresOn, addDays(today, input.withinDays)),
          at(stockLots.locationId),
        ),
      )
      .orderBy(
        asc(stockLots.expiresOn),
        asc(stockLots.locationId),
        asc(stockLots.itemId),
        asc(stockLots.lotNumber),
      );
    const daysLeft = (d: string) => Math.round((Date.parse(d) - Date.parse(today)) / 86_400_000);
    const alerts = lots.map(({ lot, itemName }) => ({
      ...presentLot(lot, today),
      itemName,
      daysLeft: daysLeft(lot.expiresOn),
    }));

    const pars = await db
      .select({ par: parLevels, itemName: inventoryItems.name })
      .from(parLevels)
      .innerJoin(inventoryItems, eq(inventoryItems.id, parLevels.itemId))
      .where(and(eq(inventoryItems.active, true), at(parLevels.locationId)))
      .orderBy(asc(parLevels.locationId), asc(parLevels.itemId));
    const belowReorderPoint = [];
    for (const { par, itemName } of pars) {
      const { position } = await positionOf(db, par.itemId, par.locationId, today);
      if (position.available < par.reorderPoint) {
        belowReorderPoint.push({
          locationId: par.locationId,
          itemId: par.itemId,
          itemName,
          available: position.available,
          reorderPoint: par.reorderPoint,
          parLevel: par.parLevel,
        });
      }
    }

    const overdue = await db
      .select()
      .from(stockReservations)
      .where(
        and(
          eq(stockReservations.status, 'held'),
          lt(stockReservations.neededAt, now),
          at(stockReservations.locationId),
        ),
      )
      .orderBy(asc(stockReservations.neededAt), asc(stockReservations.id));

    return {
      asOf: today,
      expiringSoon: alerts.filter((a) => !a.expired),
      expired: alerts.filter((a) => a.expired),
      belowReorderPoint,
      overdueReservations: overdue.map(presentReservation),
    };
  },
});
