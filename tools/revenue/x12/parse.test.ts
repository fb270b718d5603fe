import { describe, expect, it } from 'vitest';
import { parseX12 } from './parse.ts';
import { X12FormatError } from './segments.ts';
import { claimsOf, claimTransactions, sample, transactionsOf } from './test-helpers.ts';

function refusal(text: string, options?: Parameters<typeof parseX12>[1]): X12FormatError {
  try {
    parseX12(text, options);
  } catch (err) {
    if (err instanceof X12FormatError) return err;
    throw err;
  }
  throw new Error('expected an X12FormatError');
}

/** file, envelope counts right, transactions, claims, service lines, sum of CLM02 */
const claimSamples: [string, boolean, string, number, number, number][] = [
  ['lfh__demo.837', true, '837P', 1, 4, 100],
  ['lfh__demo.example1.837', true, '837P', 1, 4, 100],
  ['lfh__demo.837i', true, '837I', 1, 2, 89.93],
  ['imsweb__x223-test.txt', false, '837I', 1, 1, 500],
  ['imsweb__x12_valid.txt', false, '837P', 2, 2, 1000],
  ['imsweb__x12_valid_different_separators.txt', false, '837P', 2, 2, 1000],
  ['imsweb__x12_no_errors.txt', false, '837P', 2, 2, 1000],
  ['imsweb__x12_complex.txt', false, '837P,837P', 6, 10, 3000],
  ['imsweb__x12_multiple_gs.txt', false, '837P,837P,837P', 6, 6, 3000],
  ['imsweb__x12_multiple_isa.txt', false, '837P,837P', 4, 4, 2000],
  ['imsweb__x12_multiple_st.txt', false, '837P,837P', 4, 4, 2000],
  ['imsweb__x12_many_claims.txt', false, '837P', 820, 820, 410_000],
];

