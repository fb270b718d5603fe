import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMueTable, loadPtpTable } from '../codesets/edits.ts';
import { scrubClaim } from './scrubber.ts';
import { cleanClaim, codesOf, fullContext, mueOf, ptpOf, serviceLine } from './test-claims.ts';

const editsDir = fileURLToPath(new URL('../../../data/edits/', import.meta.url));

/** 93000 (column 1) with 93005 (column 2) on lines 1 and 2. */
function pair(modifiers: string[] = [], date2 = '2024-03-01') {
  return cleanClaim([serviceLine(1, '93000'), serviceLine(2, '93005', { modifiers, date: date2 })]);
}

describe('NCCI PTP edits', () => {
  it.each([
    // indicator, modifiers on column 2, denied?
    [0, [], true],
    [0, ['59'], true],
    [1, [], true],
    [1, ['59'], false],
    [1, ['XU'], false],
    [1, ['25'], false],
    [1, ['GT'], true], // telehealth: not an NCCI-associated modifier
    [9, [], false],
    [9, ['59'], false],
  ] as const)(
    'indicator %i with modifiers %j on column 2 → denied: %s',
    (modifierIndicator, modifiers, denied) => {
      const context = fullContext({ ptp: ptpOf([{ modifierIndicator }]) });
      const findings = scrubClaim(pair([...modifiers]), context).findings;
      expect(codesOf(findings)).toEqual(denied ? ['NCCI_PTP lines[1].procedure.modifiers'] : []);
      if (denied) {
        expect(findings[0]).toMatchObject({ line: 2, severity: 'error' });
        expect(findings[0]?.message).toContain(`modifier indicator ${modifierIndicator}`);
      }
    },
  );

  it('takes the modifier from the column 2 line only', () => {
    const c = cleanClaim([serviceLine(1, '93000', { modifiers: ['59'] }), serviceLine(2, '93005')]);
    const findings = scrubClaim(c, fullContext({ ptp: ptpOf([{ modifierIndicator: 1 }]) })).findings;
    expect(codesOf(findings)).toEqual(['NCCI_PTP lines[1].procedure.modifiers']);
  });

  it('applies only on the same date of service', () => {
    const context = fullContext({ ptp: ptpOf([{}]) });
    expect(scrubClaim(pair([], '2024-03-02'), context).findings).toEqual([]);
  });

  it('respects effective and deletion dates', () => {
    const deleted = fullContext({ ptp: ptpOf([{ deletionDate: '2024-03-01' }]) });
    expect(scrubClaim(pair(), deleted).findings).toEqual([]);
    const notYet = fullContext({ ptp: ptpOf([{ effectiveDate: '2024-03-02' }]) });
    expect(scrubClaim(pair(), notYet).findings).toEqual([]);
    const current = fullContext({ ptp: ptpOf([{ deletionDate: '2024-03-02' }]) });
    expect(codesOf(scrubClaim(pair(), current).findings)).toEqual(['NCCI_PTP lines[1].procedure.modifiers']);
  });

  it('reads the shipped sample table (29881 with 29875: deleted 2023-01-01)', () => {
    const ptp = loadPtpTable(`${editsDir}ncci-ptp.sample.csv`);
    const knee = (date: string) =>
      cleanClaim([serviceLine(1, '29881', { date }), serviceLine(2, '29875', { date })]);
    const context = fullContext({ ptp, coverage: [{ from: '2020-01-01' }], today: '2023-06-01' });
    expect(codesOf(scrubClaim(knee('2022-12-31'), context).findings)).toEqual([
      'NCCI_PTP lines[1].procedure.modifiers',
    ]);
    expect(scrubClaim(knee('2023-01-01'), context).findings).toEqual([]);
  });
});

describe('MUE unit caps', () => {
  it.each([
    // MAI 2 and 3 sum units across lines for the code on the date of service.
    [2, [1, 1], ['MUE_UNITS lines[1].units']],
    [3, [1, 1], ['MUE_UNITS lines[1].units']],
    [2, [1], []],
    // MAI 1 compares each line with the cap.
    [1, [1, 1], []],
    [1, [2], ['MUE_UNITS lines[0].units']],
  ] as const)('MAI %i, units %j per line, cap 1 → %j', (mai, units, expected) => {
    const lines = units.map((u, k) => serviceLine(k + 1, '20610', { units: u, modifiers: k ? ['59'] : [] }));
    const findings = scrubClaim(
      cleanClaim(lines),
      fullContext({ mue: mueOf([{ code: '20610', value: 1, mai }]) }),
    ).findings;
    expect(codesOf(findings)).toEqual(expected);
    if (expected.length) expect(findings[0]?.message).toContain(`MAI ${mai}`);
  });

  it('sums per date of service, and reports a code once per date', () => {
    const lines = [
      serviceLine(1, '20610', { date: '2024-03-01' }),
      serviceLine(2, '20610', { date: '2024-03-02' }),
      serviceLine(3, '20610', { date: '2024-03-02' }),
      serviceLine(4, '20610', { date: '2024-03-02' }),
    ];
    const mue = mueOf([{ code: '20610', value: 1, mai: 2 }]);
    const findings = scrubClaim(cleanClaim(lines), fullContext({ mue })).findings;
    expect(findings).toEqual([
      expect.objectContaining({ code: 'MUE_UNITS', field: 'lines[2].units', line: 3 }),
    ]);
    expect(findings[0]?.message).toContain('2 units on the date exceed the MUE of 1');
  });

  it('reads the shipped sample MUE table', () => {
    const mue = loadMueTable(`${editsDir}mue.sample.csv`);
    const c = cleanClaim([serviceLine(1, '99213'), serviceLine(2, '99213', { modifiers: ['25'] })]);
    expect(codesOf(scrubClaim(c, fullContext({ mue })).findings)).toEqual(['MUE_UNITS lines[1].units']);
  });
});
