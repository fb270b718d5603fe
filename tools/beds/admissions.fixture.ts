import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { beds, encounters, patients } from '../../db/schema/index.ts';

/**
 * Test setup only: puts a patient in a bed the way an admission would (an in-progress inpatient
 * encounter and the bed occupied). Admission itself is not an operation yet.
 */
export async function admitForTest(
  database: Database,
  patientId: string,
  bedId: string,
  startedAt: Date,
): Promise<string> {
  const [bed] = await database.db.select().from(beds).where(eq(beds.id, bedId));
  if (!bed) throw new Error(`no bed ${bedId}`);
  const encounterId = `enc-${patientId}`;
  await database.db.insert(encounters).values({
    id: encounterId,
    patientId,
    class: 'IMP',
    status: 'in-progress',
    unitId: bed.unitId,
    bedId,
    startedAt,
  });
  await database.db.update(beds).set({ status: 'O', occupantPatientId: patientId }).where(eq(beds.id, bedId));
  return encounterId;
}

/** Test patients `${prefix}-0 … ${prefix}-(n-1)`, all of one sex. */
export async function addTestPatients(
  database: Database,
  prefix: string,
  n: number,
  sex: 'male' | 'female' = 'female',
  isolation: 'none' | 'contact' | 'droplet' | 'airborne' = 'none',
) {
  await database.db.insert(patients).values(
    Array.from({ length: n }, (_, i) => ({
      id: `${prefix}-${i}`,
      mrn: `${prefix.toUpperCase()}${i}`,
      givenName: 'T',
      familyName: `${prefix} ${i}`,
      birthDate: '1980-01-01',
      sex,
      isolation,
    })),
  );
}
