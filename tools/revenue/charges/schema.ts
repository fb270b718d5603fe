import { z } from 'zod';
import {
  chargeKinds,
  chargeStatuses,
  type charges,
  type chargemasterItems,
  coveragePriorities,
  type encounterServices,
  payerKinds,
  serviceKinds,
} from '../../../db/schema/index.ts';

/** What the charge operations return, as zod schemas, and the functions that present rows as them. */

export const priorAuthorizationSchema = z.object({
  priorAuthorizationId: z.string(),
  number: z.string(),
  procedureCodes: z.array(z.string()),
  validFrom: z.string(),
  validTo: z.string(),
  units: z.number().int().nullable(),
});

export const coverageSchema = z.object({
  coverageId: z.string(),
  patientId: z.string(),
  planId: z.string(),
  planName: z.string(),
  payerId: z.string(),
  payerName: z.string(),
  payerKind: z.enum(payerKinds),
  priority: z.enum(coveragePriorities),
  memberId: z.string(),
  groupNumber: z.string().nullable(),
  relationship: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  activeOn: z.boolean().describe('Whether the coverage is in force on the date asked about'),
  priorAuthorizations: z.array(priorAuthorizationSchema),
});
export type CoverageView = z.infer<typeof coverageSchema>;

export const chargemasterItemSchema = z.object({
  itemId: z.string(),
  kind: z.enum(chargeKinds),
  code: z.string(),
  description: z.string(),
  revenueCode: z.string(),
  hcpcsCode: z.string().nullable(),
  unitPriceCents: z.number().int(),
  unitBasis: z.string(),
});

export function presentItem(
  r: typeof chargemasterItems.$inferSelect,
): z.infer<typeof chargemasterItemSchema> {
  return {
    itemId: r.id,
    kind: r.kind,
    code: r.code,
    description: r.description,
    revenueCode: r.revenueCode,
    hcpcsCode: r.hcpcsCode,
    unitPriceCents: r.unitPriceCents,
    unitBasis: r.unitBasis,
  };
}

export const serviceSchema = z.object({
  serviceId: z.string(),
  encounterId: z.string(),
  kind: z.enum(serviceKinds),
  code: z.string(),
  modifiers: z.array(z.string()),
  quantity: z.number(),
  servicedOn: z.string(),
  performerId: z.string().nullable(),
  diagnosisSequences: z.array(z.number().int()),
  theatreBookingId: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: z.string(),
});

export function presentService(r: typeof encounterServices.$inferSelect): z.infer<typeof serviceSchema> {
  return {
    serviceId: r.id,
    encounterId: r.encounterId,
    kind: r.kind,
    code: r.code,
    modifiers: r.modifiers,
    quantity: Number(r.quantity),
    servicedOn: r.servicedOn,
    performerId: r.performerId,
    diagnosisSequences: r.diagnosisSequences,
    theatreBookingId: r.theatreBookingId,
    recordedBy: r.recordedBy,
    recordedAt: r.recordedAt.toISOString(),
  };
}

export const chargeSchema = z.object({
  chargeId: z.string(),
  encounterId: z.string(),
  kind: z.enum(chargeKinds),
  source: z.string().describe("'service:<serviceId>' or 'bed-day:<unit type>:<date>'"),
  chargemasterItemId: z.string(),
  serviceDate: z.string(),
  revenueCode: z.string(),
  procedureCode: z
    .string()
    .nullable()
    .describe('CPT/HCPCS billed (the J-code for a drug); null for a bed-day'),
  modifiers: z.array(z.string()),
  ndc: z.string().nullable(),
  units: z.number(),
  unitBasis: z.string(),
  unitPriceCents: z.number().int(),
  amountCents: z.number().int(),
  performerId: z.string().nullable(),
  diagnosisSequences: z.array(z.number().int()),
  status: z.enum(chargeStatuses),
  claimId: z.string().nullable(),
  voidReason: z.string().nullable(),
  capturedBy: z.string(),
  capturedAt: z.string(),
});
export type ChargeView = z.infer<typeof chargeSchema>;

export function presentCharge(r: typeof charges.$inferSelect): ChargeView {
  return {
    chargeId: r.id,
    encounterId: r.encounterId,
    kind: r.kind,
    source: r.source,
    chargemasterItemId: r.chargemasterItemId,
    serviceDate: r.serviceDate,
    revenueCode: r.revenueCode,
    procedureCode: r.procedureCode,
    modifiers: r.modifiers,
    ndc: r.ndc,
    units: Number(r.units),
    unitBasis: r.unitBasis,
    unitPriceCents: r.unitPriceCents,
    amountCents: r.amountCents,
    performerId: r.performerId,
    diagnosisSequences: r.diagnosisSequences,
    status: r.status,
    claimId: r.claimId,
    voidReason: r.voidReason,
    capturedBy: r.capturedBy,
    capturedAt: r.capturedAt.toISOString(),
  };
}

export const totalsSchema = z.object({
  count: z.number().int(),
  amountCents: z.number().int(),
  byKind: z.record(z.string(), z.number().int()).describe('Cents per charge kind'),
});

/** Totals over the charges that count: voided ones are left out. */
export function totalsOf(list: readonly ChargeView[]): z.infer<typeof totalsSchema> {
  const live = list.filter((c) => c.status !== 'voided');
  const byKind: Record<string, number> = {};
  for (const c of live) byKind[c.kind] = (byKind[c.kind] ?? 0) + c.amountCents;
  return { count: live.length, amountCents: live.reduce((s, c) => s + c.amountCents, 0), byKind };
}

export const diagnosisSchema = z.object({
  sequence: z.number().int(),
  code: z.string(),
  presentOnAdmission: z.string().nullable(),
  principal: z.boolean(),
});