describe('parseX12 on the 837 samples', () => {
  it.each(claimSamples)('%s', (file, countsRight, types, claims, lines, charges) => {
    const text = sample(file);
    const parsed = parseX12(text, { envelopeCounts: countsRight ? 'error' : 'warn' });
    const txs = claimTransactions(parsed);
    expect(txs.map((t) => t.type).join(',')).toBe(types);
    const all = txs.flatMap(claimsOf);
    expect(all).toHaveLength(claims);
    expect(all.flatMap((c) => c.lines)).toHaveLength(lines);
    expect(all.reduce((sum, c) => sum + c.totalCharge, 0)).toBeCloseTo(charges, 2);
    if (!countsRight) {
      // The imsweb files never updated SE01 (always 25): refused unless counts are lenient, naming the SE.
      expect(refusal(text).message).toMatch(
        /^segment \d+ \(SE\) at byte \d+, line \d+: SE01 says 25 segments, found \d+$/,
      );
      expect(parsed.warnings.some((w) => w.segment.id === 'SE')).toBe(true);
    }
  });

  it('reads the professional claim model (lfh demo)', () => {
    const [tx] = claimTransactions(parseX12(sample('lfh__demo.837')));
    expect(tx?.implementation).toBe('005010X222A2');
    expect(tx?.submitter).toMatchObject({ name: 'PREMIER BILLING SERVICE', idQualifier: '46', id: 'TGJ23' });
    const bp = tx?.billingProviders[0];
    expect(bp?.taxonomy).toBe('203BF0100Y');
    expect(bp?.provider).toMatchObject({
      name: 'BEN KILDARE SERVICE',
      idQualifier: 'XX',
      id: '1912301953',
      address: { line1: '234 SEAWAY ST', city: 'MIAMI', state: 'FL', postalCode: '331110000' },
      references: [{ qualifier: 'EI', value: '587654321' }],
    });
    expect(bp?.payToAddress).toEqual({
      line1: '2345 OCEAN BLVD',
      city: 'MIAMI',
      state: 'FL',
      postalCode: '33111',
    });
    const sub = bp?.subscribers[0];
    expect(sub).toMatchObject({ responsibility: 'P', groupNumber: '2222-SJ', claimFilingIndicator: 'CI' });
    expect(sub?.person).toMatchObject({
      name: 'SMITH',
      firstName: 'JANE',
      idQualifier: 'MI',
      id: 'JS00111223333',
    });
    expect(sub?.payer.references).toEqual([{ qualifier: 'G2', value: 'KA6663' }]);
    const patient = sub?.patients[0];
    expect(patient).toMatchObject({
      relationship: '19',
      demographics: { dateOfBirth: '1973-05-01', sex: 'M' },
    });
    const claim = patient?.claims[0];
    expect(claim).toMatchObject({
      id: '26463774',
      totalCharge: 100,
      facilityCode: '11',
      facilityCodeQualifier: 'B',
      frequencyCode: '1',
      references: [{ qualifier: 'D9', value: '17312345600006351' }],
      diagnoses: [
        { qualifier: 'BK', code: '0340' },
        { qualifier: 'BF', code: 'V7389' },
      ],
    });
    expect(claim?.lines[2]).toMatchObject({
      lineNumber: 3,
      procedure: { qualifier: 'HC', code: '99214', modifiers: [] },
      charge: 35,
      unitBasis: 'UN',
      units: 1,
      diagnosisPointers: [2],
      dates: [{ qualifier: '472', start: '2006-10-10' }],
    });
  });

  it('reads the institutional claim model (lfh demo 837I)', () => {
    const [tx] = claimTransactions(parseX12(sample('lfh__demo.837i')));
    const claim = tx && claimsOf(tx)[0];
    expect(claim).toMatchObject({
      id: '756048Q',
      facilityCode: '14',
      facilityCodeQualifier: 'A',
      frequencyCode: '1',
    });
    expect(claim?.institutional).toEqual({ admissionType: '3', patientStatus: '01' });
    expect(claim?.diagnoses.map((d) => `${d.qualifier}:${d.code}`)).toEqual([
      'BK:3669',
      'BF:4019',
      'BF:79431',
    ]);
    expect(claim?.otherCodes).toContainEqual({
      qualifier: 'BH',
      code: 'A1',
      dateFormat: 'D8',
      date: '19261111',
    });
    expect(claim?.otherCodes).toContainEqual({ qualifier: 'BE', code: 'A2', amount: 15.31 });
    expect(claim?.providers).toEqual([
      {
        role: '71',
        entityType: '1',
        name: 'JONES',
        firstName: 'JOHN',
        middleName: 'J',
        references: [{ qualifier: '1G', value: 'B99937' }],
      },
    ]);
    expect(claim?.otherPayers[0]).toMatchObject({
      responsibility: 'S',
      relationship: '01',
      payer: { name: 'STATE TEACHERS' },
    });
    expect(claim?.lines.map((l) => [l.revenueCode, l.procedure?.code, l.charge, l.units])).toEqual([
      ['0305', '85025', 13.39, 1],
      ['0730', '93005', 76.54, 3],
    ]);
  });

  it('reads drug (LIN/CTP), modifiers and line providers (imsweb complex)', () => {
    const [tx] = claimTransactions(parseX12(sample('imsweb__x12_complex.txt'), { envelopeCounts: 'warn' }));
    const line = tx && claimsOf(tx)[0]?.lines[0];
    expect(line?.procedure).toEqual({ qualifier: 'HC', code: '99211', modifiers: ['25'] });
    expect(line?.drug).toEqual({ qualifier: 'N4', code: '3920293', quantity: 2, unit: 'UN' });
    expect(line?.providers.map((p) => p.role)).toEqual(['DN', 'DN']);
  });

  it('decides 837P or 837I from the content when GS08 and ST03 say nothing usable', () => {
    const text = sample('lfh__demo.837i').replaceAll('005010X223A3', '5010');
    const [tx] = claimTransactions(parseX12(text));
    expect(tx?.type).toBe('837I');
    expect(
      claimTransactions(parseX12(sample('lfh__demo.837').replaceAll('005010X222A2', '5010')))[0]?.type,
    ).toBe('837P');
  });
});

