/**
 * Parser for Curtois & Qu's employee-scheduling benchmark format (schedulingbenchmarks.org,
 * "Computational results on new staff scheduling benchmark instances", 2014). A file is a list of
 * sections, each opened by a `SECTION_…` line and holding comma-separated rows; `#` starts a comment line.
 */

export interface ShiftType {
  id: string;
  minutes: number;
  /** Shift ids that may not be worked on the day after this shift. */
  cannotFollow: string[];
}

export interface Employee {
  id: string;
  /** Maximum number of shifts of each type over the horizon (a type absent here is unlimited). */
  maxShifts: Record<string, number>;
  maxTotalMinutes: number;
  minTotalMinutes: number;
  maxConsecutiveShifts: number;
  minConsecutiveShifts: number;
  minConsecutiveDaysOff: number;
  maxWeekends: number;
  /** Day indexes (0 = the first Monday) on which the employee may not work. */
  daysOff: number[];
}

export interface ShiftRequest {
  employee: string;
  day: number;
  shift: string;
  weight: number;
}

export interface CoverRequirement {
  day: number;
  shift: string;
  requirement: number;
  underWeight: number;
  overWeight: number;
}

export interface Instance {
  name: string;
  horizonDays: number;
  shifts: ShiftType[];
  employees: Employee[];
  /** Penalised by `weight` when the employee is not given that shift that day. */
  shiftOnRequests: ShiftRequest[];
  /** Penalised by `weight` when the employee is given that shift that day. */
  shiftOffRequests: ShiftRequest[];
  cover: CoverRequirement[];
}

export class InstanceFormatError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'InstanceFormatError';
    this.file = file;
    this.line = line;
  }
}

const sectionNames = [
  'SECTION_HORIZON',
  'SECTION_SHIFTS',
  'SECTION_STAFF',
  'SECTION_DAYS_OFF',
  'SECTION_SHIFT_ON_REQUESTS',
  'SECTION_SHIFT_OFF_REQUESTS',
  'SECTION_COVER',
] as const;
type SectionName = (typeof sectionNames)[number];

interface Row {
  line: number;
  fields: string[];
}

/** The instance name is the file's base name without extension ("Instance1"). */
export function instanceNameOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.[^.]*$/, '');
}

