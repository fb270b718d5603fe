import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { encounterClasses, encounterStatuses, patients, units } from '../../../db/schema/index.ts';
import { defineOperation } from '../../core/operation.ts';
import { loadCharges } from './charge-operations.ts';
import { loadCoding } from './coding-operations.ts';
import { loadCoverages, requireEncounter } from './records.ts';
import { isoDay } from './rules.ts';
import {
  chargeSchema,
  coverageSchema,
  diagnosisSchema,
  presentService,
  serviceSchema,
  totalsOf,
  totalsSchema,
} from './schema.ts';

export const getEncounterBilling = defineOperation({
  name: 'get_encounter_billing',
  module: 'revenue',
  title: 'Everything to bill an encounter',
  description:
    'One view of an encounter for billing: the patient (name, birth date, sex), the encounter (class, ' +
    'status, unit, attending, dates), its coded diagnoses (principal first), recorded services, charges ' +
    'with totals, and the coverage in force on the admission date (primary first; none means self-pay). ' +
    'Use it before building a claim, or to see what is missing (no diagnoses, uncaptured services).',
  input: z.object({ encounterId: z.string().min(1) }),
  output: z.object({
    patient: z.object({
      patientId: z.string(),
      mrn: z.string(),
      givenName: z.string(),
      familyName: z.string(),
      birthDate: z.string(),
      sex: z.string(),
    }),
    encounter: z.object({
      encounterId: z.string(),
      class: z.enum(encounterClasses),
      status: z.enum(encounterStatuses),
      unitId: z.string().nullable(),
      unitType: z.string().nullable(),
      attendingId: z.string().nullable(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
    }),
    diagnoses: z.array(diagnosisSchema),
    services: z.array(serviceSchema),
    uncapturedServiceIds: z.array(z.string()).describe('Services with no live charge: run capture_charges'),
    charges: z.array(chargeSchema),
    totals: totalsSchema,
    coverageOn: z.string().describe('The admission date'),
    coverages: z.array(coverageSchema).describe('In force on the admission date, primary first'),
    selfPay: z.boolean(),
  }),
  scope: 'revenue:read',
  risk: 'read',
  idempotent: true,
  http: { method: 'POST' },
  async handler(input, ctx) {
    const db = ctx.database.db;
    const e = await requireEncounter(db, input.encounterId);
    const [patient] = await db.select().from(patients).where(eq(patients.id, e.patientId));
    const [unit] = e.unitId ? await db.select().from(units).where(eq(units.id, e.unitId)) : [];
    const { diagnoses, services } = await loadCoding(db, e.id);
    const list = await loadCharges(db, e.id);
    const charged = new Set(list.filter((c) => c.status !== 'voided').map((c) => c.source));
    const on = isoDay(e.startedAt);
    const coverages = (await loadCoverages(db, { patientId: e.patientId }, on)).filter((c) => c.activeOn);
    return {
      patient: {
        patientId: patient!.id,
        mrn: patient!.mrn,
        givenName: patient!.givenName,
        familyName: patient!.familyName,
        birthDate: patient!.birthDate,
        sex: patient!.sex,
      },
      encounter: {
        encounterId: e.id,
        class: e.class,
        status: e.status,
        unitId: e.unitId,
        unitType: unit?.type ?? null,
        attendingId: e.attendingId,
        startedAt: e.startedAt.toISOString(),
        endedAt: e.endedAt?.toISOString() ?? null,
      },
      diagnoses: diagnoses.map((d) => ({
        sequence: d.sequence,
        code: d.code,
        presentOnAdmission: d.presentOnAdmission,
        principal: d.sequence === 1,
      })),
      services: services.map(presentService),
      uncapturedServiceIds: services.filter((s) => !charged.has(`service:${s.id}`)).map((s) => s.id),
      charges: list,
      totals: totalsOf(list),
      coverageOn: on,
      coverages,
      selfPay: coverages.length === 0,
    };
  },
});
