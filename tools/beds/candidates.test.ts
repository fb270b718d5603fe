import { describe, expect, it } from 'vitest';
import { type BedFacts, bedRefusal, rankCandidateBeds } from './candidates.ts';
import type { BedNeed } from './schema.ts';

const bed = (over: Partial<BedFacts>): BedFacts => ({
  bedId: 'b',
  label: 'B',
  unitId: 'u',
  unitType: 'med-surg',
  roomId: 'r',
  roomSexPolicy: 'mixed',
  roomIsolation: 'none',
  status: 'U',
  housekeeping: 'clean',
  telemetry: false,
  bariatric: false,
  reserved: false,
  ...over,
});
const need: BedNeed = {
  unitTypes: ['med-surg', 'telemetry'],
  isolation: 'none',
  telemetry: false,
  bariatric: false,
  sex: 'male',
};

describe('bed eligibility (hard rules)', () => {
  it.each([
    [{ status: 'O' }, need, /status is O/],
    [{ housekeeping: 'dirty' }, need, /dirty/],
    [{ reserved: true }, need, /already reserved/],
    [{ unitType: 'icu' }, need, /unit type icu/],
    [{ roomIsolation: 'contact' }, { ...need, isolation: 'airborne' }, /patient needs airborne/],
    [{}, { ...need, telemetry: true }, /no telemetry/],
    [{}, { ...need, bariatric: true }, /bariatric/],
    [{ roomSexPolicy: 'female' }, need, /female-only/],
    [{ roomSexPolicy: 'male' }, { ...need, sex: 'unknown' }, /male-only/],
  ] as const)('refuses %j for %j', (over, n, why) => {
    expect(bedRefusal(bed(over as Partial<BedFacts>), n as BedNeed)).toMatch(why);
  });

  it.each([
    [{ housekeeping: 'inspected' }, need],
    [{ roomIsolation: 'airborne' }, { ...need, isolation: 'contact' }],
    [{ roomSexPolicy: 'male' }, need],
    [{ telemetry: true }, { ...need, telemetry: true }],
  ] as const)('accepts %j for %j', (over, n) => {
    expect(bedRefusal(bed(over as Partial<BedFacts>), n as BedNeed)).toBeNull();
  });
});

describe('candidate ranking', () => {
  it('prefers the first unit type, then beds that spare scarce features, then inspected, then by id', () => {
    const ranked = rankCandidateBeds(
      [
        bed({ bedId: 'tele-1', unitType: 'telemetry' }),
        bed({ bedId: 'neg-pressure', roomIsolation: 'airborne' }),
        bed({ bedId: 'monitored', telemetry: true }),
        bed({ bedId: 'plain-b' }),
        bed({ bedId: 'plain-a' }),
        bed({ bedId: 'inspected', housekeeping: 'inspected' }),
        bed({ bedId: 'taken', reserved: true }),
      ],
      need,
    );
    expect(ranked.map((b) => b.bedId)).toEqual([
      'inspected',
      'plain-a',
      'plain-b',
      'monitored',
      'neg-pressure',
      'tele-1',
    ]);
    expect(ranked.at(-1)!.reasons).toContain('fallback unit type telemetry');
  });
});
