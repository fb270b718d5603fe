import { describe, expect, it } from 'vitest';
import { rankCandidateBeds } from '../candidates.ts';
import {
  type AssignableBed,
  assignmentCost,
  assignmentWeights,
  type CostItem,
  maxAssignmentCost,
  type PendingBedRequest,
  unassignedPenalty,
} from './model.ts';
import { syntheticProblem } from './synthetic.ts';
import { bed, request } from './test-fixtures.ts';

describe('the cost of a bed for a patient', () => {
  it('is zero for a perfect fit', () => {
    const items: CostItem[] = [];
    expect(assignmentCost(bed(), request(), items)).toBe(0);
    expect(items).toEqual([]);
  });

  it.each([
    ['a fallback unit type', { unitType: 'telemetry' }, {}, 'unit-type', 100, /fallback unit type telemetry/],
    [
      'a spare airborne room',
      { roomIsolation: 'airborne' },
      {},
      'spare-isolation',
      30,
      /airborne-isolation room/,
    ],
    ['an unneeded telemetry bed', { telemetry: true }, {}, 'spare-telemetry', 5, /telemetry bed/],
    ['an unneeded bariatric frame', { bariatric: true }, {}, 'spare-bariatric', 3, /bariatric bed/],
    ['a bed clean but not inspected', { housekeeping: 'clean' }, {}, 'not-inspected', 1, /not yet inspected/],
    [
      'another specialty',
      { unitSpecialty: 'cardiology' },
      {},
      'specialty',
      20,
      /cardiology, patient's is internal/,
    ],
    ['a unit without specialty', { unitSpecialty: null }, {}, 'specialty', 20, /no specialty/],
    [
      'a missing preferred feature',
      {},
      { preferredFeatures: ['telemetry'] },
      'preferred-feature',
      20,
      /no telemetry/,
    ],
    ['a child on an adult ward', {}, { ageYears: 9 }, 'age', 50, /patient is 9, unit takes 18 and over/],
    [
      'an adult on a children’s ward',
      { unitMinAgeYears: null, unitMaxAgeYears: 17 },
      {},
      'age',
      50,
      /up to 17/,
    ],
    ['moving a patient out of their bed', {}, { currentBedId: 'b9' }, 'transfer', 100, /from bed b9/],
  ] as const)('costs %s', (_, bedOver, requestOver, kind, cost, reason) => {
    const items: CostItem[] = [];
    const total = assignmentCost(
      bed(bedOver as Partial<AssignableBed>),
      request(requestOver as Partial<PendingBedRequest>),
      items,
    );
    expect(total).toBe(cost);
    expect(items).toEqual([{ kind, cost, reason: expect.stringMatching(reason) }]);
  });

  it('charges nothing for telemetry the patient prefers, nor for a patient with no known specialty or age', () => {
    expect(assignmentCost(bed({ telemetry: true }), request({ preferredFeatures: ['telemetry'] }))).toBe(0);
    expect(
      assignmentCost(bed({ unitSpecialty: 'oncology' }), request({ specialty: null, ageYears: null })),
    ).toBe(0);
  });

  it('sums its terms, and the sum without reasons is the same', () => {
    const b = bed({ unitType: 'telemetry', telemetry: true, housekeeping: 'clean', unitSpecialty: null });
    const r = request({ ageYears: 12, currentBedId: 'b0' });
    const items: CostItem[] = [];
    const total = assignmentCost(b, r, items);
    expect(total).toBe(100 + 5 + 1 + 20 + 50 + 100);
    expect(items.reduce((s, i) => s + i.cost, 0)).toBe(total);
    expect(assignmentCost(b, r)).toBe(total);
  });

  it("ranks fit the way find_candidate_beds does: without the patient's preferences, cost = rank", () => {
    const { beds, requests } = syntheticProblem({ seed: 5, beds: 300, requests: 40 });
    let compared = 0;
    for (const r of requests) {
      const plain = { ...r, specialty: null, ageYears: null, preferredFeatures: [], currentBedId: null };
      for (const candidate of rankCandidateBeds(beds, r.need)) {
        const b = beds.find((x) => x.bedId === candidate.bedId) as AssignableBed;
        expect(assignmentCost(b, plain)).toBe(candidate.rank);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});

describe('the unassigned penalty', () => {
  it('exceeds any cost, so a request is placed whenever a bed fits', () => {
    expect(unassignedPenalty.routine).toBeGreaterThan(maxAssignmentCost);
  });

  it('grows by more than any cost per priority step, so a higher priority never yields to a lower', () => {
    expect(unassignedPenalty.urgent - unassignedPenalty.routine).toBeGreaterThan(maxAssignmentCost);
    expect(unassignedPenalty.emergency - unassignedPenalty.urgent).toBeGreaterThan(maxAssignmentCost);
  });

  it('is bounded by the worst pair there can be', () => {
    const worst = assignmentCost(
      bed({
        unitType: 'surgical',
        roomIsolation: 'airborne',
        telemetry: true,
        bariatric: true,
        housekeeping: 'clean',
        unitSpecialty: null,
      }),
      request({
        need: {
          unitTypes: [
            'icu',
            'step-down',
            'telemetry',
            'med-surg',
            'ed',
            'maternity',
            'pediatrics',
            'oncology',
            'surgical',
          ],
          isolation: 'none',
          telemetry: false,
          bariatric: false,
          sex: 'male',
        },
        ageYears: 5,
        currentBedId: 'elsewhere',
      }),
    );
    // Preferred features and spare features exclude each other; everything else is at its worst.
    expect(worst).toBe(maxAssignmentCost - 2 * assignmentWeights.missingPreferredFeature);
  });
});
