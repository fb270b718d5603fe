import { describe, expect, it } from 'vitest';
import {
  coveringNow,
  MINUTES_PER_WEEK,
  minuteOfWeek,
  minuteOfWeekTime,
  rangeMinutes,
  sharedMinutes,
  uncovered,
  weekRangeLabel,
  weekTimeOf,
} from './rota.ts';

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

describe('days and times of the week', () => {
  it.each([
    ['mon', '00:00', 0],
    ['mon', '08:30', 510],
    ['tue', '00:00', 1440],
    ['sun', '20:00', 9840],
    ['sun', '23:59', 10_079],
    ['sun', '24:00', MINUTES_PER_WEEK],
  ] as const)('%s %s is minute %i', (day, time, minute) => {
    expect(minuteOfWeekTime({ day, time })).toBe(minute);
  });

  it('reads the end of the week as sun 24:00, and a start there as mon 00:00', () => {
    expect(weekTimeOf(MINUTES_PER_WEEK, true)).toEqual({ day: 'sun', time: '24:00' });
    expect(weekTimeOf(0, true)).toEqual({ day: 'sun', time: '24:00' });
    expect(weekTimeOf(0)).toEqual({ day: 'mon', time: '00:00' });
    expect(weekTimeOf(1440, true)).toEqual({ day: 'tue', time: '00:00' });
  });

  it.each([
    [{ startMinute: 480, endMinute: 1200 }, 'Mon 08:00 – Mon 20:00', 720],
    [{ startMinute: 9840, endMinute: 480 }, 'Sun 20:00 – Mon 08:00', 720],
    [{ startMinute: 0, endMinute: MINUTES_PER_WEEK }, 'Mon 00:00 – Sun 24:00', MINUTES_PER_WEEK],
    [{ startMinute: 9840, endMinute: 0 }, 'Sun 20:00 – Sun 24:00', 240],
  ])('%o reads %s and lasts %i minutes', (range, label, minutes) => {
    expect(weekRangeLabel(range)).toBe(label);
    expect(rangeMinutes(range)).toBe(minutes);
  });
});

describe('overlaps and gaps in the rota', () => {
  const night = { startMinute: 9840, endMinute: 480 }; // Sun 20:00 – Mon 08:00
  it.each([
    [
      'two day blocks that touch',
      { startMinute: 480, endMinute: 1200 },
      { startMinute: 1200, endMinute: 1920 },
      [],
    ],
    ['the Sunday night block and Monday morning', night, { startMinute: 0, endMinute: 600 }, [[0, 480]]],
    ['the Sunday night block and late Sunday', night, { startMinute: 9000, endMinute: 9900 }, [[9840, 9900]]],
    ['two blocks that both wrap', night, { startMinute: 10_000, endMinute: 60 }, [[10_000, 60]]],
    ['the whole week and the night', { startMinute: 0, endMinute: MINUTES_PER_WEEK }, night, [[9840, 480]]],
    ['the night and Monday day', night, { startMinute: 480, endMinute: 1200 }, []],
  ])('%s share %j', (_case, a, b, shared) => {
    const expected = shared.map(([startMinute, endMinute]) => ({ startMinute, endMinute }));
    expect(sharedMinutes(a, b)).toEqual(expected);
    expect(sharedMinutes(b, a)).toEqual(expected);
  });

  it('finds the gaps, joining one across Sunday midnight into a single range', () => {
    expect(uncovered([])).toEqual([{ startMinute: 0, endMinute: MINUTES_PER_WEEK }]);
    expect(uncovered([{ startMinute: 0, endMinute: MINUTES_PER_WEEK }])).toEqual([]);
    expect(uncovered([night])).toEqual([{ startMinute: 480, endMinute: 9840 }]);
    expect(uncovered([{ startMinute: 480, endMinute: 9840 }])).toEqual([
      { startMinute: 9840, endMinute: 480 },
    ]);
    expect(
      uncovered([
        { startMinute: 480, endMinute: 1200 },
        { startMinute: 1200, endMinute: 1920 },
        { startMinute: 3000, endMinute: 9000 },
      ]),
    ).toEqual([
      { startMinute: 1920, endMinute: 3000 },
      { startMinute: 9000, endMinute: 480 },
    ]);
  });

  it('finds the gaps within one block', () => {
    const rest = [{ startMinute: 600, endMinute: 9900 }];
    expect(uncovered(rest, night)).toEqual([{ startMinute: 9900, endMinute: 480 }]);
    expect(uncovered(rest, { startMinute: 1000, endMinute: 2000 })).toEqual([]);
  });
});
