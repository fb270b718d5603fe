/**
 * A claim as the database stores it (claims.document): the scrubber's ClaimInFile with every raw
 * `segments` array empty, and the helpers that move between it and X12: the transaction around one
 * or more claims, the document's hash, and the charges behind each line (REF*6R).
 */
import { createHash } from 'node:crypto';
import type { ClaimInFile } from '../scrubber/types.ts';
import type { InterchangeOptions } from '../x12/write-837.ts';
import type { ClaimTransaction, Party, ServiceLine, Subscriber } from '../x12/types.ts';

export type ClaimDocument = ClaimInFile;

/** ASC X12N implementation guides the claims are written to. */
export const IMPLEMENTATION = { '837P': '005010X222A1', '837I': '005010X223A2' } as const;

/** Cents (the database) to dollars (X12 amounts, R type). */
export const dollars = (cents: number) => Math.round(cents) / 100;
export const cents = (amount: number) => Math.round(amount * 100);

/** Dots are not sent in 837 HI codes (005010X222A1 2300 HI01-2: "E11.65" is sent as "E1165"). */
export const x12Diagnosis = (code: string) => code.replace('.', '').trim().toUpperCase();

/** The line item control number (2400 REF*6R, echoed in 835 REF*6R) ties a line to its charge. */
export function chargeIdOf(line: ServiceLine): string | undefined {
  return line.references.find((r) => r.qualifier === '6R')?.value;
}

/** CLM02 recomputed from the lines, in dollars. */
export function lineTotal(doc: ClaimDocument): number {
  return dollars(doc.claim.lines.reduce((sum, l) => sum + cents(l.charge), 0));
}

/** A deep copy (documents are plain JSON). */
export function copyDocument(doc: ClaimDocument): ClaimDocument {
  return structuredClone(doc);
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** sha256 of the document's canonical JSON: which version a scrub result belongs to. */
export function documentHash(doc: ClaimDocument): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(doc)))
    .digest('hex');
}

export interface Envelope {
  submitter: Party;
  receiver: Party;
  sender: { qualifier: string; id: string };
  receiverId: { qualifier: string; id: string };
}

/**
 * One transaction set per claim type, billing providers and subscribers regrouped from the claims'
 * own copies: what serialize837 writes.
 */
export function transactionsOf(
  docs: readonly ClaimDocument[],
  envelope: Envelope,
  beginning: { referenceId: string; date: string; time: string },
): ClaimTransaction[] {
  const out: ClaimTransaction[] = [];
  for (const type of ['837P', '837I'] as const) {
    const mine = docs.filter((d) => d.type === type);
    if (mine.length === 0) continue;
    const byProvider = new Map<string, ClaimTransaction['billingProviders'][number]>();
    for (const d of mine) {
      const key = `${d.billingProvider.provider.id}`;
      let bp = byProvider.get(key);
      if (!bp) {
        bp = { ...structuredClone(d.billingProvider), subscribers: [], segments: [] };
        byProvider.set(key, bp);
      }
      const subscriber: Subscriber = {
        ...structuredClone(d.subscriber),
        claims: [],
        patients: [],
        segments: [],
      };
      if (d.patient)
        subscriber.patients.push({ ...structuredClone(d.patient), claims: [structuredClone(d.claim)] });
      else subscriber.claims.push(structuredClone(d.claim));
      bp.subscribers.push(subscriber);
    }
    out.push({
      type,
      implementation: IMPLEMENTATION[type],
      control: '',
      beginning: {
        structure: '0019',
        // 00 original; CH chargeable (the claims are billed to the payer).
        purpose: '00',
        referenceId: beginning.referenceId,
        date: beginning.date,
        time: beginning.time,
        claimType: 'CH',
      },
      submitter: envelope.submitter,
      receiver: envelope.receiver,
      billingProviders: [...byProvider.values()],
      segments: [],
    });
  }
  return out;
}

export function interchangeOptions(
  envelope: Envelope,
  at: Date,
  control: InterchangeOptions['control'],
): InterchangeOptions {
  const iso = at.toISOString();
  return {
    sender: envelope.sender,
    receiver: envelope.receiverId,
    date: iso.slice(0, 10),
    time: iso.slice(11, 16),
    // ISA15: T (test) unless the hospital says it sends production files.
    usage: process.env.CAREBRIDGE_X12_USAGE === 'P' ? 'P' : 'T',
    control,
  };
}
