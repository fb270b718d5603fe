import { describe, expect, it } from 'vitest';
import { editsRunFor, scrubClaim } from './scrubber.ts';
import { cleanClaim, codesOf, fullContext, serviceLine } from './test-claims.ts';
import type { ClaimInFile } from './types.ts';

describe('timely filing', () => {
  // Service on 2023-03-01; 2024-02-29 is 365 days later (2024 is a leap year), 2024-03-01 is 366.
  const c = () => cleanClaim([serviceLine(1, '99213', { date: '2023-03-01' })]);
  const at = (today: string, payer = fullContext().payer) =>
    scrubClaim(c(), fullContext({ today, payer, coverage: [{ from: '2023-01-01' }] })).findings;

  it('accepts a claim filed exactly 365 days after service (Medicare)', () => {
    expect(at('2024-02-29')).toEqual([]);
  });

  it('refuses it at 366 days, naming the line dates', () => {
    expect(at('2024-03-01')).toEqual([
      expect.objectContaining({ code: 'TIMELY_FILING', severity: 'error', field: 'lines[0].dates', line: 1 }),
    ]);
  });

  it("uses the last day of a span and the payer's own limit", () => {
    const span = cleanClaim([serviceLine(1, '99213')]);
    span.claim.lines[0]!.dates = [{ qualifier: '472', start: '2024-01-01', end: '2024-01-31' }];
    const context = fullContext({ today: '2024-04-30', payer: { kind: 'commercial', timelyFilingDays: 90 } });
    expect(scrubClaim(span, context).findings).toEqual([]);
    expect(codesOf(scrubClaim(span, { ...context, today: '2024-05-01' }).findings)).toEqual([
      'TIMELY_FILING lines[0].dates',
    ]);
  });

  it('reports a service date after today', () => {
    expect(codesOf(at('2023-02-28'))).toEqual(['SERVICE_DATE_FUTURE lines[0].dates']);
  });
});

describe('duplicate claims', () => {
  const previous = [cleanClaim()];

  it('reports a claim that repeats an earlier one', () => {
    const again = cleanClaim();
    again.claim.id = 'PCN-2';
    const findings = scrubClaim(again, fullContext({ previousClaims: previous })).findings;
    expect(findings).toEqual([expect.objectContaining({ code: 'DUPLICATE_CLAIM', field: 'claim' })]);
    expect(findings[0]?.message).toContain('PCN-1');
  });

  it.each([
    ['a replacement (frequency 7)', (c: ClaimInFile) => Object.assign(c.claim, { frequencyCode: '7' })],
    ['a void (frequency 8)', (c: ClaimInFile) => Object.assign(c.claim, { frequencyCode: '8' })],
    [
      'another date of service',
      (c: ClaimInFile) => Object.assign(c.claim.lines[0]!.dates[0]!, { start: '2024-03-02' }),
    ],
    [
      'another charge',
      (c: ClaimInFile) => {
        c.claim.lines[0]!.charge = 120;
        c.claim.totalCharge = 120;
      },
    ],
    ['another procedure', (c: ClaimInFile) => Object.assign(c.claim.lines[0]!.procedure!, { code: '99214' })],
    ['another patient', (c: ClaimInFile) => Object.assign(c.subscriber.person, { id: 'OTHER' })],
  ])('does not report %s', (_what, change) => {
    const c = cleanClaim();
    change(c);
    expect(codesOf(scrubClaim(c, fullContext({ previousClaims: previous })).findings)).not.toContain(
      'DUPLICATE_CLAIM claim',
    );
  });

  it('does not count a voided earlier claim', () => {
    const voided = cleanClaim();
    voided.claim.frequencyCode = '8';
    expect(scrubClaim(cleanClaim(), fullContext({ previousClaims: [voided] })).findings).toEqual([]);
  });
});

