import { describe, expect, it } from 'vitest';
import { parseX12 } from './parse.ts';
import { claimTransactions, modelOf, sample } from './test-helpers.ts';
import type { ClaimTransaction } from './types.ts';
import { serialize837, sequentialControlNumbers } from './write-837.ts';

const envelope = () => ({
  sender: { qualifier: 'ZZ', id: 'CAREBRIDGE' },
  receiver: { qualifier: 'ZZ', id: 'ACMEHEALTH' },
  date: '2024-05-01',
  time: '10:30',
  control: sequentialControlNumbers(41),
});

const samples837 = [
  'lfh__demo.837',
  'lfh__demo.example1.837',
  'lfh__demo.837i',
  'imsweb__x223-test.txt',
  'imsweb__x12_valid.txt',
  'imsweb__x12_valid_different_separators.txt',
  'imsweb__x12_no_errors.txt',
  'imsweb__x12_complex.txt',
  'imsweb__x12_multiple_gs.txt',
  'imsweb__x12_multiple_isa.txt',
  'imsweb__x12_multiple_st.txt',
  'imsweb__x12_many_claims.txt',
];

/** A hand-built institutional claim, written then read back. */
const inpatient: ClaimTransaction = {
  type: '837I',
  implementation: '005010X223A2',
  control: '0001',
  beginning: {
    structure: '0019',
    purpose: '00',
    referenceId: 'BATCH-7',
    date: '20240501',
    time: '1030',
    claimType: 'CH',
  },
  submitter: {
    entityType: '2',
    name: 'CAREBRIDGE GENERAL',
    idQualifier: '46',
    id: 'CBG01',
    contacts: [
      { function: 'IC', name: 'BILLING OFFICE', numbers: [{ qualifier: 'TE', value: '5551234567' }] },
    ],
  },
  receiver: { entityType: '2', name: 'ACME HEALTH', idQualifier: '46', id: 'ACME' },
  billingProviders: [
    {
      taxonomy: '282N00000X',
      provider: {
        entityType: '2',
        name: 'CAREBRIDGE GENERAL HOSPITAL',
        idQualifier: 'XX',
        id: '1234567893',
        address: { line1: '1 HOSPITAL WAY', city: 'SPRINGFIELD', state: 'IL', postalCode: '627010000' },
        references: [{ qualifier: 'EI', value: '371234567' }],
      },
      subscribers: [
        {
          responsibility: 'P',
          relationship: '18',
          groupNumber: 'GRP-9',
          claimFilingIndicator: 'CI',
          person: { entityType: '1', name: 'DOE', firstName: 'JANE', idQualifier: 'MI', id: 'M123456' },
          demographics: { dateOfBirth: '1970-02-28', sex: 'F' },
          payer: { entityType: '2', name: 'ACME HEALTH', idQualifier: 'PI', id: 'ACME' },
          claims: [
            {
              id: 'ENC-2024-0001',
              totalCharge: 1250.5,
              facilityCode: '11',
              facilityCodeQualifier: 'A',
              frequencyCode: '1',
              providerSignature: 'Y',
              assignment: 'A',
              benefitsAssigned: 'Y',
              releaseOfInformation: 'Y',
              dates: [
                { qualifier: '434', start: '2024-04-10', end: '2024-04-12' },
                { qualifier: '435', start: '202404100800', format: 'DT' },
              ],
              institutional: { admissionType: '1', admissionSource: '7', patientStatus: '01' },
              priorAuthorization: 'AUTH-55',
              references: [{ qualifier: 'EA', value: 'MRN-77' }],
              diagnoses: [
                { qualifier: 'ABK', code: 'I214', presentOnAdmission: 'Y' },
                { qualifier: 'ABJ', code: 'R079' },
                { qualifier: 'ABF', code: 'E119', presentOnAdmission: 'Y' },
              ],
              otherCodes: [
                { qualifier: 'BH', code: '11', dateFormat: 'D8', date: '20240409' },
                { qualifier: 'BE', code: '80', amount: 2 },
              ],
              providers: [
                {
                  role: '71',
                  entityType: '1',
                  name: 'HOUSE',
                  firstName: 'GREGORY',
                  idQualifier: 'XX',
                  id: '1003000126',
                  taxonomy: '207R00000X',
                },
              ],
              otherPayers: [],
              lines: [
                {
                  lineNumber: 1,
                  revenueCode: '0450',
                  procedure: { qualifier: 'HC', code: '99285', modifiers: ['25'] },
                  charge: 1000.5,
                  unitBasis: 'UN',
                  units: 1,
                  dates: [{ qualifier: '472', start: '2024-04-10' }],
                  references: [{ qualifier: '6R', value: 'L1' }],
                  providers: [],
                  segments: [],
                },
                {
                  lineNumber: 2,
                  revenueCode: '0250',
                  charge: 250,
                  unitBasis: 'UN',
                  units: 3,
                  dates: [],
                  references: [],
                  drug: { qualifier: 'N4', code: '00409488820', quantity: 3, unit: 'ML' },
                  providers: [],
                  segments: [],
                },
              ],
              segments: [],
            },
          ],
          patients: [],
          segments: [],
        },
      ],
      segments: [],
    },
  ],
  segments: [],
};

