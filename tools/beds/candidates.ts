import type { IsolationKind, UnitType } from '../../db/schema/hospital.ts';
import type { BedNeed, CandidateBed } from './schema.ts';

export interface BedFacts {
  bedId: string;
  label: string;
  unitId: string;
  unitType: UnitType;
  roomId: string;
  roomSexPolicy: 'mixed' | 'male' | 'female';
  roomIsolation: IsolationKind;
  status: string;
  housekeeping: string;
  telemetry: boolean;
  bariatric: boolean;
  reserved: boolean;
}

const isolationOrder: Record<IsolationKind, number> = { none: 0, contact: 1, droplet: 2, airborne: 3 };

/** Why a bed cannot take this patient now, or null when it can. Hard rules only. */
export function bedRefusal(bed: BedFacts, need: BedNeed): string | null {
  if (bed.status !== 'U') return `bed status is ${bed.status}, not unoccupied`;
  if (bed.housekeeping !== 'clean' && bed.housekeeping !== 'inspected') return `bed is ${bed.housekeeping}`;
  if (bed.reserved) return 'bed is already reserved';
  if (!need.unitTypes.includes(bed.unitType))
    return `unit type ${bed.unitType} is not among ${need.unitTypes.join(', ')}`;
  if (isolationOrder[bed.roomIsolation] < isolationOrder[need.isolation]) {
    return `room supports ${bed.roomIsolation} isolation, patient needs ${need.isolation}`;
  }
  if (need.telemetry && !bed.telemetry) return 'no telemetry';
  if (need.bariatric && !bed.bariatric) return 'not a bariatric bed';
  if (bed.roomSexPolicy !== 'mixed' && bed.roomSexPolicy !== need.sex) {
    return `room is ${bed.roomSexPolicy}-only`;
  }
  return null;
}

/**
 * Beds that satisfy every hard rule, best first: preferred unit type, then beds that do not use up
 * scarce features the patient does not need (a negative-pressure room, telemetry, a bariatric frame),
 * then inspected before merely clean, then by id so the order is deterministic.
 */
export function rankCandidateBeds(beds: readonly BedFacts[], need: BedNeed): CandidateBed[] {
  const scored = beds
    .filter((bed) => bedRefusal(bed, need) === null)
    .map((bed) => {
      const reasons: string[] = [];
      const unitPreference = need.unitTypes.indexOf(bed.unitType);
      let rank = unitPreference * 100;
      reasons.push(
        unitPreference === 0 ? `preferred unit type ${bed.unitType}` : `fallback unit type ${bed.unitType}`,
      );
      const spareIsolation = isolationOrder[bed.roomIsolation] - isolationOrder[need.isolation];
      if (spareIsolation > 0) {
        rank += 10 * spareIsolation;
        reasons.push(`uses a ${bed.roomIsolation}-isolation room the patient does not need`);
      }
      if (bed.telemetry && !need.telemetry) {
        rank += 5;
        reasons.push('uses a telemetry bed the patient does not need');
      }
      if (bed.bariatric && !need.bariatric) rank += 3;
      if (bed.housekeeping !== 'inspected') rank += 1;
      return { bed, rank, reasons };
    });
  scored.sort((a, b) => a.rank - b.rank || (a.bed.bedId < b.bed.bedId ? -1 : 1));
  return scored.map(({ bed, rank, reasons }) => ({
    bedId: bed.bedId,
    label: bed.label,
    unitId: bed.unitId,
    unitType: bed.unitType,
    roomId: bed.roomId,
    isolation: bed.roomIsolation,
    telemetry: bed.telemetry,
    rank,
    reasons,
  }));
}