export function parseInstance(text: string, file = 'instance.txt'): Instance {
  const fail = (line: number, problem: string): never => {
    throw new InstanceFormatError(file, line, problem);
  };
  const sections = new Map<SectionName, Row[]>();
  const sectionLine = new Map<SectionName, number>();
  let current: SectionName | null = null;
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    if (content.startsWith('SECTION_')) {
      if (!(sectionNames as readonly string[]).includes(content))
        fail(line, `unknown section '${content}' (expected one of ${sectionNames.join(', ')})`);
      const name = content as SectionName;
      if (sections.has(name)) fail(line, `${name} appears twice (first at line ${sectionLine.get(name)})`);
      sections.set(name, []);
      sectionLine.set(name, line);
      current = name;
      continue;
    }
    if (current === null) return fail(line, `data before any SECTION_ line: '${content}'`);
    sections.get(current)?.push({ line, fields: content.split(',').map((f) => f.trim()) });
  }

  const rowsOf = (name: SectionName, required: boolean): Row[] => {
    const rows = sections.get(name);
    if (!rows) {
      if (required) fail(0, `missing ${name}`);
      return [];
    }
    return rows;
  };
  const integer = (row: Row, index: number, what: string, min = 0): number => {
    const value = row.fields[index] ?? '';
    if (!/^-?\d+$/.test(value)) return fail(row.line, `${what} must be an integer, got '${value}'`);
    const n = Number(value);
    if (n < min) fail(row.line, `${what} must be at least ${min}, got ${n}`);
    return n;
  };
  const expectFields = (row: Row, count: number, layout: string): void => {
    if (row.fields.length !== count)
      fail(row.line, `expected ${count} fields (${layout}), got ${row.fields.length}`);
  };

  const horizonRows = rowsOf('SECTION_HORIZON', true);
  const horizonRow = horizonRows[0];
  if (!horizonRow) return fail(sectionLine.get('SECTION_HORIZON') ?? 0, 'SECTION_HORIZON has no value');
  if (horizonRows.length > 1)
    fail(horizonRows[1]?.line ?? 0, 'SECTION_HORIZON must hold one number (the horizon length in days)');
  expectFields(horizonRow, 1, 'horizon length in days');
  const horizonDays = integer(horizonRow, 0, 'horizon length', 1);
  const day = (row: Row, index: number): number => {
    const d = integer(row, index, 'day index');
    if (d >= horizonDays) fail(row.line, `day index ${d} is outside the horizon (0…${horizonDays - 1})`);
    return d;
  };

  const shifts: ShiftType[] = [];
  const shiftLines: number[] = [];
  for (const row of rowsOf('SECTION_SHIFTS', true)) {
    expectFields(row, 3, 'ShiftID, length in minutes, shifts that cannot follow separated by |');
    const id = row.fields[0] ?? '';
    if (id === '') fail(row.line, 'empty shift id');
    if (shifts.some((s) => s.id === id)) fail(row.line, `duplicate shift id '${id}'`);
    const cannotFollow = (row.fields[2] ?? '').split('|').filter((s) => s !== '');
    shifts.push({ id, minutes: integer(row, 1, `length of shift ${id}`, 1), cannotFollow });
    shiftLines.push(row.line);
  }
  if (shifts.length === 0) fail(sectionLine.get('SECTION_SHIFTS') ?? 0, 'SECTION_SHIFTS defines no shift');
  const shiftIds = new Set(shifts.map((s) => s.id));
  const knownShift = (row: Row, id: string, what: string): string => {
    if (!shiftIds.has(id)) fail(row.line, `${what} names unknown shift '${id}'`);
    return id;
  };
  shifts.forEach((s, i) => {
    for (const next of s.cannotFollow) {
      if (!shiftIds.has(next))
        fail(shiftLines[i] ?? 0, `shift ${s.id} lists unknown shift '${next}' as unable to follow`);
    }
  });

  const employees: Employee[] = [];
  const staffLayout =
    'ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends';
  for (const row of rowsOf('SECTION_STAFF', true)) {
    expectFields(row, 8, staffLayout);
    const id = row.fields[0] ?? '';
    if (id === '') fail(row.line, 'empty employee id');
    if (employees.some((e) => e.id === id)) fail(row.line, `duplicate employee id '${id}'`);
    const maxShifts: Record<string, number> = {};
    for (const part of (row.fields[1] ?? '').split('|').filter((p) => p !== '')) {
      const match = /^([^=]+)=(\d+)$/.exec(part);
      if (!match) return fail(row.line, `MaxShifts entry '${part}' must look like ShiftID=count`);
      maxShifts[knownShift(row, match[1] ?? '', 'MaxShifts')] = Number(match[2]);
    }
    employees.push({
      id,
      maxShifts,
      maxTotalMinutes: integer(row, 2, 'MaxTotalMinutes'),
      minTotalMinutes: integer(row, 3, 'MinTotalMinutes'),
      maxConsecutiveShifts: integer(row, 4, 'MaxConsecutiveShifts'),
      minConsecutiveShifts: integer(row, 5, 'MinConsecutiveShifts'),
      minConsecutiveDaysOff: integer(row, 6, 'MinConsecutiveDaysOff'),
      maxWeekends: integer(row, 7, 'MaxWeekends'),
      daysOff: [],
    });
  }
  if (employees.length === 0)
    fail(sectionLine.get('SECTION_STAFF') ?? 0, 'SECTION_STAFF defines no employee');
  const employeeById = new Map(employees.map((e) => [e.id, e]));
  const knownEmployee = (row: Row): Employee => {
    const employee = employeeById.get(row.fields[0] ?? '');
    if (!employee) return fail(row.line, `unknown employee '${row.fields[0]}'`);
    return employee;
  };

  for (const row of rowsOf('SECTION_DAYS_OFF', false)) {
    const employee = knownEmployee(row);
    for (let i = 1; i < row.fields.length; i++) employee.daysOff.push(day(row, i));
  }

  const requests = (name: SectionName): ShiftRequest[] =>
    rowsOf(name, false).map((row) => {
      expectFields(row, 4, 'EmployeeID, Day, ShiftID, Weight');
      return {
        employee: knownEmployee(row).id,
        day: day(row, 1),
        shift: knownShift(row, row.fields[2] ?? '', 'request'),
        weight: integer(row, 3, 'weight'),
      };
    });
  const shiftOnRequests = requests('SECTION_SHIFT_ON_REQUESTS');
  const shiftOffRequests = requests('SECTION_SHIFT_OFF_REQUESTS');

  const cover: CoverRequirement[] = rowsOf('SECTION_COVER', false).map((row) => {
    expectFields(row, 5, 'Day, ShiftID, Requirement, Weight for under, Weight for over');
    return {
      day: day(row, 0),
      shift: knownShift(row, row.fields[1] ?? '', 'cover'),
      requirement: integer(row, 2, 'requirement'),
      underWeight: integer(row, 3, 'weight for under'),
      overWeight: integer(row, 4, 'weight for over'),
    };
  });

  return {
    name: instanceNameOf(file),
    horizonDays,
    shifts,
    employees,
    shiftOnRequests,
    shiftOffRequests,
    cover,
  };
}
