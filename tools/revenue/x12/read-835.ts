/**
 * 835 transaction set (the segments between ST and SE) → `RemittanceTransaction`: BPR payment, TRN
 * trace, payer (N1*PR) and payee (N1*PE), claims (CLP, loop 2100) with claim-level CAS, service lines
 * (SVC, loop 2110) with line CAS, LQ remarks and REF 6R, and PLB provider adjustments. Written for
 * throughput: one switch per segment, no allocation beyond the result.
 */
import {
  type ReadContext,
  appended,
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
  elementAt,
  elementCount,
  formatError,
  isoDate,
  optional,
  optionalDecimal,
  required,
  type X12Document,
  type X12Segment,
} from './segments.ts';
import type {
  Adjustment,
  DateValue,
  Procedure,
  Reference,
  Party,
  ProviderAdjustment,
  RemittanceClaim,
  RemittanceServiceLine,
  RemittanceTransaction,
} from './types.ts';

/** CLP elements read as named optional fields. */
const clpNamed = [
  [6, 'filingIndicator'],
  [7, 'payerControlNumber'],
  [8, 'facilityCode'],
  [9, 'frequencyCode'],
  [11, 'drgCode'],
] as const;

/** CAS: group code then up to six reason/amount/quantity triples, each becoming one Adjustment. */
function readCas(ctx: ReadContext, seg: X12Segment, into: Adjustment[]): Adjustment[] {
  let list = into;
  const group = required(ctx.text, seg, 1, 'claim adjustment group code');
  const count = elementCount(seg);
  for (let k = 2; k <= 17 && k < count; k += 3) {
    const reason = elementAt(seg, k);
    if (reason === undefined || reason === '') continue;
    const adjustment: Adjustment = {
      group,
      reason,
      amount: decimal(ctx.text, seg, k + 1, 'adjustment amount'),
    };
    const quantity = optionalDecimal(ctx.text, seg, k + 2, 'adjustment quantity');
    if (quantity !== undefined) adjustment.quantity = quantity;
    list = appended(list, adjustment);
  }
  return list;
}

function readPlb(ctx: ReadContext, seg: X12Segment): ProviderAdjustment {
  const plb: ProviderAdjustment = {
    provider: required(ctx.text, seg, 1, 'provider identifier'),
    fiscalPeriodEnd: isoDate(ctx.text, seg, required(ctx.text, seg, 2, 'fiscal period date'), 'PLB02'),
    adjustments: [],
    segment: seg,
  };
  const count = elementCount(seg);
  for (let k = 3; k < count; k += 2) {
    const composite = elementAt(seg, k);
    if (composite === undefined || composite === '') continue;
    const [reason = '', reference] = components(ctx, composite);
    const adjustment: ProviderAdjustment['adjustments'][number] = {
      reason,
      amount: decimal(ctx.text, seg, k + 1, 'provider adjustment amount'),
    };
    if (reference) adjustment.reference = reference;
    plb.adjustments = appended(plb.adjustments, adjustment);
  }
  if (plb.adjustments.length === 0)
    throw formatError(ctx.text, seg, 'PLB03/PLB04 (an adjustment) is required');
  return plb;
}

/**
 * A loop whose raw segments are a contiguous run of the document: kept as an index range and made into
 * `X12Segment` objects only when `segments` is read (a large 835 has a million segments, and a parse
 * result that held one object per segment spent most of its time in garbage collection). `segments`
 * reads and writes like the plain array of the model; JSON output includes it.
 */
class Loop {
  #doc: X12Document;
  #from: number;
  #to: number;
  #list: X12Segment[] | null = null;
  constructor(doc: X12Document, from: number) {
    this.#doc = doc;
    this.#from = from;
    this.#to = from + 1;
  }
  /** The loop's last segment is the one before index `to`. */
  close(to: number): void {
    this.#to = to;
  }
  get segments(): X12Segment[] {
    this.#list ??= this.#doc.range(this.#from, this.#to);
    return this.#list;
  }
  set segments(list: X12Segment[]) {
    this.#list = list;
  }
  toJSON(): object {
    return { ...this, segments: this.segments };
  }
}

class ClaimLoop extends Loop {
  claimId: string;
  status: string;
  charge: number;
  paid: number;
  adjustments: Adjustment[] = [];
  parties: RemittanceClaim['parties'] = [];
  dates: DateValue[] = [];
  references: Reference[] = [];
  amounts: RemittanceClaim['amounts'] = [];
  lines: RemittanceServiceLine[] = [];
  constructor(doc: X12Document, from: number, claimId: string, status: string, charge: number, paid: number) {
    super(doc, from);
    this.claimId = claimId;
    this.status = status;
    this.charge = charge;
    this.paid = paid;
  }
}

class LineLoop extends Loop {
  procedure: Procedure;
  charge: number;
  paid: number;
  units: number;
  dates: DateValue[] = [];
  adjustments: Adjustment[] = [];
  references: Reference[] = [];
  amounts: RemittanceServiceLine['amounts'] = [];
  remarks: RemittanceServiceLine['remarks'] = [];
  constructor(
    doc: X12Document,
    from: number,
    procedure: Procedure,
    charge: number,
    paid: number,
    units: number,
  ) {
    super(doc, from);
    this.procedure = procedure;
    this.charge = charge;
    this.paid = paid;
    this.units = units;
  }
}

