import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMueTable, loadPtpTable, ptpEditApplies, ptpTable, readPtpEdits } from './edits.ts';

const EDITS_DIR = fileURLToPath(new URL('../../../data/edits/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'codesets-edits-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const PTP_HEADER =
  'Column 1\tColumn 2\t*=in existence prior to 1996\tEffective Date\tDeletion Date *=no data\tModifier 0=not allowed 1=allowed 9=not applicable\tPTP Edit Rationale';

describe('the sample NCCI PTP table', () => {
  const ptp = loadPtpTable(join(EDITS_DIR, 'ncci-ptp.sample.csv'));

  it('loads its fourteen edits', () => {
    expect(ptp.size).toBe(14);
  });

  it('finds an edit in force on the date of service', () => {
    expect(ptp.find('93000', '93005', '2026-03-01')).toEqual({
      column1: '93000',
      column2: '93005',
      inExistencePrior1996: true,
      effectiveDate: '1996-01-01',
      modifierIndicator: 0,
      rationale: 'Misuse of column two code with column one code',
      source: 'ncci-ptp.sample.csv:3',
    });
  });

  it('is directional: column 2 with column 1 is a different pair', () => {
    expect(ptp.find('93005', '93000', '2026-03-01')).toBeUndefined();
  });

  it('applies an edit from its effective date until the day before its deletion date', () => {
    expect(ptp.find('29881', '29875', '1999-12-31')).toBeUndefined();
    expect(ptp.find('29881', '29875', '2000-01-01')).toBeDefined();
    expect(ptp.find('29881', '29875', '2022-12-31')).toBeDefined();
    expect(ptp.find('29881', '29875', '2023-01-01')).toBeUndefined();
  });

  it.each([
    ['indicator 0 is never bypassed', ['93000', '93005'], ['59'], true],
    ['indicator 1 is bypassed by 59', ['45380', '45378'], ['59'], false],
    ['indicator 1 is bypassed by XS', ['97140', '97530'], ['xs'], false],
    ['indicator 1 stands with an unrelated modifier', ['97140', '97530'], ['GP'], true],
    ['indicator 1 stands with no modifier', ['36556', '36000'], [], true],
  ] as const)('%s', (_name, [c1, c2], modifiers, applies) => {
    expect(ptpEditApplies(ptp.find(c1, c2, '2026-03-01')!, modifiers)).toBe(applies);
  });

  it('never applies an edit with indicator 9', () => {
    const [retroactivelyDeleted] = readPtpEdits(join(EDITS_DIR, 'ncci-ptp.sample.csv')).filter(
      (e) => e.modifierIndicator === 9,
    );
    expect(retroactivelyDeleted).toMatchObject({ column1: '96374', deletionDate: '2010-01-01' });
    expect(ptpEditApplies(retroactivelyDeleted!, [])).toBe(false);
  });

  it('refuses a date of service that is not ISO', () => {
    expect(() => ptp.find('93000', '93005', '20260301')).toThrow(RangeError);
  });
});

describe('PTP files as CMS publishes them', () => {
  it('reads the tab-separated .txt after its copyright preamble and a wrapped header', () => {
    const text = [
      'CPT only copyright 2025 American Medical Association. All rights reserved.',
      '',
      PTP_HEADER,
      '\t\t\t\t\t\t(continued header text)',
      '29881\t29880\t\t20120101\t*\t1\tStandards of medical / surgical practice',
      '',
    ].join('\r\n');
    const [edit, ...rest] = readPtpEdits(write('ccipra-v321r0-f1.txt', text));
    expect(rest).toEqual([]);
    expect(edit).toMatchObject({
      column1: '29881',
      column2: '29880',
      modifierIndicator: 1,
      source: 'ccipra-v321r0-f1.txt:5',
    });
    expect(edit?.deletionDate).toBeUndefined();
  });

  it('combines several files (CMS splits the practitioner table in four) and refuses a repeated edit', () => {
    const a = write('f1.txt', `${PTP_HEADER}\n93000\t93005\t*\t19960101\t*\t0\tx\n`);
    const b = write('f2.txt', `${PTP_HEADER}\n80053\t80048\t\t19980101\t*\t0\ty\n`);
    expect(loadPtpTable(a, b).size).toBe(2);
    expect(() => ptpTable([...readPtpEdits(a), ...readPtpEdits(a)])).toThrow(
      'f1.txt:2: the same edit as f1.txt:2',
    );
  });

  it.each([
    [
      'a modifier indicator of 2',
      '93000\t93005\t\t19960101\t*\t2\tx',
      'modifier indicator is "2", expected 0, 1 or 9',
    ],
    [
      'an impossible effective date',
      '93000\t93005\t\t19960230\t*\t0\tx',
      'effective date "19960230" is not a date (YYYYMMDD)',
    ],
    [
      'an ISO effective date',
      '93000\t93005\t\t1996-01-01\t*\t0\tx',
      'effective date "1996-01-01" is not a date',
    ],
    [
      'a deletion before the effective date',
      '93000\t93005\t\t20200101\t20190101\t0\tx',
      'deletion date 20190101 is before the effective date',
    ],
    [
      'a code that is neither CPT nor HCPCS',
      '9300\t93005\t\t19960101\t*\t0\tx',
      '"9300" is not a CPT or HCPCS code',
    ],
    ['a bad prior-1996 flag', '93000\t93005\tY\t19960101\t*\t0\tx', 'in-existence-prior-to-1996 is "Y"'],
  ])('refuses %s, naming file:line', (_name, row, message) => {
    expect(() =>
      readPtpEdits(write('bad.txt', `${PTP_HEADER}\n93000\t93010\t*\t19960101\t*\t0\tok\n${row}\n`)),
    ).toThrow(`bad.txt:3: ${message}`);
  });

  it('refuses a file without the PTP header', () => {
    expect(() => readPtpEdits(write('nohead.csv', 'a,b\n1,2\n'))).toThrow(
      'nohead.csv:1: no header row starting "column 1"',
    );
  });
});

describe('the sample MUE table', () => {
  const mue = loadMueTable(join(EDITS_DIR, 'mue.sample.csv'));

  it('loads fourteen practitioner caps, reading the wrapped "HCPCS/ CPT Code" header', () => {
    expect(mue.setting).toBe('practitioner');
    expect(mue.size).toBe(14);
  });

  it('reads the value and the adjudication indicator written with its meaning', () => {
    expect(mue.get('j1100')).toEqual({
      code: 'J1100',
      value: 120,
      adjudicationIndicator: 3,
      rationale: 'Prescribing Information',
      source: 'mue.sample.csv:15',
    });
    expect(mue.get('11042')?.adjudicationIndicator).toBe(1);
    expect(mue.get('20610')?.adjudicationIndicator).toBe(2);
  });
});

describe('MUE files as CMS publishes them', () => {
  const head =
    '"HCPCS/\r\nCPT Code",Outpatient Hospital Services MUE Values,MUE Adjudication Indicator,MUE Rationale';

  it('tells the setting from the value column and accepts a bare indicator digit', () => {
    const table = loadMueTable(
      write('MCR_MUE_OutpatientHospitalServices.csv', `${head}\r\n36415,2,3,Nature of Service\r\n`),
    );
    expect(table.setting).toBe('outpatient-hospital');
    expect(table.get('36415')).toMatchObject({ value: 2, adjudicationIndicator: 3 });
  });

  it.each([
    [
      'an indicator of 4',
      '36415,2,4 Line Edit,x',
      'MUE adjudication indicator "4 Line Edit" is not 1, 2 or 3',
    ],
    ['a fractional value', '36415,1.5,1 Line Edit,x', 'MUE value "1.5" is not a whole number'],
    ['a second cap for a code', '99213,1,2,x', 'code 99213 has a second MUE'],
  ])('refuses %s, naming file:line', (_name, row, message) => {
    expect(() => loadMueTable(write('bad-mue.csv', `${head}\r\n99213,1,2,CMS Policy\r\n${row}\r\n`))).toThrow(
      `bad-mue.csv:4: ${message}`,
    );
  });
});
