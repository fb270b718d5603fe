/**
 * A coder's corrections applied to a claim document: replace a diagnosis, set a line's modifiers or
 * units, remove a line. Pure. Lines are named by their LX01 as the coder saw them; removals happen
 * last and the lines are renumbered after. Every correction is validated before any is applied.
 */
import { OperationError } from '../../core/errors.ts';
import type { ServiceLine } from '../x12/types.ts';
import {
  type ClaimDocument,
  cents,
  chargeIdOf,
  copyDocument,
  dollars,
  lineTotal,
  x12Diagnosis,
} from './document.ts';
import type { Correction } from './schema.ts';

export interface CorrectionChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface Corrected {
  document: ClaimDocument;
  changes: CorrectionChange[];
  /** Charges whose lines were removed: they leave the claim. */
  removedChargeIds: string[];
}

export function applyCorrections(
  original: ClaimDocument,
  corrections: readonly Correction[],
  field = 'corrections',
): Corrected {
  const doc = copyDocument(original);
  const claim = doc.claim;
  const changes: CorrectionChange[] = [];
  const lineAt = (n: number, k: number): ServiceLine => {
    const line = claim.lines.find((l) => l.lineNumber === n);
    if (!line) {
      throw new OperationError(
        'invalid',
        `${field}.${k}.line: claim ${claim.id} has no line ${n} (lines 1–${claim.lines.length})`,
        [{ field: `${field}.${k}.line`, message: `no line ${n}` }],
      );
    }
    return line;
  };
  const removed = new Set<ServiceLine>();
  corrections.forEach((c, k) => {
    switch (c.kind) {
      case 'diagnosis': {
        const dx = claim.diagnoses[c.position - 1];
        if (!dx) {
          throw new OperationError(
            'invalid',
            `${field}.${k}.position: claim ${claim.id} has ${claim.diagnoses.length} diagnoses, no position ${c.position}`,
            [{ field: `${field}.${k}.position`, message: `no diagnosis at ${c.position}` }],
          );
        }
        const code = x12Diagnosis(c.code);
        changes.push({ field: `claim.diagnoses[${c.position - 1}].code`, before: dx.code, after: code });
        dx.code = code;
        return;
      }
      case 'modifiers': {
        const line = lineAt(c.line, k);
        if (!line.procedure) {
          throw new OperationError(
            'invalid',
            `${field}.${k}.line: line ${c.line} has no procedure code to modify`,
            [{ field: `${field}.${k}.line`, message: 'no procedure on the line' }],
          );
        }
        const modifiers = c.modifiers.map((m) => m.toUpperCase());
        changes.push({
          field: `lines[${c.line - 1}].procedure.modifiers`,
          before: line.procedure.modifiers,
          after: modifiers,
        });
        line.procedure.modifiers = modifiers;
        return;
      }
      case 'units': {
        const line = lineAt(c.line, k);
        const before = { units: line.units, charge: line.charge };
        // The line's price per unit is kept: fewer units bill less.
        const perUnit = line.units ? cents(line.charge) / line.units : cents(line.charge);
        line.units = c.units;
        line.charge = dollars(Math.round(perUnit * c.units));
        if (line.drug) line.drug.quantity = c.units;
        changes.push({
          field: `lines[${c.line - 1}].units`,
          before,
          after: { units: line.units, charge: line.charge },
        });
        return;
      }
      case 'remove-line': {
        const line = lineAt(c.line, k);
        removed.add(line);
        changes.push({
          field: `lines[${c.line - 1}]`,
          before: {
            lineNumber: line.lineNumber,
            procedure: line.procedure?.code,
            revenueCode: line.revenueCode,
            charge: line.charge,
          },
          after: null,
        });
        return;
      }
    }
  });
  if (removed.size >= claim.lines.length) {
    throw new OperationError(
      'invalid',
      `${field}: removing every line of ${claim.id} leaves nothing to bill; void the claim instead`,
      [{ field, message: 'would remove every line' }],
    );
  }
  const removedChargeIds = [...removed].map(chargeIdOf).filter((x): x is string => x !== undefined);
  claim.lines = claim.lines.filter((l) => !removed.has(l));
  claim.lines.forEach((l, k) => {
    l.lineNumber = k + 1;
  });
  const total = lineTotal(doc);
  if (total !== claim.totalCharge) {
    changes.push({ field: 'claim.totalCharge', before: claim.totalCharge, after: total });
    claim.totalCharge = total;
  }
  return { document: doc, changes, removedChargeIds };
}
