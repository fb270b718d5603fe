import type { Database } from '../../db/client.ts';
import type {
  purchaseOrderStatuses,
  stockMovementKinds,
  stockReservationStatuses,
} from '../../db/schema/index.ts';
import type { ManualClock } from '../../tools/core/clock.ts';

/** The ward's staff (inventory:read/write), an admin (everything), the billing office (no inventory scope). */
export type KeyName = 'staff' | 'admin' | 'billing';

/**
 * Ids only known while a trial runs (reservations and purchase orders get random ids), looked up from
 * the database as it stands when the step runs. A step naming something that does not exist is a
 * crashed trial.
 */
export interface Refs {
  /** The newest reservation for a subject id (any status). */
  reservation(subjectId: string): string;
  /** The newest purchase order for a location (any status), or the nth oldest when `nth` is given. */
  order(locationId: string, nth?: number): string;
  /** The lot with this number at the location. */
  lot(lotNumber: string, locationId: string): string;
}

/**
 * One thing that happens, through the real HTTP API (POST /v1/ops/<op>, the staff key unless `as`
 * says otherwise). The clock starts on 2026-03-20 09:00 UTC (the inventory fixture's today) and moves a
 * second per step.
 */
export type InventoryStep = (
  | { op: string; body: Record<string, unknown> | ((ids: Refs) => Record<string, unknown>); as?: KeyName }
  | { advanceDays: number }
  | { advanceHours: number }
  /** Steps sent at the same time (real concurrent requests), each with its own tag. */
  | { together: InventoryStep[] }
) & { tag?: string };

export type MovementKind = (typeof stockMovementKinds)[number];

export interface LotExpectation {
  lot: string;
  /** Default: the location the fixture keeps that lot number at (INS-* at the pharmacy, STR-1 central). */
  at?: string;
  quantity: number;
}

export interface ReservationExpectation {
  subject: string;
  status: (typeof stockReservationStatuses)[number];
  quantity?: number;
  closedReason?: RegExp;
}

export interface OrderExpectation {
  location: string;
  status: (typeof purchaseOrderStatuses)[number];
  totalCents?: number;
  decidedBy?: string | null;
  expectedOn?: string;
  /** Every line, by item: ordered and received quantities (received 0 unless given). */
  lines?: { item: string; quantity: number; received?: number }[];
}

/** What a read call answered: list_inventory_alerts, by lot number, pair and reservation subject. */
export interface AlertExpectation {
  expiringSoon?: string[];
  expired?: string[];
  /** `item@location`, in the order answered. */
  belowReorderPoint?: string[];
  /** Reservation subject ids. */
  overdue?: string[];
}

export interface InventoryExpectation {
  /** Quantity of each named lot now. */
  lots?: LotExpectation[];
  /** How many movements of each kind (kinds left out are not checked). */
  movements?: Partial<Record<MovementKind, number>>;
  /** Dispense movements in the order made (then soonest expiry): lot number and quantity taken (positive). */
  dispensed?: [string, number][];
  /** Charges for services (a dispense is one) of an encounter: amounts in capture order, and the codes billed. */
  charges?: Record<string, { amounts: number[]; codes?: string[] }>;
  reservations?: ReservationExpectation[];
  /** Purchase orders: how many in all, and each expected one matched by location in creation order. */
  orderCount?: number;
  orders?: OrderExpectation[];
  /** Audit entries by tool (only the tools named are checked). */
  audited?: Record<string, number>;
  /** HTTP status, problem detail and the field the problem names, of tagged calls. */
  calls?: Record<string, { status: number; detail?: RegExp; field?: string }>;
  /** Statuses of concurrent calls, whichever came first, sorted. */
  raced?: { tags: string[]; statuses: number[] }[];
  /** The answer of a tagged list_inventory_alerts call. */
  alerts?: Record<string, AlertExpectation>;
}

export interface InventoryScenario {
  id: string;
  description: string;
  setup?: (database: Database, clock: ManualClock) => Promise<void>;
  steps: InventoryStep[];
  expect: InventoryExpectation;
}
