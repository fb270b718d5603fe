/**
 * 835 transaction set (the segments between ST and SE) → `RemittanceTransaction`: BPR payment, TRN
 * trace, payer (N1*PR) and payee (N1*PE), claims (CLP, loop 2100) with claim-level CAS, service lines
 * (SVC, loop 2110) with line CAS, LQ remarks and REF 6R, and PLB provider adjustments. Written for
 * throughput: one switch per segment, no allocation beyond the result.
 */
import {
  type ReadContext,
  applyN3,
  applyN4,
  components,
  readDtm,
  readN1,
  readNm1,
  readPer,
  readProcedure,
} from './read-common.ts';
import {
  decimal,
  element,
  formatError,
  isoDate,
  optional,
  optionalDecimal,
  required,
  type X12Segment,
} from './segments.ts';
import type {
  Adjustment,
  Party,
  ProviderAdjustment,
  RemittanceClaim,
  RemittanceServiceLine,
  RemittanceTransaction,
} from './types.ts';

/** CAS: group code then up to six reason/amount/quantity triples, each becoming one Adjustment. */
function readCas(ctx: ReadContext, seg: X12Segment, into: Adjustment[]): void {
  const group = required(ctx.text, seg, 1, 'claim adjustment group code');
  for (let k = 2; k <= 17 && k < seg.elements.length; k += 3) {
    const reason = seg.elements[k];
    if (reason === undefined || reason === '') continue;
    const adjustment: Adjustment = {
      group,
      reason,
      amount: decimal(ctx.text, seg, k + 1, 'adjustment amount'),
    };
    const quantity = optionalDecimal(ctx.text, seg, k + 2, 'adjustment quantity');
    if (quantity !== undefined) adjustment.quantity = quantity;
    into.push(adjustment);
  }
}

function readPlb(ctx: ReadContext, seg: X12Segment): ProviderAdjustment {
  const plb: ProviderAdjustment = {
    provider: required(ctx.text, seg, 1, 'provider identifier'),
    fiscalPeriodEnd: isoDate(ctx.text, seg, required(ctx.text, seg, 2, 'fiscal period date'), 'PLB02'),
    adjustments: [],
    segment: seg,
  };
  for (let k = 3; k < seg.elements.length; k += 2) {
    const composite = seg.elements[k];
    if (composite === undefined || composite === '') continue;
    const [reason = '', reference] = components(ctx, composite);
    const adjustment: ProviderAdjustment['adjustments'][number] = {
      reason,
      amount: decimal(ctx.text, seg, k + 1, 'provider adjustment amount'),
    };
    if (reference) adjustment.reference = reference;
    plb.adjustments.push(adjustment);
  }
  if (plb.adjustments.length === 0)
    throw formatError(ctx.text, seg, 'PLB03/PLB04 (an adjustment) is required');
  return plb;
}

