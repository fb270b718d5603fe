/**
 * The fixes that are safe from the record alone, each tied to the scrubber finding it answers:
 * CLM02 from the lines, REF*G1 from an authorisation on file, DOB and sex from the patient, a missing
 * 837P pointer to the principal diagnosis, the coverage active on the service dates. Anything that
 * needs judgement (a diagnosis, a code pair, units, filing limits, a duplicate) is left for a coder.
 */
import { and, eq, gte, lte, ne, notInArray } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import { claims, priorAuthorizations } from '../../../db/schema/index.ts';
import type { Finding } from '../scrubber/types.ts';
import { sexCode, subscriberFor } from './build.ts';
import { type ClaimDocument, copyDocument, lineTotal } from './document.ts';
import { primaryCoverageOn, requirePatient } from './facts.ts';
import type { ClaimRow } from './store.ts';

export interface Fix {
  field: string;
  before: unknown;
  after: unknown;
  reason: string;
}

export interface Fixed {
  document: ClaimDocument;
  fixes: Fix[];
  coverageId: string;
  payerId: string;
}

function lineDates(doc: ClaimDocument): { from: string; to: string } {
  const dates: string[] = [];
  for (const l of doc.claim.lines)
    for (const d of l.dates) if (d.qualifier === '472') dates.push(d.start, d.end ?? d.start);
  for (const d of doc.claim.dates) if (d.qualifier === '434') dates.push(d.start, d.end ?? d.start);
  dates.sort();
  return { from: dates[0] ?? '', to: dates[dates.length - 1] ?? '' };
}

