import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodeSetFormatError, parseDelimited, readTable } from './csv.ts';

const fields = (text: string, delimiter = ',') =>
  parseDelimited(text, 't.csv', delimiter).map((r) => r.fields);

describe('parseDelimited', () => {
  it.each([
    ['plain fields', 'a,b,c', [['a', 'b', 'c']]],
    ['a quoted comma', '1,"Pharmacy, retail"', [['1', 'Pharmacy, retail']]],
    ['doubled quotes', '"say ""hi""",x', [['say "hi"', 'x']]],
    ['an empty quoted field', '"",x', [['', 'x']]],
    ['empty unquoted fields', ',,', [['', '', '']]],
    [
      'a line break inside quotes',
      '"HCPCS/\nCPT Code",v\n1,2',
      [
        ['HCPCS/\nCPT Code', 'v'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF line ends and no trailing empty record',
      'a,b\r\nc,d\r\n',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['a byte-order mark', '\uFEFFcode,description', [['code', 'description']]],
    ['spaces kept as they are', 'A,  Sometimes, x', [['A', '  Sometimes', ' x']]],
    ['tabs as the delimiter', 'a\t"b,c"\td', [['a', 'b,c', 'd']]],
  ])('reads %s', (_name, text, expected) => {
    const delimiter = text.includes('\t') ? '\t' : ',';
    expect(fields(text, delimiter)).toEqual(expected);
  });

  it('numbers records by the line they start on', () => {
    const records = parseDelimited('h1,h2\n"two\nlines",x\nlast,y', 't.csv');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it.each([
    ['an unterminated quote', 'a,b\nc,"open\nstill open', 't.csv:2: unterminated quoted field'],
    ['text after a closing quote', 'a,b\n"x"y,z', 't.csv:2: unexpected "y" after a closing quote'],
    ['a quote inside an unquoted field', 'a,b\nc,d"e', 't.csv:2: quote inside an unquoted field'],
  ])('refuses %s, naming file:line', (_name, text, message) => {
    expect(() => parseDelimited(text, 't.csv')).toThrow(message);
  });
});

describe('readTable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codesets-csv-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('checks the header and returns the rows with their lines', () => {
    const table = readTable(file('ok.csv', 'code,description\n11,Office\n'), {
      header: ['code', 'description'],
    });
    expect(table.rows).toEqual([{ line: 2, fields: ['11', 'Office'] }]);
  });

  it('refuses a different header', () => {
    expect(() =>
      readTable(file('head.csv', 'code,desc\n11,Office\n'), { header: ['code', 'description'] }),
    ).toThrow('head.csv:1: header is "code,desc", expected "code,description"');
  });

  it('refuses a row with the wrong number of fields, and a blank line', () => {
    const options = { header: ['code', 'description'] };
    expect(() => readTable(file('short.csv', 'code,description\n11,Office\n12\n'), options)).toThrow(
      new CodeSetFormatError('short.csv', 3, 'expected 2 fields, found 1'),
    );
    expect(() => readTable(file('blank.csv', 'code,description\n\n11,Office\n'), options)).toThrow(
      'blank.csv:2:',
    );
  });
});
