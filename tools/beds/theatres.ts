/**
 * Operating theatres as bookable time. A case occupies its theatre from its start to its end plus
 * the theatre's turnover (cleaning and set-up before the next case may start); two live cases of one
 * theatre never overlap over that span. Pure: times are epoch milliseconds, nothing here reads a
 * clock or a database.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A half-open span of time [start, end) in epoch milliseconds, as the database's tstzrange '[)'. */
export interface Span {
  start: number;
  end: number;
}

// Bounds on a case: shorter than ten minutes is a typo, longer than a day is not one theatre booking.
export const MIN_CASE_MINUTES = 10;
export const MAX_CASE_MINUTES = 24 * 60;
// Elective lists are planned weeks ahead, not years: a start beyond this is almost surely a typo.
export const MAX_BOOKING_AHEAD_DAYS = 366;
// Schedules and slot searches look at most this far in one call.
export const MAX_WINDOW_DAYS = 31;
// Suggested starts fall on this grid, so a suggestion is still in the future when it is booked.
export const SLOT_STEP_MINUTES = 5;

/**
 * The hours elective lists run, in the hospital's time zone. Only the slot search uses them: a
 * booking may be made at any hour, because emergencies do not keep office hours.
 */
export interface SessionHours {
  /** Minutes after local midnight the list opens (07:00 = 420). */
  opensMinute: number;
  /** Minutes after local midnight the last case must have ended by (20:00 = 1200). */
  closesMinute: number;
  /** IANA time zone the minutes are counted in (the demo hospital's is UTC, as its on-call rota). */
  timeZone: string;
}

export const DEFAULT_SESSION_HOURS: SessionHours = {
  opensMinute: 7 * 60,
  closesMinute: 20 * 60,
  timeZone: 'UTC',
};

/** "07:30" → 450; undefined when the text is not a time of day. */
export function minuteOfDay(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** 450 → "07:30". */
export function timeOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in the zone at an instant, as if it were UTC (whole seconds). */
function wallAsUtc(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    wallClock(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The instant a local wall-clock time (given as if UTC) happens in the zone; twice refined for DST. */
function instantOfWall(wall: number, timeZone: string): number {
  const first = wall - (wallAsUtc(wall, timeZone) - wall);
  return wall - (wallAsUtc(first, timeZone) - first);
}

/** The daily sessions that overlap the window, clipped to it, in time order. */
export function sessionSpans(hours: SessionHours, window: Span): Span[] {
  const spans: Span[] = [];
  const firstWall = wallAsUtc(window.start, hours.timeZone);
  const firstDay = firstWall - (((firstWall % DAY_MS) + DAY_MS) % DAY_MS);
  for (let day = firstDay; ; day += DAY_MS) {
    const start = instantOfWall(day + hours.opensMinute * MINUTE_MS, hours.timeZone);
    const end = instantOfWall(day + hours.closesMinute * MINUTE_MS, hours.timeZone);
    if (start >= window.end) break;
    const clipped = { start: Math.max(start, window.start), end: Math.min(end, window.end) };
    if (clipped.start < clipped.end) spans.push(clipped);
  }
  return spans;
}

export interface SlotSearch {
  durationMinutes: number;
  turnoverMinutes: number;
  /** Cases must start and end inside it; the caller clips its start to now. */
  window: Span;
  /** When cases may run (from sessionSpans); null: round the clock. */
  sessions: readonly Span[] | null;
  /** The theatre's live bookings, each from its start to the end of its turnover. */
  busy: readonly Span[];
}

/** A free stretch of one theatre: a case of the asked duration may start anywhere from start to latestStart. */
export interface FreeSlot {
  start: number;
  latestStart: number;
}

const roundUp = (ms: number, step: number) => Math.ceil(ms / step) * step;
const roundDown = (ms: number, step: number) => Math.floor(ms / step) * step;

/**
 * The earliest start in each free stretch of one theatre, in time order. A case fits where it starts
 * no earlier than the previous booking's turnover ends, and its own end plus turnover reaches no later
 * than the next booking's start; exactly adjacent is allowed, as the database's [) ranges allow it.
 * The case (not its turnover) must also lie inside a session and the window.
 */
export function freeSlots(search: SlotSearch): FreeSlot[] {
  const step = SLOT_STEP_MINUTES * MINUTE_MS;
  const caseMs = search.durationMinutes * MINUTE_MS;
  const occupiedMs = caseMs + search.turnoverMinutes * MINUTE_MS;
  const gaps: Span[] = [];
  let from = Number.NEGATIVE_INFINITY;
  for (const b of [...search.busy].sort((x, y) => x.start - y.start)) {
    if (b.start > from) gaps.push({ start: from, end: b.start });
    from = Math.max(from, b.end);
  }
  gaps.push({ start: from, end: Number.POSITIVE_INFINITY });

  const slots: FreeSlot[] = [];
  for (const session of search.sessions ?? [search.window]) {
    const open = Math.max(session.start, search.window.start);
    const close = Math.min(session.end, search.window.end);
    for (const gap of gaps) {
      const start = roundUp(Math.max(open, gap.start), step);
      const latestStart = roundDown(Math.min(close - caseMs, gap.end - occupiedMs), step);
      if (start <= latestStart) slots.push({ start, latestStart });
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}
