import type { Database } from '../../../db/client.ts';
import { staff } from '../../../db/schema/index.ts';
import { miniHospital } from '../../../test/fixtures.ts';
import { addTestPatients, admitForTest } from '../../beds/admissions.fixture.ts';

/** Wednesday 4 March 2026, 10:00 UTC: rosters start on Monday 9 March or later. */
export const NOW = '2026-03-04T10:00:00Z';
export const NEXT_MONDAY = '2026-03-09';

/**
 * Test setup only: Med-Surg with 6 patients (1:5, so 2 licensed nurses and a charge nurse a shift) and
 * its nursing staff: RNs on 40 h (stf-nurse, rn-a, rn-b, rn-c), part time (rn-pt, 24 h), per diem
 * (rn-pd), an LPN on 36 h, a CNA, two charge nurses. The ICU (no patients) has a float-pool per-diem RN
 * and an RN of its own. An empty unit has no staff at all.
 */
export async function rosterHospital(database: Database): Promise<void> {
  await miniHospital(database, { medSurgBeds: 8 });
  await addTestPatients(database, 'ms', 6);
  for (let i = 0; i < 6; i++)
    await admitForTest(database, `ms-${i}`, `bed-ms-${i}`, new Date('2026-03-01T08:00:00Z'));
  const person = (
    id: string,
    role: 'RN' | 'LPN' | 'CNA' | 'charge-nurse',
    unitId: string,
    terms: Partial<typeof staff.$inferInsert> = {},
  ) => ({ id, name: `Nurse ${id}`, role, unitId, pager: `PGR-${id}`, ...terms });
  await database.db.insert(staff).values([
    person('rn-a', 'RN', 'unit-ms'),
    person('rn-b', 'RN', 'unit-ms'),
    person('rn-c', 'RN', 'unit-ms'),
    person('rn-pt', 'RN', 'unit-ms', { employmentType: 'part-time', contractedMinutesPerWeek: 1440 }),
    person('rn-pd', 'RN', 'unit-ms', { employmentType: 'per-diem', contractedMinutesPerWeek: 0 }),
    person('lpn-a', 'LPN', 'unit-ms', { contractedMinutesPerWeek: 2160 }),
    person('cna-a', 'CNA', 'unit-ms'),
    person('charge-b', 'charge-nurse', 'unit-ms'),
    person('rn-icu-float', 'RN', 'unit-icu', {
      employmentType: 'per-diem',
      contractedMinutesPerWeek: 0,
      floatEligible: true,
    }),
    person('rn-icu', 'RN', 'unit-icu'),
  ]);
}
