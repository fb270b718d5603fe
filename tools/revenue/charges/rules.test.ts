import { describe, expect, it } from 'vitest';
import { codeSets } from '../codesets/codesets.ts';
import { priceEncounter } from './capture.ts';
import { inpatientDays, procedureCodeProblem } from './rules.ts';

describe('inpatient days by the midnight census', () => {
  it.each([
    [
      'three midnights',
      '2026-03-02T14:00:00Z',
      '2026-03-05T11:00:00Z',
      ['2026-03-02', '2026-03-03', '2026-03-04'],
    ],
    ['a same-day stay counts one day', '2026-03-02T08:00:00Z', '2026-03-02T20:00:00Z', ['2026-03-02']],
    ['one night', '2026-03-02T23:30:00Z', '2026-03-03T00:30:00Z', ['2026-03-02']],
    [
      'across a month end',
      '2026-02-27T10:00:00Z',
      '2026-03-02T10:00:00Z',
      ['2026-02-27', '2026-02-28', '2026-03-01'],
    ],
  ])('%s', (_name, start, end, days) => {
    expect(inpatientDays(new Date(start), new Date(end), '2026-03-20')).toEqual(days);
  });

  it('counts the midnights passed so far for a stay still open', () => {
    expect(inpatientDays(new Date('2026-03-18T10:00:00Z'), null, '2026-03-20')).toEqual([
      '2026-03-18',
      '2026-03-19',
    ]);
    expect(inpatientDays(new Date('2026-03-20T10:00:00Z'), null, '2026-03-20')).toEqual([]);
  });
});

describe('pricing', () => {
  const items = [
    {
      id: 'i-icu',
      kind: 'accommodation',
      code: 'icu',
      revenueCode: '0200',
      hcpcsCode: null,
      unitPriceCents: 100,
      unitBasis: 'DA',
    },
    {
      id: 'i-ins',
      kind: 'drug',
      code: '00002751001',
      revenueCode: '0636',
      hcpcsCode: 'J1815',
      unitPriceCents: 7,
      unitBasis: 'UN',
    },
  ] as const;
  const stay = {
    encounterClass: 'IMP',
    unitType: 'icu' as const,
    startedAt: new Date('2026-03-02T14:00:00Z'),
    endedAt: new Date('2026-03-03T10:00:00Z'),
  };

  it('rounds a fractional quantity to whole cents and bills an NDC drug under its J-code', () => {
    const out = priceEncounter(
      {
        ...stay,
        services: [
          {
            id: 's1',
            kind: 'drug',
            code: '00002751001',
            modifiers: [],
            quantity: 2.5,
            servicedOn: '2026-03-02',
            performerId: null,
            diagnosisSequences: [],
          },
        ],
      },
      items.map((i) => ({ ...i })),
      '2026-03-20',
    );
    expect(out.unpriced).toEqual([]);
    expect(out.charges.map((c) => [c.source, c.procedureCode, c.ndc, c.amountCents])).toEqual([
      ['bed-day:icu:2026-03-02', null, null, 100],
      ['service:s1', 'J1815', '00002751001', 18],
    ]);
  });

  it('charges no bed-days outside an inpatient stay, and lists every unpriced fact', () => {
    const out = priceEncounter(
      {
        ...stay,
        unitType: 'maternity',
        services: [
          {
            id: 's2',
            kind: 'supply',
            code: 'A4253',
            modifiers: [],
            quantity: 1,
            servicedOn: '2026-03-02',
            performerId: null,
            diagnosisSequences: [],
          },
        ],
      },
      items.map((i) => ({ ...i })),
      '2026-03-20',
    );
    expect(out.unpriced.map((u) => u.source)).toEqual(['bed-day:maternity:2026-03-02', 'service:s2']);
    const outpatient = priceEncounter({ ...stay, encounterClass: 'AMB', services: [] }, [], '2026-03-20');
    expect(outpatient).toEqual({ charges: [], unpriced: [] });
  });
});

describe('procedure codes by kind', () => {
  const sets = codeSets();
  it.each([
    ['procedure', '29881', null],
    ['procedure', '99999', /not a CPT or HCPCS/],
    ['drug', '00002751001', null],
    ['drug', 'J1815', null],
    ['drug', 'A4253', /not a drug code/],
    ['supply', 'A4253', null],
    ['supply', '99223', /supply is billed with its HCPCS/],
  ] as const)('%s %s', (kind, code, expected) => {
    const problem = procedureCodeProblem(sets, kind, code);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
