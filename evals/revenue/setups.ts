import type { Database } from '../../db/client.ts';
import {
  chargemasterItems,
  coverages,
  encounterDiagnoses,
  encounterServices,
  encounters,
  payerPlans,
  payers,
  theatreBookings,
} from '../../db/schema/index.ts';
import type { ManualClock } from '../../tools/core/clock.ts';

/** Changes to the billing fixture (tools/revenue/test-fixtures.ts) a scenario needs before its steps. */
export type Setup = (database: Database, clock: ManualClock) => Promise<void>;

export const both =
  (...fns: Setup[]): Setup =>
  async (database, clock) => {
    for (const f of fns) await f(database, clock);
  };

export const sql =
  (text: string): Setup =>
  async (database) => {
    await database.sql.unsafe(text);
  };

export interface ServiceFact {
  code: string;
  kind?: 'procedure' | 'drug' | 'supply';
  quantity?: number;
  performerId?: string;
  modifiers?: string[];
  on?: string;
  theatreBookingId?: string;
}

/**
 * An encounter recorded as the ward would leave it: coded diagnoses (1 = principal) and the services
 * done, each pointing at the principal diagnosis. Finished unless `status` says otherwise.
 */
export const encounter =
  (e: {
    id: string;
    patientId: 'pat-1' | 'pat-2';
    on: string;
    diagnoses: string[];
    services: ServiceFact[];
    klass?: 'AMB' | 'IMP';
    status?: 'finished' | 'in-progress';
    unitId?: string;
    until?: string;
  }): Setup =>
  async (database) => {
    const finished = (e.status ?? 'finished') === 'finished';
    await database.db.insert(encounters).values({
      id: e.id,
      patientId: e.patientId,
      class: e.klass ?? 'AMB',
      status: e.status ?? 'finished',
      unitId: e.unitId ?? 'unit-ms',
      attendingId: 'stf-endo',
      startedAt: new Date(`${e.on}T07:00:00Z`),
      endedAt: finished ? new Date(`${e.until ?? e.on}T12:00:00Z`) : null,
    });
    await database.db
      .insert(encounterDiagnoses)
      .values(
        e.diagnoses.map((code, i) => ({ encounterId: e.id, sequence: i + 1, code, presentOnAdmission: 'Y' })),
      );
    await database.db.insert(encounterServices).values(
      e.services.map((s, i) => ({
        id: `svc-${e.id}-${i + 1}`,
        encounterId: e.id,
        kind: s.kind ?? 'procedure',
        code: s.code,
        modifiers: s.modifiers ?? [],
        quantity: s.quantity ?? 1,
        servicedOn: s.on ?? e.on,
        performerId: s.performerId,
        diagnosisSequences: [1],
        theatreBookingId: s.theatreBookingId,
        recordedBy: 'eval',
        recordedAt: new Date(`${e.on}T12:00:00Z`),
      })),
    );
  };

/** Procedures the fixture's chargemaster lacks. Illustrative prices, as the fixture's. */
export const priced =
  (...items: { code: string; description: string; revenueCode: string; cents: number }[]): Setup =>
  async (database) => {
    await database.db.insert(chargemasterItems).values(
      items.map((i) => ({
        id: `cdm-procedure-${i.code}`,
        kind: 'procedure' as const,
        code: i.code,
        description: i.description,
        revenueCode: i.revenueCode,
        unitPriceCents: i.cents,
      })),
    );
  };

/** A second commercial payer with no prior-authorisation list, for coverage changes and secondaries. */
export const bluePayer: Setup = async (database) => {
  await database.db.insert(payers).values({
    id: 'pay-blue',
    name: 'Blue Mutual',
    kind: 'commercial',
    x12PayerId: 'BLUE1',
    professionalFilingIndicator: 'CI',
    institutionalFilingIndicator: 'CI',
    timelyFilingDays: 365,
  });
  await database.db.insert(payerPlans).values({ id: 'plan-blue', payerId: 'pay-blue', name: 'Blue PPO' });
};

/** Bo's secondary coverage with Blue Mutual. */
export const boSecondary: Setup = both(bluePayer, async (database) => {
  await database.db.insert(coverages).values({
    id: 'cov-bo-blue',
    patientId: 'pat-2',
    planId: 'plan-blue',
    priority: 'secondary',
    memberId: 'BLU998877',
    startsOn: '2025-01-01',
  });
});

/** Ada back in ICU bed 1 since 2026-03-16, still in progress: the discharge ends the stay. */
export const adaInBed: Setup = both(
  encounter({
    id: 'enc-ada-stay',
    patientId: 'pat-1',
    klass: 'IMP',
    status: 'in-progress',
    unitId: 'unit-icu',
    on: '2026-03-16',
    diagnoses: ['E11.65', 'I10'],
    services: [
      { code: '99223', performerId: 'stf-endo', on: '2026-03-16' },
      { code: '99232', performerId: 'stf-endo', on: '2026-03-17' },
      { code: '36415', on: '2026-03-16' },
    ],
  }),
  sql(`update beds set status = 'O', occupant_patient_id = 'pat-1' where id = 'bed-icu-1'`),
);

/** A second knee case for Bo, booked for 2026-03-19 and under way: its encounter is in progress. */
export const boSecondScope: Setup = async (database, clock) => {
  await database.db.insert(theatreBookings).values({
    id: 'tb-bo-left',
    theatreId: 'th-1',
    patientId: 'pat-2',
    procedure: 'Knee arthroscopy, left',
    surgeonStaffId: 'stf-surgeon',
    startsAt: new Date('2026-03-19T08:00:00Z'),
    endsAt: new Date('2026-03-19T09:30:00Z'),
    turnoverEndsAt: new Date('2026-03-19T10:00:00Z'),
    status: 'booked',
    createdBy: 'eval',
    createdAt: new Date('2026-03-12T09:00:00Z'),
    updatedAt: new Date('2026-03-12T09:00:00Z'),
  });
  await encounter({
    id: 'enc-bo-left',
    patientId: 'pat-2',
    status: 'in-progress',
    on: '2026-03-19',
    diagnoses: ['M23.222'],
    services: [
      { code: '29881', performerId: 'stf-surgeon', modifiers: ['LT'], theatreBookingId: 'tb-bo-left' },
    ],
  })(database, clock);
};
