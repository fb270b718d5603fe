/**
 * The claim scrubber: deterministic edits over one claim (`scrubClaim`) or every claim of an 837 file
 * (`scrubFile`). Each edit runs only when the context holds the facts it needs; `editsRun` lists every
 * edit with 'ran' or 'skipped' and the reason, so nothing is left out silently.
 */
import { parseX12 } from '../x12/parse.ts';
import type { X12Warning } from '../x12/segments.ts';
import type { ClaimTransaction, X12File } from '../x12/types.ts';
import { findingsFor } from './claim-facts.ts';
import { checkDiagnosisCodes, checkDiagnosisPointers, checkProcedureCodes } from './codes.ts';
import { checkMueUnits, checkPtpPairs } from './ncci.ts';
import {
  checkClaimTotal,
  checkCoverage,
  checkDuplicate,
  checkPriorAuthorization,
  checkTimelyFiling,
  claimFingerprint,
  duplicateIndex,
} from './payer.ts';
import { checkRequiredFields } from './required.ts';
import {
  type ClaimInFile,
  EDIT_NAMES,
  type EditName,
  type EditRun,
  type Finding,
  type ScrubContext,
  type ScrubResult,
} from './types.ts';

/** Medicare: 12 months after the date of service (42 CFR 424.44(a)(1)). */
export const MEDICARE_TIMELY_FILING_DAYS = 365;

function timelyFilingDays(context: ScrubContext): number | undefined {
  const payer = context.payer;
  if (!payer) return undefined;
  return payer.timelyFilingDays ?? (payer.kind === 'medicare' ? MEDICARE_TIMELY_FILING_DAYS : undefined);
}

/** Why each edit cannot run with this context (absent: it runs). Depends on the context only. */
function skipReasons(context: ScrubContext): Partial<Record<EditName, string>> {
  const reasons: Partial<Record<EditName, string>> = {};
  if (!context.codeSets) {
    reasons['diagnosis-codes'] = 'no code sets in the context (codeSets)';
    reasons['procedure-codes'] = 'no code sets in the context (codeSets)';
  }
  if (!context.ptp) reasons['ncci-ptp'] = 'no NCCI PTP table in the context (ptp)';
  if (!context.mue) reasons.mue = 'no MUE table in the context (mue)';
  if (!context.today) reasons['timely-filing'] = 'no date to measure from (today)';
  else if (!context.payer) reasons['timely-filing'] = 'no payer facts (payer)';
  else if (timelyFilingDays(context) === undefined) {
    reasons['timely-filing'] = `no filing limit for a ${context.payer.kind} payer (payer.timelyFilingDays)`;
  }
  if (!context.previousClaims)
    reasons['duplicate-claim'] = 'no earlier claims to compare with (previousClaims)';
  if (!context.priorAuthRequired) {
    reasons['prior-authorization'] = 'no prior-authorisation rule for the payer (priorAuthRequired)';
  }
  if (!context.coverage) reasons.coverage = 'no eligibility spans (coverage)';
  return reasons;
}

/** Which edits run with this context, in the order of EDIT_NAMES. */
export function editsRunFor(context: ScrubContext): EditRun[] {
  const reasons = skipReasons(context);
  return EDIT_NAMES.map((edit) => {
    const reason = reasons[edit];
    if (reason) return { edit, status: 'skipped', reason };
    if (edit === 'diagnosis-pointers' && !context.codeSets) {
      return {
        edit,
        status: 'ran',
        reason: '837P pointers checked for range only: no code sets to check the codes they name',
      };
    }
    if (edit === 'diagnosis-pointers')
      return { edit, status: 'ran', reason: '837P only (837I lines carry no pointers)' };
    return { edit, status: 'ran' };
  });
}

/** Runs the edits of `editsRunFor(context)` on one claim; findings in edit order. */
export function scrubClaim(c: ClaimInFile, context: ScrubContext): ScrubResult {
  const findings: Finding[] = [];
  runEdits(c, context, findings);
  return { findings, editsRun: editsRunFor(context) };
}

