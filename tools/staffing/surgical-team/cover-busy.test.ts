import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../db/client.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import type { Actor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import { findCoverCandidates } from '../cover/operations.ts';
import { assignSurgicalTeam } from './operations.ts';
import { PROCEDURE, surgicalWard } from './test-fixtures.ts';

let ctx: OperationContext;
const actor: Actor = { id: 'staff:coordinator', kind: 'staff', scopes: ['staffing:read', 'staffing:write'] };

beforeAll(async () => {
  const database: Database = await createTestDatabase();
  await miniHospital(database);
  await surgicalWard(database);
  ctx = { database, clock: new ManualClock('2026-03-02T10:00:00Z'), actor };
});

interface Cover {
  candidates: { staffId: string }[];
  refused: { staffId: string; refusals: { rule: string; message: string }[] }[];
}
// Wednesday's day shift on unit-ms, 07:00–15:00: the race bookings run 09:00–10:00 that morning.
const coverWednesdayDay = () =>
  invokeOperation(
    findCoverCandidates,
    {
      unitId: 'unit-ms',
      day: '2026-03-11',
      kind: 'day',
      role: 'RN',
      // The theatre nurses' skill, so the unit's default certification does not refuse them all.
      requiredSkill: 'perioperative',
      includeRefused: true,
      limit: 50,
    },
    ctx,
  ) as Promise<Cover>;

describe('cover sees surgical cases as busy time', () => {
  it('a nurse assigned to a case is not offered as cover over it', async () => {
    const before = await coverWednesdayDay();
    expect(before.candidates.map((c) => c.staffId)).toContain('stf-racer');
    await invokeOperation(
      assignSurgicalTeam,
      {
        subjectId: 'sr-cover',
        theatreBookingId: 'tb-race-0',
        procedureCode: PROCEDURE,
        members: [{ role: 'scrub-nurse', staffId: 'stf-racer' }],
      },
      ctx,
    );
    const after = await coverWednesdayDay();
    expect(after.candidates.map((c) => c.staffId)).not.toContain('stf-racer');
    expect(after.refused.find((r) => r.staffId === 'stf-racer')?.refusals).toEqual([
      { rule: 'overlap', message: expect.stringContaining('2026-03-11T09:00:00.000Z') },
    ]);
  });
});
