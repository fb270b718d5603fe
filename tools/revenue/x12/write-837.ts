/**
 * `ClaimTransaction`s → an X12 5010 interchange: ISA (fixed width, padded), GS per implementation
 * guide, ST/BHT/loops in the guides' order/SE with its segment count, GE/IEA with their counts.
 * Control numbers come from an injected counter so output is reproducible. Writes what the model
 * names (see types.ts); segments it keeps only raw (`segments`) are not written back.
 */
import { defaultSeparators, type Separators } from './segments.ts';
import type {
  Address,
  Claim,
  ClaimTransaction,
  Contact,
  DateValue,
  HealthCareCode,
  Party,
  Procedure,
  ServiceLine,
} from './types.ts';

/** Hands out control numbers: ISA13 (interchange), GS06 (group), ST02 (transaction set). */
export interface ControlNumbers {
  next(kind: 'interchange' | 'group' | 'transaction'): number;
}

/** A counter per kind, starting at `start` (deterministic for tests and reproducible files). */
export function sequentialControlNumbers(start = 1): ControlNumbers {
  const counters = { interchange: start, group: start, transaction: start };
  return { next: (kind) => counters[kind]++ };
}

export interface InterchangeOptions {
  /** ISA05/ISA06 (padded to 15) and GS02 unless `applicationSender` is given. */
  sender: { qualifier: string; id: string };
  receiver: { qualifier: string; id: string };
  applicationSender?: string;
  applicationReceiver?: string;
  /** ISO date and HH:MM time of the interchange (ISA09/10, GS04/05). */
  date: string;
  time: string;
  /** ISA15: T test (default) or P production. */
  usage?: 'T' | 'P';
  control: ControlNumbers;
  separators?: Partial<Separators>;
}

const ELEMENT_WIDTHS = { qualifier: 2, id: 15 } as const;

