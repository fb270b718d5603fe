import { SURGERY_PURPOSE } from '../../tools/surgery/completion.ts';
import type { SurgeryAttempt, SurgeryPlan } from '../../tools/surgery/store.ts';
import { type HmsTools, ToolCallError } from '../runtime/mcp-client.ts';
import {
  emptyHeld,
  type Failure,
  type Held,
  type Slot,
  type SurgeryAgentStateType,
  type SurgeryRequest,
  unrecorded,
} from './state.ts';

type Step = Partial<SurgeryAgentStateType>;

/** How many theatre slots one request tries before it proposes alternatives instead. */
export const MAX_SLOTS = 6;
const DAY_MS = 86_400_000;
const BED_PURPOSE = 'post-op';

// Refusals the HMS gives when this slot, this stock or these people cannot be had: another slot or
// another source may do. Anything else (a failing server, a bug) ends the planning, released.
const REFUSALS = new Set(['conflict', 'not_found', 'invalid', 'forbidden']);

function failure(step: SurgeryAttempt['step'], err: unknown, nextSlot: boolean): Failure {
  const reason = err instanceof Error ? err.message : String(err);
  const refused = err instanceof ToolCallError && REFUSALS.has(err.code);
  return { step, reason, tryNextSlot: refused && nextSlot };
}

const slotOf = (s: SurgeryAgentStateType): Slot => s.slots![s.slotIndex]!;
const req = (s: SurgeryAgentStateType): SurgeryRequest => s.request!;
const hhmm = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** The deterministic booking id of the nth slot tried: a replayed step books nothing new. */
export const bookingIdFor = (requestId: string, n: number) => `${requestId}.slot${n}`;

export async function findSlots(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = req(s);
  const found = await tools.call<{ slots: Slot[] }>('find_theatre_slots', {
    durationMinutes: r.procedure.durationMinutes,
    specialty: r.procedure.specialty,
    from: r.earliestAt,
    to: r.latestAt,
    limit: MAX_SLOTS,
  });
  if (found.slots.length === 0) {
    return {
      slots: [],
      slotIndex: 0,
      failure: {
        step: 'theatre',
        reason: `No ${r.procedure.specialty} or general theatre is free for ${r.procedure.durationMinutes} minutes between ${hhmm(r.earliestAt)} and ${hhmm(r.latestAt)}`,
        tryNextSlot: false,
      },
      notes: ['No free theatre slot in the requested window'],
    };
  }
  return { slots: found.slots, slotIndex: 0, held: emptyHeld(), failure: null, attempts: [] };
}

export async function bookTheatreStep(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = req(s);
  const slot = slotOf(s);
  const bookingId = bookingIdFor(r.requestId, s.slotIndex);
  try {
    await tools.call('book_theatre', {
      theatreId: slot.theatreId,
      patientId: r.patientId,
      procedure: `${r.procedure.name} (CPT ${r.procedure.code})`,
      surgeonStaffId: r.surgeonStaffId,
      startsAt: slot.startsAt,
      durationMinutes: r.procedure.durationMinutes,
      bookingId,
    });
  } catch (err) {
    return { failure: failure('theatre', err, true) };
  }
  return {
    held: { ...emptyHeld(), theatreBookingId: bookingId },
    notes: [`Booked ${slot.theatreName} at ${hhmm(slot.startsAt)} (booking ${bookingId})`],
  };
}

interface StockRow {
  itemId: string;
  locationId: string;
  available: number;
}
interface Location {
  locationId: string;
  kind: string;
  theatreId: string | null;
  replenishedFrom: string | null;
}

/**
 * Where an item may come from, best first: the theatre's own store, the store that fills it, then the
 * central store and the pharmacy (stock there is sent up before the case).
 */
function sourcesFor(theatreId: string, locations: readonly Location[]): string[] {
  const own = locations.find((l) => l.kind === 'theatre-store' && l.theatreId === theatreId);
  const order = [own?.locationId, own?.replenishedFrom];
  for (const l of locations)
    if (l.kind === 'central-store' || l.kind === 'pharmacy') order.push(l.locationId);
  return [...new Set(order.filter((x): x is string => typeof x === 'string'))];
}

