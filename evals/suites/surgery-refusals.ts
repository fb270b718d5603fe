import type { SurgeryScenario } from '../surgery/types.ts';

// Requests the office may not make: refused at the boundary with the field named, nothing written (no
// request, no job for the orchestration).

const refused = (
  id: string,
  description: string,
  step: Omit<Extract<SurgeryScenario['steps'][number], { request: string }>, 'request' | 'tag'>,
  status: number,
  field: string,
): SurgeryScenario => ({
  id,
  description,
  steps: [{ request: 'bad', tag: 'refused', ...step }],
  expect: { calls: { refused: { status, field } }, requestCount: 0 },
});

export const refusalScenarios: SurgeryScenario[] = [
  refused(
    'refuse-unknown-procedure',
    'a procedure the hospital does not book (CPT 99999): 404 naming procedureCode, nothing written',
    { procedure: '99999', surgeon: 'general', diagnosisCodes: ['K80.10'] },
    404,
    'procedureCode',
  ),
  refused(
    'refuse-surgeon-of-another-specialty',
    'a cardiologist named to operate a cholecystectomy: 422 naming surgeonStaffId, nothing written',
    { procedure: '47562', surgeon: 'cardiology' },
    422,
    'surgeonStaffId',
  ),
  refused(
    'refuse-invalid-icd10',
    'an indication that is not a billable ICD-10-CM code (O34.21 is a category header): 422 naming ' +
      'diagnosisCodes.0, nothing written',
    { procedure: '47562', diagnosisCodes: ['O34.21'] },
    422,
    'diagnosisCodes.0',
  ),
  refused(
    'refuse-malformed-icd10',
    'an indication that is not a code at all: 422 naming diagnosisCodes.0, nothing written',
    { procedure: '47562', diagnosisCodes: ['gallstones'] },
    422,
    'diagnosisCodes.0',
  ),
  refused(
    'refuse-window-in-the-past',
    'a window that started two days ago: 422 naming earliestAt, nothing written',
    { procedure: '47562', earliestInHours: -48, latestInHours: 48 },
    422,
    'earliestAt',
  ),
  refused(
    'refuse-window-ending-before-it-starts',
    'latestAt before earliestAt: 422 naming latestAt, nothing written',
    { procedure: '47562', earliestInHours: 48, latestInHours: 24 },
    422,
    'latestAt',
  ),
  refused(
    'refuse-window-beyond-90-days',
    'a window ending 100 days ahead: 422 naming latestAt, nothing written',
    { procedure: '47562', earliestInHours: 24, latestInHours: 2400 },
    422,
    'latestAt',
  ),
];
