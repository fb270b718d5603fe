/**
 * Test helpers for remittance posting: submitted claims inserted directly (with their charges) on the
 * billing fixture (tools/revenue/test-fixtures.ts), and 835 files written as X12 text with correct
 * envelopes and counts, so each test states only the payments it is about.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { charges, claims } from '../../../db/schema/index.ts';
import { rowCount } from '../../../test/mcp.ts';
import { type Actor, systemActor } from '../../core/actor.ts';
import { ManualClock } from '../../core/clock.ts';
import { type AnyOperation, invokeOperation } from '../../core/operation.ts';
import { ADA_ENCOUNTER, BO_ENCOUNTER, TODAY_AT } from '../test-fixtures.ts';

export interface TestLine {
  code: string;
  chargeCents: number;
  serviceDate: string;
}

const patientsOf = {
  ada: {
    encounterId: ADA_ENCOUNTER,
    patientId: 'pat-1',
    coverageId: 'cov-ada-medicare',
    payerId: 'pay-medicare',
  },
  bo: { encounterId: BO_ENCOUNTER, patientId: 'pat-2', coverageId: 'cov-bo-acme', payerId: 'pay-acme' },
} as const;

let chargeSeq = 0;

/** A claim as the claims module would leave it once submitted: status submitted, charges billed to it. */
export async function submittedClaim(
  database: Database,
  id: string,
  who: keyof typeof patientsOf,
  lines: TestLine[],
  opts: { status?: (typeof claims.$inferInsert)['status']; submittedAt?: Date } = {},
): Promise<void> {
  const p = patientsOf[who];
  const total = lines.reduce((s, l) => s + l.chargeCents, 0);
  const at = opts.submittedAt ?? new Date('2026-03-12T09:00:00Z');
  await database.db.insert(claims).values({
    id,
    ...p,
    type: '837P',
    status: opts.status ?? 'submitted',
    totalChargeCents: total,
    document: {
      type: '837P',
      claim: {
        id,
        totalCharge: total / 100,
        lines: lines.map((l, k) => ({ lineNumber: k + 1, code: l.code })),
      },
    },
    submittedAt: opts.status && opts.status !== 'submitted' ? null : at,
    createdBy: 'test',
    createdAt: at,
    updatedAt: at,
  });
  await database.db.insert(charges).values(
    lines.map((l) => ({
      id: `chg-${id}-${++chargeSeq}`,
      encounterId: p.encounterId,
      kind: 'procedure' as const,
      source: `test:${id}:${chargeSeq}`,
      chargemasterItemId: `cdm-procedure-${l.code}`,
      serviceDate: l.serviceDate,
      revenueCode: '0510',
      procedureCode: l.code,
      units: 1,
      unitBasis: 'UN',
      unitPriceCents: l.chargeCents,
      amountCents: l.chargeCents,
      status: 'billed' as const,
      claimId: id,
      capturedBy: 'test',
      capturedAt: at,
    })),
  );
}

// ------------------------------------------------------------------------------------ 835 text

export interface Remit {
  id: string;
  status?: string;
  charge: number;
  paid: number;
  patient?: number;
  payerNumber?: string;
  /** Claim-level CAS, e.g. ['CO', '45', 100]. */
  cas?: [string, string, number][];
  moa?: string[];
  /** CLP08, the facility type or place of service (default 11). */
  facility?: string;
  lines?: {
    /** SVC01 qualifier: HC (CPT/HCPCS, the default) or NU (a revenue code). */
    qualifier?: 'HC' | 'NU';
    code: string;
    charge: number;
    paid: number;
    date: string;
    cas?: [string, string, number][];
    lq?: string[];
  }[];
}

export interface Remittance835 {
  payment?: number;
  trace?: string;
  payerName?: string;
  /** REF*2U: the payer's id (default Acme's, ACME1; Medicare's is 06102). */
  payerId?: string;
  claims: Remit[];
  /** PLB reason, amount (positive reduces the payment). */
  plb?: [string, number][];
}

const d8 = (iso: string) => iso.replaceAll('-', '');
const amt = (n: number) => String(Math.round(n * 100) / 100);

