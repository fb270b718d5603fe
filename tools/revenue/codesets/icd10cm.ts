import { dottedIcd10cm, ICD10CM_CODE, normaliseIcd10cm } from './code-formats.ts';
import { CodeSetFormatError, readTable } from './csv.ts';

/**
 * ICD-10-CM FY2018 from k4m1113/ICD-10-CSV `categories.csv` (see data/codesets/SOURCES.md).
 *
 * That file is not a code list with a billable flag. Its generator (`csv_generator.rb` in the same
 * repository) walked CMS's `icd10cm_order_2018.txt` in tabular order and wrote a row for
 *   - every header code (order-file flag 0, not billable), and
 *   - every billable code (flag 1) that does not contain the previously written row's code.
 * So every header is here, but a billable code is here only when it follows a sibling's subtree
 * (E11.65 after E11.64's subcodes); billable codes right after their parent are not (A00.0, E11.641).
 *
 * What that lets us derive, row by row (`basis`):
 *   has-subcodes       a longer code in the file starts with it → a header. Certain.
 *   follows-parent     the previous row is a prefix of it; a billable code there would not have been
 *                      written → a header. Certain.
 *   seventh-character  chapter 19 (S00–T88) and external causes V00–Y38 need a 7th character, so a
 *                      shorter code there is a header. Certain.
 *   leaf               none of the above: no longer code in the file. Billable *or* a header whose
 *                      subcodes were all billable and so were left out (A00 Cholera, E11.64). The
 *                      file cannot tell these apart; we call it billable.
 * `billable: false` is therefore always right; `billable: true` is right for most but not all rows.
 * A claim code that is not in the file at all but sits under a listed header is reported as
 * `unlisted` (if it exists it is billable, since every header is listed); a code whose
 * three-character category is not in the file is not ICD-10-CM FY2018.
 */

export type Icd10cmBasis = 'has-subcodes' | 'follows-parent' | 'seventh-character' | 'leaf';

export interface Icd10cmEntry {
  /** Without the dot, upper case: E119. */
  code: string;
  /** As printed in the tabular list: E11.9. */
  dotted: string;
  description: string;
  billable: boolean;
  /** Why `billable` has the value it has (see the module comment). */
  basis: Icd10cmBasis;
  /** The three-character category: E11. */
  category: string;
  categoryDescription: string;
}

export type Icd10cmCheck =
  | { status: 'malformed'; code: string }
  | { status: 'billable'; entry: Icd10cmEntry }
  | { status: 'not-billable'; entry: Icd10cmEntry }
  | { status: 'unlisted'; code: string; parent: Icd10cmEntry }
  | { status: 'unknown-category'; code: string };

export interface Icd10cmCodeSet {
  readonly size: number;
  /** Accepts E11.9, e119, ' E11.9 '. */
  get(code: string): Icd10cmEntry | undefined;
  /** What a claim scrubber can say about a diagnosis code with this file. */
  check(code: string): Icd10cmCheck;
  entries(): IterableIterator<Icd10cmEntry>;
}

export function loadIcd10cm(path: string): Icd10cmCodeSet {
  const { file, rows } = readTable(path, { header: null });
  const codes: string[] = [];
  const descriptions = new Map<string, string>();
  for (const { line, fields } of rows) {
    if (fields.length !== 2)
      throw new CodeSetFormatError(file, line, `expected 2 fields, found ${fields.length}`);
    const [code, description] = fields as [string, string];
    if (!ICD10CM_CODE.test(code))
      throw new CodeSetFormatError(file, line, `"${code}" is not an ICD-10-CM code`);
    if (description.trim() === '')
      throw new CodeSetFormatError(file, line, `code ${code} has no description`);
    if (descriptions.has(code)) throw new CodeSetFormatError(file, line, `code ${code} appears twice`);
    codes.push(code);
    descriptions.set(code, description);
  }

  const hasSubcodes = new Set<string>();
  for (const code of codes) {
    for (let n = 3; n < code.length; n++) hasSubcodes.add(code.slice(0, n));
  }

  const byCode = new Map<string, Icd10cmEntry>();
  codes.forEach((code, i) => {
    const category = code.slice(0, 3);
    const categoryDescription = descriptions.get(category);
    if (categoryDescription === undefined) {
      throw new CodeSetFormatError(file, rows[i]!.line, `code ${code} has no category row ${category}`);
    }
    const previous = codes[i - 1];
    const basis: Icd10cmBasis = hasSubcodes.has(code)
      ? 'has-subcodes'
      : previous !== undefined && code.startsWith(previous)
        ? 'follows-parent'
        : needsSeventhCharacter(code) && code.length < 7
          ? 'seventh-character'
          : 'leaf';
    byCode.set(code, {
      code,
      dotted: dottedIcd10cm(code),
      description: descriptions.get(code)!,
      billable: basis === 'leaf',
      basis,
      category,
      categoryDescription,
    });
  });

  const get = (code: string) => {
    const normal = normaliseIcd10cm(code);
    return normal === undefined ? undefined : byCode.get(normal);
  };

  return {
    size: byCode.size,
    get,
    check(code) {
      const normal = normaliseIcd10cm(code);
      if (normal === undefined) return { status: 'malformed', code };
      const entry = byCode.get(normal);
      if (entry) return { status: entry.billable ? 'billable' : 'not-billable', entry };
      for (let n = normal.length - 1; n >= 3; n--) {
        const parent = byCode.get(normal.slice(0, n));
        if (parent) return { status: 'unlisted', code: normal, parent };
      }
      return { status: 'unknown-category', code: normal };
    },
    entries: () => byCode.values(),
  };
}

/** ICD-10-CM Official Guidelines: injuries (S00–T88) and external causes V00–Y38 take a 7th character. */
function needsSeventhCharacter(code: string): boolean {
  const letter = code[0];
  if (letter === 'S' || letter === 'T' || letter === 'V' || letter === 'W' || letter === 'X') return true;
  return letter === 'Y' && Number(code.slice(1, 3)) <= 38;
}
