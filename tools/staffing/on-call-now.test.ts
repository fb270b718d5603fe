import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { staffLeave } from '../../db/schema/index.ts';
import { createTestDatabase } from '../../test/db.ts';
import { miniHospital } from '../../test/fixtures.ts';
import { systemActor } from '../core/actor.ts';
import { ManualClock } from '../core/clock.ts';
import { invokeOperation } from '../core/operation.ts';
import { onCallNow } from './operations.ts';

let database: Database;
const clock = new ManualClock('2026-03-02T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  await miniHospital(database);
});

const onCall = (at: string) =>
  invokeOperation(
    onCallNow,
    { specialty: 'endocrinology', at },
    { database, clock, actor: systemActor },
  ) as Promise<{
    primary: { staffId: string } | null;
    backup: { staffId: string } | null;
    onLeave: { staffId: string; tier: string }[];
  }>;

const leave = (id: string, status: 'requested' | 'approved', startsOn: string, endsOn: string) =>
  database.db.insert(staffLeave).values({
    id,
    staffId: 'stf-endo',
    kind: 'sick',
    startsOn,
    endsOn,
    status,
    createdAt: clock.now(),
  });

describe('on_call_now and leave', () => {
  it('leaves out a primary on approved leave that day, so the backup is the one to page', async () => {
    const before = await onCall('2026-03-03T10:00:00Z');
    expect(before).toMatchObject({
      primary: { staffId: 'stf-endo' },
      backup: { staffId: 'stf-endo-2' },
      onLeave: [],
    });
    // Only asked for: still on call.
    await leave('lv-asked', 'requested', '2026-03-03', '2026-03-03');
    expect((await onCall('2026-03-03T10:00:00Z')).primary).toMatchObject({ staffId: 'stf-endo' });
    await leave('lv-sick', 'approved', '2026-03-03', '2026-03-04');
    const away = await onCall('2026-03-03T10:00:00Z');
    expect(away).toMatchObject({
      primary: null,
      backup: { staffId: 'stf-endo-2' },
      onLeave: [{ staffId: 'stf-endo', tier: 'primary' }],
    });
    // The day after the leave ends, back on the rota.
    expect((await onCall('2026-03-05T10:00:00Z')).primary).toMatchObject({ staffId: 'stf-endo' });
  });
});
