/**
 * What the database knows that an 837 does not: the payer's rules, the coverage's eligibility, the
 * plan's authorisation list and the numbers issued, the patient's claims already sent, and the NCCI
 * edit tables. `scrubStored` runs the scrubber with it on a claim's stored document.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import { claims, coverages, payerPlans, payers, priorAuthorizations } from '../../../db/schema/index.ts';
import { codeSets } from '../codesets/codesets.ts';
import { loadMueTable, loadPtpTable, type MueTable, type PtpTable } from '../codesets/edits.ts';
import { scrubClaim } from '../scrubber/scrubber.ts';
import type { ClaimInFile, ScrubContext } from '../scrubber/types.ts';
import { type ClaimDocument, documentHash } from './document.ts';
import type { StoredScrub } from './schema.ts';
import type { ClaimRow, Db } from './store.ts';

/**
 * The shipped tables in data/edits are illustrative samples in CMS's layout (real codes, example
 * values), not CMS's current quarterly NCCI files: a hospital points CAREBRIDGE_EDIT_TABLES_DIR at a
 * folder holding the real files (names containing "ptp" and "mue").
 */
export const SAMPLE_EDIT_TABLES_DIR = resolve(fileURLToPath(new URL('../../../data/edits', import.meta.url)));

interface EditTables {
  ptp?: PtpTable;
  mue?: MueTable;
}

const tables = new Map<string, { practitioner: EditTables; outpatientHospital: EditTables }>();

/**
 * The NCCI tables of a folder, by setting: practitioner (837P) and outpatient hospital (837I). PTP files
 * are told apart by name (CMS's "ccipra" practitioner, "ccioph" / "hospital" outpatient hospital), MUE
 * files by their value column (loadMueTable reads the setting).
 */
export function editTables(dir: string = process.env.CAREBRIDGE_EDIT_TABLES_DIR || SAMPLE_EDIT_TABLES_DIR) {
  let t = tables.get(dir);
  if (!t) {
    const files = readdirSync(dir)
      .filter((f) => !f.startsWith('.'))
      .sort();
    const hospital = (f: string) => /oph|hosp|outpatient/i.test(f);
    const ptpOf = (names: string[]) =>
      names.length > 0 ? { ptp: loadPtpTable(...names.map((f) => join(dir, f))) } : {};
    const ptpFiles = files.filter((f) => /ptp|cci/i.test(f) && !/mue/i.test(f));
    t = {
      practitioner: ptpOf(ptpFiles.filter((f) => !hospital(f))),
      outpatientHospital: ptpOf(ptpFiles.filter(hospital)),
    };
    for (const f of files.filter((name) => /mue/i.test(name))) {
      const mue = loadMueTable(join(dir, f));
      if (mue.setting === 'practitioner') t.practitioner.mue = mue;
      if (mue.setting === 'outpatient-hospital') t.outpatientHospital.mue = mue;
    }
    tables.set(dir, t);
  }
  return t;
}

/** Inpatient facility claims (type of bill 11x) are not subject to NCCI edits, which cover practitioners and outpatient hospital services (CMS, NCCI Policy Manual for Medicare Services, Introduction). */
export function isInpatientFacility(doc: ClaimDocument): boolean {
  return doc.type === '837I' && doc.claim.facilityCode === '11';
}

function editTablesFor(doc: ClaimDocument): EditTables {
  if (isInpatientFacility(doc)) return {};
  const t = editTables();
  return doc.type === '837P' ? t.practitioner : t.outpatientHospital;
}

export async function scrubContextFor(
  db: Db,
  row: ClaimRow,
  doc: ClaimDocument,
  today: string,
): Promise<ScrubContext> {
  const [payer] = await db.select().from(payers).where(eq(payers.id, row.payerId));
  const [coverage] = await db
    .select({
      startsOn: coverages.startsOn,
      endsOn: coverages.endsOn,
      priorAuthCodes: payerPlans.priorAuthCodes,
    })
    .from(coverages)
    .innerJoin(payerPlans, eq(payerPlans.id, coverages.planId))
    .where(eq(coverages.id, row.coverageId));
  const auths = await db
    .select({ number: priorAuthorizations.number })
    .from(priorAuthorizations)
    .where(eq(priorAuthorizations.coverageId, row.coverageId));
  // The patient's other claims already sent (a void withdraws its claim, so it is left out).
  const sent = await db
    .select({ document: claims.document })
    .from(claims)
    .where(
      and(
        eq(claims.patientId, row.patientId),
        ne(claims.id, row.id),
        ne(claims.status, 'void'),
        isNotNull(claims.submittedAt),
      ),
    );
  const needsAuth = new Set(coverage?.priorAuthCodes ?? []);
  const { ptp, mue } = editTablesFor(doc);
  return {
    ...(payer && payer.kind !== 'self-pay'
      ? {
          payer: {
            kind: payer.kind,
            ...(payer.timelyFilingDays !== null ? { timelyFilingDays: payer.timelyFilingDays } : {}),
          },
        }
      : {}),
    today,
    codeSets: codeSets(),
    ...(ptp ? { ptp } : {}),
    ...(mue ? { mue } : {}),
    coverage: coverage
      ? [{ from: coverage.startsOn, ...(coverage.endsOn ? { to: coverage.endsOn } : {}) }]
      : [],
    priorAuthRequired: (code) => needsAuth.has(code),
    priorAuths: auths.map((a) => a.number),
    previousClaims: sent.map((s) => s.document as ClaimInFile),
  };
}

/** Scrubs a document (the stored one unless given) with the database's facts; today from the caller's clock. */
export async function scrubStored(
  db: Db,
  row: ClaimRow,
  at: Date,
  document?: ClaimDocument,
): Promise<StoredScrub> {
  const doc = document ?? (row.document as ClaimDocument);
  const today = at.toISOString().slice(0, 10);
  const context = await scrubContextFor(db, row, doc, today);
  const result = scrubClaim(doc, context);
  const ncci = new Set(['ncci-ptp', 'mue']);
  const editsRun = isInpatientFacility(doc)
    ? result.editsRun.map((e) =>
        ncci.has(e.edit)
          ? { ...e, reason: 'NCCI edits do not apply to inpatient facility claims (type of bill 11x)' }
          : e,
      )
    : result.editsRun;
  const findings = [...result.findings];
  const { claim } = doc;
  if ((claim.frequencyCode === '7' || claim.frequencyCode === '8') && !claim.originalClaimNumber) {
    // 005010X222A1 / X223A2 2300 REF*F8: required when CLM05-3 is 7 (replacement) or 8 (void).
    findings.push({
      code: 'ORIGINAL_CLAIM_MISSING',
      severity: 'error',
      claimId: claim.id,
      field: 'claim.originalClaimNumber',
      message: `a frequency ${claim.frequencyCode} claim must carry the payer's claim number of the original (REF*F8)`,
    });
  }
  return {
    findings,
    editsRun,
    documentSha256: documentHash(doc),
    today,
    at: at.toISOString(),
  };
}

export const errorsOf = (s: StoredScrub) => s.findings.filter((f) => f.severity === 'error');
