import { describe, expect, it } from 'vitest';
import { isValidNpi } from './required.ts';
import { scrubClaim } from './scrubber.ts';
import { cleanClaim, codesOf, fullContext, serviceLine, withTotal } from './test-claims.ts';
import type { ClaimInFile } from './types.ts';

describe('the clean claim', () => {
  it('has no findings when every edit runs', () => {
    const result = scrubClaim(cleanClaim(), fullContext());
    expect(result.findings).toEqual([]);
    expect(result.editsRun.every((e) => e.status === 'ran')).toBe(true);
  });
});

describe('NPI check digit (Luhn with the 80840 prefix)', () => {
  it.each([
    ['1234567893', true], // CMS's worked example
    ['1912301953', true],
    ['1234567890', false],
    ['9876540809', false],
    ['123456789', false],
    ['12345678A3', false],
  ])('%s → %s', (npi, valid) => {
    expect(isValidNpi(npi)).toBe(valid);
  });
});

describe('required fields', () => {
  const line = (c: ClaimInFile) => c.claim.lines[0]!;
  const cases: [string, (c: ClaimInFile) => void, string][] = [
    ['claim id', (c) => Object.assign(c.claim, { id: '' }), 'REQUIRED_MISSING claim.id'],
    [
      'billing NPI',
      (c) => Object.assign(c.billingProvider.provider, { id: undefined }),
      'REQUIRED_MISSING billingProvider.provider.id',
    ],
    [
      'NPI check digit',
      (c) => Object.assign(c.billingProvider.provider, { id: '1234567890' }),
      'NPI_CHECK_DIGIT billingProvider.provider.id',
    ],
    [
      'NPI length',
      (c) => Object.assign(c.billingProvider.provider, { id: '12345' }),
      'NPI_FORMAT billingProvider.provider.id',
    ],
    [
      'tax id',
      (c) => Object.assign(c.billingProvider.provider, { references: [] }),
      'REQUIRED_MISSING billingProvider.provider.references',
    ],
    [
      'member id',
      (c) => Object.assign(c.subscriber.person, { id: undefined }),
      'REQUIRED_MISSING subscriber.person.id',
    ],
    [
      'date of birth',
      (c) => Object.assign(c.subscriber, { demographics: { sex: 'F' } }),
      'REQUIRED_MISSING subscriber.demographics.dateOfBirth',
    ],
    [
      'sex',
      (c) => Object.assign(c.subscriber, { demographics: { dateOfBirth: '1950-06-15' } }),
      'REQUIRED_MISSING subscriber.demographics.sex',
    ],
    ['a diagnosis', (c) => Object.assign(c.claim, { diagnoses: [] }), 'REQUIRED_MISSING claim.diagnoses'],
    [
      "a line's procedure",
      (c) => Object.assign(line(c), { procedure: undefined }),
      'REQUIRED_MISSING lines[0].procedure',
    ],
    [
      "a line's units",
      (c) => Object.assign(line(c), { units: undefined }),
      'REQUIRED_MISSING lines[0].units',
    ],
    ['positive units', (c) => Object.assign(line(c), { units: 0 }), 'UNITS_INVALID lines[0].units'],
    [
      "a line's service date",
      (c) => Object.assign(line(c), { dates: [] }),
      'REQUIRED_MISSING lines[0].dates',
    ],
    [
      'a charge ≥ 0',
      (c) =>
        withTotal(
          Object.assign(c, {
            claim: Object.assign(c.claim, { lines: [serviceLine(1, '99213', { charge: -5 })] }),
          }),
        ),
      'CHARGE_INVALID lines[0].charge',
    ],
  ];
  it.each(cases)('reports a missing %s, naming the field', (_what, breakIt, expected) => {
    const c = cleanClaim();
    breakIt(c);
    const { findings } = scrubClaim(c, fullContext());
    expect(codesOf(findings)).toContain(expected);
    expect(findings.find((f) => `${f.code} ${f.field}` === expected)?.severity).toBe('error');
  });

  it('reads DOB and sex of a dependent patient from loop 2010CA', () => {
    const c = cleanClaim();
    c.patient = {
      relationship: '19',
      person: { entityType: '1', name: 'DOE' },
      claims: [c.claim],
      segments: [],
    };
    expect(codesOf(scrubClaim(c, fullContext()).findings)).toContain(
      'REQUIRED_MISSING patient.demographics.dateOfBirth',
    );
    c.patient.demographics = { dateOfBirth: '2010-01-01', sex: 'M' };
    expect(scrubClaim(c, fullContext()).findings).toEqual([]);
  });
});