export async function reserveStockStep(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = req(s);
  const slot = slotOf(s);
  const held: Held = { ...s.held, reservations: [...s.held.reservations] };
  const notes: string[] = [];
  try {
    const { locations } = await tools.call<{ locations: Location[] }>('list_inventory_locations', {});
    const sources = sourcesFor(slot.theatreId, locations);
    for (const need of r.procedure.items) {
      if (held.reservations.some((h) => (h.substituteFor ?? h.itemId) === need.itemId)) continue;
      let reserved = false;
      const short: string[] = [];
      for (const itemId of [need.itemId, ...need.substitutes]) {
        const { stock } = await tools.call<{ stock: StockRow[] }>('get_stock', { itemId });
        for (const locationId of sources) {
          const row = stock.find((x) => x.locationId === locationId);
          if (!row || row.available < need.quantity) continue;
          try {
            const out = await tools.call<{ reservation: { reservationId: string } }>('reserve_stock', {
              itemId,
              locationId,
              quantity: need.quantity,
              purpose: SURGERY_PURPOSE,
              subjectId: r.requestId,
              patientId: r.patientId,
              neededAt: slot.startsAt,
            });
            const substituteFor = itemId === need.itemId ? null : need.itemId;
            held.reservations.push({
              reservationId: out.reservation.reservationId,
              itemId,
              locationId,
              quantity: need.quantity,
              substituteFor,
            });
            if (substituteFor) notes.push(`Reserved ${itemId} in place of ${need.itemId} (none to spare)`);
            reserved = true;
            break;
          } catch (err) {
            // Taken meanwhile, or its lots expire before the case: try the next source.
            if (!(err instanceof ToolCallError) || !REFUSALS.has(err.code)) throw err;
          }
        }
        if (reserved) break;
        const total = stock.reduce((n, x) => n + (sources.includes(x.locationId) ? x.available : 0), 0);
        short.push(`${itemId}: ${total} available in the theatre and main stores`);
      }
      if (!reserved) {
        return {
          held,
          notes,
          failure: {
            step: 'stock',
            reason: `Stock short: ${need.quantity} of ${need.itemId} needed (${short.join('; ')})`,
            tryNextSlot: false,
          },
        };
      }
    }
  } catch (err) {
    return { held, notes, failure: failure('stock', err, false) };
  }
  notes.push(`Reserved ${held.reservations.length} item line(s) for the case`);
  return { held, notes };
}

interface TeamFound {
  complete: boolean;
  places: { role: string; chosen: { staffId: string; name: string } | null }[];
  missing: { role: string; reason: string }[];
}

export async function teamStep(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = req(s);
  const bookingId = s.held.theatreBookingId!;
  try {
    const found = await tools.call<TeamFound>('find_surgical_team', {
      theatreBookingId: bookingId,
      procedureCode: r.procedure.code,
      surgeonStaffId: r.surgeonStaffId,
    });
    if (!found.complete) {
      const why = found.missing.map((m) => `${m.role}: ${m.reason}`).join('; ');
      return { failure: { step: 'team', reason: `No full team: ${why}`, tryNextSlot: true } };
    }
    const members = found.places.map((p) => ({ role: p.role, staffId: p.chosen!.staffId }));
    await tools.call('assign_surgical_team', {
      subjectId: r.requestId,
      theatreBookingId: bookingId,
      members,
    });
    const team = found.places.map((p) => ({
      role: p.role,
      staffId: p.chosen!.staffId,
      name: p.chosen!.name,
    }));
    return {
      held: { ...s.held, team },
      notes: [`Team: ${team.map((m) => `${m.role} ${m.name}`).join(', ')}`],
    };
  } catch (err) {
    return { failure: failure('team', err, true) };
  }
}

export async function bedStep(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const r = req(s);
  const slot = slotOf(s);
  if (!r.procedure.postOpUnitType) return { notes: ['Day case: no post-op bed needed'] };
  const fromAt = slot.endsAt;
  const untilAt = new Date(
    Date.parse(fromAt) + Math.max(1, r.procedure.expectedStayNights) * DAY_MS,
  ).toISOString();
  try {
    const b = await tools.call<{ bookingId: string; unitId: string; fromAt: string; untilAt: string }>(
      'book_bed_ahead',
      {
        unitType: r.procedure.postOpUnitType,
        specialty: r.procedure.specialty,
        patientId: r.patientId,
        purpose: BED_PURPOSE,
        subjectId: r.requestId,
        fromAt,
        untilAt,
      },
    );
    return {
      held: {
        ...s.held,
        bedBooking: { bookingId: b.bookingId, unitId: b.unitId, fromAt: b.fromAt, untilAt: b.untilAt },
      },
      notes: [`Post-op bed booked in ${b.unitId} for ${r.procedure.expectedStayNights} night(s)`],
    };
  } catch (err) {
    return { failure: failure('bed', err, true) };
  }
}

