import { accept, ask, BED_MANAGER, CN_MS, decline, medSurg } from '../beds/steps.ts';
import type { BedScenario } from '../beds/types.ts';

const man = medSurg('male');

const escalation: BedScenario[] = [
  {
    id: 'escalate-not-before-time',
    description: '9 of 10 minutes unanswered: the question is still the charge nurse’s alone',
    steps: [ask('pat-m1', man, { escalateAfterMinutes: 10, holdMinutes: 30 }), { advanceMinutes: 9 }],
    expect: {
      requests: [{ status: 'awaiting-acceptance', bedId: 'bed-ms-m2', approvals: ['charge-nurse:pending'] }],
      auditedWrites: { escalate_overdue_approvals: 0 },
    },
  },
  {
    id: 'escalate-bed-manager-accepts',
    description: 'unanswered for 10 minutes: the bed manager is asked about the same hold and accepts',
    steps: [
      ask('pat-m1', man, { escalateAfterMinutes: 10, holdMinutes: 30 }),
      { advanceMinutes: 10 },
      accept(1, BED_MANAGER),
    ],
    expect: {
      statuses: [202, 200],
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-m2',
          holds: ['bed-ms-m2:accepted'],
          approvals: ['charge-nurse:escalated', 'bed-manager:answered'],
        },
      ],
      auditedWrites: { escalate_overdue_approvals: 1 },
    },
  },
  {
    id: 'escalate-charge-nurse-late-but-valid',
    description:
      'after escalation the charge nurse still answers her own question while the hold lives: assigned; the bed manager’s question is withdrawn and a late answer to it refused',
    steps: [
      ask('pat-m1', man, { escalateAfterMinutes: 5, holdMinutes: 30 }),
      { advanceMinutes: 6 },
      accept(1, CN_MS, { approval: 1 }),
      accept(1, BED_MANAGER, { approval: 2, tag: 'withdrawn' }),
    ],
    expect: {
      statuses: [202, 200, 409],
      details: { withdrawn: /was withdrawn/ },
      requests: [
        {
          status: 'assigned',
          bedId: 'bed-ms-m2',
          holds: ['bed-ms-m2:accepted'],
          approvals: ['charge-nurse:answered', 'bed-manager:cancelled'],
          outcome: /accepted by Cara Charge \(charge-nurse\)/,
        },
      ],
    },
  },
  {
    id: 'escalate-bed-manager-declines',
    description:
      'after escalation the charge nurse may not take the bed manager’s question (403); the bed manager declines and the next bed goes to the charge nurse again',
    steps: [
      ask('pat-m1', man, { escalateAfterMinutes: 10, holdMinutes: 30 }),
      { advanceMinutes: 10 },
      accept(1, CN_MS, { tag: 'not-hers' }),
      decline(1, BED_MANAGER, 'patient needs a bay near the station'),
    ],
    expect: {
      statuses: [202, 403, 200],
      details: { 'not-hers': /it is for the bed-manager/ },
      requests: [
        {
          status: 'awaiting-acceptance',
          bedId: 'bed-ms-m1',
          holds: ['bed-ms-m2:released', 'bed-ms-m1:held'],
          approvals: ['charge-nurse:escalated', 'bed-manager:answered', 'charge-nurse:pending'],
        },
      ],
    },
  },
];

