import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { purchaseOrderStatuses, purchaseOrders, staff } from '../../db/schema/index.ts';
import { OperationError } from '../core/errors.ts';
import { auditedWrite, defineOperation } from '../core/operation.ts';
import { assertReceivable, closeIfComplete, lockPurchaseOrder, receive } from './receipts.ts';
import {
  movementSchema,
  presentMovement,
  purchaseOrderSchema,
  quantitySchema,
  reasonSchema,
} from './schema.ts';
import { presentOrders } from './reorder-operations.ts';

export const answerPurchaseOrder = defineOperation({
  name: 'answer_purchase_order',
  module: 'inventory',
  title: 'Approve or decline a purchase order',
  description:
    'A materials manager’s answer to a purchase order awaiting approval (one costing more than its ' +
    'threshold): approve, and it can be received; decline (with a reason), and it is cancelled (the next ' +
    'reorder run may propose the items again). Only staff with the materials-manager role may answer. ' +
    'Returns the order.',
  input: z.object({
    purchaseOrderId: z.string().min(1),
    staffId: z.string().min(1).describe('The materials manager answering'),
    decision: z.enum(['approve', 'decline']),
    reason: reasonSchema.optional(),
  }),
  output: z.object({ order: purchaseOrderSchema }),
  scope: 'inventory:write',
  risk: 'critical',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    const [manager] = await ctx.database.db.select().from(staff).where(eq(staff.id, input.staffId));
    if (!manager) {
      throw new OperationError('not_found', `No staff member ${input.staffId}`, [
        { field: 'staffId', message: 'no such staff member' },
      ]);
    }
    if (manager.role !== 'materials-manager') {
      throw new OperationError(
        'forbidden',
        `${manager.name} (${input.staffId}, ${manager.role}) may not answer purchase orders; a materials manager does`,
        [{ field: 'staffId', message: `${input.staffId} is not a materials manager` }],
      );
    }
    if (input.decision === 'decline' && !input.reason) {
      throw new OperationError('invalid', 'A decline needs a reason', [
        { field: 'reason', message: 'required' },
      ]);
    }
    return auditedWrite(ctx, 'answer_purchase_order', input, async (tx) => {
      const po = await lockPurchaseOrder(tx, input.purchaseOrderId);
      if (po.status !== 'awaiting-approval') {
        throw new OperationError(
          'conflict',
          `Purchase order ${po.id} waits for no approval (it is ${po.status})`,
          [{ field: 'purchaseOrderId', message: `the order is ${po.status}` }],
        );
      }
      const [row] = await tx
        .update(purchaseOrders)
        .set({
          status: input.decision === 'approve' ? 'approved' : 'cancelled',
          decidedBy: manager.id,
          decidedAt: now,
        })
        .where(eq(purchaseOrders.id, po.id))
        .returning();
      const [order] = await presentOrders(tx, [row!]);
      return { order: order! };
    });
  },
});

export const receivePurchaseOrder = defineOperation({
  name: 'receive_purchase_order',
  module: 'inventory',
  title: 'Receive a delivery against a purchase order',
  description:
    'Records a delivery for an approved purchase order: each line received with its lot number, expiry ' +
    'and quantity (an item may arrive in several lots). Partial deliveries add up; more than is still ' +
    'outstanding on a line is refused. The order becomes received when every line is in. Returns the ' +
    'order and the receive movements.',
  input: z.object({
    purchaseOrderId: z.string().min(1),
    lines: z
      .array(
        z.object({
          itemId: z.string().min(1),
          lotNumber: z.string().trim().min(1).max(40),
          expiresOn: z.iso.date(),
          quantity: quantitySchema,
        }),
      )
      .min(1)
      .max(200),
  }),
  output: z.object({ order: purchaseOrderSchema, movements: z.array(movementSchema) }),
  scope: 'inventory:write',
  risk: 'write',
  idempotent: false,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const now = ctx.clock.now();
    return auditedWrite(ctx, 'receive_purchase_order', input, async (tx) => {
      let po = await lockPurchaseOrder(tx, input.purchaseOrderId);
      assertReceivable(po);
      const movements = [];
      for (const [i, line] of input.lines.entries()) {
        const { movement } = await receive(
          tx,
          ctx,
          { ...line, locationId: po.locationId, purchaseOrderId: po.id },
          `lines.${i}.`,
        );
        movements.push(presentMovement(movement));
      }
      po = await closeIfComplete(tx, po, now);
      const [order] = await presentOrders(tx, [po]);
      return { order: order!, movements };
    });
  },
});

export const listPurchaseOrders = defineOperation({
  name: 'list_purchase_orders',
  module: 'inventory',
  title: 'Purchase orders',
  description:
    'Purchase orders, newest first, with their lines (ordered and received quantities), total, status ' +
    '(awaiting-approval, approved, received, cancelled), expected delivery date and the basis the reorder ' +
    'job gave. Filter by status or location.',
  input: z.object({
    status: z.enum(purchaseOrderStatuses).optional(),
    locationId: z.string().min(1).optional(),
  }),
  output: z.object({ orders: z.array(purchaseOrderSchema) }),
  scope: 'inventory:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'GET' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const rows = await db
      .select()
      .from(purchaseOrders)
      .where(
        and(
          input.status ? eq(purchaseOrders.status, input.status) : undefined,
          input.locationId ? eq(purchaseOrders.locationId, input.locationId) : undefined,
        ),
      )
      .orderBy(desc(purchaseOrders.createdAt), desc(purchaseOrders.id));
    return { orders: await presentOrders(db, rows) };
  },
});
