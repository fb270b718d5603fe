import type { Actor } from '../../tools/core/actor.ts';
import type { SurgeryRequestView } from '../../tools/surgery/store.ts';
import {
  runThread,
  type ThreadAgent,
  type ThreadResult,
  type ThreadRuntime,
} from '../runtime/thread-runner.ts';
import { buildSurgeryGraph } from './graph.ts';
import type { RevenueTask, SurgeryWait } from './state.ts';

// The orchestration books theatres and beds, reserves stock, schedules teams and reads the bill.
export const surgeryAgent: Actor = {
  id: 'agent:surgery',
  kind: 'agent',
  scopes: [
    'surgery:read',
    'surgery:write',
    'beds:read',
    'beds:write',
    'staffing:read',
    'staffing:write',
    'inventory:read',
    'inventory:write',
    'revenue:read',
  ],
};

/** The orchestration as the thread runner runs it (exported so the evals can run it on faulty tools). */
export const surgeryThread: ThreadAgent<SurgeryWait> = {
  agent: 'surgery',
  table: 'surgery_requests',
  actor: surgeryAgent,
  modules: ['surgery', 'beds', 'staffing', 'inventory', 'revenue'],
  onBehalfOf: (row) => row.patient_id as string | undefined,
  build: (tools, checkpointer) => buildSurgeryGraph(tools, checkpointer),
  async answer(tools, waiting) {
    const r = await tools.call<SurgeryRequestView>('get_surgery_request', { requestId: waiting.requestId });
    if (waiting.kind === 'case') return r.status === 'booked' ? null : r;
    if (r.status !== 'completed' || !r.revenueTaskId) return null;
    const task = await tools.call<RevenueTask>('get_revenue_task', { taskId: r.revenueTaskId });
    return task.status === 'done' || task.status === 'failed' ? task : null;
  },
  waitingId: (waiting) => `${waiting.kind}:${waiting.requestId}`,
  // A performed case whose bill was finished (or reopened and finished again) is looked at again.
  reopened: (row) => row.status === 'completed',
  start: (requestId) => ({ requestId }),
};

/**
 * Runs the surgery orchestration on one request as far as it can go: the request's job, the case's
 * completion, a cancellation and the revenue task's end each poke it.
 */
export function runSurgeryAgent(rt: ThreadRuntime, requestId: string): Promise<ThreadResult> {
  return runThread(surgeryThread, rt, requestId);
}
