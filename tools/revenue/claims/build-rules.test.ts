import { describe, expect, it } from 'vitest';
import { type ChargeFact, type EncounterFacts, buildClaims, personName } from './build.ts';
import { applyCorrections } from './corrections.ts';

const visit: ChargeFact = {
  id: 'chg-visit',
  kind: 'procedure',
  serviceDate: '2026-03-10',
  revenueCode: '0450',
  procedureCode: '99284',
  modifiers: ['25'],
  ndc: null,
  units: 1,
  unitBasis: 'UN',
  amountCents: 35_000,
  performerId: 'doc',
  diagnosisSequences: [2],
};
const lab: ChargeFact = {
  ...visit,
  id: 'chg-lab',
  procedureCode: '85025',
  revenueCode: '0305',
  modifiers: [],
  performerId: null,
  amountCents: 9_500,
};

function facts(
  cls: EncounterFacts['encounter']['class'],
  overrides: Partial<EncounterFacts> = {},
): EncounterFacts {
  return {
    encounter: {
      id: 'enc',
      class: cls,
      status: 'finished',
      startedAt: new Date('2026-03-10T08:00:00Z'),
      endedAt: new Date('2026-03-10T12:00:00Z'),
      attendingId: 'doc',
    },
    patient: { id: 'pat', givenName: 'Ann', familyName: 'Lee', birthDate: '1980-01-01', sex: 'other' },
    coverage: { id: 'cov', memberId: 'M1', groupNumber: null, relationship: '18' },
    payer: {
      name: 'Acme',
      x12PayerId: 'ACME1',
      professionalFilingIndicator: 'CI',
      institutionalFilingIndicator: 'CI',
    },
    profile: {
      name: 'H',
      npi: '1234567893',
      taxId: '123456789',
      taxonomy: '282N00000X',
      addressLine1: '1 Way',
      city: 'X',
      state: 'IL',
      postalCode: '62701',
    },
    clinicians: new Map([
      ['doc', { id: 'doc', name: 'Dr Mary Jo Smith', role: 'physician', npi: '1987654328' }],
    ]),
    diagnoses: [
      { sequence: 1, code: 'R07.9', presentOnAdmission: null },
      { sequence: 2, code: 'I10', presentOnAdmission: null },
    ],
    charges: [visit, lab],
    ...overrides,
  };
}

const ids = { professional: 'CLMP', institutional: 'CLMI' };

describe('building claims from encounter facts', () => {
  it.each([
    ['AMB', '22', '13'],
    ['EMER', '23', '13'],
    ['IMP', '21', '11'],
    ['HH', '12', '32'],
  ] as const)(
    'a %s encounter: place of service %s on the 837P, type of bill %s on the 837I',
    (cls, pos, tob) => {
      const [p, i] = buildClaims(facts(cls), ids);
      expect(p?.document.claim.facilityCode).toBe(pos);
      expect(i?.document.claim.facilityCode).toBe(tob);
      // CL1 and the admission date belong to inpatient claims only.
      expect(i?.document.claim.institutional !== undefined).toBe(cls === 'IMP');
    },
  );

  it('splits the physician’s visit from the ancillary lab and points at the right diagnosis', () => {
    const [p, i] = buildClaims(facts('EMER'), ids);
    expect(p?.chargeIds).toEqual(['chg-visit']);
    expect(i?.chargeIds).toEqual(['chg-lab']);
    expect(p?.document.claim.lines[0]?.diagnosisPointers).toEqual([2]);
    expect(p?.document.claim.lines[0]?.procedure?.modifiers).toEqual(['25']);
    expect(p?.document.subscriber.demographics?.sex).toBe('U');
    expect(i?.document.claim.dates).toEqual([{ qualifier: '434', start: '2026-03-10', end: '2026-03-10' }]);
  });

  it('refuses a physician without an NPI, naming them', () => {
    const clinicians = new Map([['doc', { id: 'doc', name: 'Dr No', role: 'physician', npi: null }]]);
    expect(() => buildClaims(facts('AMB', { clinicians }), ids)).toThrow('Dr No (doc) has no NPI');
  });

  it('refuses coverage held by someone else: the record has no subscriber to name', () => {
    const coverage = { id: 'cov', memberId: 'M1', groupNumber: null, relationship: '19' };
    expect(() => buildClaims(facts('AMB', { coverage }), ids)).toThrow(/relationship 19/);
  });

  it.each([
    ['Dr Eve Endo', { name: 'Endo', firstName: 'Eve' }],
    ['Dr. Mary Jo Smith', { name: 'Smith', firstName: 'Mary Jo' }],
    ['Cher', { name: 'Cher' }],
  ])('names %s as NM103/NM104', (name, expected) => {
    expect(personName(name)).toEqual(expected);
  });
});

describe('coder corrections', () => {
  const [p] = buildClaims(
    facts('AMB', { charges: [visit, { ...visit, id: 'chg-2', procedureCode: '93000', amountCents: 5_000 }] }),
    ids,
  );
  const doc = p!.document;

  it('validates every correction before applying any', () => {
    expect(() =>
      applyCorrections(doc, [
        { kind: 'units', line: 1, units: 2 },
        { kind: 'modifiers', line: 9, modifiers: ['59'] },
      ]),
    ).toThrow('corrections.1.line: claim CLMP has no line 9');
    expect(doc.claim.lines[0]?.units).toBe(1);
  });

  it('refuses to remove every line (void the claim instead)', () => {
    expect(() =>
      applyCorrections(doc, [
        { kind: 'remove-line', line: 1 },
        { kind: 'remove-line', line: 2 },
      ]),
    ).toThrow(/void the claim instead/);
  });

  it('names lines as the coder saw them, then renumbers', () => {
    // Lines are in date, revenue code, charge id order: 93000 (chg-2) is line 1, the visit line 2.
    const r = applyCorrections(doc, [
      { kind: 'remove-line', line: 1 },
      { kind: 'modifiers', line: 2, modifiers: ['59'] },
      { kind: 'diagnosis', position: 2, code: 'i10' },
    ]);
    expect(
      r.document.claim.lines.map((l) => [l.lineNumber, l.procedure?.code, l.procedure?.modifiers]),
    ).toEqual([[1, '99284', ['59']]]);
    expect(r.removedChargeIds).toEqual(['chg-2']);
    expect(r.document.claim.totalCharge).toBe(350);
    expect(r.document.claim.diagnoses[1]?.code).toBe('I10');
  });
});
