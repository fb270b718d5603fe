/**
 * 837P / 837I transaction set (the segments between ST and SE) → `ClaimTransaction`.
 *
 * The HL hierarchy is followed by level code (20 billing provider, 22 subscriber, 23 patient), not by
 * HL02 parent ids, which test files often get wrong. Before a claim, only the segments the guides
 * allow in each loop are accepted, so a file with loops out of order is refused naming the segment;
 * inside claims and lines, segments the model does not name are kept in `segments` without complaint.
 */
import {
  type ReadContext,
  applyN3,
  applyN4,
  components,
  readDtp,
  readNm1,
  readPer,
  readProcedure,
} from './read-common.ts';
import {
  decimal,
  element,
  formatError,
  isDecimal,
  isoDate,
  optional,
  optionalDecimal,
  required,
  type X12Segment,
} from './segments.ts';
import type {
  BillingProvider,
  Claim,
  ClaimProvider,
  ClaimTransaction,
  HealthCareCode,
  OtherPayer,
  Party,
  Patient,
  ServiceLine,
  Subscriber,
} from './types.ts';
import { diagnosisQualifiers } from './types.ts';

type Loop =
  | 'header'
  | '2000A'
  | '2000B'
  | '2000C'
  | '2300'
  | '2310'
  | '2320'
  | '2330'
  | '2400'
  | '2410'
  | '2420'
  | '2430';

/** Segments the guides allow in the loops before a claim (with their 2010 sub-loops). */
const allowedBeforeClaim: Record<'header' | '2000A' | '2000B' | '2000C', ReadonlySet<string>> = {
  header: new Set(['BHT', 'NM1', 'PER', 'HL']),
  '2000A': new Set(['HL', 'PRV', 'CUR', 'NM1', 'N3', 'N4', 'REF', 'PER']),
  '2000B': new Set(['HL', 'SBR', 'PAT', 'NM1', 'N3', 'N4', 'DMG', 'REF', 'PER', 'CLM']),
  '2000C': new Set(['HL', 'PAT', 'NM1', 'N3', 'N4', 'DMG', 'REF', 'PER', 'CLM']),
};

const loopNames: Record<Loop, string> = {
  header: 'the header (before the first HL)',
  '2000A': 'the billing provider loop (2000A)',
  '2000B': 'the subscriber loop (2000B)',
  '2000C': 'the patient loop (2000C)',
  '2300': 'the claim loop (2300)',
  '2310': 'the claim provider loop (2310)',
  '2320': 'the other subscriber loop (2320)',
  '2330': 'the other payer loops (2330)',
  '2400': 'the service line loop (2400)',
  '2410': 'the drug loop (2410)',
  '2420': 'the line provider loop (2420)',
  '2430': 'the line adjudication loop (2430)',
};

