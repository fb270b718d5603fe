/**
 * Stock rules as pure functions: which lots a withdrawal takes, what is available, what to reorder.
 * No database, clock or ids here: the operations supply them.
 */

export interface LotFact {
  id: string;
  lotNumber: string;
  expiresOn: string;
  quantity: number;
  receivedAt: Date;
}

export interface Allocation {
  lot: LotFact;
  quantity: number;
}

/** Quantities are numeric (mL may be fractional): sums are kept to 4 decimals so 0.1 + 0.2 is 0.3. */
export function qty(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** A lot is usable through its expiry date and expired from the next day (USP General Notices, expiration date). */
export function isExpired(lot: { expiresOn: string }, today: string): boolean {
  return lot.expiresOn < today;
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * First-expiry-first-out: the unexpired lots that expire soonest are taken first (WHO Technical Report
 * Series 961 annex 9, Model guidance for the storage and transport of time- and temperature-sensitive
 * pharmaceutical products, and WHO TRS 957 annex 5 Good Distribution Practices: stock rotation by
 * earliest expiry). Ties go to the lot received first, then by lot number, so the choice is stable.
 */
export function pickFefo(
  lots: readonly LotFact[],
  quantity: number,
  today: string,
): { allocations: Allocation[]; shortfall: number } {
  const usable = lots
    .filter((l) => l.quantity > 0 && !isExpired(l, today))
    .sort(
      (a, b) =>
        a.expiresOn.localeCompare(b.expiresOn) ||
        a.receivedAt.getTime() - b.receivedAt.getTime() ||
        a.lotNumber.localeCompare(b.lotNumber),
    );
  const allocations: Allocation[] = [];
  let left = qty(quantity);
  for (const lot of usable) {
    if (left <= 0) break;
    const take = qty(Math.min(left, lot.quantity));
    allocations.push({ lot, quantity: take });
    left = qty(left - take);
  }
  return { allocations, shortfall: Math.max(0, left) };
}

export interface StockPosition {
  onHand: number;
  expired: number;
  reserved: number;
  /** On hand − expired lots − held reservations; never below 0. */
  available: number;
}

export function stockPosition(lots: readonly LotFact[], reserved: number, today: string): StockPosition {
  const onHand = qty(lots.reduce((s, l) => s + l.quantity, 0));
  const expired = qty(lots.filter((l) => isExpired(l, today)).reduce((s, l) => s + l.quantity, 0));
  return {
    onHand,
    expired,
    reserved: qty(reserved),
    available: Math.max(0, qty(onHand - expired - reserved)),
  };
}

export interface ReorderFacts {
  locationId: string;
  itemId: string;
  parLevel: number;
  reorderPoint: number;
  /** Available now: unexpired on hand less held reservations. */
  available: number;
  /** Unexpired stock in lots that expire before the lead time ends: it will not be there to use. */
  expiringInLeadTime: number;
  /** Quantity taken out (dispensed, transferred out, wasted) over the last `windowDays`. */
  consumed: number;
  windowDays: number;
  leadTimeDays: number;
  orderMultiple: number;
  unitCostCents: number;
}

export interface ReorderLine {
  locationId: string;
  itemId: string;
  quantity: number;
  unitCostCents: number;
  position: number;
  expectedLeadTimeUse: number;
}

/**
 * The reorder rule of a periodic-review order-up-to policy: when the inventory position falls below
 * the reorder point, order up to par plus the demand expected over the lead time, rounded up to the
 * order multiple (Silver, Pyke & Thomas, Inventory and Production Management in Supply Chains, 4th ed.,
 * ch. 6–7: reorder point = demand over the lead time + safety stock; the (s, S) policy). The position
 * counts only stock that will still be usable when the order arrives.
 */
export function reorderLine(f: ReorderFacts): ReorderLine | null {
  const position = qty(f.available - f.expiringInLeadTime);
  if (position >= f.reorderPoint) return null;
  const dailyUse = f.windowDays > 0 ? f.consumed / f.windowDays : 0;
  const expectedLeadTimeUse = qty(dailyUse * f.leadTimeDays);
  const need = f.parLevel - position + expectedLeadTimeUse;
  if (need <= 0) return null;
  const multiple = Math.max(1, f.orderMultiple);
  const quantity = Math.ceil(qty(need / multiple)) * multiple;
  return {
    locationId: f.locationId,
    itemId: f.itemId,
    quantity,
    unitCostCents: f.unitCostCents,
    position,
    expectedLeadTimeUse,
  };
}

/** Orders costing more than this wait for a materials manager ($2,500). */
export const DEFAULT_APPROVAL_THRESHOLD_CENTS = 250_000;
/** Consumption is averaged over the last four weeks: every weekday counted equally. */
export const CONSUMPTION_WINDOW_DAYS = 28;
