import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import {
  coverages,
  encounters,
  patients,
  payerPlans,
  payers,
  priorAuthorizations,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import type { CoverageView } from './schema.ts';

/** Rows the charge operations look up, refused by name when they are missing. */

export type EncounterRow = typeof encounters.$inferSelect;

export async function requireEncounter(
  db: DbOrTx,
  encounterId: string,
  opts: { lock?: boolean; field?: string } = {},
): Promise<EncounterRow> {
  const q = db.select().from(encounters).where(eq(encounters.id, encounterId));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) {
    throw new OperationError('not_found', `No encounter ${encounterId}`, [
      { field: opts.field ?? 'encounterId', message: 'no such encounter' },
    ]);
  }
  return row;
}

export function refuseCancelled(encounter: EncounterRow, what: string): void {
  if (encounter.status === 'cancelled') {
    throw new OperationError('conflict', `Encounter ${encounter.id} is cancelled: ${what}`, [
      { field: 'encounterId', message: 'the encounter is cancelled' },
    ]);
  }
}

export async function requirePatient(
  db: DbOrTx,
  patientId: string,
  lock = false,
): Promise<typeof patients.$inferSelect> {
  const q = db.select().from(patients).where(eq(patients.id, patientId));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) {
    throw new OperationError('not_found', `No patient ${patientId}`, [
      { field: 'patientId', message: 'no such patient' },
    ]);
  }
  return row;
}

/** In force on `on`: eligibility dates are inclusive at both ends, and an open end never lapses. */
export function coverageActiveOn(c: { startsOn: string; endsOn: string | null }, on: string): boolean {
  return c.startsOn <= on && (c.endsOn === null || c.endsOn >= on);
}

const PRIORITY_ORDER = { primary: 0, secondary: 1, tertiary: 2 } as const;

/** A patient's coverages (or the ones named) with plan, payer and prior authorisations; primary first. */
export async function loadCoverages(
  db: DbOrTx,
  where: { patientId: string } | { coverageIds: string[] },
  on: string,
): Promise<CoverageView[]> {
  const rows = await db
    .select({ c: coverages, plan: payerPlans, payer: payers })
    .from(coverages)
    .innerJoin(payerPlans, eq(payerPlans.id, coverages.planId))
    .innerJoin(payers, eq(payers.id, payerPlans.payerId))
    .where(
      'patientId' in where
        ? eq(coverages.patientId, where.patientId)
        : inArray(coverages.id, where.coverageIds.length ? where.coverageIds : ['']),
    )
    .orderBy(asc(coverages.startsOn), asc(coverages.id));
  const ids = rows.map((r) => r.c.id);
  const auths = ids.length
    ? await db
        .select()
        .from(priorAuthorizations)
        .where(inArray(priorAuthorizations.coverageId, ids))
        .orderBy(asc(priorAuthorizations.validFrom), asc(priorAuthorizations.id))
    : [];
  const views = rows.map(({ c, plan, payer }) => ({
    coverageId: c.id,
    patientId: c.patientId,
    planId: plan.id,
    planName: plan.name,
    payerId: payer.id,
    payerName: payer.name,
    payerKind: payer.kind,
    priority: c.priority,
    memberId: c.memberId,
    groupNumber: c.groupNumber,
    relationship: c.relationship,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    activeOn: coverageActiveOn(c, on),
    priorAuthorizations: auths
      .filter((a) => a.coverageId === c.id)
      .map((a) => ({
        priorAuthorizationId: a.id,
        number: a.number,
        procedureCodes: a.procedureCodes,
        validFrom: a.validFrom,
        validTo: a.validTo,
        units: a.units,
      })),
  }));
  return views.sort(
    (a, b) =>
      Number(b.activeOn) - Number(a.activeOn) || PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority],
  );
}
