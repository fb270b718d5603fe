import { paidInFull } from '../revenue/remit835.ts';
import { ADA, adaI, adaP, billAda, billBo, bo, remit } from '../revenue/steps.ts';
import { CLINIC, clinic, headerCoded } from '../revenue/encounters.ts';
import type { RevenueScenario } from '../revenue/types.ts';

// Real concurrent requests where a race would cost money: a remittance posted twice at once, a claim
// submitted twice at once, two answers to one review, a payment posted twice without a reversal.
const boPaid = (tag: string, control = 1) =>
  remit((claim) => [paidInFull(claim(bo), 248_000, 62_000)], { tag, control });

export const concurrencyScenarios: RevenueScenario[] = [
  {
    id: 'same-835-posted-concurrently',
    description: 'the same 835 posted twice at the same moment: one remittance, Bo’s claim paid once',
    steps: [billBo, { together: [boPaid('a'), boPaid('b')] }],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 200] }],
      claims: [{ ...bo, status: 'paid', paidCents: 248_000, patientResponsibilityCents: 62_000 }],
      remittances: 1,
      payments: { posted: 1 },
      workItems: [],
    },
  },
  {
    id: 'claim-submitted-concurrently-sent-once',
    description:
      'Ada’s professional claim submitted twice at the same moment: one file, the other call refused',
    steps: [
      { op: 'capture_charges', body: { encounterId: ADA } },
      { op: 'build_claims', body: { encounterId: ADA } },
      {
        together: [
          { op: 'submit_claims', body: (claim) => ({ claimIds: [claim(adaP).id] }), tag: 'a' },
          { op: 'submit_claims', body: (claim) => ({ claimIds: [claim(adaP).id] }), tag: 'b' },
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 409] }],
      claims: [{ ...adaP, status: 'submitted' }],
      outbox: { files: 1, claims: [adaP] },
    },
  },
  {
    id: 'two-answers-to-one-review',
    description: 'two answers to the same claim review at once: one is applied, the other refused (409)',
    setup: headerCoded,
    steps: [
      { startBilling: CLINIC },
      {
        together: [
          {
            answerReview: clinic,
            decision: 'correct',
            corrections: [{ kind: 'diagnosis', position: 1, code: 'M23.221' }],
            tag: 'a',
          },
          { answerReview: clinic, decision: 'void', reason: 'not billable', tag: 'b' },
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['a', 'b'], statuses: [200, 409] }],
      claimCounts: { [CLINIC]: 1 },
    },
  },
  {
    id: 'paid-twice-without-reversal',
    description: 'a second, different 835 pays Bo’s paid claim again: the overpayment goes to review',
    steps: [billBo, boPaid('first'), boPaid('second', 2)],
    expect: {
      claims: [{ ...bo, paidCents: 496_000 }],
      remittances: 2,
      workItems: [{ claim: bo, category: 'other', suggestedAction: 'review', status: 'open' }],
    },
  },
  {
    id: 'reversal-then-repaid',
    description: 'a payment reversed (CLP02 22) and paid again correctly: the claim ends paid, once',
    steps: [
      billBo,
      boPaid('paid'),
      remit(
        (claim) => [
          {
            claim: claim(bo),
            status: '22',
            chargeCents: -680_000,
            paidCents: -248_000,
            patientCents: -62_000,
            cas: [
              ['CO', '45', -370_000],
              ['PR', '2', -62_000],
            ],
          },
        ],
        { control: 2 },
      ),
      remit((claim) => [paidInFull(claim(bo), 272_000, 38_000)], { control: 3 }),
    ],
    expect: {
      claims: [{ ...bo, status: 'paid', paidCents: 272_000, patientResponsibilityCents: 38_000 }],
      remittances: 3,
      workItems: [],
    },
  },
  {
    id: 'two-payers-remit-concurrently',
    description:
      'Medicare pays Ada’s claims while Acme pays Bo’s, at the same moment: both post, nothing deadlocks',
    steps: [
      billAda,
      billBo,
      {
        together: [
          remit((claim) => [paidInFull(claim(adaI), 900_000), paidInFull(claim(adaP), 23_200, 5_800)], {
            payer: 'medicare',
            tag: 'medicare',
          }),
          boPaid('acme'),
        ],
      },
    ],
    expect: {
      raced: [{ tags: ['medicare', 'acme'], statuses: [200, 200] }],
      claims: [
        { ...adaI, status: 'paid', paidCents: 900_000 },
        { ...adaP, status: 'paid', paidCents: 23_200 },
        { ...bo, status: 'paid', paidCents: 248_000 },
      ],
      remittances: 2,
      payments: { posted: 3 },
    },
  },
];