describe('serialize837', () => {
  it.each(samples837)('round-trips %s: parse → write → parse gives the same claims', (file) => {
    const first = claimTransactions(parseX12(sample(file), { envelopeCounts: 'warn' }));
    const written = serialize837(first, envelope());
    const again = parseX12(written); // strict: the written envelope counts are right
    expect(modelOf(claimTransactions(again))).toEqual(modelOf(first));
  });

  it('writes a hand-built 837I that reads back to the same structure', () => {
    const written = serialize837([inpatient], envelope());
    const [read] = claimTransactions(parseX12(written));
    expect(modelOf(read)).toEqual(modelOf(inpatient));
  });

  it('writes correct envelopes: fixed-width ISA, counts, control numbers from the counter', () => {
    const written = serialize837(
      [inpatient, { ...inpatient, beginning: { ...inpatient.beginning, referenceId: 'B8' } }],
      envelope(),
    );
    const lines = written.split('\n');
    expect(lines[0]).toBe(
      'ISA*00*          *00*          *ZZ*CAREBRIDGE     *ZZ*ACMEHEALTH     *240501*1030*^*00501*000000041*0*T*:~',
    );
    expect(lines[0]).toHaveLength(106);
    expect(lines[1]).toBe('GS*HC*CAREBRIDGE*ACMEHEALTH*20240501*1030*41*X*005010X223A2~');
    expect(lines[2]).toBe('ST*837*0041*005010X223A2~');
    const se = lines.filter((l) => l.startsWith('SE*'));
    expect(se).toEqual([
      expect.stringMatching(/^SE\*\d+\*0041~$/),
      expect.stringMatching(/^SE\*\d+\*0042~$/),
    ]);
    expect(lines.slice(-2)).toEqual(['GE*2*41~', 'IEA*1*000000041~']);
    const parsed = parseX12(written);
    expect(parsed.interchanges[0]?.groups[0]?.transactions.map((t) => t.control)).toEqual(['0041', '0042']);
    // Same input, same counter start: the same bytes.
    expect(serialize837([inpatient], envelope())).toBe(serialize837([inpatient], envelope()));
  });

  it('writes with chosen separators and reads back the same', () => {
    const written = serialize837([inpatient], {
      ...envelope(),
      separators: { element: '|', component: '>', repetition: '!', segment: '\n' },
    });
    expect(written.startsWith('ISA|00|')).toBe(true);
    expect(written).toContain('SV2|0450|HC>99285>25|1000.5|UN|1');
    const [read] = claimTransactions(parseX12(written));
    expect(modelOf(read)).toEqual(modelOf(inpatient));
  });
});
