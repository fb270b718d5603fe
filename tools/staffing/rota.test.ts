import { describe, expect, it } from 'vitest';
import { coveringNow, minuteOfWeek } from './rota.ts';

describe('the weekly on-call rota', () => {
  it.each([
    ['2026-03-02T00:00:00Z', 0], // a Monday
    ['2026-03-02T08:30:00Z', 510],
    ['2026-03-08T23:59:00Z', 10_079], // Sunday, last minute
    ['2026-03-09T00:00:00Z', 0],
  ])('%s is minute %i of the week', (at, minute) => {
    expect(minuteOfWeek(new Date(at))).toBe(minute);
  });

  const rota = [
    { staffId: 'day', tier: 'primary' as const, startMinute: 480, endMinute: 1200 },
    { staffId: 'night', tier: 'primary' as const, startMinute: 1200, endMinute: 480 }, // wraps past midnight Sunday→Monday
  ];
  it.each([
    [480, 'day'],
    [1199, 'day'],
    [1200, 'night'],
    [10_000, 'night'],
    [0, 'night'],
    [479, 'night'],
  ])('minute %i is covered by %s', (minute, who) => {
    expect(coveringNow(rota, minute).map((e) => e.staffId)).toEqual([who]);
  });
});