export function read837(
  ctx: ReadContext,
  body: X12Segment[],
  type: '837P' | '837I',
  implementation: string,
  control: string,
): ClaimTransaction {
  const { text } = ctx;
  const fail = (seg: X12Segment, problem: string) => formatError(text, seg, problem);
  const first = body[0];
  if (first?.id !== 'BHT')
    throw first
      ? fail(first, `expected BHT after ST, found ${first.id}`)
      : new Error('empty 837 transaction');

  const tx: ClaimTransaction = {
    type,
    implementation,
    control,
    beginning: {
      structure: element(first, 1),
      purpose: element(first, 2),
      referenceId: element(first, 3),
      date: element(first, 4),
      time: element(first, 5),
      claimType: element(first, 6),
    },
    submitter: { entityType: '2' },
    receiver: { entityType: '2' },
    billingProviders: [],
    segments: [first],
  };
  let sawSubmitter = false;
  let sawReceiver = false;
  let loop: Loop = 'header';
  let owner: X12Segment[] = tx.segments;
  let provider: BillingProvider | null = null;
  let subscriber: Subscriber | null = null;
  let patient: Patient | null = null;
  let claim: Claim | null = null;
  let line: ServiceLine | null = null;
  let party: Party | null = null;
  let otherPayer: OtherPayer | null = null;
  let afterLx = false;

  for (let i = 1; i < body.length; i++) {
    const seg = body[i] as X12Segment;
    const id = seg.id;
    if (afterLx) {
      const expected = type === '837P' ? 'SV1' : 'SV2';
      if (id !== expected && id !== 'SV5')
        throw fail(seg, `expected ${expected} right after LX (loop 2400), found ${id}`);
      afterLx = false;
    }
    if (loop === 'header' || loop === '2000A' || loop === '2000B' || loop === '2000C') {
      if (!allowedBeforeClaim[loop].has(id)) throw fail(seg, `${id} is not expected in ${loopNames[loop]}`);
    }

    switch (id) {
      case 'HL': {
        const level = element(seg, 3);
        if (level === '20') {
          if (!sawSubmitter || !sawReceiver)
            throw fail(seg, 'the submitter (NM1*41) and receiver (NM1*40) must come before the first HL');
          provider = { provider: { entityType: '2' }, subscribers: [], segments: [] };
          tx.billingProviders.push(provider);
          subscriber = patient = null;
          loop = '2000A';
          owner = provider.segments;
        } else if (level === '22') {
          if (!provider) throw fail(seg, 'a subscriber HL (22) needs a billing provider HL (20) before it');
          if (provider.provider.name === undefined && provider.provider.id === undefined)
            throw fail(seg, 'the billing provider loop (2000A) has no NM1*85 before this HL');
          subscriber = {
            responsibility: '',
            person: { entityType: '1' },
            payer: { entityType: '2' },
            claims: [],
            patients: [],
            segments: [],
          };
          provider.subscribers.push(subscriber);
          patient = null;
          loop = '2000B';
          owner = subscriber.segments;
          const next = body[i + 1];
          if (next?.id !== 'SBR')
            throw fail(
              next ?? seg,
              `expected SBR right after a subscriber HL, found ${next?.id ?? 'nothing'}`,
            );
        } else if (level === '23') {
          if (!subscriber) throw fail(seg, 'a patient HL (23) needs a subscriber HL (22) before it');
          patient = { relationship: '', person: { entityType: '1' }, claims: [], segments: [] };
          subscriber.patients.push(patient);
          loop = '2000C';
          owner = patient.segments;
          const next = body[i + 1];
          if (next?.id !== 'PAT')
            throw fail(next ?? seg, `expected PAT right after a patient HL, found ${next?.id ?? 'nothing'}`);
        } else {
          throw fail(
            seg,
            `HL03 must be 20 (billing provider), 22 (subscriber) or 23 (patient), not '${level}'`,
          );
        }
        claim = line = null;
        party = null;
        otherPayer = null;
        owner.push(seg);
        continue;
      }
      case 'CLM': {
        // A claim belongs to the latest patient or subscriber HL, also after another claim's lines.
        const holder = loop === 'header' || loop === '2000A' ? null : (patient ?? subscriber);
        if (!holder) throw fail(seg, `CLM is not expected in ${loopNames[loop]}`);
        if (subscriber && subscriber.payer.name === undefined && subscriber.payer.id === undefined)
          throw fail(seg, 'the subscriber loop (2000B) has no payer (NM1*PR) before this claim');
        claim = readClm(ctx, seg);
        holder.claims.push(claim);
        line = null;
        party = null;
        loop = '2300';
        owner = claim.segments;
        owner.push(seg);
        continue;
      }
      case 'LX': {
        if (!claim) throw fail(seg, 'LX (service line) is not expected before a claim (CLM)');
        const n = element(seg, 1);
        if (!isDecimal(n)) throw fail(seg, `LX01 (line number) is not a number: '${n}'`);
        line = {
          lineNumber: Number(n),
          charge: 0,
          dates: [],
          references: [],
          providers: [],
          segments: [seg],
        };
        claim.lines.push(line);
        loop = '2400';
        owner = line.segments;
        party = null;
        afterLx = true;
        continue;
      }
      case 'SBR': {
        if (loop === '2000B' && subscriber) {
          subscriber.responsibility = required(text, seg, 1, 'payer responsibility');
          const s = subscriber;
          const fields = ['relationship', 'groupNumber', 'groupName', 'insuranceType'] as const;
          fields.forEach((f, k) => {
            const v = optional(seg, k + 2);
            if (v !== undefined) s[f] = v;
          });
          const cfi = optional(seg, 9);
          if (cfi !== undefined) subscriber.claimFilingIndicator = cfi;
        } else if (claim && (loop === '2300' || loop === '2310' || loop === '2320' || loop === '2330')) {
          otherPayer = { responsibility: required(text, seg, 1, 'payer responsibility') };
          const op = otherPayer;
          const map = [
            [2, 'relationship'],
            [3, 'groupNumber'],
            [4, 'groupName'],
            [9, 'claimFilingIndicator'],
          ] as const;
          for (const [k, f] of map) {
            const v = optional(seg, k);
            if (v !== undefined) op[f] = v;
          }
          claim.otherPayers.push(op);
          loop = '2320';
          party = null;
        } else {
          throw fail(seg, `SBR is not expected in ${loopNames[loop]}`);
        }
        break;
      }
      case 'NM1': {
        const role = element(seg, 1);
        if (loop === 'header') {
          if (role === '41') {
            tx.submitter = readNm1(ctx, seg);
            party = tx.submitter;
            sawSubmitter = true;
          } else if (role === '40') {
            if (!sawSubmitter) throw fail(seg, 'the receiver (NM1*40) must follow the submitter (NM1*41)');
            tx.receiver = readNm1(ctx, seg);
            party = tx.receiver;
            sawReceiver = true;
          } else throw fail(seg, `NM1*${role} is not expected in ${loopNames[loop]}`);
        } else if (loop === '2000A' && provider) {
          if (role === '85') provider.provider = party = readNm1(ctx, seg);
          else if (role === 'PE') provider.payToPlan = party = readNm1(ctx, seg);
          else if (role === '87') {
            readNm1(ctx, seg);
            provider.payToAddress = { line1: '' };
            party = null; // the N3/N4 that follow fill payToAddress
          } else throw fail(seg, `NM1*${role} is not expected in ${loopNames[loop]}`);
        } else if (loop === '2000B' && subscriber) {
          if (role === 'IL') subscriber.person = party = readNm1(ctx, seg);
          else if (role === 'PR') subscriber.payer = party = readNm1(ctx, seg);
          else throw fail(seg, `NM1*${role} is not expected in ${loopNames[loop]}`);
        } else if (loop === '2000C' && patient) {
          if (role !== 'QC') throw fail(seg, `NM1*${role} is not expected in ${loopNames[loop]}`);
          patient.person = party = readNm1(ctx, seg);
        } else if (claim && (loop === '2320' || loop === '2330')) {
          const p = readNm1(ctx, seg);
          if (otherPayer && role === 'IL' && !otherPayer.subscriber) otherPayer.subscriber = p;
          else if (otherPayer && role === 'PR' && !otherPayer.payer) otherPayer.payer = p;
          party = p;
          loop = '2330';
        } else if (claim && (loop === '2300' || loop === '2310')) {
          const p: ClaimProvider = { role, ...readNm1(ctx, seg) };
          claim.providers.push(p);
          party = p;
          loop = '2310';
        } else if (line) {
          const p: ClaimProvider = { role, ...readNm1(ctx, seg) };
          line.providers.push(p);
          party = p;
          loop = '2420';
        }
        break;
      }
      case 'N3':
      case 'N4': {
        const apply = id === 'N3' ? applyN3 : applyN4;
        if (loop === '2000A' && provider && party === null && provider.payToAddress)
          provider.payToAddress = apply(provider.payToAddress, seg);
        else if (party) party.address = apply(party.address, seg);
        break;
      }
      case 'PER':
        if (party && loop !== '2300' && loop !== '2400') {
          party.contacts ??= [];
          party.contacts.push(readPer(seg));
        }
        break;
      case 'PRV':
        if (loop === '2000A' && provider) {
          const taxonomy = optional(seg, 3);
          if (taxonomy !== undefined) provider.taxonomy = taxonomy;
        } else if (party && (loop === '2310' || loop === '2420')) {
          const taxonomy = optional(seg, 3);
          if (taxonomy !== undefined) party.taxonomy = taxonomy;
        }
        break;
      case 'DMG': {
        const dob = optional(seg, 2);
        const sex = optional(seg, 3);
        const demographics = {
          ...(dob !== undefined ? { dateOfBirth: isoDate(text, seg, dob, 'DMG02') } : {}),
          ...(sex !== undefined ? { sex } : {}),
        };
        if (loop === '2000C' && patient) patient.demographics = demographics;
        else if (loop === '2000B' && subscriber) subscriber.demographics = demographics;
        break;
      }
      case 'PAT':
        if (loop === '2000C' && patient)
          patient.relationship = required(text, seg, 1, 'relationship to insured');
        break;
      case 'REF': {
        const reference = { qualifier: element(seg, 1), value: element(seg, 2) };
        if (loop === '2300' && claim) {
          if (reference.qualifier === 'G1') claim.priorAuthorization = reference.value;
          else if (reference.qualifier === 'F8') claim.originalClaimNumber = reference.value;
          else claim.references.push(reference);
        } else if (loop === '2400' && line) line.references.push(reference);
        else if (party && loop !== '2410' && loop !== '2430') {
          party.references ??= [];
          party.references.push(reference);
        }
        break;
      }
      case 'DTP':
        if (loop === '2300' && claim) claim.dates.push(readDtp(ctx, seg));
        else if (loop === '2400' && line) line.dates.push(readDtp(ctx, seg));
        break;
      case 'CL1':
        if (loop === '2300' && claim) {
          const [admissionType, admissionSource, patientStatus] = [1, 2, 3].map((k) => optional(seg, k));
          claim.institutional = {
            ...(admissionType !== undefined ? { admissionType } : {}),
            ...(admissionSource !== undefined ? { admissionSource } : {}),
            ...(patientStatus !== undefined ? { patientStatus } : {}),
          };
        }
        break;
      case 'HI':
        if (loop !== '2300' || !claim) throw fail(seg, `HI is not expected in ${loopNames[loop]}`);
        readHi(ctx, seg, claim);
        break;
      case 'OI':
        if (otherPayer && loop === '2320') {
          const benefits = optional(seg, 3);
          if (benefits !== undefined) otherPayer.benefitsAssigned = benefits;
          const release = optional(seg, 6);
          if (release !== undefined) otherPayer.releaseOfInformation = release;
        }
        break;
      case 'SV1':
      case 'SV2':
        if (line?.segments.length !== 1) throw fail(seg, `${id} is only expected right after LX`);
        readService(ctx, seg, line, type);
        break;
      case 'LIN':
        if (line) {
          line.drug = { qualifier: element(seg, 2), code: required(text, seg, 3, 'drug code') };
          loop = '2410';
        }
        break;
      case 'CTP':
        if (line?.drug && loop === '2410') {
          const quantity = optionalDecimal(text, seg, 4, 'drug quantity');
          if (quantity !== undefined) line.drug.quantity = quantity;
          const unit = components(ctx, element(seg, 5))[0];
          if (unit) line.drug.unit = unit;
        }
        break;
      case 'SVD':
        if (line) loop = '2430';
        break;
    }
    owner.push(seg);
  }
  if (!sawSubmitter || !sawReceiver) {
    const last = body[body.length - 1] as X12Segment;
    throw fail(last, 'the 837 has no submitter (NM1*41) and receiver (NM1*40)');
  }
  if (tx.billingProviders.length === 0)
    throw fail(body[body.length - 1] as X12Segment, 'the 837 has no billing provider (HL*20)');
  return tx;
}

