import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODESET_FILES, codeSets, DEFAULT_CODESETS_DIR } from './codesets.ts';
import { readTable } from './csv.ts';

const cs = codeSets();

describe('the shipped code-set files', () => {
  // Data rows per file, as ../shared/data/SOURCES.md "Code set row counts (generated)" lists them.
  it.each([
    ['groupCodes', 5],
    ['carcCms', 407],
    ['carcVista', 351],
    ['cpt', 11546],
    ['hcpcs', 7513],
    ['icd10cm', 24628],
    ['vitalSigns', 41],
    ['statusIndicators', 31],
    ['pos', 101],
    ['plbReasons', 41],
    ['rarc', 1006],
  ] as const)('%s has %i data rows', (name, count) => {
    const path = join(DEFAULT_CODESETS_DIR, CODESET_FILES[name]);
    const { rows } = readTable(path, { header: null, delimiter: name === 'vitalSigns' ? '\t' : ',' });
    const headerRows = name === 'icd10cm' ? 0 : 1;
    expect(rows.length - headerRows).toBe(count);
  });

  it('loads every row into its lookup', () => {
    expect(cs.icd10cm.size).toBe(24628);
    expect(cs.procedures.size).toBe(11546 + 7513);
    expect(cs.procedures.statusIndicators.size).toBe(31);
    expect(cs.pos.size).toBe(100); // 00–99; the BFD placeholder "~" is dropped
    expect(cs.carc.size).toBe(407); // every VistA code is also in the CMS list
    expect(cs.rarc.size).toBe(1006);
    expect(cs.groupCodes.size).toBe(5);
    expect(cs.plbReasons.size).toBe(41);
    expect(cs.vitalSigns).toHaveLength(41);
  });

  it('keeps the stop dates SOURCES.md counts: 105 deactivated CARCs, 81 RARCs', () => {
    const stopped = (values: Iterable<{ stopDate?: string }>) => [...values].filter((v) => v.stopDate).length;
    expect(stopped(cs.carc.values())).toBe(105);
    expect(stopped(cs.rarc.values())).toBe(81);
  });
});

describe('ICD-10-CM', () => {
  it.each([
    ['E11.9', 'E119', true, 'leaf'],
    ['E11', 'E11', false, 'has-subcodes'],
    ['E11.0', 'E110', false, 'follows-parent'],
    ['I10', 'I10', true, 'leaf'],
    ['S72.002', 'S72002', false, 'seventh-character'],
    ['H54.512A', 'H54512A', true, 'leaf'],
  ])('%s is billable: %s', (written, code, billable, basis) => {
    expect(cs.icd10cm.get(written)).toMatchObject({ code, billable, basis });
  });

  it('describes a code with its category', () => {
    expect(cs.icd10cm.get('E11.9')).toEqual({
      code: 'E119',
      dotted: 'E11.9',
      description: 'Type 2 diabetes mellitus without complications',
      billable: true,
      basis: 'leaf',
      category: 'E11',
      categoryDescription: 'Type 2 diabetes mellitus',
    });
  });

  it.each(['E11.9', 'E119', 'e11.9', ' e119 '])('normalises %j to E119', (written) => {
    expect(cs.icd10cm.get(written)?.code).toBe('E119');
  });

  it.each(['E1.19', 'E11..9', '11.9', 'E11.99999', ''])('finds nothing for the malformed %j', (written) => {
    expect(cs.icd10cm.get(written)).toBeUndefined();
    expect(cs.icd10cm.check(written).status).toBe('malformed');
  });

  it('tells a scrubber what the subset can and cannot say', () => {
    expect(cs.icd10cm.check('E11.9').status).toBe('billable');
    expect(cs.icd10cm.check('E11').status).toBe('not-billable');
    // E11.641 is a real billable code the subset leaves out: it sits under the listed E11.64.
    expect(cs.icd10cm.check('E11.641')).toMatchObject({
      status: 'unlisted',
      code: 'E11641',
      parent: { code: 'E1164' },
    });
    expect(cs.icd10cm.check('S72.001A')).toMatchObject({ status: 'unlisted', parent: { code: 'S72001' } });
    // U07.1 (COVID-19) arrived in 2020, after this FY2018 list.
    expect(cs.icd10cm.check('U07.1')).toEqual({ status: 'unknown-category', code: 'U071' });
  });

  it('marks every chapter-19 code (S, T) as a header needing a 7th character', () => {
    const injuries = [...cs.icd10cm.entries()].filter((e) => e.code[0] === 'S' || e.code[0] === 'T');
    expect(injuries.length).toBeGreaterThan(7000);
    expect(injuries.every((e) => !e.billable)).toBe(true);
  });
});

