// The fixture hospital is shared with the eval suites, which start every scenario from it.
export { miniHospital } from '../evals/hospital.ts';

import type { News2Input } from '../tools/health-data/news2.ts';

/** Vital signs scoring 0 on every NEWS2 parameter; tests change one field at a time. */
export const normalVitals: News2Input = {
  respirationRate: 16,
  spo2: 97,
  spo2Scale: 1,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
};

/** A deteriorating patient: NEWS2 10, high clinical risk, SpO2 scoring 3. */
export const deterioratingVitals: News2Input = {
  respirationRate: 24,
  spo2: 91,
  spo2Scale: 1,
  onOxygen: false,
  systolicBp: 95,
  pulse: 118,
  consciousness: 'A',
  temperature: 38.6,
};
