/**
 * What the record says about a claim, for the denial rules: its date of service, the patient's other
 * coverage, the authorisation on file, whether it was filed in time, the plan's fee schedule. Looked up
 * once per coverage, plan, payer and patient for a whole remittance (a file pays many claims of few plans).
 */
import { coverageActiveOn } from '../charges/records.ts';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../../../db/client.ts';
import {
  charges,
  type claims,
  coverages,
  feeScheduleEntries,
  payers,
  priorAuthorizations,
} from '../../../db/schema/index.ts';
import { ptpEditApplies } from '../codesets/edits.ts';
import type { DenialFacts } from './denial-rules.ts';
import type { PaymentFacts } from './payment.ts';
import type { RemittanceVocabulary } from './vocabulary.ts';

type ClaimRow = typeof claims.$inferSelect;
type Billed = { code: string | null; serviceDate: string };

export type ClaimContext = Pick<
  DenialFacts,
  'serviceDate' | 'otherCoverageId' | 'authorizationNumber' | 'filedInTime' | 'ptpIndicator' | 'feeSchedule'
>;

// Filing limits when the payer states none: Medicare 12 months from the date of service (42 CFR
// 424.44(a)); Medicaid 12 months (42 CFR 447.45(d)(1)). A commercial payer's is its contract's.
const DEFAULT_FILING_DAYS: Partial<Record<string, number>> = { medicare: 365, medicaid: 365 };

export class ClaimRecords {
  #tx: Tx;
  #v: RemittanceVocabulary;
  #memo = new Map<string, Promise<unknown>>();
  #billed = new Map<string, Billed[]>();

  constructor(tx: Tx, v: RemittanceVocabulary) {
    this.#tx = tx;
    this.#v = v;
  }

  #once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.#memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = load();
      this.#memo.set(key, p);
    }
    return p;
  }

  /** The charges billed on these claims, in one query per thousand claims. */
  async preloadCharges(claimIds: string[]): Promise<void> {
    for (let k = 0; k < claimIds.length; k += 1000) {
      const slice = claimIds.slice(k, k + 1000);
      for (const id of slice) this.#billed.set(id, []);
      const rows = await this.#tx
        .select({ claimId: charges.claimId, code: charges.procedureCode, serviceDate: charges.serviceDate })
        .from(charges)
        .where(and(inArray(charges.claimId, slice), ne(charges.status, 'voided')));
      for (const r of rows) this.#billed.get(r.claimId!)?.push(r);
    }
  }

  async #charges(claimId: string): Promise<Billed[]> {
    const known = this.#billed.get(claimId);
    if (known) return known;
    const rows = await this.#tx
      .select({ code: charges.procedureCode, serviceDate: charges.serviceDate })
      .from(charges)
      .where(and(eq(charges.claimId, claimId), ne(charges.status, 'voided')));
    this.#billed.set(claimId, rows);
    return rows;
  }

  async denialContext(claim: ClaimRow, facts: PaymentFacts): Promise<ClaimContext> {
    const tx = this.#tx;
    const billed = await this.#charges(claim.id);
    const serviceDate =
      facts.detail.serviceFrom ??
      billed
        .map((b) => b.serviceDate)
        .sort()
        .at(0) ??
      null;
    const codes = new Set([
      ...facts.lines.map((l) => l.procedureCode),
      ...billed.map((b) => b.code).filter((c): c is string => !!c),
    ]);
    const coverage = await this.#once(`coverage:${claim.coverageId}`, async () => {
      const [row] = await tx.select().from(coverages).where(eq(coverages.id, claim.coverageId));
      return row;
    });
    const others = await this.#once(`patient:${claim.patientId}`, () =>
      tx
        .select()
        .from(coverages)
        .where(eq(coverages.patientId, claim.patientId))
        .orderBy(asc(coverages.priority), asc(coverages.id)),
    );
    const activeOn = (c: { id: string; startsOn: string; endsOn: string | null }) =>
      c.id !== claim.coverageId && serviceDate !== null && coverageActiveOn(c, serviceDate);
    const auths = await this.#once(`auths:${claim.coverageId}`, () =>
      tx.select().from(priorAuthorizations).where(eq(priorAuthorizations.coverageId, claim.coverageId)),
    );
    const auth = auths.find(
      (a) =>
        (serviceDate === null || (a.validFrom <= serviceDate && serviceDate <= a.validTo)) &&
        a.procedureCodes.some((c) => codes.has(c)),
    );
    const feeSchedule = coverage
      ? await this.#once(`fees:${coverage.planId}`, async () => {
          const rows = await tx
            .select()
            .from(feeScheduleEntries)
            .where(eq(feeScheduleEntries.planId, coverage.planId));
          return new Map(rows.map((f) => [f.code, f.allowedCents]));
        })
      : new Map<string, number>();
    const payer = await this.#once(`payer:${claim.payerId}`, async () => {
      const [row] = await tx.select().from(payers).where(eq(payers.id, claim.payerId));
      return row;
    });
    const limit = payer?.timelyFilingDays ?? (payer ? DEFAULT_FILING_DAYS[payer.kind] : undefined) ?? null;
    const filedInTime =
      limit !== null && claim.submittedAt && serviceDate
        ? (claim.submittedAt.getTime() - Date.parse(`${serviceDate}T00:00:00Z`)) / 86_400_000 <= limit
        : null;
    return {
      serviceDate,
      otherCoverageId: others.find(activeOn)?.id ?? null,
      authorizationNumber: auth?.number ?? null,
      filedInTime,
      ptpIndicator: (column1, column2, date) => {
        const edit = this.#v.ptp?.find(column1, column2, date);
        return edit && ptpEditApplies(edit, []) ? edit.modifierIndicator : null;
      },
      feeSchedule,
    };
  }
}
