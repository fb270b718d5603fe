import { Annotation } from '@langchain/langgraph';
import type { SurgeryAttempt, SurgeryPlan, SurgeryRequestView } from '../../tools/surgery/store.ts';

const last = <T>() => Annotation<T>({ reducer: (_old: T, next: T) => next });

export type SurgeryRequest = SurgeryRequestView & {
  patient: { sex: 'male' | 'female' | 'other' | 'unknown'; isolation: string };
};

/** A free theatre stretch find_theatre_slots offered. */
export interface Slot {
  theatreId: string;
  theatreName: string;
  startsAt: string;
  endsAt: string;
}

/** The step that stopped the current slot, and whether another slot could do better. */
export interface Failure {
  step: SurgeryAttempt['step'];
  reason: string;
  /** A refusal that another slot may not meet (a conflict at this time); false: stop trying slots. */
  tryNextSlot: boolean;
  /** The request was cancelled meanwhile: release and stop. */
  cancelled?: boolean;
}

/** The revenue task that billed the case, as the orchestration was resumed with it. */
export interface RevenueTask {
  taskId: string;
  status: string;
  outcome: string | null;
}

/** What the orchestration waits for: the case to be performed, or its claim to be made. */
export interface SurgeryWait {
  kind: 'case' | 'claim';
  requestId: string;
  question: string;
}

/** What is held for the slot being tried (released whole if any step fails). */
export type Held = Omit<SurgeryPlan, 'theatreBookingId' | 'theatreId' | 'startsAt' | 'endsAt'> & {
  theatreBookingId: string | null;
};

export const emptyHeld = (): Held => ({
  theatreBookingId: null,
  reservations: [],
  team: [],
  bedBooking: null,
});

export const SurgeryAgentState = Annotation.Root({
  /** The surgery request (its id is the thread). */
  requestId: Annotation<string>,
  request: last<SurgeryRequest | null>(),
  slots: last<Slot[] | null>(),
  slotIndex: last<number>(),
  held: last<Held>(),
  failure: last<Failure | null>(),
  /** Slots tried since the last record. */
  attempts: last<SurgeryAttempt[]>(),
  bedRequested: last<boolean>(),
  claim: last<RevenueTask | null>(),
  waitingOn: last<SurgeryWait | null>(),
  notes: Annotation<string[]>({ reducer: (a, b) => [...a, ...b], default: () => [] }),
  /** How many notes are already recorded on the request. */
  recorded: last<number>(),
});

export type SurgeryAgentStateType = typeof SurgeryAgentState.State;

/** The notes not yet written to the request. */
export function unrecorded(s: SurgeryAgentStateType): string[] {
  return s.notes.slice(s.recorded ?? 0);
}