describe('procedures', () => {
  it('finds a J-code with its CMS short descriptor, status indicator and payment rate', () => {
    expect(cs.procedures.get('J9035')).toMatchObject({
      system: 'HCPCS',
      code: 'J9035',
      shortDescriptor: 'Bevacizumab injection',
      statusIndicator: 'K',
      status: { code: 'K', paid: 'Always' },
    });
    expect(cs.procedures.get('j9035')).toHaveProperty('paymentRate');
  });

  it('finds CPT codes of each category, without descriptors', () => {
    expect(cs.procedures.get('99213')).toEqual({
      system: 'CPT',
      code: '99213',
      cptCategory: 'CPT-CatI',
      statusIndicator: 'B',
      status: expect.objectContaining({ code: 'B' }),
    });
    expect(cs.procedures.get('0001F')).toMatchObject({ cptCategory: 'CPT-CatII', statusIndicator: 'E1' });
    expect(cs.procedures.get('0001U')).toMatchObject({ cptCategory: 'CPT-PLA' });
  });

  it('has nothing for unknown codes', () => {
    expect(cs.procedures.get('99999')).toBeUndefined();
    expect(cs.procedures.get('Z9999')).toBeUndefined();
  });

  it('leaves indicators the legend does not define without a status (S1, H1)', () => {
    const undefinedIndicators = new Set(
      [...cs.procedures.entries()].filter((p) => !p.status).map((p) => p.statusIndicator),
    );
    expect([...undefinedIndicators].sort()).toEqual(['H1', 'S1']);
  });
});

describe('place of service', () => {
  it('knows POS 11 Office and marks unassigned numbers', () => {
    expect(cs.pos.get('11')).toMatchObject({ assigned: true, description: expect.stringMatching(/^OFFICE/) });
    expect(cs.pos.get('02')?.description).toMatch(/^TELEHEALTH/);
    expect(cs.pos.get('30')?.assigned).toBe(false);
    expect(cs.pos.get('~')).toBeUndefined();
  });
});

describe('remittance codes', () => {
  it('takes the CARC description from CMS and the dates from VistA', () => {
    const carc45 = cs.carc.get('45')!;
    expect(carc45).toMatchObject({
      code: '45',
      startDate: '1995-01-01',
      descriptionSource: 'cms-bfd',
      datesSource: 'vista-m',
    });
    expect(carc45.description).toMatch(/^Charges exceed your contracted\/legislated fee arrangement/);
    expect(carc45.stopDate).toBeUndefined();
    expect(carc45.active('2026-05-01')).toBe(true);
  });

  it('treats a deactivated CARC as active through its stop date and inactive after it', () => {
    const carc38 = cs.carc.get('38')!;
    expect(carc38.stopDate).toBe('2013-01-01');
    expect(carc38.active('2012-06-30')).toBe(true);
    expect(carc38.active('2013-01-01')).toBe(true);
    expect(carc38.active('2013-01-02')).toBe(false);
  });

  it('has no dates for CARCs newer than the 2018 VistA list', () => {
    expect(cs.carc.get('P24')).toMatchObject({ datesSource: 'none', descriptionSource: 'cms-bfd' });
    expect(cs.carc.get('P24')?.active('2026-01-01')).toBe(true);
  });

  it('finds RARCs, group codes and PLB reasons whatever the case', () => {
    expect(cs.rarc.get('n130')).toMatchObject({ code: 'N130', startDate: '2002-10-31' });
    expect(cs.rarc.get('N130')?.description).toMatch(/^Consult plan benefit documents/);
    expect([...cs.groupCodes.values()].map((g) => g.code)).toEqual(['CO', 'CR', 'OA', 'PI', 'PR']);
    expect(cs.groupCodes.get('pr')?.description).toMatch(/^Patient Responsibility/);
    expect(cs.plbReasons.get('L6')?.description).toBe('Interest Owed');
    expect(cs.plbReasons.get('WO')?.description).toBe('Overpayment Recovery');
  });

  it('refuses a date that is not ISO', () => {
    expect(() => cs.carc.get('45')!.active('05/01/2026')).toThrow(RangeError);
  });
});

describe('vital-sign codes', () => {
  it('holds LOINC codes with valid check digits', () => {
    expect(cs.vitalSigns.find((v) => v.code === '8867-4')).toMatchObject({
      concept: 'heart rate',
      ucumUnit: '/min',
    });
  });
});

it('loads once and shares the result', () => {
  expect(codeSets()).toBe(cs);
});
