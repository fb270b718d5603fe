import type { ChargeKind, UnitType } from '../../../db/schema/index.ts';
import { inpatientDays, NDC_11 } from './rules.ts';

/**
 * Charge capture as a pure function: an encounter's facts (its bed-days and recorded services) priced
 * from the chargemaster. No database, clock or ids here: the operation supplies them.
 */

export interface PriceItem {
  id: string;
  kind: ChargeKind;
  code: string;
  revenueCode: string;
  hcpcsCode: string | null;
  unitPriceCents: number;
  unitBasis: string;
}

export interface ServiceFact {
  id: string;
  kind: 'procedure' | 'drug' | 'supply';
  code: string;
  modifiers: string[];
  quantity: number;
  servicedOn: string;
  performerId: string | null;
  diagnosisSequences: number[];
}

export interface EncounterFacts {
  encounterClass: string;
  /** The unit type the stay is charged to; null when the encounter names no unit. */
  unitType: UnitType | null;
  startedAt: Date;
  endedAt: Date | null;
  services: ServiceFact[];
}

export interface PlannedCharge {
  kind: ChargeKind;
  source: string;
  chargemasterItemId: string;
  serviceDate: string;
  revenueCode: string;
  procedureCode: string | null;
  modifiers: string[];
  ndc: string | null;
  units: number;
  unitBasis: string;
  unitPriceCents: number;
  amountCents: number;
  performerId: string | null;
  diagnosisSequences: number[];
}

export interface UnpricedFact {
  source: string;
  message: string;
}

export function bedDaySource(unitType: string, day: string): string {
  return `bed-day:${unitType}:${day}`;
}

export function serviceSource(serviceId: string): string {
  return `service:${serviceId}`;
}

/** Every fact of the encounter as a charge, or the facts the chargemaster has no price for. */
export function priceEncounter(
  facts: EncounterFacts,
  items: readonly PriceItem[],
  today: string,
): { charges: PlannedCharge[]; unpriced: UnpricedFact[] } {
  const byKey = new Map(items.map((i) => [`${i.kind}:${i.code}`, i]));
  const charges: PlannedCharge[] = [];
  const unpriced: UnpricedFact[] = [];

  // Room and board is an inpatient charge; outpatient, emergency and home encounters bill services only.
  if (facts.encounterClass === 'IMP') {
    const days = inpatientDays(facts.startedAt, facts.endedAt, today);
    if (!facts.unitType) {
      if (days.length)
        unpriced.push({ source: 'bed-day', message: 'the inpatient stay names no unit to charge' });
    } else {
      const item = byKey.get(`accommodation:${facts.unitType}`);
      for (const day of days) {
        const source = bedDaySource(facts.unitType, day);
        if (!item) {
          unpriced.push({ source, message: `no accommodation price for unit type ${facts.unitType}` });
          continue;
        }
        charges.push({
          kind: 'accommodation',
          source,
          chargemasterItemId: item.id,
          serviceDate: day,
          revenueCode: item.revenueCode,
          procedureCode: null,
          modifiers: [],
          ndc: null,
          units: 1,
          unitBasis: item.unitBasis,
          unitPriceCents: item.unitPriceCents,
          amountCents: item.unitPriceCents,
          performerId: null,
          diagnosisSequences: [],
        });
      }
    }
  }

  for (const s of facts.services) {
    const source = serviceSource(s.id);
    const item = byKey.get(`${s.kind}:${s.code}`);
    if (!item) {
      unpriced.push({ source, message: `no ${s.kind} price for ${s.code} (serviced ${s.servicedOn})` });
      continue;
    }
    const byNdc = s.kind === 'drug' && NDC_11.test(s.code);
    charges.push({
      kind: s.kind,
      source,
      chargemasterItemId: item.id,
      serviceDate: s.servicedOn,
      revenueCode: item.revenueCode,
      // A drug billed by NDC is reported with its J-code and the NDC beside it (837 LIN*N4).
      procedureCode: byNdc ? item.hcpcsCode : s.code,
      modifiers: s.modifiers,
      ndc: byNdc ? s.code : null,
      units: s.quantity,
      unitBasis: item.unitBasis,
      unitPriceCents: item.unitPriceCents,
      amountCents: Math.round(item.unitPriceCents * s.quantity),
      performerId: s.performerId,
      diagnosisSequences: s.diagnosisSequences,
    });
  }
  return { charges, unpriced };
}