describe('envelope checks', () => {
  const good = sample('lfh__demo.837');
  it.each([
    ['SE01 count', good.replace('SE*41*0021', 'SE*40*0021'), 'SE', 'SE01 says 40 segments, found 41'],
    [
      'SE02 control',
      good.replace('SE*41*0021', 'SE*41*0022'),
      'SE',
      "SE02 '0022' does not match ST02 '0021'",
    ],
    ['GE01 count', good.replace('GE*1*1', 'GE*2*1'), 'GE', 'GE01 says 2 transaction sets, found 1'],
    ['GE02 control', good.replace('GE*1*1', 'GE*1*7'), 'GE', "GE02 '7' does not match GS06 '1'"],
    [
      'IEA01 count',
      good.replace('IEA*1*000000907', 'IEA*3*000000907'),
      'IEA',
      'IEA01 says 3 functional groups, found 1',
    ],
    [
      'IEA02 control',
      good.replace('IEA*1*000000907', 'IEA*1*000000908'),
      'IEA',
      "IEA02 '000000908' does not match ISA13 '000000907'",
    ],
    [
      'a missing SE',
      good.replace(/SE\*41\*0021~\s*/, ''),
      'GE',
      'GE before the SE that closes transaction set 0021',
    ],
    [
      'a missing IEA',
      good.replace(/IEA\*1\*000000907~\s*/, ''),
      'GE',
      'the file ends inside interchange 000000907 (no IEA)',
    ],
    [
      'CLM02 not a number',
      good.replace('CLM*26463774*100', 'CLM*26463774*1O0'),
      'CLM',
      "CLM02 (total claim charge) is not a number: '1O0'",
    ],
    [
      'SV1 before LX',
      good
        .replace('LX*1~\nSV1', 'SV1')
        .replace('DTP*472*D8*20061003~\nLX*2', 'DTP*472*D8*20061003~\nLX*1~\nLX*2'),
      'SV1',
      'SV1 is only expected right after LX',
    ],
    [
      'HI before CLM',
      good.replace(/(CLM\*[^~]*~\s*)(REF\*D9[^~]*~\s*)(HI\*[^~]*~\s*)/, '$3$1$2'),
      'HI',
      'HI is not expected in the patient loop (2000C)',
    ],
  ])('refuses %s, naming the segment', (_name, text, id, problem) => {
    const err = refusal(text);
    expect(err.segment.id).toBe(id);
    expect(err.problem).toBe(problem);
    expect(err.message).toMatch(new RegExp(`^segment \\d+ \\(${id}\\) at byte \\d+, line \\d+: `));
  });

  it('still refuses wrong control numbers when counts are lenient', () => {
    const text = good.replace('SE*41*0021', 'SE*40*0022');
    expect(refusal(text, { envelopeCounts: 'warn' }).problem).toBe("SE02 '0022' does not match ST02 '0021'");
  });

  it('positions the error at the right byte', () => {
    const text = good.replace('CLM*26463774*100', 'CLM*26463774*X');
    const err = refusal(text);
    expect(text.slice(err.offset, err.offset + 4)).toBe('CLM*');
  });
});

describe('the invalid samples', () => {
  it.each([
    ['imsweb__x12_bad_segment_identifier.txt', 6, '', "'' is not a segment identifier"],
    [
      'imsweb__x12_missing_elements.txt',
      7,
      'NM1',
      'NM102 (entity type: 1 person, 2 organization) is required',
    ],
    ['imsweb__x12_no_isa_line.txt', 1, 'GS', 'an X12 file starts with the ISA interchange header'],
  ])('refuses %s at segment %i (%s) even with lenient counts', (file, ordinal, id, problem) => {
    const err = refusal(sample(file), { envelopeCounts: 'warn' });
    expect(err.segment).toEqual({ id, ordinal });
    expect(err.problem).toContain(problem);
  });

  it('refuses the second broken claim of missing_elements too (CLM05) once its NM1 is repaired', () => {
    const text = sample('imsweb__x12_missing_elements.txt').replace('NM1*40**', 'NM1*40*2*');
    const err = refusal(text, { envelopeCounts: 'warn' });
    expect(err.segment.id).toBe('CLM');
    expect(err.problem).toBe('CLM05 (facility code composite) is required');
  });

  it('counts every transaction of the file', () => {
    expect(
      transactionsOf(parseX12(sample('imsweb__x12_multiple_gs.txt'), { envelopeCounts: 'warn' })),
    ).toHaveLength(3);
  });
});
