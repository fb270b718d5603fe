import { both, encounter, priced } from './setups.ts';
import type { ClaimRef } from './types.ts';

// Encounters the coding scenarios add to the billing fixture: each one puts a scrubber edit in front of
// the agent that the record cannot settle. Edit tables are the samples in data/edits (illustrative, in
// CMS's layout, not CMS's current tables).

export const CLINIC = 'enc-bo-clinic';
export const clinic: ClaimRef = { encounter: CLINIC };

/** A clinic visit of Bo’s coded with M23.2, a category header (ICD-10-CM Guidelines I.B.2: not billable). */
export const headerCoded = encounter({
  id: CLINIC,
  patientId: 'pat-2',
  on: '2026-03-12',
  diagnoses: ['M23.2'],
  services: [{ code: '99232', performerId: 'stf-surgeon' }],
});

/** Three CBCs on one day by a physician: the sample MUE for 85025 is 2 (MAI 3, date of service). */
export const LABS = 'enc-bo-labs';
export const tripleCbc = encounter({
  id: LABS,
  patientId: 'pat-2',
  on: '2026-03-13',
  diagnoses: ['E11.65'],
  services: [{ code: '85025', quantity: 3, performerId: 'stf-endo' }],
});

/** A CMP and a BMP on one day (sample PTP 80053/80048, modifier indicator 0: never billed together). */
export const PANELS = 'enc-bo-panels';
export const cmpAndBmp = both(
  priced({ code: '80048', description: 'Basic metabolic panel', revenueCode: '0301', cents: 12_000 }),
  encounter({
    id: PANELS,
    patientId: 'pat-2',
    on: '2026-03-13',
    diagnoses: ['E11.65'],
    services: [
      { code: '80053', performerId: 'stf-endo' },
      { code: '80048', performerId: 'stf-endo' },
    ],
  }),
);

/** Diagnostic and operative arthroscopy on one knee (sample PTP 29880/29881, indicator 1: a modifier may bypass). */
export const SCOPES = 'enc-bo-scopes';
export const twoScopes = both(
  priced({
    code: '29880',
    description: 'Knee arthroscopy, medial and lateral meniscectomy',
    revenueCode: '0360',
    cents: 720_000,
  }),
  encounter({
    id: SCOPES,
    patientId: 'pat-2',
    on: '2026-03-12',
    diagnoses: ['M23.221'],
    services: [
      { code: '29880', performerId: 'stf-surgeon' },
      { code: '29881', performerId: 'stf-surgeon' },
    ],
  }),
);

/** Bo’s knee recorded twice, as a second encounter with the same service on the same day. */
export const KNEE_AGAIN = 'enc-bo-knee-again';
export const kneeAgain = encounter({
  id: KNEE_AGAIN,
  patientId: 'pat-2',
  on: '2026-03-10',
  diagnoses: ['M23.221'],
  services: [{ code: '29881', performerId: 'stf-surgeon', modifiers: ['RT'] }],
});
