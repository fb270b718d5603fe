import { describe, expect, it } from 'vitest';
import { tokenize, X12FormatError } from './segments.ts';

const isa =
  'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240501*1030*^*00501*000000001*0*T*:~';

function refusal(text: string): X12FormatError {
  try {
    tokenize(text);
  } catch (err) {
    if (err instanceof X12FormatError) return err;
    throw err;
  }
  throw new Error('expected an X12FormatError');
}

describe('tokenize', () => {
  it('reads the separators from the fixed-width ISA', () => {
    const doc = tokenize(`${isa}GS*HC*A*B~`);
    expect(isa).toHaveLength(106);
    expect(doc.separators[0]).toEqual({ element: '*', component: ':', repetition: '^', segment: '~' });
    expect(doc.segments.map((s) => s.elements)).toEqual([
      isa.slice(0, -1).split('*'),
      ['GS', 'HC', 'A', 'B'],
    ]);
  });

  it('tolerates a byte-order mark, CR/LF, indentation and a missing final terminator, and positions segments in bytes', () => {
    const doc = tokenize(`\uFEFF${isa}\r\n   GS*HC*A*B~\r\n\tST*837*0001~\nSE*2*0001`);
    expect(doc.segments.map((s) => [s.id, s.ordinal])).toEqual([
      ['ISA', 1],
      ['GS', 2],
      ['ST', 3],
      ['SE', 4],
    ]);
    const bad = refusal(`\uFEFF${isa}\r\n   GS*HC*A*B~\r\n\tS-T*837~`);
    // 3 bytes of BOM + 106 + CR LF + 3 spaces + 10 + CR LF + tab = 127
    expect(bad.offset).toBe(127);
    expect(bad.line).toBe(3);
    expect(bad.message).toBe(
      "segment 3 (S-T) at byte 127, line 3: 'S-T' is not a segment identifier (2–3 capital letters or digits)",
    );
  });

  it('reads odd separators: > components, | elements, newline terminators, a 4010-style U in ISA11', () => {
    const odd = `${isa.replaceAll('*', '|').replace('|^|', '|U|').replace('|:~', '|>\n')}SVC|HC>99213|40\n`;
    const doc = tokenize(odd);
    expect(doc.separators[0]).toEqual({ element: '|', component: '>', repetition: null, segment: '\n' });
    expect(doc.segments[1]?.elements).toEqual(['SVC', 'HC>99213', '40']);
  });

  it('refuses an ISA that is not fixed-width, naming the element', () => {
    const err = refusal(`${isa.replace('SENDER         ', 'SENDER')}GS*HC~`);
    expect(err.segment).toEqual({ id: 'ISA', ordinal: 1 });
    expect(err.message).toContain('ISA06 must be 15 characters wide');
  });

  it('refuses a file that does not start with ISA', () => {
    expect(refusal('GS*HC*A*B~ST*837~').message).toMatch(
      /^segment 1 \(GS\) at byte 0, line 1: an X12 file starts with the ISA/,
    );
  });

  it('reads each interchange with its own separators', () => {
    const second = isa.replaceAll('*', '|').replace('|:~', '|>!').replace('000000001', '000000002');
    const doc = tokenize(`${isa}IEA*0*000000001~${second}IEA|0|000000002!`);
    expect(doc.segments.map((s) => s.elements.join(','))).toHaveLength(4);
    expect(doc.segments[3]?.elements).toEqual(['IEA', '0', '000000002']);
    expect(doc.separators.map((s) => s.segment)).toEqual(['~', '!']);
  });
});
