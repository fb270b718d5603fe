import { describe, expect, it } from 'vitest';
import { parseX12 } from '../../tools/revenue/x12/parse.ts';
import type { RemittanceTransaction } from '../../tools/revenue/x12/types.ts';
import { denied, era835, paidInFull } from './remit835.ts';
import type { ClaimNow } from './types.ts';

const knee: ClaimNow = {
  id: 'CLM123456789012',
  type: '837P',
  status: 'submitted',
  totalChargeCents: 680_000,
  payerClaimNumber: null,
  lines: [{ svc: 'HC:29881', chargeCents: 680_000, date: '2026-03-10' }],
};

const remittance = (text: string) =>
  parseX12(text).interchanges[0]!.groups[0]!.transactions[0] as RemittanceTransaction;

describe('the eval 835 writer', () => {
  it('writes an interchange the parser accepts with its envelope counts checked', () => {
    const text = era835([paidInFull(knee, 248_000, 62_000)], { control: 7 });
    const t = remittance(text);
    expect(t.type).toBe('835');
    expect(t.claims).toHaveLength(1);
    expect(t.claims[0]).toMatchObject({
      claimId: knee.id,
      status: '1',
      charge: 6800,
      paid: 2480,
      patientResponsibility: 620,
    });
    expect(t.claims[0]!.adjustments.map((a) => [a.group, a.reason, a.amount])).toEqual([
      ['CO', '45', 3700],
      ['PR', '2', 620],
    ]);
  });

  it('balances a payment in full: paid + contractual + patient share = charge', () => {
    const r = paidInFull(knee, 200_000, 50_000);
    const adjusted = (r.cas ?? []).reduce((s, [, , a]) => s + a, 0);
    expect(r.paidCents + adjusted).toBe(knee.totalChargeCents);
  });

  it('denies a whole claim with CLP02 4 and one CAS for the charge', () => {
    const t = remittance(era835([denied(knee, '197')]));
    expect(t.claims[0]).toMatchObject({ status: '4', paid: 0 });
    expect(t.claims[0]!.adjustments.map((a) => [a.group, a.reason, a.amount])).toEqual([['CO', '197', 6800]]);
  });

  it('writes service lines with their own adjustments, and an unknown CLP01 when asked', () => {
    const text = era835([
      {
        claim: knee,
        paidCents: 100_000,
        controlNumber: 'CLM999',
        lines: [{ line: 1, paidCents: 100_000, cas: [['CO', '97', 580_000]] }],
      },
    ]);
    const c = remittance(text).claims[0]!;
    expect(c.claimId).toBe('CLM999');
    expect(text).toContain('SVC*HC:29881*6800*1000**1~');
    expect(text).toContain('CAS*CO*97*5800~');
  });

  it('refuses a line the claim does not have', () => {
    expect(() => era835([{ claim: knee, paidCents: 0, lines: [{ line: 2, paidCents: 0 }] }])).toThrow(
      /no line 2/,
    );
  });
});
