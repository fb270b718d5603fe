import type {
  HeldCounts,
  InjectedFault,
  RequestExpectation,
  SurgeryExpectation,
  SurgeryScenario,
} from '../surgery/types.ts';

// A tool server that fails (unreachable, or its answer lost after the write committed) at each write step
// of the plan: the step fails, compensation releases by subject whatever was made, and the request ends
// failed holding nothing. A fault inside compensation crashes the run; the worker's retry resumes it from
// the last checkpoint and finishes the release.

const NOTHING: HeldCounts = { stock: 0, team: 0, beds: 0, theatres: 0 };
const failedHoldingNothing: RequestExpectation = { status: 'failed', held: NOTHING };

const faultAt = (
  id: string,
  procedure: string,
  fault: InjectedFault,
  what: string,
  expect: RequestExpectation = failedHoldingNothing,
  more: Omit<SurgeryExpectation, 'requests'> = {},
): SurgeryScenario => ({
  id,
  description: `${what}: ${expect.status === 'failed' ? 'failed, nothing held' : expect.status}`,
  faults: [fault],
  steps: [{ request: 'case', procedure }],
  expect: { requests: { case: expect }, ...more },
});

export const faultScenarios: SurgeryScenario[] = [
  faultAt(
    'fault-book-theatre-unreachable',
    '47562',
    { tool: 'book_theatre', when: 'before' },
    'the theatre server is unreachable when the case is booked',
    { ...failedHoldingNothing, attemptSteps: ['theatre'] },
    { theatreBookingsMade: { case: 0 } },
  ),
  faultAt(
    'fault-book-theatre-answer-lost',
    '47562',
    { tool: 'book_theatre', when: 'after' },
    'the theatre booking is made but its answer is lost: the booking the agent never heard of is cancelled',
    { ...failedHoldingNothing, attemptSteps: ['theatre'] },
    { theatreBookingsMade: { case: 1 } },
  ),
  faultAt(
    'fault-third-stock-reservation-lost',
    '47562',
    { tool: 'reserve_stock', nth: 3, when: 'after' },
    'the third stock reservation is made but its answer lost: all reservations of the request are released',
    { ...failedHoldingNothing, attemptSteps: ['stock'] },
  ),
  faultAt(
    'fault-assign-team-answer-lost',
    '47562',
    { tool: 'assign_surgical_team', when: 'after' },
    'the team is assigned but the answer is lost: the team is released with the rest',
    { ...failedHoldingNothing, attemptSteps: ['team'] },
  ),
  faultAt(
    'fault-book-bed-answer-lost',
    '44970',
    { tool: 'book_bed_ahead', when: 'after' },
    'the post-op bed is booked but the answer is lost: the bed is released with the rest',
    { ...failedHoldingNothing, attemptSteps: ['bed'] },
  ),
  faultAt(
    'fault-confirm-unreachable',
    '44970',
    { tool: 'record_surgery_plan', when: 'before' },
    'the plan cannot be recorded as booked: everything held for it is released',
  ),
  faultAt(
    'fault-confirm-answer-lost',
    '44970',
    { tool: 'record_surgery_plan', when: 'after' },
    'the plan is recorded as booked but the answer is lost: the agent reads the request back, finds it booked and keeps the plan',
    { status: 'booked', held: { stock: 5, team: 4, beds: 1, theatres: 1 }, bed: true, attemptSteps: [] },
  ),
  {
    id: 'fault-during-compensation-retried',
    description:
      'the bed server is unreachable at the post-op bed and the staffing server fails while the team is ' +
      'released: the run crashes mid-release, the retried run resumes it, failed holding nothing',
    faults: [
      { tool: 'book_bed_ahead', when: 'before' },
      { tool: 'release_surgical_team', when: 'before' },
    ],
    steps: [{ request: 'case', procedure: '44970' }],
    expect: { requests: { case: { ...failedHoldingNothing, attemptSteps: ['bed'] } } },
  },
  {
    id: 'fault-while-releasing-a-cancelled-case',
    description:
      'the office cancels a booked knee and the inventory server fails while its stock is released: the ' +
      'retried run releases everything, the request ends cancelled holding nothing',
    faults: [{ tool: 'release_stock_reservations_for', when: 'before' }],
    steps: [{ request: 'case', procedure: '27447' }, { cancel: 'case' }],
    expect: { requests: { case: { status: 'cancelled', held: NOTHING } } },
  },
];
