import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codeSets } from '../codesets/codesets.ts';
import { X12FormatError } from '../x12/segments.ts';
import { sample, samplesDir } from '../x12/test-helpers.ts';
import { scrubFile } from './scrubber.ts';
import { cleanClaim } from './test-claims.ts';
import type { ScrubContext } from './types.ts';

const context: ScrubContext = { codeSets: codeSets(), today: '2006-01-01', payer: { kind: 'medicare' } };

const malformed = new Set([
  'imsweb__x12_bad_segment_identifier.txt',
  'imsweb__x12_missing_elements.txt',
  'imsweb__x12_no_isa_line.txt',
]);
const claimFiles = readdirSync(samplesDir).filter(
  (f) => !malformed.has(f) && !f.endsWith('.md') && !f.includes('835'),
);

describe('scrubFile on the public samples', () => {
  it.each(claimFiles)('%s scrubs every claim without crashing', (file) => {
    const result = scrubFile(sample(file), context);
    expect(result.claims).toBeGreaterThan(0);
    for (const f of result.findings) {
      expect(f.field).not.toBe('');
      expect(['error', 'warning']).toContain(f.severity);
    }
  });

  it('reports the imsweb ICD-9 qualifiers, the test NPI and the repeated claims', () => {
    const result = scrubFile(sample('imsweb__x12_many_claims.txt'), context);
    expect(result.claims).toBe(820);
    const first = result.findings.filter((f) => f.claimId === 'A37YH556').slice(0, 8);
    expect(first).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'NPI_CHECK_DIGIT', field: 'billingProvider.provider.id' }),
        expect.objectContaining({
          code: 'DX_ICD9_QUALIFIER',
          field: 'claim.diagnoses[0]',
          severity: 'warning',
        }),
        expect.objectContaining({ code: 'DX_ICD9_QUALIFIER', field: 'claim.diagnoses[1]' }),
        expect.objectContaining({ code: 'TOTAL_MISMATCH', field: 'claim.totalCharge' }),
      ]),
    );
    // The sample repeats two claims 410 times each: every repeat after the first is a duplicate.
    expect(result.findings.filter((f) => f.code === 'DUPLICATE_CLAIM')).toHaveLength(818);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.editsRun.find((e) => e.edit === 'duplicate-claim')?.reason).toContain(
      'earlier claims of the file',
    );
  });

  it('checks an 837I against the Medicare filing limit', () => {
    const result = scrubFile(sample('lfh__demo.837i'), context);
    expect(result.findings.filter((f) => f.code === 'TIMELY_FILING').map((f) => f.field)).toEqual([
      'lines[0].dates',
      'lines[1].dates',
    ]);
  });

  it('compares with previousClaims from the context', () => {
    const text = sample('lfh__demo.837');
    const first = scrubFile(text, context);
    expect(first.findings.some((f) => f.code === 'DUPLICATE_CLAIM')).toBe(false);
    const previous = [cleanClaim()];
    expect(scrubFile(text, { ...context, previousClaims: previous }).editsRun).toContainEqual(
      expect.objectContaining({ edit: 'duplicate-claim', reason: expect.stringContaining('previousClaims') }),
    );
  });

  it('throws the positioned X12FormatError on malformed input', () => {
    expect(() => scrubFile(sample('imsweb__x12_missing_elements.txt'), context)).toThrow(X12FormatError);
  });
});
