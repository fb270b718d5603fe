export const MINUTES_PER_WEEK = 7 * 24 * 60;

/** Minutes since Monday 00:00 UTC of the week containing `at` (the demo hospital keeps UTC). */
export function minuteOfWeek(at: Date): number {
  const mondayBased = (at.getUTCDay() + 6) % 7;
  return mondayBased * 1440 + at.getUTCHours() * 60 + at.getUTCMinutes();
}

export interface RotaEntry {
  staffId: string;
  tier: 'primary' | 'backup';
  startMinute: number;
  endMinute: number;
}

/** The entries covering a minute of the week; a block may wrap past Sunday midnight. */
export function coveringNow<T extends RotaEntry>(rota: readonly T[], minute: number): T[] {
  return rota.filter((e) =>
    e.startMinute <= e.endMinute
      ? minute >= e.startMinute && minute < e.endMinute
      : minute >= e.startMinute || minute < e.endMinute,
  );
}

/*
 * Maintaining the rota. A block is a half-open range [start, end) of minutes of the week; a block
 * whose end is before its start wraps past Sunday midnight. An end of MINUTES_PER_WEEK ("sun 24:00")
 * ends the week exactly, so Monday 00:00 to Sunday 24:00 is the whole week.
 */

export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

/** A moment of the repeating week as people say it: a day and a wall-clock time (UTC). */
export interface WeekTime {
  day: WeekDay;
  /** HH:MM; 24:00 (the end of the day) only as an end. */
  time: string;
}

/** A range of minutes of the week; wraps past Sunday midnight when end < start. */
export interface WeekRange {
  startMinute: number;
  endMinute: number;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function minuteOfWeekTime({ day, time }: WeekTime): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return WEEK_DAYS.indexOf(day) * 1440 + hours * 60 + minutes;
}

/** The day and time of a minute of the week; the week's end reads "sun 24:00" rather than "mon 00:00". */
export function weekTimeOf(minute: number, asEnd = false): WeekTime {
  if (asEnd && (minute === 0 || minute === MINUTES_PER_WEEK)) return { day: 'sun', time: '24:00' };
  const m = ((minute % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const day = WEEK_DAYS[Math.floor(m / 1440)]!;
  return { day, time: `${pad2(Math.floor((m % 1440) / 60))}:${pad2(m % 60)}` };
}

const dayLabel = (t: WeekTime) => `${t.day.charAt(0).toUpperCase()}${t.day.slice(1)} ${t.time}`;

/** "Sun 20:00 – Mon 08:00": how a rota block or gap reads on a notice board. */
export function weekRangeLabel(r: WeekRange): string {
  return `${dayLabel(weekTimeOf(r.startMinute))} – ${dayLabel(weekTimeOf(r.endMinute, true))}`;
}

/** Half-open linear pieces within [0, MINUTES_PER_WEEK]: a wrapping range is two pieces. */
type Piece = readonly [number, number];

function piecesOf(r: WeekRange): Piece[] {
  const start = r.startMinute % MINUTES_PER_WEEK;
  const end = r.endMinute;
  if (start < end) return [[start, end]];
  if (start === end) return [];
  const pieces: Piece[] = [[start, MINUTES_PER_WEEK]];
  if (end > 0) pieces.push([0, end]);
  return pieces;
}

function union(pieces: readonly Piece[]): Piece[] {
  const sorted = [...pieces].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = merged.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

function complement(pieces: readonly Piece[]): Piece[] {
  const gaps: Piece[] = [];
  let at = 0;
  for (const [a, b] of union(pieces)) {
    if (a > at) gaps.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < MINUTES_PER_WEEK) gaps.push([at, MINUTES_PER_WEEK]);
  return gaps;
}

function intersect(xs: readonly Piece[], ys: readonly Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const [a, b] of xs)
    for (const [c, d] of ys) if (Math.max(a, c) < Math.min(b, d)) out.push([Math.max(a, c), Math.min(b, d)]);
  return union(out);
}

/** Pieces back to ranges, joining the one ending at Sunday midnight to the one starting Monday 00:00. */
function asRanges(pieces: readonly Piece[]): WeekRange[] {
  const merged = union(pieces);
  const first = merged[0];
  const last = merged.at(-1);
  if (merged.length > 1 && first && last && first[0] === 0 && last[1] === MINUTES_PER_WEEK) {
    const wrapped = { startMinute: last[0], endMinute: first[1] };
    return [...merged.slice(1, -1).map(([a, b]) => ({ startMinute: a, endMinute: b })), wrapped];
  }
  return merged.map(([a, b]) => ({ startMinute: a, endMinute: b }));
}

export const rangeMinutes = (r: WeekRange) => piecesOf(r).reduce((sum, [a, b]) => sum + b - a, 0);

/** The minutes two ranges share, as ranges (empty when they do not overlap). */
export function sharedMinutes(a: WeekRange, b: WeekRange): WeekRange[] {
  return asRanges(intersect(piecesOf(a), piecesOf(b)));
}

/** The parts of the week no range covers, in week order (a gap over Sunday midnight comes last). */
export function uncovered(ranges: readonly WeekRange[], within?: WeekRange): WeekRange[] {
  const gaps = complement(ranges.flatMap(piecesOf));
  return asRanges(within ? intersect(gaps, piecesOf(within)) : gaps);
}

const tierRank = { primary: 0, backup: 1 } as const;

/** Week order: by start, primary before backup. */
export function byWeekOrder<T extends RotaEntry & { id: string }>(a: T, b: T): number {
  return a.startMinute - b.startMinute || tierRank[a.tier] - tierRank[b.tier] || a.id.localeCompare(b.id);
}