const expiry: BedScenario[] = [
  {
    id: 'expiry-next-bed',
    description:
      'nobody answers: escalated at 10 minutes, the hold lapses at 20, the bed is freed and the next bed offered',
    steps: [ask('pat-m1', man, { escalateAfterMinutes: 10, holdMinutes: 20 }), { advanceMinutes: 20 }],
    expect: {
      requests: [
        {
          status: 'awaiting-acceptance',
          bedId: 'bed-ms-m1',
          holds: ['bed-ms-m2:expired', 'bed-ms-m1:held'],
          approvals: ['charge-nurse:escalated', 'bed-manager:expired', 'charge-nurse:pending'],
        },
      ],
      beds: { 'bed-ms-m2': { status: 'U', occupant: null } },
    },
  },
  {
    id: 'expiry-late-bed-manager-accept-refused',
    description:
      'the bed manager accepts after the hold lapsed: 409 saying the hold lapsed before anyone answered; nothing changes',
    steps: [
      ask('pat-m1', man, { escalateAfterMinutes: 10, holdMinutes: 20 }),
      { advanceMinutes: 20 },
      accept(1, BED_MANAGER, { approval: 2, tag: 'late' }),
    ],
    expect: {
      statuses: [202, 409],
      details: { late: /The hold on bed MS-M2 lapsed at 2026-03-02T10:20:01\.000Z before anyone answered/ },
      requests: [
        { status: 'awaiting-acceptance', bedId: 'bed-ms-m1', holds: ['bed-ms-m2:expired', 'bed-ms-m1:held'] },
      ],
      auditedWrites: { answer_approval: 0 },
    },
  },
  {
    id: 'expiry-late-charge-nurse-accept-refused',
    description:
      'the charge nurse accepts her escalated question after its hold lapsed: 409 saying the hold lapsed; the next bed stays offered',
    steps: [
      ask('pat-m1', man, { escalateAfterMinutes: 10, holdMinutes: 20 }),
      { advanceMinutes: 20 },
      accept(1, CN_MS, { approval: 1, tag: 'late' }),
      accept(1, CN_MS),
    ],
    expect: {
      statuses: [202, 409, 200],
      details: { late: /lapsed/ },
      requests: [
        { status: 'assigned', bedId: 'bed-ms-m1', holds: ['bed-ms-m2:expired', 'bed-ms-m1:accepted'] },
      ],
      auditedWrites: { answer_approval: 1 },
    },
  },
  {
    id: 'expiry-every-bed-no-fit',
    description: 'both fitting beds lapse in turn: no-fit after 2 offers, nothing held',
    steps: [
      ask(
        'pat-f1',
        { unitTypes: ['telemetry'], sex: 'female', telemetry: true },
        {
          escalateAfterMinutes: 5,
          holdMinutes: 15,
        },
      ),
      { advanceMinutes: 30 },
    ],
    expect: {
      requests: [
        {
          status: 'no-fit',
          holds: ['bed-tele-f1:expired', 'bed-tele-f2:expired'],
          approvals: [
            'charge-nurse:escalated',
            'bed-manager:expired',
            'charge-nurse:escalated',
            'bed-manager:expired',
          ],
          outcome: /after 2 bed\(s\) offered/,
        },
      ],
      beds: { 'bed-tele-f1': { status: 'U' }, 'bed-tele-f2': { status: 'U' } },
    },
  },
];

