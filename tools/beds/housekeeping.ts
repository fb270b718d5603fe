import type { BedStatus } from '../../db/schema/hospital.ts';
import type { housekeepingStates } from '../../db/schema/index.ts';

export type HousekeepingState = (typeof housekeepingStates)[number];

/**
 * The housekeeping cycle of a bed: dirty → cleaning → clean → inspected, and any state → blocked
 * (out of service). A blocked bed returns as dirty, because it must be cleaned before anyone uses
 * it; a clean or inspected bed can be soiled again (dirty) before it is used.
 */
export const nextHousekeepingStates: Record<HousekeepingState, readonly HousekeepingState[]> = {
  dirty: ['cleaning', 'blocked'],
  cleaning: ['clean', 'dirty', 'blocked'],
  clean: ['inspected', 'dirty', 'blocked'],
  inspected: ['dirty', 'blocked'],
  blocked: ['dirty'],
};

/** Why a bed may not move from one housekeeping state to another, or null when it may. */
export function housekeepingRefusal(from: HousekeepingState, to: HousekeepingState): string | null {
  if (nextHousekeepingStates[from].includes(to)) return null;
  return `${from} → ${to} is not allowed; allowed next states from ${from}: ${nextHousekeepingStates[from].join(', ')}`;
}

/**
 * The HL7 v2-0116 status of an unoccupied bed in a housekeeping state: H (housekeeping) while it is
 * dirty or being cleaned, U (unoccupied, available) once clean or inspected, C (closed) while blocked.
 */
export function unoccupiedStatusFor(state: HousekeepingState): BedStatus {
  if (state === 'clean' || state === 'inspected') return 'U';
  if (state === 'blocked') return 'C';
  return 'H';
}
