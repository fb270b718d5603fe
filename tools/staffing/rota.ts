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
