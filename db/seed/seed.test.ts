import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { auditSeed } from '../../tools/audit/seed.ts';
import type { Database } from '../client.ts';
import { DEMO_PATIENT_ID, generateHospital, SPECIALTIES } from './generate.ts';
import { AlreadySeededError, isSeeded, type SeedProgress, seedDatabase } from './write.ts';

const TABLES = [
  'units',
  'rooms',
  'beds',
  'staff',
  'on_call_rota',
  'patients',
  'encounters',
  'devices',
  'shifts',
  'theatres',
];

/** One digest per table over every row's text form, in id order. */
async function tableDigests(database: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = await database.sql.unsafe(`select t::text as row from ${table} t order by id`);
    out[table] = createHash('sha256')
      .update(rows.map((r) => r.row).join('\n'))
      .digest('hex');
  }
  return out;
}

describe('seed generator', () => {
  it('gives the same rows for the same seed and different rows for another', () => {
    const a = JSON.stringify(generateHospital(7, 'small'));
    expect(JSON.stringify(generateHospital(7, 'small'))).toBe(a);
    expect(JSON.stringify(generateHospital(8, 'small'))).not.toBe(a);
  });

  it('builds the medium hospital at the documented scale', () => {
    const h = generateHospital(1, 'medium');
    expect(h.units).toHaveLength(12);
    expect(h.beds).toHaveLength(300);
    expect(h.staff.length).toBeGreaterThanOrEqual(380);
    expect(h.staff.length).toBeLessThanOrEqual(420);
    expect(h.patients).toHaveLength(1000);
  });

  it('keeps its own invariants: one occupant per bed, room sex policy, on-call cover all week', () => {
    const h = generateHospital(3, 'medium');
    const occupants = h.beds.map((b) => b.occupantPatientId).filter(Boolean);
    expect(new Set(occupants).size).toBe(occupants.length);
    const rooms = new Map(h.rooms.map((r) => [r.id, r]));
    const patients = new Map(h.patients.map((p) => [p.id, p]));
    for (const bed of h.beds) {
      if (!bed.occupantPatientId) continue;
      const policy = rooms.get(bed.roomId)?.sexPolicy;
      if (policy === 'male' || policy === 'female')
        expect(patients.get(bed.occupantPatientId)?.sex).toBe(policy);
    }
    for (const specialty of SPECIALTIES) {
      const rota = h.onCallRota.filter((r) => r.specialty === specialty);
      for (let minute = 0; minute < 7 * 1440; minute += 30) {
        const now = rota.filter((e) =>
          e.startMinute <= e.endMinute
            ? minute >= e.startMinute && minute < e.endMinute
            : minute >= e.startMinute || minute < e.endMinute,
        );
        expect(
          now.filter((e) => e.tier === 'primary'),
          `${specialty} at ${minute}`,
        ).toHaveLength(1);
        expect(
          now.filter((e) => e.tier === 'backup'),
          `${specialty} at ${minute}`,
        ).toHaveLength(1);
        expect(now[0]?.staffId).not.toBe(now[1]?.staffId);
      }
    }
    const demo = patients.get(DEMO_PATIENT_ID);
    expect(demo?.careSpecialty).toBe('endocrinology');
    expect(h.devices.some((d) => d.patientId === DEMO_PATIENT_ID && d.kind === 'cgm')).toBe(true);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => generateHospital(1.5, 'small')).toThrow(/seed must be an integer/);
  });
});

describe('seed writer', () => {
  it('writes byte-identical rows for the same seed into two databases, with progress', async () => {
    const [a, b] = await Promise.all([createTestDatabase(4), createTestDatabase(4)]);
    const progress: SeedProgress[] = [];
    const counts = await seedDatabase(a, {
      seed: 42,
      size: 'small',
      onProgress: (p) => progress.push(p),
      onWritten: auditSeed(new Date('2026-01-05T00:00:00Z')),
    });
    await seedDatabase(b, { seed: 42, size: 'small' });
    expect(await tableDigests(a)).toEqual(await tableDigests(b));
    expect(counts.beds).toBe(60);
    expect(progress.filter((p) => p.done === p.total).map((p) => p.table)).toEqual(
      expect.arrayContaining(['units', 'beds', 'patients', 'shifts']),
    );
    const audit = await a.sql`select tool, actor from audit_log`;
    expect(audit).toEqual([{ tool: 'seed_hospital', actor: 'system:seed' }]);
  });

  it('refuses a seeded database unless asked to replace it, and replaces it whole', async () => {
    const database = await createTestDatabase(4);
    expect(await isSeeded(database)).toBe(false);
    await seedDatabase(database, { seed: 1, size: 'small' });
    const before = await tableDigests(database);
    await expect(seedDatabase(database, { seed: 2, size: 'small' })).rejects.toBeInstanceOf(
      AlreadySeededError,
    );
    expect(await tableDigests(database)).toEqual(before);

    await seedDatabase(database, { seed: 2, size: 'small', replace: true });
    const other = await createTestDatabase(4);
    await seedDatabase(other, { seed: 2, size: 'small' });
    expect(await tableDigests(database)).toEqual(await tableDigests(other));
  });
});