describe('ICD-10-CM diagnoses', () => {
  it.each([
    ['E11', 'DX_NOT_BILLABLE', 'error'], // a header with subcodes: certain
    ['S72.001', 'DX_NOT_BILLABLE', 'error'], // needs a 7th character: certain
    ['E11.641', 'DX_UNLISTED', 'warning'], // not in the file: cannot confirm
    ['U07.1', 'DX_INVALID', 'error'], // category not in FY2018
    ['1234', 'DX_INVALID', 'error'], // not ICD-10-CM shaped
  ])('%s → %s (%s) on claim.diagnoses[1]', (code, expected, severity) => {
    const c = cleanClaim();
    c.claim.diagnoses[1] = { qualifier: 'ABF', code };
    const finding = scrubClaim(c, fullContext()).findings.find((f) => f.field === 'claim.diagnoses[1]');
    expect(finding).toMatchObject({ code: expected, severity, claimId: 'PCN-1' });
  });

  it('never calls a "leaf" code not billable (the code file cannot prove it billable either)', () => {
    const c = cleanClaim();
    c.claim.diagnoses[1] = { qualifier: 'ABF', code: 'A00' }; // a header that looks like a leaf
    expect(scrubClaim(c, fullContext()).findings).toEqual([]);
  });

  it('reports ICD-9 qualifiers: an error from 2015-10-01, a warning before', () => {
    const c = cleanClaim();
    c.claim.diagnoses = [{ qualifier: 'BK', code: '25000' }];
    expect(scrubClaim(c, fullContext()).findings[0]).toMatchObject({
      code: 'DX_ICD9_QUALIFIER',
      severity: 'error',
      field: 'claim.diagnoses[0]',
    });
    c.claim.lines[0]!.dates = [{ qualifier: '472', start: '2014-05-01' }];
    const old = scrubClaim(c, fullContext({ coverage: [{ from: '2014-01-01' }], today: '2014-06-01' }));
    expect(old.findings).toEqual([
      expect.objectContaining({ code: 'DX_ICD9_QUALIFIER', severity: 'warning' }),
    ]);
  });
});

describe('procedure codes', () => {
  it('reports a code that is neither CPT nor HCPCS on file', () => {
    const c = cleanClaim([serviceLine(1, '478331')]);
    expect(scrubClaim(c, fullContext()).findings).toEqual([
      expect.objectContaining({ code: 'PROC_UNKNOWN', field: 'lines[0].procedure.code', line: 1 }),
    ]);
  });

  it('warns Medicare of status indicator E1 (not covered), not a commercial payer', () => {
    const c = cleanClaim([serviceLine(1, 'A0021')]);
    expect(codesOf(scrubClaim(c, fullContext()).findings)).toEqual([
      'PROC_NOT_PAYABLE lines[0].procedure.code',
    ]);
    const commercial = fullContext({ payer: { kind: 'commercial', timelyFilingDays: 180 } });
    expect(scrubClaim(c, commercial).findings).toEqual([]);
  });
});

describe('procedure-to-diagnosis pointers (837P)', () => {
  it.each([
    [[] as number[], 'DX_POINTER_MISSING lines[0].diagnosisPointers'],
    [[3], 'DX_POINTER_INVALID lines[0].diagnosisPointers[0]'],
    [[1, 0], 'DX_POINTER_INVALID lines[0].diagnosisPointers[1]'],
  ])('pointers %j → %s', (pointers, expected) => {
    const c = cleanClaim([serviceLine(1, '99213', { pointers })]);
    expect(codesOf(scrubClaim(c, fullContext()).findings)).toEqual([expected]);
  });

  it('reports a pointer to an invalid diagnosis, and not once the code is fixed', () => {
    const c = cleanClaim([serviceLine(1, '99213', { pointers: [2] })]);
    c.claim.diagnoses[1] = { qualifier: 'ABF', code: 'E11' };
    expect(codesOf(scrubClaim(c, fullContext()).findings)).toEqual([
      'DX_NOT_BILLABLE claim.diagnoses[1]',
      'DX_POINTER_UNSUPPORTED lines[0].diagnosisPointers[0]',
    ]);
    c.claim.diagnoses[1] = { qualifier: 'ABF', code: 'E11.9' };
    expect(scrubClaim(c, fullContext()).findings).toEqual([]);
  });
});

describe('institutional claims (837I)', () => {
  const institutional = () => {
    const c = cleanClaim([{ ...serviceLine(1, '85025', { pointers: [] }), revenueCode: '0305', dates: [] }]);
    c.type = '837I';
    c.claim.dates = [{ qualifier: '434', start: '2024-03-01', end: '2024-03-01' }];
    return c;
  };

  it('takes the statement period for a line without DTP*472 and needs no pointers', () => {
    expect(scrubClaim(institutional(), fullContext()).findings).toEqual([]);
  });

  it('requires the revenue code (SV201)', () => {
    const c = institutional();
    c.claim.lines[0]!.revenueCode = undefined;
    expect(codesOf(scrubClaim(c, fullContext()).findings)).toEqual(['REQUIRED_MISSING lines[0].revenueCode']);
  });
});