function readClm(ctx: ReadContext, seg: X12Segment): Claim {
  const { text } = ctx;
  const id = required(text, seg, 1, 'patient control number');
  const totalCharge = decimal(text, seg, 2, 'total claim charge');
  const facility = components(ctx, required(text, seg, 5, 'facility code composite'));
  const claim: Claim = {
    id,
    totalCharge,
    facilityCode: facility[0] ?? '',
    facilityCodeQualifier: facility[1] ?? '',
    frequencyCode: facility[2] ?? '',
    dates: [],
    references: [],
    diagnoses: [],
    otherCodes: [],
    providers: [],
    otherPayers: [],
    lines: [],
    segments: [],
  };
  if (claim.facilityCode === '')
    throw formatError(text, seg, `CLM05-1 (place of service / facility type) is required`);
  const named = [
    [6, 'providerSignature'],
    [7, 'assignment'],
    [8, 'benefitsAssigned'],
    [9, 'releaseOfInformation'],
    [10, 'patientSignatureSource'],
    [12, 'specialProgram'],
    [20, 'delayReason'],
  ] as const;
  for (const [k, f] of named) {
    const v = optional(seg, k);
    if (v !== undefined) claim[f] = v;
  }
  const causes = optional(seg, 11);
  if (causes !== undefined) claim.relatedCauses = components(ctx, causes);
  return claim;
}

