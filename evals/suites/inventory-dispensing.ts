import { ADA_WARD, dispense, INSULIN_CENTS as INS, STRIPS_CENTS, waste } from '../inventory/steps.ts';
import type { InventoryScenario } from '../inventory/types.ts';

// Dispensing to a patient: first-expiry-first-out across lots (WHO TRS 957 annex 5, TRS 961 annex 9), never
// an expired lot (usable through its expiry date: USP General Notices), the charge in the same transaction at
// the chargemaster price, and refusals that write nothing. Quantities from the fixture (steps.ts).
const noDispense = { movements: { dispense: 0 }, charges: { [ADA_WARD]: { amounts: [] } } };

export const dispensingScenarios: InventoryScenario[] = [
  {
    id: 'dispense-fefo-across-lots',
    description: 'three doses of insulin: both of INS-A (expires 03-25) first, then one of INS-B; one charge',
    steps: [dispense(3)],
    expect: {
      dispensed: [
        ['INS-A', 2],
        ['INS-B', 1],
      ],
      lots: [
        { lot: 'INS-OLD', quantity: 3 },
        { lot: 'INS-A', quantity: 0 },
        { lot: 'INS-B', quantity: 9 },
      ],
      // Chargemaster: $12.00 per 5-unit dose, billed as J1815 (a drug keeps its J-code beside its NDC).
      charges: { [ADA_WARD]: { amounts: [3 * INS], codes: ['J1815'] } },
      audited: { dispense_to_patient: 1 },
    },
  },
  {
    id: 'dispense-never-an-expired-lot',
    description:
      '13 doses asked with 12 unexpired (INS-OLD’s 3 expired on 03-10): refused naming 1 short; 12 go, INS-OLD stays',
    steps: [dispense(13, { tag: 'short' }), dispense(12)],
    expect: {
      calls: { short: { status: 409, detail: /1 5-unit dose short/, field: 'quantity' } },
      dispensed: [
        ['INS-A', 2],
        ['INS-B', 10],
      ],
      lots: [
        { lot: 'INS-OLD', quantity: 3 },
        { lot: 'INS-A', quantity: 0 },
        { lot: 'INS-B', quantity: 0 },
      ],
      charges: { [ADA_WARD]: { amounts: [12 * INS] } },
      audited: { dispense_to_patient: 1 },
    },
  },
  {
    id: 'dispense-lot-usable-through-its-expiry-day',
    description:
      'on 03-25 INS-A (expiring 03-25) is still dispensed; on 03-26 it is expired and INS-B is taken instead',
    steps: [{ advanceDays: 5 }, dispense(1), { advanceDays: 1 }, dispense(2)],
    expect: {
      dispensed: [
        ['INS-A', 1],
        ['INS-B', 2],
      ],
      lots: [
        { lot: 'INS-A', quantity: 1 },
        { lot: 'INS-B', quantity: 8 },
      ],
      charges: { [ADA_WARD]: { amounts: [INS, 2 * INS] } },
    },
  },
  {
    id: 'dispense-supply-charged-by-hcpcs',
    description: 'two boxes of test strips from the central store: charged as supply A4253 at $45.00 a box',
    steps: [dispense(2, { itemId: 'itm-strips', locationId: 'loc-central' })],
    expect: {
      dispensed: [['STR-1', 2]],
      lots: [{ lot: 'STR-1', quantity: 38 }],
      charges: { [ADA_WARD]: { amounts: [2 * STRIPS_CENTS], codes: ['A4253'] } },
    },
  },
  {
    id: 'dispense-unpriced-refused',
    description:
      'propofol (NDC not on the chargemaster), the knee implant (C1776 unpriced) and gauze (no code) received, ' +
      'then dispensing each refused naming itemId; nothing dispensed or charged',
    steps: [
      {
        op: 'receive_stock',
        body: {
          itemId: 'itm-propofol',
          locationId: 'loc-pharmacy',
          lotNumber: 'PRO-1',
          expiresOn: '2027-06-30',
          quantity: 10,
        },
      },
      {
        op: 'receive_stock',
        body: {
          itemId: 'itm-knee',
          locationId: 'loc-th-1',
          lotNumber: 'K-1',
          expiresOn: '2031-01-31',
          quantity: 1,
        },
      },
      {
        op: 'receive_stock',
        body: {
          itemId: 'itm-gauze',
          locationId: 'loc-central',
          lotNumber: 'G-1',
          expiresOn: '2028-01-31',
          quantity: 5,
        },
      },
      dispense(1, { itemId: 'itm-propofol', tag: 'propofol' }),
      dispense(1, { itemId: 'itm-knee', locationId: 'loc-th-1', tag: 'knee' }),
      dispense(1, { itemId: 'itm-gauze', locationId: 'loc-central', tag: 'gauze' }),
    ],
    expect: {
      calls: {
        propofol: { status: 409, detail: /no chargemaster price/, field: 'itemId' },
        knee: { status: 409, detail: /no chargemaster price/, field: 'itemId' },
        gauze: { status: 409, detail: /no NDC or HCPCS code/, field: 'itemId' },
      },
      lots: [
        { lot: 'PRO-1', at: 'loc-pharmacy', quantity: 10 },
        { lot: 'K-1', at: 'loc-th-1', quantity: 1 },
        { lot: 'G-1', at: 'loc-central', quantity: 5 },
      ],
      movements: { receive: 3, dispense: 0 },
      charges: { [ADA_WARD]: { amounts: [] } },
      audited: { dispense_to_patient: 0, receive_stock: 3 },
    },
  },
  {
    id: 'dispense-other-patients-encounter-refused',
    description: 'insulin for Bo charged to Ada’s ward stay: refused naming encounterId; nothing written',
    steps: [dispense(2, { patientId: 'pat-2', tag: 'bo' })],
    expect: {
      calls: { bo: { status: 422, detail: /enc-ada-ward is patient pat-1/, field: 'encounterId' } },
      lots: [
        { lot: 'INS-A', quantity: 2 },
        { lot: 'INS-B', quantity: 10 },
      ],
      ...noDispense,
      audited: { dispense_to_patient: 0 },
    },
  },
  {
    id: 'dispense-encounter-not-started-refused',
    description:
      'dispensing to Ada’s ward stay dated before it began (clock set back to 03-17): refused, nothing written',
    setup: async (_database, clock) => clock.set('2026-03-17T09:00:00Z'),
    steps: [dispense(1, { tag: 'early' })],
    expect: {
      calls: { early: { status: 409, detail: /not today/, field: 'encounterId' } },
      lots: [{ lot: 'INS-A', quantity: 2 }],
      ...noDispense,
    },
  },
  {
    id: 'dispense-charge-captured-once',
    description:
      'a dispense’s charge is already captured: capture_charges afterwards adds no second charge for it',
    steps: [
      dispense(3),
      { op: 'capture_charges', body: { encounterId: ADA_WARD }, as: 'billing', tag: 'capture' },
    ],
    expect: {
      calls: { capture: { status: 200 } },
      charges: { [ADA_WARD]: { amounts: [3 * INS] } },
    },
  },
  {
    id: 'dispense-last-unit-concurrently',
    description:
      'INS-B wasted, 1 of INS-A dispensed, then two dispenses of the last dose at once: one goes, one is refused',
    steps: [
      waste('lot-ins-b', 10, 'cold chain broken in the pharmacy fridge'),
      dispense(1),
      { together: [dispense(1, { tag: 'a' }), dispense(1, { tag: 'b' })] },
    ],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 409] }],
      lots: [
        { lot: 'INS-A', quantity: 0 },
        { lot: 'INS-B', quantity: 0 },
        { lot: 'INS-OLD', quantity: 3 },
      ],
      movements: { dispense: 2, waste: 1 },
      charges: { [ADA_WARD]: { amounts: [INS, INS] } },
    },
  },
  {
    id: 'dispense-needs-inventory-scope',
    description: 'the billing office’s key may not dispense (403); nothing written',
    steps: [dispense(1, { as: 'billing', tag: 'billing' })],
    expect: {
      calls: { billing: { status: 403, detail: /inventory:write/ } },
      lots: [{ lot: 'INS-A', quantity: 2 }],
      ...noDispense,
    },
  },
  {
    id: 'dispense-bad-input-refused',
    description: 'a quantity of 0 and an unknown item are refused naming the field; nothing written',
    steps: [dispense(0, { tag: 'zero' }), dispense(1, { itemId: 'itm-nothing', tag: 'unknown' })],
    expect: {
      calls: {
        zero: { status: 422, field: 'quantity' },
        unknown: { status: 404, field: 'itemId' },
      },
      ...noDispense,
      audited: { dispense_to_patient: 0 },
    },
  },
];