function runEdits(c: ClaimInFile, context: ScrubContext, findings: Finding[]): void {
  const report = findingsFor(c.claim.id, findings);
  const { claim } = c;
  checkRequiredFields(c, report);
  const validity = context.codeSets ? checkDiagnosisCodes(c, context.codeSets, report) : undefined;
  if (context.codeSets) checkProcedureCodes(c, context.codeSets, context.payer?.kind, report);
  checkDiagnosisPointers(c, validity, report);
  if (context.ptp) checkPtpPairs(claim, context.ptp, report);
  if (context.mue) checkMueUnits(claim, context.mue, report);
  const limit = timelyFilingDays(context);
  if (context.today && limit !== undefined) checkTimelyFiling(claim, context.today, limit, report);
  if (context.previousClaims) checkDuplicate(c, duplicateIndex(context.previousClaims), report);
  if (context.priorAuthRequired) {
    checkPriorAuthorization(claim, context.priorAuthRequired, context.priorAuths, report);
  }
  if (context.coverage) checkCoverage(claim, context.coverage, report);
  checkClaimTotal(claim, report);
}

/** Every claim of an 837 transaction with the loops above it, in file order. */
export function claimsOfTransaction(tx: ClaimTransaction): ClaimInFile[] {
  const out: ClaimInFile[] = [];
  for (const billingProvider of tx.billingProviders) {
    for (const subscriber of billingProvider.subscribers) {
      for (const claim of subscriber.claims) out.push({ type: tx.type, billingProvider, subscriber, claim });
      for (const patient of subscriber.patients) {
        for (const claim of patient.claims) {
          out.push({ type: tx.type, billingProvider, subscriber, patient, claim });
        }
      }
    }
  }
  return out;
}

export function claimsOfFile(file: X12File): ClaimInFile[] {
  const out: ClaimInFile[] = [];
  for (const interchange of file.interchanges) {
    for (const group of interchange.groups) {
      for (const tx of group.transactions) if (tx.type !== '835') out.push(...claimsOfTransaction(tx));
    }
  }
  return out;
}

export interface FileScrubResult extends ScrubResult {
  claims: number;
  /** The parser's tolerated problems (envelope counts, HI codes in two elements), positioned. */
  warnings: X12Warning[];
}

/**
 * Parses an 837 (envelope counts lenient: reported in `warnings`) and scrubs every claim. Duplicates
 * are looked for among `context.previousClaims` and the file's earlier claims. Throws the parser's
 * positioned X12FormatError on malformed input.
 */
export function scrubFile(text: string, context: ScrubContext): FileScrubResult {
  const parsed = parseX12(text, { envelopeCounts: 'warn' });
  const claims = claimsOfFile(parsed);
  const findings: Finding[] = [];
  const previous: ClaimInFile[] = [...(context.previousClaims ?? [])];
  const index = duplicateIndex(previous);
  const { previousClaims: _, ...perClaim } = context;
  for (const c of claims) {
    runEdits(c, perClaim, findings);
    checkDuplicateAndRemember(c, index, findings);
  }
  const editsRun = editsRunFor(context).map(
    (e): EditRun =>
      e.edit === 'duplicate-claim'
        ? {
            edit: e.edit,
            status: 'ran',
            reason: context.previousClaims
              ? 'against previousClaims and the earlier claims of the file'
              : 'against the earlier claims of the file only (no previousClaims)',
          }
        : e,
  );
  return { claims: claims.length, findings, editsRun, warnings: parsed.warnings };
}

function checkDuplicateAndRemember(c: ClaimInFile, index: Map<string, string>, findings: Finding[]): void {
  const key = claimFingerprint(c);
  checkDuplicate(c, index, findingsFor(c.claim.id, findings), key);
  // Remember the claim as sent (a void withdraws a claim and bills nothing).
  if (c.claim.frequencyCode !== '8' && !index.has(key)) index.set(key, c.claim.id);
}