export async function safeFixes(tx: Tx, row: ClaimRow, findings: readonly Finding[]): Promise<Fixed> {
  const doc = copyDocument(row.document as ClaimDocument);
  const fixes: Fix[] = [];
  const has = (code: string, field?: (f: string) => boolean) =>
    findings.some((f) => f.code === code && f.severity === 'error' && (!field || field(f.field)));
  let coverageId = row.coverageId;
  let payerId = row.payerId;

  if (has('COVERAGE_INACTIVE')) {
    const { from, to } = lineDates(doc);
    const found = await primaryCoverageOn(tx, row.patientId, from, to);
    if (found && found.coverage.id !== row.coverageId && found.payer.kind !== 'self-pay') {
      const patient = await requirePatient(tx, row.patientId);
      const before = { coverageId, memberId: doc.subscriber.person.id, payer: doc.subscriber.payer.id };
      doc.subscriber = subscriberFor(patient, found.coverage, found.payer, doc.type);
      coverageId = found.coverage.id;
      payerId = found.payer.id;
      fixes.push({
        field: 'subscriber',
        before,
        after: { coverageId, memberId: doc.subscriber.person.id, payer: doc.subscriber.payer.id },
        reason: `coverage ${row.coverageId} is not active ${from}–${to}; ${coverageId} is the patient's primary coverage then`,
      });
    }
  }

  const demographic = (f: string) => f.endsWith('demographics.dateOfBirth') || f.endsWith('demographics.sex');
  if (has('REQUIRED_MISSING', demographic) || has('SEX_CODE')) {
    const patient = await requirePatient(tx, row.patientId);
    const person = doc.patient ?? doc.subscriber;
    const before = person.demographics ?? {};
    const after = {
      dateOfBirth: before.dateOfBirth || patient.birthDate,
      sex: ['F', 'M', 'U'].includes(before.sex ?? '') ? before.sex : sexCode(patient.sex),
    };
    if (after.dateOfBirth !== before.dateOfBirth || after.sex !== before.sex) {
      person.demographics = after;
      fixes.push({
        field: `${doc.patient ? 'patient' : 'subscriber'}.demographics`,
        before,
        after,
        reason: `taken from patient record ${patient.id}`,
      });
    }
  }

  if (doc.type === '837P' && has('DX_POINTER_MISSING') && doc.claim.diagnoses.length > 0) {
    doc.claim.lines.forEach((line, k) => {
      if ((line.diagnosisPointers ?? []).length > 0) return;
      line.diagnosisPointers = [1];
      fixes.push({
        field: `lines[${k}].diagnosisPointers`,
        before: [],
        after: [1],
        reason: 'a line without a pointer is pointed at the principal diagnosis',
      });
    });
  }

  if (has('PRIOR_AUTH_MISSING')) {
    const missing = findings.filter((f) => f.code === 'PRIOR_AUTH_MISSING' && f.line !== undefined);
    const numbers = new Set<string>();
    const perLine: { index: number; number: string }[] = [];
    for (const f of missing) {
      const index = doc.claim.lines.findIndex((l) => l.lineNumber === f.line);
      const line = doc.claim.lines[index];
      const code = line?.procedure?.code;
      const date = line?.dates.find((d) => d.qualifier === '472')?.start;
      if (!line || !code || !date) continue;
      // An authorisation on file for this coverage, naming the code, valid on the date of service.
      const [auth] = await tx
        .select({
          number: priorAuthorizations.number,
          procedureCodes: priorAuthorizations.procedureCodes,
          units: priorAuthorizations.units,
        })
        .from(priorAuthorizations)
        .where(
          and(
            eq(priorAuthorizations.coverageId, coverageId),
            lte(priorAuthorizations.validFrom, date),
            gte(priorAuthorizations.validTo, date),
          ),
        )
        .then((rows) => rows.filter((r) => r.procedureCodes.includes(code)));
      if (!auth) continue;
      // An authorisation for so many units is used up by the claims already billed under it.
      if (auth.units !== null) {
        const used = await unitsBilledUnder(tx, row, coverageId, auth.number, code);
        if (used + (line.units ?? 1) > auth.units) continue;
      }
      numbers.add(auth.number);
      perLine.push({ index, number: auth.number });
    }
    const only = numbers.size === 1 ? [...numbers][0] : undefined;
    if (only && perLine.length === missing.length && !doc.claim.priorAuthorization) {
      doc.claim.priorAuthorization = only;
      fixes.push({
        field: 'claim.priorAuthorization',
        before: null,
        after: only,
        reason: `authorisation ${only} on file covers the service`,
      });
    } else {
      for (const { index, number } of perLine) {
        doc.claim.lines[index]!.references.push({ qualifier: 'G1', value: number });
        fixes.push({
          field: `lines[${index}].references`,
          before: null,
          after: { qualifier: 'G1', value: number },
          reason: `authorisation ${number} on file covers the service`,
        });
      }
    }
  }

  const total = lineTotal(doc);
  if (total !== doc.claim.totalCharge) {
    fixes.push({
      field: 'claim.totalCharge',
      before: doc.claim.totalCharge,
      after: total,
      reason: 'CLM02 is the sum of the line charges',
    });
    doc.claim.totalCharge = total;
  }
  return { document: doc, fixes, coverageId, payerId };
}

/**
 * Units of `code` on the coverage's other live claims that carry authorisation `number` (on the claim
 * or the line). The claim this one replaces, the claims replaced or voided and void (frequency 8)
 * claims do not count: a
 * corrected claim bills the same authorised service again.
 */
async function unitsBilledUnder(
  tx: Tx,
  row: ClaimRow,
  coverageId: string,
  number: string,
  code: string,
): Promise<number> {
  const others = await tx
    .select({ id: claims.id, document: claims.document })
    .from(claims)
    .where(
      and(
        eq(claims.coverageId, coverageId),
        ne(claims.id, row.id),
        notInArray(claims.status, ['void', 'replaced']),
        ne(claims.frequency, '8'),
        ...(row.replacesClaimId ? [ne(claims.id, row.replacesClaimId)] : []),
      ),
    );
  let used = 0;
  for (const other of others) {
    const doc = other.document as ClaimDocument;
    for (const l of doc.claim.lines) {
      if (l.procedure?.code !== code) continue;
      const g1 = l.references.find((r) => r.qualifier === 'G1')?.value ?? doc.claim.priorAuthorization;
      if (g1 === number) used += l.units ?? 1;
    }
  }
  return used;
}