function amount(n: number): string {
  // X12 "R": no exponent, no trailing zeros needed.
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

function compactDate(iso: string): string {
  return iso.length === 10 && iso[4] === '-'
    ? `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`
    : iso;
}

/**
 * Writes segments, dropping trailing empty elements and counting them for SE01. Each segment is one
 * `join` of its elements (a flat string, not a chain of concatenations kept alive until the end) and
 * carries no terminator: `serialize837` joins all segments with terminator and newline at once.
 */
class SegmentWriter {
  readonly lines: string[] = [];
  readonly sep: Separators;
  constructor(sep: Separators) {
    this.sep = sep;
  }
  add(...elements: (string | number | undefined)[]): void {
    let n = elements.length;
    while (n > 1 && (elements[n - 1] === undefined || elements[n - 1] === '')) n--;
    elements.length = n;
    for (let k = 1; k < n; k++) {
      const e = elements[k];
      if (typeof e === 'number') elements[k] = amount(e);
    }
    this.lines.push(elements.join(this.sep.element));
  }
  composite(...parts: (string | number | undefined)[]): string {
    let n = parts.length;
    while (n > 1 && (parts[n - 1] === undefined || parts[n - 1] === '')) n--;
    return parts
      .slice(0, n)
      .map((p) => (p === undefined ? '' : typeof p === 'number' ? amount(p) : p))
      .join(this.sep.component);
  }
}

export function serialize837(transactions: ClaimTransaction[], options: InterchangeOptions): string {
  const sep: Separators = { ...defaultSeparators, ...options.separators };
  const out: string[] = [];
  const isaControl = String(options.control.next('interchange')).padStart(9, '0');
  const yymmdd = compactDate(options.date).slice(2);
  const hhmm = options.time.replace(':', '');
  const pad = (s: string, width: number) => s.padEnd(width, ' ').slice(0, width);
  const isa = [
    'ISA',
    '00',
    pad('', 10),
    '00',
    pad('', 10),
    pad(options.sender.qualifier, ELEMENT_WIDTHS.qualifier),
    pad(options.sender.id, ELEMENT_WIDTHS.id),
    pad(options.receiver.qualifier, ELEMENT_WIDTHS.qualifier),
    pad(options.receiver.id, ELEMENT_WIDTHS.id),
    yymmdd,
    hhmm,
    sep.repetition ?? 'U',
    '00501',
    isaControl,
    '0',
    options.usage ?? 'T',
    sep.component,
  ].join(sep.element);
  out.push(isa);

  // One functional group per implementation guide (GS08), in order of first appearance.
  const groups = new Map<string, ClaimTransaction[]>();
  for (const tx of transactions) {
    const version = tx.implementation || (tx.type === '837P' ? '005010X222A1' : '005010X223A2');
    groups.set(version, [...(groups.get(version) ?? []), tx]);
  }
  for (const [version, txs] of groups) {
    const gsControl = String(options.control.next('group'));
    out.push(
      [
        'GS',
        'HC',
        options.applicationSender ?? options.sender.id,
        options.applicationReceiver ?? options.receiver.id,
        compactDate(options.date),
        hhmm,
        gsControl,
        'X',
        version,
      ].join(sep.element),
    );
    for (const tx of txs) {
      const stControl = String(options.control.next('transaction')).padStart(4, '0');
      const w = new SegmentWriter(sep);
      w.add('ST', '837', stControl, version);
      writeTransaction(w, tx);
      w.add('SE', w.lines.length + 1, stControl);
      for (const line of w.lines) out.push(line);
    }
    out.push(['GE', String(txs.length), gsControl].join(sep.element));
  }
  out.push(['IEA', String(groups.size), isaControl].join(sep.element));
  return out.join(`${sep.segment}\n`) + sep.segment;
}

function writeTransaction(w: SegmentWriter, tx: ClaimTransaction): void {
  const b = tx.beginning;
  w.add('BHT', b.structure, b.purpose, b.referenceId, b.date, b.time, b.claimType);
  writeParty(w, '41', tx.submitter);
  writeParty(w, '40', tx.receiver);
  let hl = 0;
  for (const bp of tx.billingProviders) {
    const bpId = ++hl;
    w.add('HL', bpId, '', '20', bp.subscribers.length > 0 ? '1' : '0');
    if (bp.taxonomy) w.add('PRV', 'BI', 'PXC', bp.taxonomy);
    writeParty(w, '85', bp.provider);
    if (bp.payToAddress) {
      w.add('NM1', '87', '2');
      writeAddress(w, bp.payToAddress);
    }
    if (bp.payToPlan) writeParty(w, 'PE', bp.payToPlan);
    for (const sub of bp.subscribers) {
      const subId = ++hl;
      w.add('HL', subId, bpId, '22', sub.patients.length > 0 ? '1' : '0');
      w.add(
        'SBR',
        sub.responsibility,
        sub.relationship,
        sub.groupNumber,
        sub.groupName,
        sub.insuranceType,
        '',
        '',
        '',
        sub.claimFilingIndicator,
      );
      writeParty(w, 'IL', sub.person);
      if (sub.demographics) writeDemographics(w, sub.demographics);
      writeParty(w, 'PR', sub.payer);
      for (const claim of sub.claims) writeClaim(w, tx.type, claim);
      for (const patient of sub.patients) {
        w.add('HL', ++hl, subId, '23', '0');
        w.add('PAT', patient.relationship);
        writeParty(w, 'QC', patient.person);
        if (patient.demographics) writeDemographics(w, patient.demographics);
        for (const claim of patient.claims) writeClaim(w, tx.type, claim);
      }
    }
  }
}

function writeDemographics(w: SegmentWriter, d: { dateOfBirth?: string; sex?: string }): void {
  w.add('DMG', d.dateOfBirth ? 'D8' : '', d.dateOfBirth ? compactDate(d.dateOfBirth) : '', d.sex);
}

function writeAddress(w: SegmentWriter, a: Address): void {
  if (a.line1 || a.line2) w.add('N3', a.line1, a.line2);
  if (a.city || a.state || a.postalCode || a.country) w.add('N4', a.city, a.state, a.postalCode, a.country);
}

function writeContact(w: SegmentWriter, c: Contact): void {
  w.add('PER', c.function, c.name, ...c.numbers.flatMap((n) => [n.qualifier, n.value]));
}

/** PRV01 by NM101: attending, operating, other operating, referring, supervising; PE performing otherwise. */
const prvCodes: Record<string, string> = { '71': 'AT', '72': 'OP', ZZ: 'OT', DN: 'RF', DK: 'OR', DQ: 'SU' };

/** NM1 and its loop in the guides' order: NM1, PRV (2310/2420), N3, N4, REF, PER. */
function writeParty(w: SegmentWriter, role: string, p: Party): void {
  w.add(
    'NM1',
    role,
    p.entityType,
    p.name,
    p.firstName,
    p.middleName,
    p.prefix,
    p.suffix,
    p.idQualifier,
    p.id,
  );
  if (p.taxonomy) w.add('PRV', prvCodes[role] ?? 'PE', 'PXC', p.taxonomy);
  if (p.address) writeAddress(w, p.address);
  for (const r of p.references ?? []) w.add('REF', r.qualifier, r.value);
  for (const c of p.contacts ?? []) writeContact(w, c);
}

function writeDate(w: SegmentWriter, d: DateValue): void {
  if (d.format) w.add('DTP', d.qualifier, d.format, d.start);
  else if (d.end !== undefined)
    w.add('DTP', d.qualifier, 'RD8', `${compactDate(d.start)}-${compactDate(d.end)}`);
  else w.add('DTP', d.qualifier, 'D8', compactDate(d.start));
}

function writeHi(w: SegmentWriter, codes: HealthCareCode[], grouped: boolean): void {
  // Diagnoses go 12 to an HI; other codes one HI per run of the same qualifier, as the guides lay them out.
  let run: HealthCareCode[] = [];
  const flush = () => {
    if (run.length === 0) return;
    w.add(
      'HI',
      ...run.map((c) =>
        w.composite(
          c.qualifier,
          c.code,
          c.dateFormat,
          c.date,
          c.amount,
          c.quantity,
          '',
          '',
          c.presentOnAdmission,
        ),
      ),
    );
    run = [];
  };
  for (const code of codes) {
    if (run.length === 12 || (grouped && run.length > 0 && run[0]?.qualifier !== code.qualifier)) flush();
    run.push(code);
  }
  flush();
}

function writeProcedure(w: SegmentWriter, p: Procedure): string {
  const mods = [0, 1, 2, 3].map((k) => p.modifiers[k]);
  return w.composite(p.qualifier, p.code, ...mods, p.description);
}

function writeClaim(w: SegmentWriter, type: '837P' | '837I', c: Claim): void {
  const clm05 = w.composite(c.facilityCode, c.facilityCodeQualifier, c.frequencyCode);
  const clm: (string | number | undefined)[] = ['CLM', c.id, c.totalCharge, '', '', clm05];
  clm.push(
    c.providerSignature,
    c.assignment,
    c.benefitsAssigned,
    c.releaseOfInformation,
    c.patientSignatureSource,
  );
  clm.push(c.relatedCauses ? w.composite(...c.relatedCauses) : undefined, c.specialProgram);
  if (c.delayReason) clm.push('', '', '', '', '', '', '', c.delayReason);
  w.add(...clm);
  for (const d of c.dates) writeDate(w, d);
  if (c.institutional)
    w.add(
      'CL1',
      c.institutional.admissionType,
      c.institutional.admissionSource,
      c.institutional.patientStatus,
    );
  if (c.priorAuthorization) w.add('REF', 'G1', c.priorAuthorization);
  if (c.originalClaimNumber) w.add('REF', 'F8', c.originalClaimNumber);
  for (const r of c.references) w.add('REF', r.qualifier, r.value);
  writeHi(w, c.diagnoses, false);
  writeHi(w, c.otherCodes, true);
  for (const p of c.providers) writeParty(w, p.role, p);
  for (const op of c.otherPayers) {
    w.add(
      'SBR',
      op.responsibility,
      op.relationship,
      op.groupNumber,
      op.groupName,
      '',
      '',
      '',
      '',
      op.claimFilingIndicator,
    );
    if (op.benefitsAssigned || op.releaseOfInformation)
      w.add('OI', '', '', op.benefitsAssigned, '', '', op.releaseOfInformation);
    if (op.subscriber) writeParty(w, 'IL', op.subscriber);
    if (op.payer) writeParty(w, 'PR', op.payer);
  }
  for (const line of c.lines) writeLine(w, type, line);
}

function writeLine(w: SegmentWriter, type: '837P' | '837I', l: ServiceLine): void {
  w.add('LX', l.lineNumber);
  if (type === '837P') {
    w.add(
      'SV1',
      l.procedure ? writeProcedure(w, l.procedure) : '',
      l.charge,
      l.unitBasis,
      l.units,
      l.placeOfService,
      '',
      l.diagnosisPointers ? w.composite(...l.diagnosisPointers) : undefined,
      '',
      l.emergency,
    );
  } else {
    w.add(
      'SV2',
      l.revenueCode,
      l.procedure ? writeProcedure(w, l.procedure) : '',
      l.charge,
      l.unitBasis,
      l.units,
      l.unitRate,
      l.nonCoveredCharge,
    );
  }
  for (const d of l.dates) writeDate(w, d);
  for (const r of l.references) w.add('REF', r.qualifier, r.value);
  if (l.drug) {
    w.add('LIN', '', l.drug.qualifier, l.drug.code);
    if (l.drug.quantity !== undefined || l.drug.unit) w.add('CTP', '', '', '', l.drug.quantity, l.drug.unit);
  }
  for (const p of l.providers) writeParty(w, p.role, p);
}
