import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InstanceFormatError, parseInstance } from './instance.ts';

const dataDir = fileURLToPath(new URL('../../../bench/data/curtois/', import.meta.url));

/** Counts each section's data lines straight from the text, independently of the parser. */
function sectionLines(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('SECTION_')) {
      current = line;
      sections.set(current, []);
    } else sections.get(current)?.push(line);
  }
  return sections;
}

describe('parsing the Curtois & Qu benchmark instances', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('Instance%i has as many items as its sections list', (n) => {
    const file = `${dataDir}Instance${n}.txt`;
    const text = readFileSync(file, 'utf8');
    const lines = sectionLines(text);
    const count = (name: string) => lines.get(name)?.length ?? 0;
    const instance = parseInstance(text, file);

    expect(instance.name).toBe(`Instance${n}`);
    expect(instance.horizonDays).toBe(Number(lines.get('SECTION_HORIZON')?.[0]));
    expect(instance.shifts).toHaveLength(count('SECTION_SHIFTS'));
    expect(instance.employees).toHaveLength(count('SECTION_STAFF'));
    const daysOff = (lines.get('SECTION_DAYS_OFF') ?? []).reduce(
      (sum, l) => sum + l.split(',').length - 1,
      0,
    );
    expect(instance.employees.reduce((sum, e) => sum + e.daysOff.length, 0)).toBe(daysOff);
    expect(instance.shiftOnRequests).toHaveLength(count('SECTION_SHIFT_ON_REQUESTS'));
    expect(instance.shiftOffRequests).toHaveLength(count('SECTION_SHIFT_OFF_REQUESTS'));
    expect(instance.cover).toHaveLength(count('SECTION_COVER'));
  });

  it('reads the fields of a shift, a staff line, a request and a cover line', () => {
    const file = `${dataDir}Instance5.txt`;
    const instance = parseInstance(readFileSync(file, 'utf8'), file);
    expect(instance.shifts).toEqual([
      { id: 'E', minutes: 480, cannotFollow: [] },
      { id: 'L', minutes: 480, cannotFollow: ['E'] },
    ]);
    expect(instance.employees[0]).toEqual({
      id: 'A',
      maxShifts: { E: 28, L: 0 },
      maxTotalMinutes: 8640,
      minTotalMinutes: 7560,
      maxConsecutiveShifts: 5,
      minConsecutiveShifts: 2,
      minConsecutiveDaysOff: 2,
      maxWeekends: 2,
      daysOff: [17, 22],
    });
    expect(instance.shiftOnRequests[0]).toEqual({ employee: 'A', day: 2, shift: 'E', weight: 3 });
    expect(instance.cover[0]).toMatchObject({ day: 0 });
  });
});

const valid = [
  'SECTION_HORIZON', // 1
  '7', // 2
  'SECTION_SHIFTS', // 3
  'D,480,', // 4
  'N,480,D', // 5
  'SECTION_STAFF', // 6
  'A,D=7|N=2,2400,960,5,2,2,1', // 7
  'SECTION_DAYS_OFF', // 8
  'A,3', // 9
  'SECTION_SHIFT_ON_REQUESTS', // 10
  'A,1,D,2', // 11
  'SECTION_SHIFT_OFF_REQUESTS', // 12
  'A,2,N,1', // 13
  'SECTION_COVER', // 14
  '0,D,1,100,1', // 15
];
const withLine = (line: number, text: string) => valid.map((l, i) => (i + 1 === line ? text : l)).join('\n');

describe('a malformed instance is refused with file, line and problem', () => {
  it('parses the unbroken snippet', () => {
    expect(parseInstance(valid.join('\n'), 'bad.txt').employees[0]?.daysOff).toEqual([3]);
  });

  it.each([
    ['an unknown section', withLine(8, 'SECTION_HOLIDAYS'), 8, /unknown section 'SECTION_HOLIDAYS'/],
    ['data before any section', `7\n${valid.join('\n')}`, 1, /data before any SECTION_ line/],
    ['a horizon that is not a number', withLine(2, 'two weeks'), 2, /horizon length must be an integer/],
    [
      'a shift length that is not a number',
      withLine(4, 'D,abc,'),
      4,
      /length of shift D must be an integer, got 'abc'/,
    ],
    [
      'a succession naming an unknown shift',
      withLine(5, 'N,480,X'),
      5,
      /unknown shift 'X' as unable to follow/,
    ],
    ['a staff line with too few fields', withLine(7, 'A,D=7,2400,960,5,2,2'), 7, /expected 8 fields/],
    [
      'MaxShifts naming an unknown shift',
      withLine(7, 'A,D=7|X=2,2400,960,5,2,2,1'),
      7,
      /MaxShifts names unknown shift 'X'/,
    ],
    ['a malformed MaxShifts entry', withLine(7, 'A,D7,2400,960,5,2,2,1'), 7, /MaxShifts entry 'D7'/],
    ['a negative limit', withLine(7, 'A,D=7,2400,960,5,2,2,-1'), 7, /MaxWeekends must be at least 0/],
    ['a day off for an unknown employee', withLine(9, 'Z,3'), 9, /unknown employee 'Z'/],
    ['a day outside the horizon', withLine(11, 'A,7,D,2'), 11, /day index 7 is outside the horizon \(0…6\)/],
    ['a request for an unknown shift', withLine(13, 'A,2,X,1'), 13, /request names unknown shift 'X'/],
    ['a cover line with a missing weight', withLine(15, '0,D,1,100'), 15, /expected 5 fields/],
    [
      'a duplicate employee',
      `${valid.join('\n')}`.replace('SECTION_DAYS_OFF', 'A,D=7,1,1,1,1,1,1\nSECTION_DAYS_OFF'),
      8,
      /duplicate employee id 'A'/,
    ],
    [
      'a section given twice',
      `${valid.join('\n')}\nSECTION_COVER`,
      16,
      /SECTION_COVER appears twice \(first at line 14\)/,
    ],
  ])('%s', (_case, text, line, problem) => {
    let error: unknown;
    try {
      parseInstance(text, 'bad.txt');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InstanceFormatError);
    const e = error as InstanceFormatError;
    expect({ file: e.file, line: e.line }).toEqual({ file: 'bad.txt', line });
    expect(e.message).toMatch(new RegExp(`^bad\\.txt:${line}: `));
    expect(e.message).toMatch(problem);
  });

  it('names a missing required section', () => {
    expect(() => parseInstance(valid.slice(0, 5).join('\n'), 'bad.txt')).toThrow(
      'bad.txt:0: missing SECTION_STAFF',
    );
  });
});
