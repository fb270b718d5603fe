/**
 * NCCI edits on one claim: procedure-to-procedure (PTP) pairs billed on the same date of service, and
 * medically unlikely edit (MUE) unit caps. Tables: tools/revenue/codesets/edits.ts (CMS layouts).
 * Policy: CMS, "NCCI Policy Manual for Medicare Services", ch. I (PTP edits, modifiers and modifier
 * indicators; MUEs and their adjudication indicators), and the MUE page on cms.gov.
 */
import { type MueTable, type PtpTable, ptpEditApplies } from '../codesets/edits.ts';
import type { Claim, ServiceLine } from '../x12/types.ts';
import { procedureLabel, type Report, servicePeriodOf } from './claim-facts.ts';

interface DatedLine {
  index: number;
  line: ServiceLine;
  code: string;
  date: string;
}

/** Lines with a HCPCS/CPT procedure and a date of service (the first date of a span). */
function datedLines(claim: Claim): DatedLine[] {
  const out: DatedLine[] = [];
  claim.lines.forEach((line, index) => {
    const p = line.procedure;
    if (p?.qualifier !== 'HC') return;
    const date = servicePeriodOf(claim, line)?.from;
    if (date) out.push({ index, line, code: p.code.trim().toUpperCase(), date });
  });
  return out;
}

/**
 * Every ordered pair of lines on the same date of service is looked up as column 1 / column 2.
 * Indicator 0: the column 2 code is denied whatever the modifiers; 1: an NCCI-associated modifier
 * (59, XE/XS/XP/XU, 25, 91, anatomic…) on the column 2 line bypasses the edit; 9: the edit does not
 * apply. Edits outside their effective/deletion dates are not found by the table.
 */
export function checkPtpPairs(claim: Claim, ptp: PtpTable, report: Report): void {
  const lines = datedLines(claim);
  if (lines.length < 2) return;
  for (const col2 of lines) {
    for (const col1 of lines) {
      if (col1 === col2 || col1.date !== col2.date) continue;
      const edit = ptp.find(col1.code, col2.code, col1.date);
      if (!edit || !ptpEditApplies(edit, col2.line.procedure?.modifiers ?? [])) continue;
      const why =
        edit.modifierIndicator === 0
          ? 'modifier indicator 0: no modifier bypasses this edit'
          : 'modifier indicator 1: bill it with an NCCI-associated modifier (e.g. 59, XE, XS, XP, XU) on the column 2 line when the record supports a distinct service';
      report(
        'NCCI_PTP',
        'error',
        `lines[${col2.index}].procedure.modifiers`,
        `${procedureLabel(col2.line)} (column 2) is not paid with ${procedureLabel(col1.line)} (column 1, line ${col1.line.lineNumber}) on ${col1.date}: ${edit.rationale}; ${why} [${edit.source}]`,
        col2.line,
      );
    }
  }
}

const MAI_TEXT = {
  1: 'MAI 1, line edit: each claim line is compared with the cap (modifiers such as 59, 76, 77, 91, RT/LT may justify units on separate lines)',
  2: 'MAI 2, date-of-service edit (policy): units of all lines on the date are summed; an absolute cap',
  3: 'MAI 3, date-of-service edit (clinical): units of all lines on the date are summed; payable on appeal with documentation',
} as const;

/**
 * MUE: MAI 1 caps each line's units; MAI 2 and 3 cap the units summed over the claim's lines for the
 * code on one date of service. The finding names the line that crosses the cap.
 */
export function checkMueUnits(claim: Claim, mue: MueTable, report: Report): void {
  const sums = new Map<string, number>();
  for (const d of datedLines(claim)) {
    const edit = mue.get(d.code);
    const units = d.line.units;
    if (!edit || units === undefined) continue;
    let total = units;
    if (edit.adjudicationIndicator !== 1) {
      const key = `${d.code}|${d.date}`;
      const before = sums.get(key) ?? 0;
      total = before + units;
      sums.set(key, total);
      // Report once per code and date: on the line that first takes the sum past the cap.
      if (before > edit.value) continue;
    }
    if (total <= edit.value) continue;
    report(
      'MUE_UNITS',
      'error',
      `lines[${d.index}].units`,
      `${d.code} on ${d.date}: ${total} units${edit.adjudicationIndicator === 1 ? ' on this line' : ' on the date'} exceed the MUE of ${edit.value} (${MAI_TEXT[edit.adjudicationIndicator]}) [${edit.source}]`,
      d.line,
    );
  }
}
