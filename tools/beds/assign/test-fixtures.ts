import type { AssignableBed, PendingBedRequest } from './model.ts';

// One free med-surg bed and one urgent request that fits it: the assignment tests vary a field at a time.

export const bed = (over: Partial<AssignableBed> = {}): AssignableBed => ({
  bedId: 'b1',
  label: 'B1',
  unitId: 'u1',
  unitType: 'med-surg',
  roomId: 'r1',
  roomSexPolicy: 'mixed',
  roomIsolation: 'none',
  status: 'U',
  housekeeping: 'inspected',
  telemetry: false,
  bariatric: false,
  reserved: false,
  unitSpecialty: 'internal-medicine',
  unitMinAgeYears: 18,
  unitMaxAgeYears: null,
  ...over,
});

export const request = (over: Partial<PendingBedRequest> = {}): PendingBedRequest => ({
  requestId: 'q1',
  patientId: 'p1',
  need: {
    unitTypes: ['med-surg', 'telemetry'],
    isolation: 'none',
    telemetry: false,
    bariatric: false,
    sex: 'female',
  },
  priority: 'urgent',
  specialty: 'internal-medicine',
  ageYears: 50,
  preferredFeatures: [],
  currentBedId: null,
  ...over,
});