/** The body of one ST*835 … SE, as element arrays. */
function body835(r: Remittance835, control: string): string[][] {
  const paid = r.claims.reduce((s, c) => s + c.paid, 0) - (r.plb ?? []).reduce((s, [, a]) => s + a, 0);
  const segs: string[][] = [
    ['ST', '835', control],
    [
      'BPR',
      'I',
      amt(r.payment ?? paid),
      'C',
      'ACH',
      'CCP',
      '01',
      '999999992',
      'DA',
      '123456',
      '1512345678',
      '',
      '01',
      '999988880',
      'DA',
      '98765',
      '20260318',
    ],
    ['TRN', '1', r.trace ?? `EFT${control}`, '1512345678'],
    ['DTM', '405', '20260318'],
    ['N1', 'PR', r.payerName ?? 'ACME HEALTH'],
    ['REF', '2U', r.payerId ?? 'ACME1'],
    ['N1', 'PE', 'CAREBRIDGE GENERAL HOSPITAL', 'XX', '1234567893'],
    ['LX', '1'],
  ];
  for (const c of r.claims) {
    const clp = [
      'CLP',
      c.id,
      c.status ?? '1',
      amt(c.charge),
      amt(c.paid),
      c.patient === undefined ? '' : amt(c.patient),
      '12',
      c.payerNumber ?? `PCN-${c.id}`,
      c.facility ?? '11',
      '1',
    ];
    segs.push(clp);
    for (const [g, carc, a] of c.cas ?? []) segs.push(['CAS', g, carc, amt(a)]);
    segs.push(['NM1', 'QC', '1', 'PATIENT', 'TEST']);
    if (c.moa) segs.push(['MOA', '', '', ...c.moa]);
    for (const l of c.lines ?? []) {
      segs.push(['SVC', `${l.qualifier ?? 'HC'}:${l.code}`, amt(l.charge), amt(l.paid), '', '1']);
      segs.push(['DTM', '472', d8(l.date)]);
      for (const [g, carc, a] of l.cas ?? []) segs.push(['CAS', g, carc, amt(a)]);
      for (const code of l.lq ?? []) segs.push(['LQ', 'HE', code]);
    }
  }
  if (r.plb?.length)
    segs.push(['PLB', '1234567893', '20261231', ...r.plb.flatMap(([reason, a]) => [reason, amt(a)])]);
  segs.push(['SE', String(segs.length + 1), control]);
  return segs;
}

export interface Separators {
  element: string;
  component: string;
  repetition: string;
  segment: string;
}

const DEFAULT: Separators = { element: '*', component: ':', repetition: '^', segment: '~\n' };

/** One ISA…IEA interchange holding one GS group of 835s. */
export function interchange835(remits: Remittance835[], control = 1, sep: Separators = DEFAULT): string {
  const sender = remits[0]?.payerId ?? 'ACME1';
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    sender.padEnd(15),
    'ZZ',
    'CAREBRIDGE01'.padEnd(15),
    '260318',
    '0900',
    sep.repetition,
    '00501',
    String(control).padStart(9, '0'),
    '0',
    'P',
    sep.component,
  ];
  const segs: string[][] = [
    isa,
    ['GS', 'HP', sender, 'CAREBRIDGE01', '20260318', '0900', String(control), 'X', '005010X221A1'],
  ];
  for (const [k, r] of remits.entries()) segs.push(...body835(r, String(1000 + k)));
  segs.push(['GE', String(remits.length), String(control)], ['IEA', '1', String(control).padStart(9, '0')]);
  return segs
    .map((s) => s.join(sep.element).replace(/\b(HC|NU):/g, `$1${sep.component}`))
    .map((s) => s + sep.segment)
    .join('');
}

export function file835(...remits: Remittance835[]): string {
  return interchange835(remits);
}

// ------------------------------------------------------------------------------------ posting tests

export interface PostedPayment {
  claimPaymentId: string;
  patientControlNumber: string;
  claimId: string | null;
  status: string;
  holdReason: string | null;
  claimStatus: string | null;
  paidCents: number;
  workItem: { workItemId: string; category: string; suggestedAction: string; amountCents: number } | null;
}

export interface Posted {
  remittanceId: string;
  alreadyPosted: boolean;
  warnings: string[];
  claimCount: number;
  heldCount: number;
  paymentCents: number;
  payerName: string | null;
  providerAdjustments: { reason: string; description: string; amountCents: number }[];
  payments: PostedPayment[];
}

/** Paid in full under Acme PPO: allowed $3,100.00 (the fixture's fee schedule) less 20 % coinsurance. */
export const paidInFull = (id: string): Remit => ({
  id,
  charge: 6800,
  paid: 2480,
  patient: 620,
  cas: [
    ['CO', '45', 3700],
    ['PR', '2', 620],
  ],
});

/** The calls and row counts a posting test needs, on the test file's database. */
export function postingHarness(database: () => Database) {
  const clock = new ManualClock(TODAY_AT);
  return {
    clock,
    call: <T = Posted>(op: AnyOperation, input: unknown, actor: Actor = systemActor) =>
      invokeOperation(op, input, { database: database(), clock, actor }) as Promise<T>,
    claimRow: async (id: string) => (await database().db.select().from(claims).where(eq(claims.id, id)))[0]!,
    counts: async () => ({
      remittances: await rowCount(database(), 'remittances'),
      payments: await rowCount(database(), 'claim_payments'),
      items: await rowCount(database(), 'denial_work_items'),
      audit: await rowCount(database(), 'audit_log'),
    }),
    /** Bo's knee arthroscopy (29881, $6,800.00 on 2026-03-10), submitted to Acme. */
    knee: (id: string) =>
      submittedClaim(database(), id, 'bo', [
        { code: '29881', chargeCents: 680_000, serviceDate: '2026-03-10' },
      ]),
  };
}