export function read835(
  ctx: ReadContext,
  body: X12Segment[],
  implementation: string,
  control: string,
): RemittanceTransaction {
  const { text } = ctx;
  const bpr = body[0];
  if (bpr?.id !== 'BPR')
    throw bpr ? formatError(text, bpr, `expected BPR after ST, found ${bpr.id}`) : new Error('empty 835');
  const payment: RemittanceTransaction['payment'] = {
    handling: required(text, bpr, 1, 'transaction handling code'),
    amount: decimal(text, bpr, 2, 'total payment amount'),
    creditDebit: element(bpr, 3),
    elements: bpr.elements,
  };
  const method = optional(bpr, 4);
  if (method !== undefined) payment.method = method;
  const date = optional(bpr, 16);
  if (date !== undefined) payment.date = isoDate(text, bpr, date, 'BPR16');

  const tx: RemittanceTransaction = {
    type: '835',
    implementation,
    control,
    payment,
    references: [],
    dates: [],
    payer: { entityType: '2' },
    payee: { entityType: '2' },
    claims: [],
    providerAdjustments: [],
    segments: [bpr],
  };
  let owner: X12Segment[] = tx.segments;
  let party: Party | null = null;
  let headerNumber: string | undefined;
  let claim: RemittanceClaim | null = null;
  let line: RemittanceServiceLine | null = null;
  let sawPayer = false;

  for (let i = 1; i < body.length; i++) {
    const seg = body[i] as X12Segment;
    switch (seg.id) {
      case 'TRN': {
        const trace: NonNullable<RemittanceTransaction['trace']> = {
          type: element(seg, 1),
          number: required(text, seg, 2, 'check or EFT trace number'),
        };
        const originator = optional(seg, 3);
        if (originator !== undefined) trace.originator = originator;
        const supplemental = optional(seg, 4);
        if (supplemental !== undefined) trace.supplemental = supplemental;
        tx.trace = trace;
        break;
      }
      case 'N1': {
        const role = element(seg, 1);
        if (claim) throw formatError(text, seg, `N1 is not expected inside a claim (CLP ${claim.claimId})`);
        party = readN1(seg);
        if (role === 'PR') {
          tx.payer = party;
          sawPayer = true;
        } else if (role === 'PE') tx.payee = party;
        break;
      }
      case 'N3':
        if (party && !claim) party.address = applyN3(party.address, seg);
        break;
      case 'N4':
        if (party && !claim) party.address = applyN4(party.address, seg);
        break;
      case 'PER':
        if (party && !claim) {
          party.contacts ??= [];
          party.contacts.push(readPer(seg));
        }
        break;
      case 'REF': {
        const reference = { qualifier: element(seg, 1), value: element(seg, 2) };
        if (line) {
          if (reference.qualifier === '6R') line.controlNumber = reference.value;
          else line.references.push(reference);
        } else if (claim) claim.references.push(reference);
        else if (party) {
          party.references ??= [];
          party.references.push(reference);
        } else tx.references.push(reference);
        break;
      }
      case 'DTM': {
        const dtm = readDtm(ctx, seg);
        if (line) line.dates.push(dtm);
        else if (claim) claim.dates.push(dtm);
        else tx.dates.push(dtm);
        break;
      }
      case 'LX':
        if (!sawPayer) throw formatError(text, seg, 'the payer (N1*PR) must come before the first LX');
        headerNumber = element(seg, 1);
        claim = line = null;
        owner = tx.segments;
        break;
      case 'CLP': {
        if (!sawPayer) throw formatError(text, seg, 'the payer (N1*PR) must come before the first claim');
        claim = {
          claimId: required(text, seg, 1, 'patient control number'),
          status: required(text, seg, 2, 'claim status code'),
          charge: decimal(text, seg, 3, 'total claim charge'),
          paid: decimal(text, seg, 4, 'claim payment amount'),
          adjustments: [],
          parties: [],
          dates: [],
          references: [],
          amounts: [],
          lines: [],
          segments: [],
        };
        if (headerNumber !== undefined) claim.headerNumber = headerNumber;
        const responsibility = optionalDecimal(text, seg, 5, 'patient responsibility amount');
        if (responsibility !== undefined) claim.patientResponsibility = responsibility;
        const named = [
          [6, 'filingIndicator'],
          [7, 'payerControlNumber'],
          [8, 'facilityCode'],
          [9, 'frequencyCode'],
          [11, 'drgCode'],
        ] as const;
        for (const [k, f] of named) {
          const v = optional(seg, k);
          if (v !== undefined) claim[f] = v;
        }
        tx.claims.push(claim);
        line = null;
        owner = claim.segments;
        break;
      }
      case 'CAS':
        if (line) readCas(ctx, seg, line.adjustments);
        else if (claim) readCas(ctx, seg, claim.adjustments);
        else throw formatError(text, seg, 'CAS is only expected inside a claim (CLP) or service line (SVC)');
        break;
      case 'NM1':
        if (claim && !line) claim.parties.push({ role: element(seg, 1), ...readNm1(ctx, seg) });
        break;
      case 'MIA':
        if (claim) claim.inpatient = seg.elements;
        break;
      case 'MOA':
        if (claim) claim.outpatient = seg.elements;
        break;
      case 'AMT': {
        const amount = { qualifier: element(seg, 1), amount: decimal(text, seg, 2, 'amount') };
        if (line) line.amounts.push(amount);
        else if (claim) claim.amounts.push(amount);
        break;
      }
      case 'SVC': {
        if (!claim) throw formatError(text, seg, 'SVC (service line) is only expected inside a claim (CLP)');
        line = {
          procedure: readProcedure(ctx, seg, 1),
          charge: decimal(text, seg, 2, 'line charge'),
          paid: decimal(text, seg, 3, 'line payment'),
          units: optionalDecimal(text, seg, 5, 'units paid') ?? 1,
          dates: [],
          adjustments: [],
          references: [],
          amounts: [],
          remarks: [],
          segments: [],
        };
        const revenueCode = optional(seg, 4);
        if (revenueCode !== undefined) line.revenueCode = revenueCode;
        if (optional(seg, 6) !== undefined) line.submittedProcedure = readProcedure(ctx, seg, 6);
        const submittedUnits = optionalDecimal(text, seg, 7, 'original units');
        if (submittedUnits !== undefined) line.submittedUnits = submittedUnits;
        claim.lines.push(line);
        owner = line.segments;
        break;
      }
      case 'LQ':
        if (!line)
          throw formatError(text, seg, 'LQ (remark code) is only expected inside a service line (SVC)');
        line.remarks.push({ qualifier: element(seg, 1), code: required(text, seg, 2, 'remark code') });
        break;
      case 'PLB':
        tx.providerAdjustments.push(readPlb(ctx, seg));
        claim = line = null;
        party = null;
        owner = tx.segments;
        break;
    }
    owner.push(seg);
  }
  if (!sawPayer) throw formatError(text, body[body.length - 1] as X12Segment, 'the 835 has no payer (N1*PR)');
  return tx;
}
