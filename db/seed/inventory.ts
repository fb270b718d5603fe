import type { InferInsertModel } from 'drizzle-orm';
import type {
  chargemasterItems,
  inventoryItems,
  inventoryLocations,
  parLevels,
  staff,
  stockLots,
  theatres,
  units,
} from '../schema/index.ts';
import { FAMILY, GIVEN_MALE } from './catalogue.ts';
import type { Random } from './random.ts';

/**
 * The demo hospital's stores: a central store, the pharmacy, a cabinet on every unit and a store in
 * every theatre; the items the chargemaster prices (so a dispense can be charged) plus anaesthesia
 * drugs and implants; lots with expiries around the epoch (some soon, one already expired); par levels
 * and reorder points; and a materials manager to approve large orders.
 */

export interface InventoryRows {
  inventoryItems: InferInsertModel<typeof inventoryItems>[];
  inventoryLocations: InferInsertModel<typeof inventoryLocations>[];
  stockLots: InferInsertModel<typeof stockLots>[];
  parLevels: InferInsertModel<typeof parLevels>[];
}

interface HospitalSoFar extends InventoryRows {
  units: InferInsertModel<typeof units>[];
  theatres: InferInsertModel<typeof theatres>[];
  staff: InferInsertModel<typeof staff>[];
  chargemasterItems: InferInsertModel<typeof chargemasterItems>[];
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

type Item = InferInsertModel<typeof inventoryItems>;
const item = (
  id: string,
  name: string,
  kind: Item['kind'],
  unit: string,
  codes: { ndc?: string; hcpcs: string },
  unitCostCents: number,
  leadTimeDays: number,
  orderMultiple: number,
): Item => ({
  id,
  name,
  kind,
  unit,
  ndc: codes.ndc ?? null,
  hcpcs: codes.hcpcs,
  unitCostCents,
  leadTimeDays,
  orderMultiple,
  active: true,
});

// The unit of each item is the HCPCS billing unit of its code (CMS HCPCS Level II descriptors), so one
// unit dispensed is one unit charged. Costs are illustrative acquisition costs, not a price survey.
const ITEMS: Item[] = [
  item(
    'itm-insulin-lispro',
    'Insulin lispro 100 units/mL',
    'drug',
    '5 units',
    { ndc: '00002751001', hcpcs: 'J1815' },
    400,
    3,
    20,
  ),
  item('itm-ceftriaxone', 'Ceftriaxone for injection', 'drug', '250 mg', { hcpcs: 'J0696' }, 150, 3, 40),
  item('itm-enoxaparin', 'Enoxaparin sodium injection', 'drug', '10 mg', { hcpcs: 'J1650' }, 120, 3, 50),
  item('itm-heparin', 'Heparin sodium injection', 'drug', '1,000 units', { hcpcs: 'J1644' }, 60, 2, 50),
  item('itm-ondansetron', 'Ondansetron injection', 'drug', '1 mg', { hcpcs: 'J2405' }, 30, 2, 40),
  item('itm-cefazolin', 'Cefazolin for injection', 'drug', '500 mg', { hcpcs: 'J0690' }, 180, 3, 20),
  item('itm-saline', 'Sodium chloride 0.9% infusion', 'drug', '250 cc', { hcpcs: 'J7050' }, 200, 2, 24),
  item('itm-propofol', 'Propofol injectable emulsion', 'drug', '10 mg', { hcpcs: 'J2704' }, 40, 3, 50),
  item('itm-fentanyl', 'Fentanyl citrate injection', 'drug', '0.1 mg', { hcpcs: 'J3010' }, 90, 3, 25),
  item('itm-midazolam', 'Midazolam injection', 'drug', '1 mg', { hcpcs: 'J2250' }, 50, 3, 25),
  item(
    'itm-glucose-strips',
    'Blood glucose test strips',
    'supply',
    'box of 50',
    { hcpcs: 'A4253' },
    1_500,
    5,
    12,
  ),
  item('itm-surgical-tray', 'Surgical tray', 'supply', 'tray', { hcpcs: 'A4550' }, 2_500, 5, 10),
  item('itm-needle', 'Sterile needle', 'supply', 'each', { hcpcs: 'A4215' }, 10, 5, 100),
  item(
    'itm-knee-implant',
    'Total knee implant system',
    'implant',
    'each',
    { hcpcs: 'C1776' },
    240_000,
    10,
    1,
  ),
  item('itm-bone-anchor', 'Bone anchor', 'implant', 'each', { hcpcs: 'C1713' }, 35_000, 7, 2),
];

// Prices for the stocked codes the revenue price list lacks. NUBC revenue codes: 0636 drugs requiring
// detailed coding, 0278 other implants. Illustrative charges.
const EXTRA_PRICES: {
  kind: 'drug' | 'supply';
  code: string;
  revenueCode: string;
  cents: number;
  description: string;
}[] = [
  { kind: 'drug', code: 'J2704', revenueCode: '0636', cents: 600, description: 'Propofol, per 10 mg' },
  {
    kind: 'drug',
    code: 'J3010',
    revenueCode: '0636',
    cents: 1_100,
    description: 'Fentanyl citrate, per 0.1 mg',
  },
  { kind: 'drug', code: 'J2250', revenueCode: '0636', cents: 800, description: 'Midazolam, per 1 mg' },
  {
    kind: 'supply',
    code: 'C1776',
    revenueCode: '0278',
    cents: 720_000,
    description: 'Joint device, implantable',
  },
  { kind: 'supply', code: 'C1713', revenueCode: '0278', cents: 105_000, description: 'Anchor/screw, bone' },
];

// What each kind of location keeps, and its par level (reorder point at 40% of par).
const PHARMACY = ITEMS.filter((i) => i.kind === 'drug').map((i) => [i.id, 400] as const);
const CENTRAL = [
  ['itm-glucose-strips', 120],
  ['itm-surgical-tray', 60],
  ['itm-needle', 3_000],
  ['itm-saline', 240],
] as const;
const CABINET = [
  ['itm-insulin-lispro', 40],
  ['itm-heparin', 50],
  ['itm-ondansetron', 40],
  ['itm-saline', 24],
  ['itm-glucose-strips', 6],
  ['itm-needle', 200],
] as const;
const THEATRE = [
  ['itm-propofol', 100],
  ['itm-fentanyl', 50],
  ['itm-midazolam', 25],
  ['itm-cefazolin', 20],
  ['itm-surgical-tray', 10],
  ['itm-knee-implant', 2],
  ['itm-bone-anchor', 4],
] as const;

/**
 * Adds the inventory rows, drawing from `rnd` alone, after every other row: the rest of the hospital
 * is what it was without them.
 */
export function addInventory(h: HospitalSoFar, rnd: Random, epoch: number): void {
  if (!h.staff.some((s) => s.role === 'materials-manager')) {
    const n = h.staff.length + 1;
    h.staff.push({
      id: `stf-${pad(n, 5)}`,
      name: `${rnd.pick(GIVEN_MALE)} ${rnd.pick(FAMILY)}`,
      role: 'materials-manager',
      pager: `PGR-${pad(n, 4)}`,
      unitId: null,
      specialty: null,
    });
  }
  const priced = new Set(h.chargemasterItems.map((c) => `${c.kind}:${c.code}`));
  for (const p of EXTRA_PRICES) {
    if (priced.has(`${p.kind}:${p.code}`)) continue;
    h.chargemasterItems.push({
      id: `cdm-${p.kind}-${p.code}`,
      kind: p.kind,
      code: p.code,
      description: p.description,
      revenueCode: p.revenueCode,
      hcpcsCode: null,
      unitPriceCents: p.cents,
      unitBasis: 'UN',
    });
  }
  h.inventoryItems.push(...ITEMS);

  const stocked: [string, readonly (readonly [string, number])[]][] = [];
  h.inventoryLocations.push({ id: 'loc-central', name: 'Central store', kind: 'central-store' });
  stocked.push(['loc-central', CENTRAL]);
  h.inventoryLocations.push({ id: 'loc-pharmacy', name: 'Pharmacy', kind: 'pharmacy' });
  stocked.push(['loc-pharmacy', PHARMACY]);
  for (const u of h.units) {
    // Unit cabinets are automated dispensing cabinets the pharmacy fills.
    const id = `loc-cab-${u.id}`;
    h.inventoryLocations.push({
      id,
      name: `${u.name} cabinet`,
      kind: 'unit-cabinet',
      unitId: u.id,
      replenishedFrom: 'loc-pharmacy',
    });
    stocked.push([id, CABINET]);
  }
  for (const t of h.theatres) {
    const id = `loc-${t.id}`;
    h.inventoryLocations.push({
      id,
      name: `${t.name} store`,
      kind: 'theatre-store',
      theatreId: t.id,
      replenishedFrom: 'loc-central',
    });
    stocked.push([id, THEATRE]);
  }

  const hcpcsOf = new Map(ITEMS.map((i) => [i.id, i.hcpcs ?? 'X']));
  for (const [locationId, list] of stocked) {
    for (const [itemId, par] of list) {
      h.parLevels.push({ locationId, itemId, parLevel: par, reorderPoint: Math.ceil(par * 0.4) });
      // One or two lots holding between a fifth of par and a little over it: some below the reorder point.
      let left = Math.max(1, Math.round(par * (0.2 + rnd.int(0, 100) / 100)));
      const lots = left >= 2 && rnd.chance(0.4) ? 2 : 1;
      for (let n = 1; n <= lots; n++) {
        const quantity = n === lots ? left : Math.ceil(left / 2);
        left -= quantity;
        h.stockLots.push({
          id: `lot-${locationId.replace(/^loc-/, '')}-${itemId.replace(/^itm-/, '')}-${n}`,
          itemId,
          locationId,
          lotNumber: `${hcpcsOf.get(itemId)}${pad(rnd.int(0, 99_999), 5)}${n}`,
          expiresOn: day(epoch + rnd.int(20, 540) * DAY_MS),
          quantity,
          receivedAt: new Date(epoch - rnd.int(5, 90) * DAY_MS),
        });
      }
    }
  }
  // Fixed, so every seed shows them: pharmacy insulin expiring in ten days, and an expired lot of
  // ondansetron still on the shelf waiting to be wasted.
  h.stockLots.push(
    {
      id: 'lot-pharmacy-insulin-lispro-soon',
      itemId: 'itm-insulin-lispro',
      locationId: 'loc-pharmacy',
      lotNumber: 'J1815-SOON',
      expiresOn: day(epoch + 10 * DAY_MS),
      quantity: 30,
      receivedAt: new Date(epoch - 60 * DAY_MS),
    },
    {
      id: 'lot-pharmacy-ondansetron-expired',
      itemId: 'itm-ondansetron',
      locationId: 'loc-pharmacy',
      lotNumber: 'J2405-OLD',
      expiresOn: day(epoch - 3 * DAY_MS),
      quantity: 12,
      receivedAt: new Date(epoch - 400 * DAY_MS),
    },
  );
}
