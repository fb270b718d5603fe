/** Hand-made claims for the scrubber tests: `cleanClaim()` passes every edit; tests break one thing each. */
import { codeSets } from '../codesets/codesets.ts';
import { ptpTable, type MueTable, type PtpEdit } from '../codesets/edits.ts';
import type { Claim, ServiceLine } from '../x12/types.ts';
import type { ClaimInFile, Finding, ScrubContext } from './types.ts';

export function serviceLine(
  lineNumber: number,
  code: string,
  options: { modifiers?: string[]; charge?: number; units?: number; date?: string; pointers?: number[] } = {},
): ServiceLine {
  return {
    lineNumber,
    procedure: { qualifier: 'HC', code, modifiers: options.modifiers ?? [] },
    charge: options.charge ?? 100,
    unitBasis: 'UN',
    units: options.units ?? 1,
    diagnosisPointers: options.pointers ?? [1],
    dates: [{ qualifier: '472', start: options.date ?? '2024-03-01' }],
    references: [],
    providers: [],
    segments: [],
  };
}

/** An 837P claim: valid NPI 1234567893, tax id, member id, DOB/sex, E11.9 and I10, one office visit. */
export function cleanClaim(lines: ServiceLine[] = [serviceLine(1, '99213')]): ClaimInFile {
  const claim: Claim = {
    id: 'PCN-1',
    totalCharge: lines.reduce((sum, l) => sum + l.charge, 0),
    facilityCode: '11',
    facilityCodeQualifier: 'B',
    frequencyCode: '1',
    dates: [],
    references: [],
    diagnoses: [
      { qualifier: 'ABK', code: 'E119' },
      { qualifier: 'ABF', code: 'I10' },
    ],
    otherCodes: [],
    providers: [],
    otherPayers: [],
    lines,
    segments: [],
  };
  return {
    type: '837P',
    billingProvider: {
      provider: {
        entityType: '2',
        name: 'GENERAL HOSPITAL CLINIC',
        idQualifier: 'XX',
        id: '1234567893',
        references: [{ qualifier: 'EI', value: '123456789' }],
      },
      subscribers: [],
      segments: [],
    },
    subscriber: {
      responsibility: 'P',
      relationship: '18',
      claimFilingIndicator: 'MB',
      person: { entityType: '1', name: 'DOE', firstName: 'JANE', idQualifier: 'MI', id: '1EG4TE5MK73' },
      demographics: { dateOfBirth: '1950-06-15', sex: 'F' },
      payer: { entityType: '2', name: 'MEDICARE B', idQualifier: 'PI', id: '00435' },
      claims: [claim],
      patients: [],
      segments: [],
    },
    claim,
  };
}

/** Recomputes CLM02 after a test changed line charges. */
export function withTotal(c: ClaimInFile): ClaimInFile {
  c.claim.totalCharge = c.claim.lines.reduce((sum, l) => sum + l.charge, 0);
  return c;
}

export function ptpOf(rows: Partial<PtpEdit>[]): ReturnType<typeof ptpTable> {
  return ptpTable(
    rows.map((r, k) => ({
      column1: '93000',
      column2: '93005',
      inExistencePrior1996: false,
      effectiveDate: '2000-01-01',
      modifierIndicator: 0,
      rationale: 'test edit',
      source: `test:${k + 2}`,
      ...r,
    })),
  );
}

export function mueOf(rows: { code: string; value: number; mai: 1 | 2 | 3 }[]): MueTable {
  const byCode = new Map(
    rows.map((r, k) => [
      r.code,
      {
        code: r.code,
        value: r.value,
        adjudicationIndicator: r.mai,
        rationale: 'test',
        source: `test:${k + 2}`,
      },
    ]),
  );
  return {
    setting: 'practitioner',
    size: byCode.size,
    get: (code) => byCode.get(code),
    edits: () => byCode.values(),
  };
}

/** A context with every fact, under which cleanClaim() has no findings. */
export function fullContext(overrides: Partial<ScrubContext> = {}): ScrubContext {
  return {
    payer: { kind: 'medicare' },
    today: '2024-06-01',
    codeSets: codeSets(),
    ptp: ptpOf([]),
    mue: mueOf([]),
    coverage: [{ from: '2024-01-01' }],
    priorAuthRequired: () => false,
    previousClaims: [],
    ...overrides,
  };
}

/** The findings as `code field` strings, for compact assertions. */
export function codesOf(findings: Finding[]): string[] {
  return findings.map((f) => `${f.code} ${f.field}`);
}
