import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { bookBedAhead, releaseBedBooking } from '../../beds/bed-booking-operations.ts';
import { roleScopes } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import type { UnitShiftForecast } from './forecast.ts';
import { forecastStaffingDemand } from './operations.ts';

// A bed booked ahead (a post-operative stay) is an admission the staffing forecast can plan for: it
// counts on the unit's shifts its stay overlaps, and stops counting once released.

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');
let ctx: OperationContext;

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
  ctx = { database, clock, actor: { id: 'admin:ops', kind: 'admin', scopes: roleScopes.admin } };
});

const admissions = async () => {
  const out = (await invokeOperation(forecastStaffingDemand, { unitId: 'unit-ms', days: 2 }, ctx)) as {
    shifts: UnitShiftForecast[];
  };
  return out.shifts.map((s) => `${s.day} ${s.kind} ${s.census.scheduledAdmissions}`);
};

describe('beds booked ahead in the staffing forecast', () => {
  it('counts a booked stay on the shifts from its arrival to its departure, and not once released', async () => {
    const before = await admissions();
    expect(before.every((s) => s.endsWith(' 0'))).toBe(true);
    await invokeOperation(
      bookBedAhead,
      {
        unitId: 'unit-ms',
        patientId: 'pat-1',
        purpose: 'post-op',
        subjectId: 'sr-forecast',
        fromAt: '2026-03-02T16:00:00Z',
        untilAt: '2026-03-03T16:00:00Z',
      },
      ctx,
    );
    expect(await admissions()).toEqual([
      '2026-03-02 day 0',
      '2026-03-02 evening 1',
      '2026-03-02 night 1',
      '2026-03-03 day 1',
      '2026-03-03 evening 1',
      '2026-03-03 night 0',
    ]);
    await invokeOperation(
      releaseBedBooking,
      { purpose: 'post-op', subjectId: 'sr-forecast', reason: 'surgery cancelled' },
      ctx,
    );
    expect(await admissions()).toEqual(before);
  });
});
