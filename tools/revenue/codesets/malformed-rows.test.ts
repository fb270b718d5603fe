import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCarc, loadGroupCodes, loadPlbReasons, loadRarc } from './adjustments.ts';
import { loadIcd10cm } from './icd10cm.ts';
import { loadVitalSignCodes } from './loinc-vitals.ts';
import { loadPlacesOfService } from './place-of-service.ts';
import { loadCpt, loadHcpcs, loadStatusIndicators } from './procedures.ts';

// Each loader refuses a bad row and names the file and line, so a corrupted copy fails at startup.
const dir = mkdtempSync(join(tmpdir(), 'codesets-bad-'));
const write = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\r\n')}\r\n`);
  return path;
};

const DATED = 'code,start_date,stop_date,last_modified,description,notes';
const CMS_CARC = write('carc-cms.csv', ['code,description', '1,Deductible Amount']);

describe('malformed rows are refused with file:line', () => {
  it.each([
    [
      'an ICD-10-CM code with a digit first',
      () => loadIcd10cm(write('icd.csv', ['A00,"Cholera"', '100,"Bad"'])),
      'icd.csv:2: "100" is not an ICD-10-CM code',
    ],
    [
      'an ICD-10-CM code twice',
      () => loadIcd10cm(write('icd2.csv', ['A00,"Cholera"', 'A00,"Cholera"'])),
      'icd2.csv:2: code A00 appears twice',
    ],
    [
      'an ICD-10-CM code without its category row',
      () => loadIcd10cm(write('icd3.csv', ['A00,"Cholera"', 'B019,"Varicella"'])),
      'icd3.csv:2: code B019 has no category row B01',
    ],
    [
      'a CPT code of four digits',
      () =>
        loadCpt(
          write('cpt.csv', [
            'code,cpt_category,opps_status_indicator',
            '99213,CPT-CatI,B',
            '9921,CPT-CatI,B',
          ]),
        ),
      'cpt.csv:3: "9921" is not a CPT code',
    ],
    [
      'a CPT code in the wrong category',
      () => loadCpt(write('cpt2.csv', ['code,cpt_category,opps_status_indicator', '0001F,CPT-CatIII,E1'])),
      'cpt2.csv:2: code 0001F does not fit category CPT-CatIII',
    ],
    [
      'a HCPCS code with a W',
      () =>
        loadHcpcs(
          write('hcpcs.csv', [
            'code,short_descriptor,opps_status_indicator,opps_payment_rate',
            'W1234,Thing,E1,',
          ]),
        ),
      'hcpcs.csv:2: "W1234" is not a HCPCS Level II code',
    ],
    [
      'a HCPCS payment rate that is not an amount',
      () =>
        loadHcpcs(
          write('hcpcs2.csv', [
            'code,short_descriptor,opps_status_indicator,opps_payment_rate',
            'J9035,"Bevacizumab, inj",K,$74',
          ]),
        ),
      'hcpcs2.csv:2: payment rate "$74" is not an amount',
    ],
    [
      'a status indicator legend with a bad Paid value',
      () => loadStatusIndicators(write('si.csv', ['StatusIndicator,Paid,Description', 'A,  Maybe, x'])),
      'si.csv:2: Paid is "Maybe"',
    ],
    [
      'a three-digit place of service',
      () => loadPlacesOfService(write('pos.csv', ['code,description', '11,OFFICE', '111,OFFICE'])),
      'pos.csv:3: "111" is not a place-of-service code',
    ],
    [
      'a CARC of four digits',
      () => loadCarc(write('carc1.csv', ['code,description', '1000,Too long']), write('carc1v.csv', [DATED])),
      'carc1.csv:2: "1000" is not a CARC',
    ],
    [
      'a CARC stop date that is not a date',
      () => loadCarc(CMS_CARC, write('carc2.csv', [DATED, '1,1995-01-01,2008-02-30,,Deductible Amount,'])),
      'carc2.csv:2: stop_date "2008-02-30" is not an ISO date',
    ],
    [
      'a CARC that stops before it starts',
      () => loadCarc(CMS_CARC, write('carc3.csv', [DATED, '1,1995-01-01,1994-01-01,,Deductible Amount,'])),
      'carc3.csv:2: CARC 1 stops (1994-01-01) before it starts (1995-01-01)',
    ],
    [
      'a RARC with an unknown prefix',
      () => loadRarc(write('rarc.csv', [DATED, 'N130,2002-10-31,,,Consult plan,', 'X12,2002-10-31,,,Bad,'])),
      'rarc.csv:3: "X12" is not a RARC',
    ],
    [
      'a group code that is not one of the five',
      () => loadGroupCodes(write('group.csv', ['code,description', 'PX,Nope'])),
      'group.csv:2: "PX" is not a group code',
    ],
    [
      'a PLB reason with no description',
      () =>
        loadPlbReasons(
          write('plb.csv', ['code,start_date,stop_date,last_modified,description', 'L6,2012-01-01,,,']),
        ),
      'plb.csv:2: PLB reason code L6 has no description',
    ],
    [
      'a LOINC code with a wrong check digit',
      () =>
        loadVitalSignCodes(
          write('loinc.tsv', [
            'concept\tsystem\tcode\tdisplay_in_source\tucum_unit\tfhir_profile_or_role\tsource\tnotes',
            'heart rate\thttp://loinc.org\t8867-5\tHeart rate\t/min\theartrate\tspec\t',
          ]),
        ),
      'loinc.tsv:2: "8867-5" is not a valid http://loinc.org code',
    ],
  ])('%s', (_name, load, message) => {
    expect(load).toThrow(message);
  });
});
