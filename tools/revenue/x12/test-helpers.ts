/** Helpers shared by the X12 tests: the sample files and the claims and transactions of a parse. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Claim, ClaimTransaction, RemittanceTransaction, X12File, X12Transaction } from './types.ts';

export const samplesDir = fileURLToPath(new URL('./samples/', import.meta.url));

export function sample(name: string): string {
  return readFileSync(`${samplesDir}${name}`, 'utf8');
}

export function transactionsOf(file: X12File): X12Transaction[] {
  return file.interchanges.flatMap((i) => i.groups.flatMap((g) => g.transactions));
}

export function claimTransactions(file: X12File): ClaimTransaction[] {
  return transactionsOf(file).filter((t): t is ClaimTransaction => t.type !== '835');
}

export function remittances(file: X12File): RemittanceTransaction[] {
  return transactionsOf(file).filter((t): t is RemittanceTransaction => t.type === '835');
}

export function claimsOf(tx: ClaimTransaction): Claim[] {
  return tx.billingProviders.flatMap((b) =>
    b.subscribers.flatMap((s) => [...s.claims, ...s.patients.flatMap((p) => p.claims)]),
  );
}

/** The typed structure without the raw segments and control numbers (which a rewrite renumbers). */
export function modelOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(modelOf);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'segments' && k !== 'control')
        .map(([k, v]) => [k, modelOf(v)]),
    );
  return value;
}