function readHi(ctx: ReadContext, seg: X12Segment, claim: Claim): void {
  const comp = ctx.separators.component;
  const els = seg.elements;
  for (let k = 1; k < els.length; k++) {
    const value = els[k] as string;
    if (value === '') continue;
    let parts = value.split(comp);
    if (parts.length === 1) {
      // Some senders put the qualifier and the code in two elements (HI*BK*8901): read them as one.
      const next = els[k + 1];
      if (next === undefined || next === '' || next.includes(comp))
        throw formatError(
          ctx.text,
          seg,
          `HI${String(k).padStart(2, '0')} has a qualifier but no code: '${value}'`,
        );
      ctx.warnings.push({
        segment: seg,
        problem: `HI${String(k).padStart(2, '0')} and the next element read as one composite ${value}${comp}${next}`,
      });
      parts = [value, next];
      k++;
    }
    const code: HealthCareCode = { qualifier: parts[0] ?? '', code: parts[1] ?? '' };
    if (code.code === '')
      throw formatError(ctx.text, seg, `HI${String(k).padStart(2, '0')} has no code: '${value}'`);
    if (parts[2]) code.dateFormat = parts[2];
    if (parts[3]) code.date = parts[3];
    if (parts[4]) {
      if (!isDecimal(parts[4])) throw formatError(ctx.text, seg, `HI amount is not a number: '${parts[4]}'`);
      code.amount = Number(parts[4]);
    }
    if (parts[5]) {
      if (!isDecimal(parts[5]))
        throw formatError(ctx.text, seg, `HI quantity is not a number: '${parts[5]}'`);
      code.quantity = Number(parts[5]);
    }
    if (parts[8]) code.presentOnAdmission = parts[8];
    (diagnosisQualifiers.has(code.qualifier) ? claim.diagnoses : claim.otherCodes).push(code);
  }
}

