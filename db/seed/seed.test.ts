import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/db.ts';
import { auditSeed } from '../../tools/audit/seed.ts';
import { systemActor } from '../../tools/core/actor.ts';
import { ManualClock } from '../../tools/core/clock.ts';
import { invokeOperation } from '../../tools/core/operation.ts';
import { billedAs } from '../../tools/inventory/charge.ts';
import { dispenseToPatient } from '../../tools/inventory/dispense-operations.ts';
import { listInventoryAlerts } from '../../tools/inventory/alert-operations.ts';
import { captureCharges } from '../../tools/revenue/charges/charge-operations.ts';
import { checkDiagnosis, procedureCodeProblem } from '../../tools/revenue/charges/rules.ts';
import { codeSets } from '../../tools/revenue/codesets/codesets.ts';
import { isValidNpi } from '../../tools/revenue/scrubber/required.ts';
import { unitTypes } from '../schema/index.ts';
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
  'billing_profiles',
  'payers',
  'payer_plans',
  'coverages',
  'prior_authorizations',
  'chargemaster_items',
  'encounter_services',
  'inventory_items',
  'inventory_locations',
  'stock_lots',
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

  it('gives the billing office what it needs: NPIs, coverage, prices for every fact, coded stays', () => {
    const h = generateHospital(5, 'medium');
    expect(isValidNpi(h.billingProfiles[0]?.npi ?? '')).toBe(true);
    const physicians = h.staff.filter((s) => s.role === 'physician');
    expect(physicians.every((s) => isValidNpi(s.npi ?? ''))).toBe(true);
    expect(new Set(physicians.map((s) => s.npi)).size).toBe(physicians.length);
    expect(h.staff.filter((s) => s.role === 'coder')).toHaveLength(2);
    expect(h.payers.map((p) => p.kind).sort()).toEqual(['commercial', 'commercial', 'medicaid', 'medicare']);

    const primary = new Map(h.coverages.filter((c) => c.priority === 'primary').map((c) => [c.patientId, c]));
    const selfPay = h.patients.filter((p) => !primary.has(p.id)).length;
    expect(selfPay).toBeGreaterThan(0);
    expect(selfPay).toBeLessThan(h.patients.length * 0.1);

    const priced = new Set(h.chargemasterItems.map((i) => `${i.kind}:${i.code}`));
    for (const type of unitTypes) expect(priced.has(`accommodation:${type}`), type).toBe(true);
    const sets = codeSets();
    for (const s of h.encounterServices) {
      expect(priced.has(`${s.kind}:${s.code}`), s.code).toBe(true);
      expect(procedureCodeProblem(sets, s.kind, s.code), s.code).toBeNull();
    }
    for (const d of h.encounterDiagnoses) expect(checkDiagnosis(sets, d.code).ok, d.code).toBe(true);

    const finished = h.encounters.filter((e) => e.status === 'finished');
    expect(finished.length).toBeGreaterThan(60);
    const coded = new Set(h.encounterDiagnoses.map((d) => d.encounterId));
    for (const e of finished) {
      expect(coded.has(e.id), e.id).toBe(true);
      const cover = primary.get(e.patientId);
      const admitted = (e.startedAt as Date).toISOString().slice(0, 10);
      if (cover) expect(cover.startsOn <= admitted, e.id).toBe(true);
      const services = h.encounterServices.filter((s) => s.encounterId === e.id);
      expect(services.length, e.id).toBeGreaterThan(2);
      const discharged = (e.endedAt as Date).toISOString().slice(0, 10);
      for (const s of services) expect(s.servicedOn >= admitted && s.servicedOn <= discharged).toBe(true);
    }
  });

  it('stocks every location with items the chargemaster prices, and lots to watch', () => {
    const h = generateHospital(5, 'small');
    const priced = new Set(h.chargemasterItems.map((i) => `${i.kind}:${i.code}`));
    for (const item of h.inventoryItems) {
      const billed = billedAs({ ndc: null, hcpcs: null, active: true, ...item } as Parameters<
        typeof billedAs
      >[0]);
      expect(billed && priced.has(`${billed.kind}:${billed.code}`), item.id).toBe(true);
    }
    const kinds = new Set(h.inventoryLocations.map((l) => l.kind));
    expect([...kinds].sort()).toEqual(['central-store', 'pharmacy', 'theatre-store', 'unit-cabinet']);
    expect(h.inventoryLocations.filter((l) => l.kind === 'unit-cabinet')).toHaveLength(h.units.length);
    expect(h.inventoryLocations.filter((l) => l.kind === 'theatre-store')).toHaveLength(h.theatres.length);
    expect(h.staff.filter((s) => s.role === 'materials-manager')).toHaveLength(1);
    expect(h.inventoryItems.some((i) => i.kind === 'implant')).toBe(true);
    const epoch = '2026-01-05';
    expect(h.stockLots.filter((l) => l.expiresOn < epoch)).toHaveLength(1);
    expect(h.stockLots.some((l) => l.expiresOn >= epoch && l.expiresOn <= '2026-02-04')).toBe(true);
    expect(h.stockLots.every((l) => Number(l.quantity) > 0)).toBe(true);
    expect(h.parLevels.every((p) => p.reorderPoint <= p.parLevel)).toBe(true);
    const lotKeys = h.stockLots.map((l) => `${l.itemId}@${l.locationId}@${l.lotNumber}`);
    expect(new Set(lotKeys).size).toBe(lotKeys.length);
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

  it('seeds finished stays that capture_charges prices in full', async () => {
    const database = await createTestDatabase(4);
    await seedDatabase(database, { seed: 9, size: 'small' });
    const finished = await database.sql`select id from encounters where status = 'finished' order by id`;
    expect(finished.length).toBeGreaterThan(5);
    const ctx = { database, clock: new ManualClock('2026-01-05T09:00:00Z'), actor: systemActor };
    for (const { id } of finished) {
      const out = (await invokeOperation(captureCharges, { encounterId: id }, ctx)) as {
        created: unknown[];
        totals: { amountCents: number };
      };
      expect(out.created.length, id).toBeGreaterThan(2);
      expect(out.totals.amountCents, id).toBeGreaterThan(0);
    }
  });

  it('seeds stock a nurse can dispense and charge, with alerts to act on', async () => {
    const database = await createTestDatabase(4);
    await seedDatabase(database, { seed: 9, size: 'small' });
    const ctx = { database, clock: new ManualClock('2026-01-05T09:00:00Z'), actor: systemActor };
    const [encounter] = await database.sql`select id, patient_id from encounters
      where status = 'in-progress' and started_at <= '2026-01-05T09:00:00Z' order by id limit 1`;
    const out = (await invokeOperation(
      dispenseToPatient,
      {
        itemId: 'itm-ondansetron',
        locationId: 'loc-pharmacy',
        quantity: 1,
        patientId: encounter!.patient_id,
        encounterId: encounter!.id,
      },
      ctx,
    )) as { charge: { amountCents: number }; movements: { lotId: string }[] };
    // J2405, 700 cents a milligram on the price list
    expect(out.charge.amountCents).toBe(700);
    expect(out.movements.map((m) => m.lotId)).not.toContain('lot-pharmacy-ondansetron-expired');
    const alerts = (await invokeOperation(listInventoryAlerts, {}, ctx)) as Record<string, unknown[]>;
    expect(alerts.expired).toHaveLength(1);
    expect(alerts.expiringSoon!.length).toBeGreaterThan(0);
    expect(alerts.belowReorderPoint!.length).toBeGreaterThan(0);
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