/** The 835 whose body (after ST, before SE) is segments `from` to `to` (exclusive) of `doc`. */
export function read835(
  ctx: ReadContext,
  doc: X12Document,
  from: number,
  to: number,
  implementation: string,
  control: string,
): RemittanceTransaction {
  const { text } = ctx;
  const bpr = doc.segment(from);
  if (bpr.id !== 'BPR') throw formatError(text, bpr, `expected BPR after ST, found ${bpr.id}`);
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
  // The raw segments of a claim or service line are a contiguous run of the body, kept as an index
  // range (see Loop). Others (header, LX, TS3, PLB…) are listed by index, made into objects when
  // tx.segments is first read.
  const own: number[] = [from];
  let ownList: X12Segment[] | null = null;
  Object.defineProperty(tx, 'segments', {
    get: () => {
      if (ownList === null) {
        ownList = new Array(own.length);
        for (let k = 0; k < own.length; k++) ownList[k] = doc.segment(own[k] as number);
      }
      return ownList;
    },
    set: (list: X12Segment[]) => {
      ownList = list;
    },
    enumerable: true,
    configurable: true,
  });
  let loop: Loop | null = null;
  const closeLoop = (at: number) => {
    if (loop !== null) loop.close(at);
    loop = null;
  };
  // One segment object re-pointed at each segment in turn; what the result keeps is made afresh.
  const seg = doc.segment(from);
  const source = seg.source;
  let party: Party | null = null;
  let headerNumber: string | undefined;
  let claim: RemittanceClaim | null = null;
  let line: RemittanceServiceLine | null = null;
  let sawPayer = false;

  for (let i = from + 1; i < to; i++) {
    doc.moveTo(seg, i, source);
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
          else line.references = appended(line.references, reference);
        } else if (claim) claim.references = appended(claim.references, reference);
        else if (party) {
          party.references ??= [];
          party.references = appended(party.references, reference);
        } else tx.references = appended(tx.references, reference);
        break;
      }
      case 'DTM': {
        const dtm = readDtm(ctx, seg);
        if (line) line.dates = appended(line.dates, dtm);
        else if (claim) claim.dates = appended(claim.dates, dtm);
        else tx.dates = appended(tx.dates, dtm);
        break;
      }
      case 'LX':
        if (!sawPayer) throw formatError(text, seg, 'the payer (N1*PR) must come before the first LX');
        headerNumber = element(seg, 1);
        claim = line = null;
        closeLoop(i);
        break;
      case 'CLP': {
        if (!sawPayer) throw formatError(text, seg, 'the payer (N1*PR) must come before the first claim');
        const claimId = required(text, seg, 1, 'patient control number');
        const status = required(text, seg, 2, 'claim status code');
        const charge = decimal(text, seg, 3, 'total claim charge');
        const paid = decimal(text, seg, 4, 'claim payment amount');
        const claimLoop = new ClaimLoop(doc, i, claimId, status, charge, paid);
        claim = claimLoop;
        if (headerNumber !== undefined) claim.headerNumber = headerNumber;
        const responsibility = optionalDecimal(text, seg, 5, 'patient responsibility amount');
        if (responsibility !== undefined) claim.patientResponsibility = responsibility;
        for (const [k, f] of clpNamed) {
          const v = optional(seg, k);
          if (v !== undefined) claim[f] = v;
        }
        tx.claims.push(claim);
        line = null;
        closeLoop(i);
        loop = claimLoop;
        break;
      }
      case 'CAS':
        if (line) line.adjustments = readCas(ctx, seg, line.adjustments);
        else if (claim) claim.adjustments = readCas(ctx, seg, claim.adjustments);
        else throw formatError(text, seg, 'CAS is only expected inside a claim (CLP) or service line (SVC)');
        break;
      case 'NM1':
        if (claim && !line) claim.parties = appended(claim.parties, readNm1(ctx, seg, element(seg, 1)));
        break;
      case 'MIA':
        if (claim) claim.inpatient = seg.elements;
        break;
      case 'MOA':
        if (claim) claim.outpatient = seg.elements;
        break;
      case 'AMT': {
        const amount = { qualifier: element(seg, 1), amount: decimal(text, seg, 2, 'amount') };
        if (line) line.amounts = appended(line.amounts, amount);
        else if (claim) claim.amounts = appended(claim.amounts, amount);
        break;
      }
      case 'SVC': {
        if (!claim) throw formatError(text, seg, 'SVC (service line) is only expected inside a claim (CLP)');
        const procedure = readProcedure(ctx, seg, 1);
        const lineCharge = decimal(text, seg, 2, 'line charge');
        const linePaid = decimal(text, seg, 3, 'line payment');
        const units = optionalDecimal(text, seg, 5, 'units paid') ?? 1;
        const lineLoop = new LineLoop(doc, i, procedure, lineCharge, linePaid, units);
        line = lineLoop;
        const revenueCode = optional(seg, 4);
        if (revenueCode !== undefined) line.revenueCode = revenueCode;
        if (optional(seg, 6) !== undefined) line.submittedProcedure = readProcedure(ctx, seg, 6);
        const submittedUnits = optionalDecimal(text, seg, 7, 'original units');
        if (submittedUnits !== undefined) line.submittedUnits = submittedUnits;
        claim.lines = appended(claim.lines, line);
        closeLoop(i);
        loop = lineLoop;
        break;
      }
      case 'LQ':
        if (!line)
          throw formatError(text, seg, 'LQ (remark code) is only expected inside a service line (SVC)');
        line.remarks = appended(line.remarks, {
          qualifier: element(seg, 1),
          code: required(text, seg, 2, 'remark code'),
        });
        break;
      case 'PLB':
        tx.providerAdjustments.push(readPlb(ctx, doc.segment(i)));
        claim = line = null;
        party = null;
        closeLoop(i);
        break;
    }
    if (loop === null) own.push(i);
  }
  closeLoop(to);
  if (!sawPayer) throw formatError(text, doc.segment(to - 1), 'the 835 has no payer (N1*PR)');
  return tx;
}