function readService(ctx: ReadContext, seg: X12Segment, line: ServiceLine, type: '837P' | '837I'): void {
  const { text } = ctx;
  if (seg.id === 'SV1') {
    if (type !== '837P') throw formatError(text, seg, 'SV1 (professional service) in an 837I');
    line.procedure = readProcedure(ctx, seg, 1);
    line.charge = decimal(text, seg, 2, 'line charge');
    const unitBasis = optional(seg, 3);
    if (unitBasis !== undefined) line.unitBasis = unitBasis;
    const units = optionalDecimal(text, seg, 4, 'units');
    if (units !== undefined) line.units = units;
    const pos = optional(seg, 5);
    if (pos !== undefined) line.placeOfService = pos;
    const pointers = optional(seg, 7);
    if (pointers !== undefined) {
      line.diagnosisPointers = components(ctx, pointers).map((p) => {
        if (!isDecimal(p)) throw formatError(text, seg, `SV107 diagnosis pointer is not a number: '${p}'`);
        return Number(p);
      });
    }
    const emergency = optional(seg, 9);
    if (emergency !== undefined) line.emergency = emergency;
  } else {
    if (type !== '837I') throw formatError(text, seg, 'SV2 (institutional service) in an 837P');
    line.revenueCode = required(text, seg, 1, 'revenue code');
    if (optional(seg, 2) !== undefined) line.procedure = readProcedure(ctx, seg, 2);
    line.charge = decimal(text, seg, 3, 'line charge');
    const unitBasis = optional(seg, 4);
    if (unitBasis !== undefined) line.unitBasis = unitBasis;
    const units = optionalDecimal(text, seg, 5, 'units');
    if (units !== undefined) line.units = units;
    const rate = optionalDecimal(text, seg, 6, 'unit rate');
    if (rate !== undefined) line.unitRate = rate;
    const nonCovered = optionalDecimal(text, seg, 7, 'non-covered charge');
    if (nonCovered !== undefined) line.nonCoveredCharge = nonCovered;
  }
}
