/** Loading what a claim is built from: the encounter, its open charges, the patient's coverage, the people named. */
import { and, asc, eq, inArray, isNull, lte, or, gte } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import {
  charges,
  coverages,
  encounterDiagnoses,
  encounters,
  patients,
  payerPlans,
  payers,
  staff,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import type { ChargeFact, Clinician, EncounterFacts } from './build.ts';
import { billingProfile, type Db } from './store.ts';

export async function requireEncounter(db: Db, id: string) {
  const [row] = await db.select().from(encounters).where(eq(encounters.id, id));
  if (!row)
    throw new OperationError('not_found', `No encounter ${id}`, [
      { field: 'encounterId', message: 'no such encounter' },
    ]);
  return row;
}

export async function requirePatient(db: Db, id: string) {
  const [row] = await db.select().from(patients).where(eq(patients.id, id));
  if (!row)
    throw new OperationError('not_found', `No patient ${id}`, [
      { field: 'patientId', message: 'no such patient' },
    ]);
  return row;
}

/** The patient's primary coverage active over the whole period (both dates inclusive), with its payer. */
export async function primaryCoverageOn(db: Db, patientId: string, from: string, to: string) {
  const rows = await db
    .select({ coverage: coverages, payer: payers, plan: payerPlans })
    .from(coverages)
    .innerJoin(payerPlans, eq(payerPlans.id, coverages.planId))
    .innerJoin(payers, eq(payers.id, payerPlans.payerId))
    .where(
      and(
        eq(coverages.patientId, patientId),
        eq(coverages.priority, 'primary'),
        lte(coverages.startsOn, from),
        or(isNull(coverages.endsOn), gte(coverages.endsOn, to)),
      ),
    )
    .orderBy(asc(coverages.startsOn), asc(coverages.id));
  return rows.at(-1);
}

export async function cliniciansById(db: Db, ids: readonly string[]): Promise<Map<string, Clinician>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: staff.id, name: staff.name, role: staff.role, npi: staff.npi })
    .from(staff)
    .where(inArray(staff.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Everything build_claims needs, with the encounter's open charges locked: two builds of one
 * encounter at once bill each charge once (the second finds none open).
 */
export async function encounterFacts(tx: Tx, encounterId: string) {
  const encounter = await requireEncounter(tx, encounterId);
  const patient = await requirePatient(tx, encounter.patientId);
  const open = await tx
    .select()
    .from(charges)
    .where(and(eq(charges.encounterId, encounterId), eq(charges.status, 'open')))
    .orderBy(asc(charges.serviceDate), asc(charges.id))
    .for('update');
  if (open.length === 0) {
    throw new OperationError('conflict', `Encounter ${encounterId} has no open charges to bill`, [
      {
        field: 'encounterId',
        message: 'no open charges (capture charges first, or they are billed already)',
      },
    ]);
  }
  const dates = open.map((c) => c.serviceDate).sort();
  const from = dates[0]!;
  const to = dates[dates.length - 1]!;
  const covered = await primaryCoverageOn(tx, patient.id, from, to);
  if (!covered) {
    const who = `${patient.givenName} ${patient.familyName} (${patient.id})`;
    const when = from === to ? `on ${from}` : `from ${from} to ${to}`;
    throw new OperationError(
      'invalid',
      `${who} has no active primary coverage ${when}: nothing to bill a payer`,
      [{ field: 'encounterId', message: `no primary coverage for ${patient.id} ${when}` }],
    );
  }
  if (covered.payer.kind === 'self-pay') {
    throw new OperationError(
      'invalid',
      `${patient.id}'s coverage ${covered.coverage.id} is self-pay: bill the patient, not an 837`,
      [{ field: 'encounterId', message: 'self-pay coverage' }],
    );
  }
  const diagnoses = await tx
    .select({
      sequence: encounterDiagnoses.sequence,
      code: encounterDiagnoses.code,
      presentOnAdmission: encounterDiagnoses.presentOnAdmission,
    })
    .from(encounterDiagnoses)
    .where(eq(encounterDiagnoses.encounterId, encounterId))
    .orderBy(asc(encounterDiagnoses.sequence));
  const people = open.map((c) => c.performerId).filter((x): x is string => x !== null);
  if (encounter.attendingId) people.push(encounter.attendingId);
  const profile = await billingProfile(tx);
  const chargeFacts: ChargeFact[] = open.map((c) => ({
    id: c.id,
    kind: c.kind,
    serviceDate: c.serviceDate,
    revenueCode: c.revenueCode,
    procedureCode: c.procedureCode,
    modifiers: c.modifiers,
    ndc: c.ndc,
    units: c.units,
    unitBasis: c.unitBasis,
    amountCents: c.amountCents,
    performerId: c.performerId,
    diagnosisSequences: c.diagnosisSequences,
  }));
  const facts: EncounterFacts = {
    encounter,
    patient,
    coverage: covered.coverage,
    payer: covered.payer,
    profile,
    clinicians: await cliniciansById(tx, people),
    diagnoses,
    charges: chargeFacts,
  };
  return { facts, coverage: covered.coverage, payer: covered.payer };
}
