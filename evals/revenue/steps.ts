import { type ClaimRemit, denied, era835 } from './remit835.ts';
import type { ClaimRef, KeyName, Lookup, RevenueStep, TaskExpectation } from './types.ts';

// The fixture's two encounters (tools/revenue/test-fixtures.ts) and the steps most scenarios share.
export const ADA = 'enc-ada-icu';
export const BO = 'enc-bo-knee';
/** Bo's knee claim as first sent (a replacement is frequency 7). */
export const bo: ClaimRef = { encounter: BO, frequency: '1' };
export const boReplacement: ClaimRef = { encounter: BO, frequency: '7' };
export const adaI: ClaimRef = { encounter: ADA, type: '837I', frequency: '1' };
export const adaP: ClaimRef = { encounter: ADA, type: '837P', frequency: '1' };
export const billBo: RevenueStep = { startBilling: BO };
export const billAda: RevenueStep = { startBilling: ADA };

/** post_remittance of an 835 built from the claims as they stand when the step runs. */
export const remit = (
  claims: (claim: Lookup) => ClaimRemit[],
  extra: { payer?: 'acme' | 'medicare'; control?: number; tag?: string; as?: KeyName } = {},
): RevenueStep => ({
  remit: (claim) => era835(claims(claim), { payer: extra.payer, control: extra.control }),
  ...(extra.tag ? { tag: extra.tag } : {}),
  ...(extra.as ? { as: extra.as } : {}),
});

/** Acme denies Bo's whole knee claim for one CARC. */
export const boDenied = (carc: string, group = 'CO') => remit((claim) => [denied(claim(bo), carc, group)]);

/** Bo billed (done), then the remittance's denial task in the given state. */
export const billedThenWorked = (
  status: TaskExpectation['status'],
  more: { outcome?: RegExp; notes?: RegExp[] } = {},
): TaskExpectation[] => [
  { kind: 'bill-encounter', status: 'done' },
  { kind: 'work-remittance', status, ...more },
];
