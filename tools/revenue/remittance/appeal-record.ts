/** The record an appeal letter is written from: the claim, patient, coverage, codes and authorisation. */
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import {
  billingProfiles,
  charges,
  claims,
  coverages,
  type denialWorkItems,
  encounterDiagnoses,
  patients,
  priorAuthorizations,
} from '../../../db/schema/index.ts';
import { OperationError } from '../../core/errors.ts';
import type { AppealRecord } from './appeal-letter.ts';
import { presentDenial, type StoredReasons } from './views.ts';

export async function appealRecord(
  tx: Tx,
  item: typeof denialWorkItems.$inferSelect,
  today: string,
): Promise<AppealRecord> {
  if (!item.claimId) {
    throw new OperationError('conflict', `Work item ${item.id} has no claim: match the payment first`, [
      { field: 'workItemId', message: 'an unmatched payment has no claim to appeal' },
    ]);
  }
  const denial = await presentDenial(tx, item.id);
  const [claim] = await tx.select().from(claims).where(eq(claims.id, item.claimId));
  const [patient] = await tx.select().from(patients).where(eq(patients.id, claim!.patientId));
  const [coverage] = await tx.select().from(coverages).where(eq(coverages.id, claim!.coverageId));
  const [hospital] = await tx.select().from(billingProfiles).limit(1);
  const diagnoses = await tx
    .select({ code: encounterDiagnoses.code })
    .from(encounterDiagnoses)
    .where(eq(encounterDiagnoses.encounterId, claim!.encounterId))
    .orderBy(asc(encounterDiagnoses.sequence));
  // A remittance without service lines (SVC) names no codes: the claim's charges do.
  const billed = await tx
    .select()
    .from(charges)
    .where(and(eq(charges.claimId, claim!.id), ne(charges.status, 'voided')))
    .orderBy(asc(charges.serviceDate), asc(charges.id));
  const procedures =
    denial.payment.lines.length > 0
      ? denial.payment.lines.map((l) => ({
          code: l.procedureCode,
          modifiers: l.modifiers,
          chargeCents: l.chargeCents,
          paidCents: l.paidCents,
        }))
      : billed
          .filter((b) => b.procedureCode)
          .map((b) => ({ code: b.procedureCode!, modifiers: b.modifiers, chargeCents: b.amountCents }));
  const from = denial.payment.serviceFrom ?? billed[0]?.serviceDate ?? null;
  const to = denial.payment.serviceTo ?? billed.at(-1)?.serviceDate ?? from;
  const codes = new Set(procedures.map((p) => p.code));
  const auth = (
    await tx.select().from(priorAuthorizations).where(eq(priorAuthorizations.coverageId, claim!.coverageId))
  ).find(
    (a) =>
      a.procedureCodes.some((c) => codes.has(c)) && (!from || (a.validFrom <= from && from <= a.validTo)),
  );
  return {
    today,
    hospital: hospital
      ? {
          name: hospital.name,
          npi: hospital.npi,
          address: `${hospital.addressLine1}, ${hospital.city}, ${hospital.state} ${hospital.postalCode}`,
        }
      : null,
    payerName: denial.payerName ?? 'the payer',
    claimId: claim!.id,
    payerClaimNumber: claim!.payerClaimNumber ?? denial.payment.payerClaimNumber,
    patient: {
      name: `${patient!.givenName} ${patient!.familyName}`,
      birthDate: patient!.birthDate,
      memberId: coverage!.memberId,
    },
    serviceFrom: from,
    serviceTo: to,
    procedures,
    diagnoses: diagnoses.map((d) => d.code),
    category: item.category,
    reasons: (item.reasons as StoredReasons).reasons,
    remarks: denial.payment.remarks,
    amountCents: item.amountCents,
    authorizationNumber: auth?.number ?? null,
    submittedAt: claim!.submittedAt?.toISOString().slice(0, 10) ?? null,
  };
}
