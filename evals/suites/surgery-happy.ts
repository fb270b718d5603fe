import type { RequestExpectation, SurgeryScenario } from '../surgery/types.ts';

// Each seeded procedure booked end to end (db/seed/surgery.ts PROCEDURES): a day case holds theatre,
// stock and a four-person team (ASA anaesthesia care team; AORN scrub person and RN circulator); an
// inpatient case holds a post-op bed for its planned nights too. Completion uses and charges the stock.

const TEAM = 4;
const booked = (items: number, bed: boolean): RequestExpectation => ({
  status: 'booked',
  bed,
  held: { stock: items, team: TEAM, beds: bed ? 1 : 0, theatres: 1 },
  attemptSteps: [],
  alternatives: null,
});

const bookOnly = (
  id: string,
  procedure: string,
  what: string,
  items: number,
  bed: boolean,
): SurgeryScenario => ({
  id,
  description: `${what} (CPT ${procedure}) is booked: theatre, ${items} item lines, a team of four${bed ? ', a post-op bed' : ''}`,
  steps: [{ request: 'case', procedure }],
  expect: { requests: { case: booked(items, bed) } },
});

export const happyScenarios: SurgeryScenario[] = [
  bookOnly('book-cholecystectomy-day-case', '47562', 'a laparoscopic cholecystectomy', 5, false),
  bookOnly('book-hernia-repair-day-case', '49505', 'an inguinal hernia repair', 4, false),
  bookOnly('book-rotator-cuff-day-case', '29827', 'an arthroscopic rotator cuff repair', 6, false),
  bookOnly('book-appendectomy-with-bed', '44970', 'a laparoscopic appendectomy', 5, true),
  bookOnly('book-colectomy-with-bed', '44140', 'a partial colectomy', 5, true),
  bookOnly('book-knee-arthroplasty-with-bed', '27447', 'a total knee arthroplasty', 6, true),
  {
    id: 'caesarean-without-a-maternity-unit',
    description:
      'a caesarean needs a maternity bed and the small hospital has no maternity unit: every slot fails at ' +
      'the bed, everything is released, and later days are proposed',
    steps: [{ request: 'case', procedure: '59510' }],
    expect: {
      requests: {
        case: {
          status: 'failed',
          held: { stock: 0, team: 0, beds: 0, theatres: 0 },
          minAttempts: 1,
          alternatives: ['another-day'],
        },
      },
    },
  },
  {
    id: 'day-case-completed-and-claimed',
    description:
      'a cholecystectomy with the payer’s authorisation on file is performed as an outpatient: its five items ' +
      'are used and charged, the team completed, the revenue agent sends the claim, the request ends billed',
    steps: [
      { request: 'case', procedure: '47562' },
      { complete: 'case', encounterClass: 'AMB', priorAuth: true },
    ],
    expect: {
      requests: {
        case: {
          status: 'billed',
          held: { stock: 0, team: 0, beds: 0, theatres: 0 },
          consumed: 5,
          charges: 6,
          teamCompleted: TEAM,
          claims: { submitted: 2 },
          revenueTask: 'done',
        },
      },
    },
  },
  {
    id: 'day-case-completed-without-authorisation',
    description:
      'a cholecystectomy performed with no prior authorisation on file: stock used and charged, team completed; ' +
      'what the revenue agent does with the missing authorisation decides the rest',
    steps: [
      { request: 'case', procedure: '47562' },
      { complete: 'case', encounterClass: 'AMB' },
    ],
    expect: {
      requests: {
        case: { status: 'completed', consumed: 5, teamCompleted: TEAM, revenueTask: 'waiting' },
      },
    },
  },
  {
    id: 'hernia-repair-completed-and-claimed',
    description:
      'an inguinal hernia repair (CPT 49505) with its authorisation on file is performed as an outpatient: ' +
      'stock used and charged, the claims sent, the request ends billed',
    steps: [
      { request: 'case', procedure: '49505' },
      { complete: 'case', encounterClass: 'AMB', priorAuth: true },
    ],
    expect: {
      requests: {
        case: {
          status: 'billed',
          consumed: 4,
          teamCompleted: TEAM,
          claims: { submitted: 2 },
          revenueTask: 'done',
        },
      },
    },
  },
  {
    id: 'rotator-cuff-completed-and-claimed',
    description:
      'an arthroscopic rotator cuff repair (CPT 29827) with its authorisation on file, performed as an ' +
      'outpatient: six item lines used and charged, the claims sent, the request ends billed',
    steps: [
      { request: 'case', procedure: '29827' },
      { complete: 'case', encounterClass: 'AMB', priorAuth: true },
    ],
    expect: {
      requests: {
        case: {
          status: 'billed',
          consumed: 6,
          teamCompleted: TEAM,
          claims: { submitted: 2 },
          revenueTask: 'done',
        },
      },
    },
  },
  {
    id: 'inpatient-case-completed-bed-requested',
    description:
      'an appendectomy performed on an admitted patient: stock used and charged to the stay, team completed, ' +
      'the post-op bed booked ahead becomes a bed request for the bed agent; the claim waits for discharge',
    steps: [
      { request: 'case', procedure: '44970' },
      { complete: 'case', encounterClass: 'IMP' },
    ],
    expect: {
      requests: {
        case: {
          status: 'completed',
          held: { stock: 0, team: 0, beds: 0, theatres: 0 },
          consumed: 5,
          charges: 5,
          teamCompleted: TEAM,
          bedRequested: true,
          revenueTask: null,
        },
      },
    },
  },
  {
    id: 'knee-completed-bed-requested',
    description:
      'a knee arthroplasty performed on an admitted patient: six item lines used and charged (implant included), ' +
      'the team completed, the bed request filed',
    steps: [
      { request: 'case', procedure: '27447' },
      { complete: 'case', encounterClass: 'IMP' },
    ],
    expect: {
      requests: {
        case: { status: 'completed', consumed: 6, charges: 6, teamCompleted: TEAM, bedRequested: true },
      },
    },
  },
];
