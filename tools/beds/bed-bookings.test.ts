import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { createTestDatabase } from '../../test/db.ts';
import type { Actor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { invokeOperation, type OperationContext } from '../core/operation.ts';
import { findPostOpBeds } from './bed-booking-operations.ts';
import { bedBookingHospital, d } from './bed-bookings.fixture.ts';
import { countNights, nightsOf, rankUnits, type UnitNights } from './bed-bookings.ts';

describe('nights of a stay (pure)', () => {
  it.each([
    [
      'afternoon to the morning two days later: two nights',
      '2026-03-10T14:00:00Z',
      '2026-03-12T10:00:00Z',
      ['2026-03-10', '2026-03-11'],
    ],
    ['the same day: no night', '2026-03-10T08:00:00Z', '2026-03-10T20:00:00Z', []],
    ['23:59 to 00:01: the one night', '2026-03-10T23:59:00Z', '2026-03-11T00:01:00Z', ['2026-03-10']],
    [
      'leaving at midnight exactly: that date is not a night',
      '2026-03-10T12:00:00Z',
      '2026-03-11T00:00:00Z',
      ['2026-03-10'],
    ],
    [
      'across a month end',
      '2026-02-27T12:00:00Z',
      '2026-03-02T09:00:00Z',
      ['2026-02-27', '2026-02-28', '2026-03-01'],
    ],
  ])('%s', (_, from, until, nights) => {
    expect(nightsOf(d(from), d(until))).toEqual(nights);
  });
});

describe('counting a unit’s nights (pure)', () => {
  const nights = ['2026-03-10', '2026-03-11'];
  const load = (over: Partial<Parameters<typeof countNights>[0]> = {}) => ({
    unitId: 'u',
    name: 'U',
    specialty: null,
    capacity: 3,
    stays: [],
    holds: [],
    bookings: [],
    ...over,
  });

  it.each([
    ['no expected discharge: there every night', [null], [1, 1]],
    ['leaving at 23:59 of the first night: gone by its census', ['2026-03-10T23:59:00Z'], [0, 0]],
    ['leaving at 00:00 after the first night: counted that night only', ['2026-03-11T00:00:00Z'], [1, 0]],
    ['leaving the morning of the first night: not counted', ['2026-03-10T09:00:00Z'], [0, 0]],
  ])('%s', (_, discharges, expected) => {
    const stays = discharges.map((at, i) => ({ patientId: `p${i}`, expectedDischargeAt: at ? d(at) : null }));
    expect(countNights(load({ stays }), nights).nights.map((n) => n.expected)).toEqual(expected);
  });

  it('counts a hold every night, once for a patient already in the unit; bookings on their nights only', () => {
    const counted = countNights(
      load({
        stays: [{ patientId: 'p1', expectedDischargeAt: null }],
        holds: ['p1', 'p2'],
        bookings: [{ fromAt: d('2026-03-11T08:00:00Z'), untilAt: d('2026-03-13T08:00:00Z') }],
      }),
      nights,
    );
    expect(counted.nights).toEqual([
      { date: '2026-03-10', expected: 2, booked: 0, free: 1 },
      { date: '2026-03-11', expected: 2, booked: 1, free: 0 },
    ]);
    expect(counted.minFree).toBe(0);
  });

  it('ranks units that fit every night first, then the specialty, then the most room, then id', () => {
    const unit = (unitId: string, specialty: string | null, minFree: number): UnitNights => ({
      unitId,
      name: unitId,
      specialty,
      capacity: 5,
      minFree,
      nights: [],
    });
    const ranked = rankUnits(
      [
        unit('a', 'ortho', 0),
        unit('b', null, 3),
        unit('c', 'ortho', 1),
        unit('d', null, 3),
        unit('e', 'ortho', 2),
      ],
      'ortho',
    );
    expect(ranked.map((u) => u.unitId)).toEqual(['e', 'c', 'b', 'd', 'a']);
  });
});

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
const coordinator: Actor = { id: 'staff:bed-manager', kind: 'staff', scopes: ['beds:read', 'beds:write'] };
let ctx: OperationContext;

beforeAll(async () => {
  database = await createTestDatabase();
  await bedBookingHospital(database, 0);
  ctx = { database, clock, actor: coordinator };
});

const find = (input: Record<string, unknown>) =>
  invokeOperation(findPostOpBeds, input, ctx) as Promise<{ units: UnitNights[] }>;

describe('find_post_op_beds', () => {
  it('counts stays still expected at 23:59, live holds and other bookings against the open beds', async () => {
    const out = await find({
      unitType: 'step-down',
      fromAt: '2026-03-10T14:00:00Z',
      untilAt: '2026-03-13T10:00:00Z',
    });
    // 6 open beds of 7. Night 10: p-0, p-2, p-4 staying, holds of p-6 and p-8 (p-7's has lapsed, p-1
    // and p-3 leave before 23:59, p-5's encounter is finished). Nights 11–12: p-0 and the two holds, and
    // bk-other; bk-released and bk-before (gone by the 10th) do not count.
    expect(out.units).toEqual([
      {
        unitId: 'calc',
        name: 'Unit calc',
        specialty: null,
        capacity: 6,
        minFree: 1,
        nights: [
          { date: '2026-03-10', expected: 5, booked: 0, free: 1 },
          { date: '2026-03-11', expected: 3, booked: 1, free: 2 },
          { date: '2026-03-12', expected: 3, booked: 1, free: 2 },
        ],
      },
    ]);
  });

  it('puts the specialty’s unit first while it fits, the roomier one otherwise', async () => {
    const span = { unitType: 'surgical', fromAt: '2026-03-20T14:00:00Z', untilAt: '2026-03-22T10:00:00Z' };
    expect((await find({ ...span, specialty: 'general-surgery' })).units.map((u) => u.unitId)).toEqual([
      'sa',
      'sb',
    ]);
    expect((await find(span)).units.map((u) => u.unitId)).toEqual(['sb', 'sa']);
  });
});