const lifecycle: BedScenario[] = [
  {
    id: 'cancel-releases-hold',
    description:
      'a cancelled request releases its hold and withdraws its question; the next patient gets that bed',
    steps: [ask('pat-m1', man), { cancel: 1 }, ask('pat-m2', man)],
    expect: {
      statuses: [202, 200, 202],
      requests: [
        {
          status: 'cancelled',
          bedId: null,
          holds: ['bed-ms-m2:released'],
          approvals: ['charge-nurse:cancelled'],
        },
        { status: 'awaiting-acceptance', bedId: 'bed-ms-m2', holds: ['bed-ms-m2:held'] },
      ],
    },
  },
  {
    id: 'cancel-after-assignment',
    description: 'cancelling an assigned request gives its accepted bed back: the next patient is offered it',
    steps: [ask('pat-m1', man), accept(1, CN_MS), { cancel: 1 }, ask('pat-m2', man)],
    expect: {
      statuses: [202, 200, 200, 202],
      requests: [
        { status: 'cancelled', holds: ['bed-ms-m2:released'] },
        { status: 'awaiting-acceptance', bedId: 'bed-ms-m2' },
      ],
    },
  },
  {
    id: 'cancel-after-admission-refused',
    description:
      'once the patient is admitted the request cannot be cancelled (409): the patient stays in the bed, the request assigned',
    steps: [
      ask('pat-m1', man),
      accept(1, CN_MS),
      { op: 'admit_patient', body: { patientId: 'pat-m1' } },
      { cancel: 1, tag: 'admitted' },
    ],
    expect: {
      statuses: [202, 200, 200, 409],
      details: { admitted: /was admitted to bed bed-ms-m2/ },
      requests: [{ status: 'assigned', bedId: 'bed-ms-m2', holds: ['bed-ms-m2:fulfilled'] }],
      beds: { 'bed-ms-m2': { status: 'O', occupant: 'pat-m1' } },
      auditedWrites: { close_bed_request: 0 },
    },
  },
  {
    id: 'cancel-then-late-answer',
    description:
      'an answer to a cancelled request’s question is refused (409, withdrawn); cancelling twice is harmless',
    steps: [
      ask('pat-m1', man),
      { cancel: 1 },
      accept(1, CN_MS, { approval: 1, tag: 'late' }),
      { cancel: 1, tag: 'again' },
    ],
    expect: {
      statuses: [202, 200, 409, 200],
      details: { late: /was withdrawn/, again: /"status":"cancelled"/ },
      requests: [
        { status: 'cancelled', holds: ['bed-ms-m2:released'], approvals: ['charge-nurse:cancelled'] },
      ],
      auditedWrites: { close_bed_request: 1, answer_approval: 0 },
    },
  },
  {
    id: 'idempotent-escalation-id',
    description: 'the same escalation asks twice: 202 then 200 with the same request; one hold, one question',
    steps: [
      ask('pat-m1', man, { escalationId: 'esc-42' }),
      ask('pat-m1', man, { escalationId: 'esc-42', tag: 'again' }),
    ],
    expect: {
      statuses: [202, 200],
      details: { again: /"replayed":true/ },
      requests: [
        {
          status: 'awaiting-acceptance',
          bedId: 'bed-ms-m2',
          holds: ['held'],
          approvals: ['charge-nurse:pending'],
        },
      ],
      auditedWrites: { request_bed: 1, offer_bed: 1 },
    },
  },
  {
    id: 'idempotent-request-id',
    description:
      'a retried requestId answers 200 with the same request; the same id for another patient is refused (409)',
    steps: [
      ask('pat-m1', man, { requestId: '6f1c2a9e-0d3b-4c57-9a8e-2b7f1d4e5a60' }),
      ask('pat-m1', man, { requestId: '6f1c2a9e-0d3b-4c57-9a8e-2b7f1d4e5a60' }),
      ask('pat-m2', man, { requestId: '6f1c2a9e-0d3b-4c57-9a8e-2b7f1d4e5a60', tag: 'other' }),
    ],
    expect: {
      statuses: [202, 200, 409],
      details: { other: /is for patient pat-m1, not pat-m2/ },
      requests: [{ status: 'awaiting-acceptance', bedId: 'bed-ms-m2', holds: ['held'] }],
      auditedWrites: { request_bed: 1 },
    },
  },
  {
    id: 'invalid-escalation-after-hold',
    description:
      'escalateAfterMinutes not shorter than holdMinutes is refused (422 naming the field); nothing is stored',
    steps: [ask('pat-m1', man, { escalateAfterMinutes: 30, holdMinutes: 30, tag: 'bad' })],
    expect: {
      statuses: [422],
      details: { bad: /escalateAfterMinutes \(30\) must be shorter than holdMinutes \(30\)/ },
      requests: [],
      auditedWrites: { request_bed: 0 },
    },
  },
];

/** What time and second thoughts do: escalation, lapsed holds, cancellations, retries. */
export const timingScenarios: BedScenario[] = [...escalation, ...expiry, ...lifecycle];
