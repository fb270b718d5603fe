import { describe, expect, it } from 'vitest';
import { parseX12 } from './parse.ts';
import { X12FormatError } from './segments.ts';
import { remittances, sample } from './test-helpers.ts';

describe('835 remittance advice', () => {
  it('reads payment, trace, payer, payee, claims with CAS, and PLB (lfh demo)', () => {
    const [tx] = remittances(parseX12(sample('lfh__demo.835')));
    expect(tx?.payment).toMatchObject({
      handling: 'C',
      amount: 150000,
      creditDebit: 'C',
      method: 'ACH',
      date: '2002-09-13',
    });
    expect(tx?.trace).toEqual({ type: '1', number: '12345', originator: '1512345678' });
    expect(tx?.payer).toMatchObject({
      name: 'INSURANCE COMPANY OF TIMBUCKTU',
      address: { line1: '1 MAIN STREET', city: 'TIMBUCKTU', state: 'AK', postalCode: '89111' },
      references: [{ qualifier: '2U', value: '999' }],
    });
    expect(tx?.payee).toMatchObject({ name: 'REGIONAL HOPE HOSPITAL', idQualifier: 'XX', id: '6543210903' });
    expect(
      tx?.claims.map((c) => [c.claimId, c.status, c.charge, c.paid, c.filingIndicator, c.payerControlNumber]),
    ).toEqual([
      ['666123', '1', 211366.97, 138018.4, 'MA', '1999999444444'],
      ['777777', '1', 15000, 11980.33, 'MB', '1999999444445'],
    ]);
    expect(tx?.claims[0]?.adjustments).toEqual([{ group: 'CO', reason: '45', amount: 73348.57 }]);
    expect(tx?.claims[0]?.headerNumber).toBe('110212');
    expect(tx?.claims[0]?.parties[0]).toMatchObject({
      role: 'QC',
      name: 'JONES',
      firstName: 'SAM',
      id: '666666666A',
    });
    expect(tx?.claims[0]?.dates).toEqual([
      { qualifier: '232', start: '2002-08-16' },
      { qualifier: '233', start: '2002-08-24' },
    ]);
    expect(tx?.claims[1]?.outpatient).toEqual(['MOA', '', '', 'MA02']);
    expect(tx?.providerAdjustments).toHaveLength(1);
    expect(tx?.providerAdjustments[0]).toMatchObject({
      provider: '6543210903',
      fiscalPeriodEnd: '2002-12-31',
      adjustments: [{ reason: 'CV', reference: 'CP', amount: -1.27 }],
    });
    // Balancing as the 835 guide requires: charge − adjustments = paid.
    for (const c of tx?.claims ?? [])
      expect(c.charge - c.adjustments.reduce((s, a) => s + a.amount, 0)).toBeCloseTo(c.paid, 2);
  });

  it('reads service lines with line CAS and LQ remarks (pyx12 multiple loops)', () => {
    const [tx] = remittances(parseX12(sample('pyx12__835_mult_loops.txt')));
    expect(tx?.payment).toMatchObject({ handling: 'H', amount: 0, method: 'NON', date: '2004-10-28' });
    const claim = tx?.claims[0];
    expect(claim).toMatchObject({
      claimId: '2005555A',
      status: '4',
      charge: 915.39,
      paid: 0,
      adjustments: [],
    });
    expect(claim?.parties.map((p) => p.role)).toEqual(['QC', '82']);
    expect(claim?.lines.map((l) => [l.procedure.code, l.charge, l.paid, l.units])).toEqual([
      ['T1005', 500.04, 0, 68],
      ['T1005', 127.8, 0, 16],
      ['T1005', 287.55, 0, 36],
    ]);
    expect(claim?.lines.map((l) => l.adjustments)).toEqual([
      [{ group: 'CO', reason: '16', amount: 500.04 }],
      [{ group: 'OA', reason: 'A7', amount: 127.8 }],
      [{ group: 'OA', reason: 'A7', amount: 287.55 }],
    ]);
    expect(claim?.lines[0]?.remarks).toEqual([{ qualifier: 'HE', code: 'N14' }]);
    expect(claim?.lines[0]?.dates).toEqual([
      { qualifier: '150', start: '2003-11-29' },
      { qualifier: '151', start: '2003-11-29' },
    ]);
    expect(claim?.lines[0]?.segments.map((s) => s.id)).toEqual(['SVC', 'DTM', 'DTM', 'CAS', 'LQ']);
  });

  it('reads a payer file as real payers send it: BOM, > components, indented CRLF segments, several interchanges, CAS triples, REF 6R', () => {
    const isa = (control: string) =>
      `ISA*00*          *00*          *ZZ*PAYER          *ZZ*HOSPITAL       *240501*1030*^*00501*${control}*0*P*>~`;
    const body = (st: string) =>
      [
        `ST*835*${st}*005010X221A1`,
        'BPR*I*95*C*CHK************20240501',
        'TRN*1*CHK100*1999999999',
        'N1*PR*ACME HEALTH',
        'N1*PE*GENERAL HOSPITAL*XX*1234567893',
        'LX*1',
        'CLP*PCN1*1*200*95*30*12*PAYERCLAIM1*11*1',
        'CAS*PR*1*20**2*10',
        'CAS*CO*45*60*1*253*-5',
        'SVC*HC>99213>25>59*200*95**1',
        'DTM*472*20240415',
        'CAS*CO*45*105',
        'REF*6R*LINE-1',
        'AMT*B6*95',
        'LQ*HE*M15',
        'PLB*1234567893*20241231*WO>INV1*-10*L6*2.5',
        `SE*17*${st}`,
      ].map((s) => `  ${s}~\r\n`);
    const interchange = (control: string) =>
      `${isa(control)}\r\n  GS*HP*PAYER*HOSPITAL*20240501*1030*1*X*005010X221A1~\r\n${body('0001').join('')}  GE*1*1~\r\n  IEA*1*${control}~\r\n`;
    const text = `\uFEFF${interchange('000000001')}${interchange('000000002')}`;
    const parsed = parseX12(text);
    expect(parsed.interchanges.map((i) => [i.control, i.separators.component, i.usage])).toEqual([
      ['000000001', '>', 'P'],
      ['000000002', '>', 'P'],
    ]);
    const txs = remittances(parsed);
    expect(txs).toHaveLength(2);
    const claim = txs[1]?.claims[0];
    expect(claim).toMatchObject({ claimId: 'PCN1', patientResponsibility: 30, filingIndicator: '12' });
    expect(claim?.adjustments).toEqual([
      { group: 'PR', reason: '1', amount: 20 },
      { group: 'PR', reason: '2', amount: 10 },
      { group: 'CO', reason: '45', amount: 60, quantity: 1 },
      { group: 'CO', reason: '253', amount: -5 },
    ]);
    expect(claim?.lines[0]).toMatchObject({
      procedure: { qualifier: 'HC', code: '99213', modifiers: ['25', '59'] },
      controlNumber: 'LINE-1',
      amounts: [{ qualifier: 'B6', amount: 95 }],
      remarks: [{ qualifier: 'HE', code: 'M15' }],
    });
    expect(txs[0]?.providerAdjustments[0]?.adjustments).toEqual([
      { reason: 'WO', reference: 'INV1', amount: -10 },
      { reason: 'L6', amount: 2.5 },
    ]);
    // A broken amount deep in the second interchange names its segment and byte.
    const broken = text.replace(
      /(IEA\*1\*000000001~\r\n[\s\S]*?)SVC\*HC>99213>25>59\*200/,
      '$1SVC*HC>99213>25>59*2O0',
    );
    try {
      parseX12(broken);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(X12FormatError);
      const e = err as X12FormatError;
      expect(e.segment).toEqual({ id: 'SVC', ordinal: 33 }); // 21 segments in the first interchange, 12th of the second
      expect(e.problem).toBe("SVC02 (line charge) is not a number: '2O0'");
      expect(
        Buffer.from(broken, 'utf8')
          .subarray(e.offset, e.offset + 4)
          .toString(),
      ).toBe('SVC*');
    }
  });
});
