import type { Database } from '../db/client.ts';
import { beds, devices, onCallRota, patients, rooms, staff, units } from '../db/schema/index.ts';
import { MINUTES_PER_WEEK } from '../tools/staffing/rota.ts';

/**
 * A tiny hospital written directly (independent of the seed generator): a med-surg unit with
 * `medSurgBeds` clean beds, an ICU with two telemetry beds (one negative-pressure), an
 * endocrinologist and an intensivist on call all week, a charge nurse per unit, a bed manager, and two
 * patients with devices.
 */
export async function miniHospital(database: Database, opts: { medSurgBeds?: number } = {}) {
  const n = opts.medSurgBeds ?? 4;
  const db = database.db;
  await db.insert(units).values([
    { id: 'unit-ms', name: 'Med-Surg 3', type: 'med-surg', floor: 3 },
    { id: 'unit-icu', name: 'ICU', type: 'icu', floor: 2 },
  ]);
  await db.insert(rooms).values([
    ...Array.from({ length: n }, (_, i) => ({
      id: `room-ms-${i}`,
      unitId: 'unit-ms',
      name: `3${i}`,
      sexPolicy: 'mixed' as const,
    })),
    { id: 'room-icu-1', unitId: 'unit-icu', name: 'ICU1', isolation: 'none' as const },
    { id: 'room-icu-2', unitId: 'unit-icu', name: 'ICU2', isolation: 'airborne' as const },
  ]);
  await db.insert(beds).values([
    ...Array.from({ length: n }, (_, i) => ({
      id: `bed-ms-${i}`,
      roomId: `room-ms-${i}`,
      unitId: 'unit-ms',
      label: `3${i}A`,
    })),
    { id: 'bed-icu-1', roomId: 'room-icu-1', unitId: 'unit-icu', label: 'ICU1', telemetry: true },
    { id: 'bed-icu-2', roomId: 'room-icu-2', unitId: 'unit-icu', label: 'ICU2', telemetry: true },
  ]);
  await db.insert(staff).values([
    { id: 'stf-nurse', name: 'Nia Nurse', role: 'RN', unitId: 'unit-ms', pager: 'PGR-0001' },
    { id: 'stf-endo', name: 'Dr Eve Endo', role: 'physician', specialty: 'endocrinology', pager: 'PGR-0002' },
    {
      id: 'stf-endo-2',
      name: 'Dr Ed Endo',
      role: 'physician',
      specialty: 'endocrinology',
      pager: 'PGR-0003',
    },
    { id: 'stf-icu', name: 'Dr Ian Icu', role: 'physician', specialty: 'critical-care', pager: 'PGR-0004' },
    { id: 'stf-charge-ms', name: 'Cara Charge', role: 'charge-nurse', unitId: 'unit-ms', pager: 'PGR-0005' },
    { id: 'stf-charge-icu', name: 'Ike Charge', role: 'charge-nurse', unitId: 'unit-icu', pager: 'PGR-0006' },
    { id: 'stf-bed-manager', name: 'Bea Manager', role: 'bed-manager', pager: 'PGR-0007' },
  ]);
  await db.insert(onCallRota).values([
    {
      id: 'rota-endo-p',
      specialty: 'endocrinology',
      staffId: 'stf-endo',
      tier: 'primary',
      startMinute: 0,
      endMinute: MINUTES_PER_WEEK,
    },
    {
      id: 'rota-endo-b',
      specialty: 'endocrinology',
      staffId: 'stf-endo-2',
      tier: 'backup',
      startMinute: 0,
      endMinute: MINUTES_PER_WEEK,
    },
    {
      id: 'rota-icu-p',
      specialty: 'critical-care',
      staffId: 'stf-icu',
      tier: 'primary',
      startMinute: 0,
      endMinute: MINUTES_PER_WEEK,
    },
  ]);
  await db.insert(patients).values([
    {
      id: 'pat-1',
      mrn: 'MRN1',
      givenName: 'Ada',
      familyName: 'Diabetic',
      birthDate: '1970-02-01',
      sex: 'female',
      assignedNurseId: 'stf-nurse',
      careSpecialty: 'endocrinology',
    },
    {
      id: 'pat-2',
      mrn: 'MRN2',
      givenName: 'Bo',
      familyName: 'Ward',
      birthDate: '1950-06-01',
      sex: 'male',
      assignedNurseId: 'stf-nurse',
      careSpecialty: 'internal-medicine',
    },
  ]);
  await db.insert(devices).values([
    { id: 'dev-1-cgm', patientId: 'pat-1', kind: 'cgm', expectedIntervalSeconds: 300 },
    { id: 'dev-2-mon', patientId: 'pat-2', kind: 'multi-parameter', expectedIntervalSeconds: 60 },
  ]);
}