describe('prior authorisation', () => {
  const needsAuth = (code: string) => code === '29881';
  const knee = () => cleanClaim([serviceLine(1, '29881')]);

  it('reports REF*G1 absent when the payer requires it', () => {
    expect(scrubClaim(knee(), fullContext({ priorAuthRequired: needsAuth })).findings).toEqual([
      expect.objectContaining({ code: 'PRIOR_AUTH_MISSING', field: 'claim.priorAuthorization', line: 1 }),
    ]);
  });

  it('accepts it on the claim or on the line', () => {
    const onClaim = knee();
    onClaim.claim.priorAuthorization = 'AUTH-77';
    expect(scrubClaim(onClaim, fullContext({ priorAuthRequired: needsAuth })).findings).toEqual([]);
    const onLine = knee();
    onLine.claim.lines[0]!.references.push({ qualifier: 'G1', value: 'AUTH-77' });
    expect(scrubClaim(onLine, fullContext({ priorAuthRequired: needsAuth })).findings).toEqual([]);
  });

  it('reports an authorisation number the payer did not issue', () => {
    const c = knee();
    c.claim.priorAuthorization = 'AUTH-12';
    const context = fullContext({ priorAuthRequired: needsAuth, priorAuths: ['AUTH-77'] });
    expect(codesOf(scrubClaim(c, context).findings)).toEqual(['PRIOR_AUTH_UNKNOWN claim.priorAuthorization']);
  });
});

describe('coverage on the date of service', () => {
  it.each([
    [[{ from: '2024-01-01', to: '2024-02-29' }], ['COVERAGE_INACTIVE lines[0].dates']],
    [[{ from: '2024-03-02' }], ['COVERAGE_INACTIVE lines[0].dates']],
    [[], ['COVERAGE_INACTIVE lines[0].dates']],
    [[{ from: '2024-03-01', to: '2024-03-01' }], []],
    [[{ from: '2023-01-01', to: '2023-12-31' }, { from: '2024-02-01' }], []],
  ])('eligibility %j → %j', (coverage, expected) => {
    expect(codesOf(scrubClaim(cleanClaim(), fullContext({ coverage })).findings)).toEqual(expected);
  });
});

describe('claim total', () => {
  it('reports CLM02 different from the sum of the lines, to the cent', () => {
    const c = cleanClaim([
      serviceLine(1, '99213', { charge: 0.1 }),
      serviceLine(2, '36415', { charge: 0.2 }),
    ]);
    expect(scrubClaim(c, fullContext()).findings).toEqual([]);
    c.claim.totalCharge = 0.31;
    expect(codesOf(scrubClaim(c, fullContext()).findings)).toEqual(['TOTAL_MISMATCH claim.totalCharge']);
  });
});

describe('editsRun', () => {
  it('lists every edit skipped for lack of a fact, with the fact', () => {
    const runs = editsRunFor({});
    const skipped = Object.fromEntries(
      runs.filter((r) => r.status === 'skipped').map((r) => [r.edit, r.reason]),
    );
    expect(Object.keys(skipped).sort()).toEqual(
      [
        'coverage',
        'diagnosis-codes',
        'duplicate-claim',
        'mue',
        'ncci-ptp',
        'prior-authorization',
        'procedure-codes',
        'timely-filing',
      ].sort(),
    );
    expect(skipped['timely-filing']).toContain('today');
    expect(runs.filter((r) => r.status === 'ran').map((r) => r.edit)).toEqual([
      'required-fields',
      'diagnosis-pointers',
      'claim-total',
    ]);
  });

  it('skips timely filing for a non-Medicare payer without a stated limit', () => {
    const result = scrubClaim(cleanClaim(), fullContext({ payer: { kind: 'medicaid' } }));
    expect(result.editsRun.find((r) => r.edit === 'timely-filing')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('payer.timelyFilingDays'),
    });
  });

  it('does not report what a skipped edit would have found', () => {
    const late = cleanClaim([serviceLine(1, '99213', { date: '2020-01-01' })]);
    const { coverage: _, ...noCoverage } = fullContext({ today: undefined });
    expect(scrubClaim(late, noCoverage).findings).toEqual([]);
  });
});
