import type { AnyOperation } from '../core/operation.ts';
import { listInventoryAlerts } from './alert-operations.ts';
import {
  listInventoryItems,
  listInventoryLocations,
  setInventoryItem,
  setParLevel,
} from './catalogue-operations.ts';
import {
  consumeStockReservation,
  dispenseToPatient,
  releaseStockReservation,
  reserveStock,
} from './dispense-operations.ts';
import { answerPurchaseOrder, listPurchaseOrders, receivePurchaseOrder } from './order-operations.ts';
import { proposeReorders } from './reorder-operations.ts';
import { releaseStockReservationsFor } from './release-operations.ts';
import { adjustStock, getStock, receiveStock, transferStock, wasteStock } from './stock-operations.ts';

/** The inventory module's operations: items, locations, stock by lot, movements, reservations, reorders. */
export const inventoryOperations: readonly AnyOperation[] = [
  setInventoryItem,
  listInventoryItems,
  listInventoryLocations,
  setParLevel,
  getStock,
  receiveStock,
  transferStock,
  dispenseToPatient,
  wasteStock,
  adjustStock,
  reserveStock,
  releaseStockReservation,
  releaseStockReservationsFor,
  consumeStockReservation,
  proposeReorders,
  answerPurchaseOrder,
  receivePurchaseOrder,
  listPurchaseOrders,
  listInventoryAlerts,
];