export async function confirmStep(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const slot = slotOf(s);
  const plan: SurgeryPlan = {
    ...s.held,
    theatreBookingId: s.held.theatreBookingId!,
    theatreId: slot.theatreId,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
  };
  const notes = [
    ...unrecorded(s),
    `Booked: theatre, stock, team${plan.bedBooking ? ', post-op bed' : ''} held`,
  ];
  try {
    await tools.call('record_surgery_plan', {
      requestId: s.requestId,
      status: 'booked',
      plan,
      attempts: s.attempts ?? [],
      notes,
      outcome: `Booked in ${slot.theatreName} at ${hhmm(slot.startsAt)}`,
    });
  } catch (err) {
    // The record may have committed and only its answer been lost: then the plan stands.
    const now = await tools
      .call<{ status: string; theatreBookingId: string | null }>('get_surgery_request', {
        requestId: s.requestId,
      })
      .catch(() => null);
    if (now?.status !== 'booked' || now.theatreBookingId !== plan.theatreBookingId) {
      const f = failure('confirm', err, false);
      return { failure: { ...f, cancelled: err instanceof ToolCallError && err.code === 'conflict' } };
    }
  }

  return { notes: notes.slice(-1), recorded: s.notes.length + 1, attempts: [] };
}

/**
 * Gives back everything held for the request, newest first, by subject (so a piece a crashed step
 * made but never reported is released too), and cancels the booking of every slot tried so far.
 */
export async function compensate(s: SurgeryAgentStateType, tools: HmsTools): Promise<Step> {
  const requestId = s.requestId;
  const reason = s.failure
    ? `Surgery request ${requestId}: ${s.failure.step} failed`
    : `Surgery request ${requestId} cancelled`;
  const released: string[] = [];
  const bed = await tools
    .call<{ replayed: boolean }>('release_bed_booking', {
      purpose: BED_PURPOSE,
      subjectId: requestId,
      reason,
    })
    .catch(notFoundIsNothing);
  if (bed && !bed.replayed) released.push('post-op bed');
  const team = await tools.call<{ released: unknown[] }>('release_surgical_team', {
    subjectId: requestId,
    reason,
  });
  if (team.released.length > 0) released.push(`${team.released.length} team member(s)`);
  const stock = await tools.call<{ released: unknown[] }>('release_stock_reservations_for', {
    purpose: SURGERY_PURPOSE,
    subjectId: requestId,
    reason,
  });
  if (stock.released.length > 0) released.push(`${stock.released.length} stock reservation(s)`);
  // Nothing was tried when the request was cancelled before planning began (no slots yet).
  const tried = s.slots ? Math.min((s.slotIndex ?? 0) + 1, s.slots.length) : 0;
  const bookings = new Set<string>();
  for (let n = 0; n < tried; n++) bookings.add(bookingIdFor(requestId, n));
  if (s.request?.theatreBookingId) bookings.add(s.request.theatreBookingId);
  for (const bookingId of bookings) {
    const cancelled = await tools
      .call<{ status: string; replayed?: boolean }>('cancel_theatre_booking', { bookingId, reason })
      .catch(notFoundIsNothing);
    if (cancelled && cancelled.replayed !== true) released.push(`theatre booking ${bookingId}`);
  }
  const attempt: SurgeryAttempt[] =
    s.failure && s.slots && s.slots.length > 0 && s.failure.step !== 'confirm'
      ? [
          {
            theatreId: slotOf(s).theatreId,
            startsAt: slotOf(s).startsAt,
            step: s.failure.step,
            reason: s.failure.reason,
          },
        ]
      : [];
  return {
    held: emptyHeld(),
    attempts: [...(s.attempts ?? []), ...attempt],
    notes: [
      ...(s.failure ? [`${s.failure.step} failed: ${s.failure.reason}`] : []),
      released.length > 0 ? `Released ${released.join(', ')}` : 'Nothing was held',
    ],
  };
}

function notFoundIsNothing(err: unknown): null {
  if (err instanceof ToolCallError && err.code === 'not_found') return null;
  throw err;
}
