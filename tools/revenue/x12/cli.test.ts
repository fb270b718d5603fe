import { describe, expect, it } from 'vitest';
import { samplesDir } from './test-helpers.ts';
import { runCli } from '../../../test/cli.ts';

const run = (args: string[]) => runCli(['x12', 'parse', ...args]);

describe('carebridge x12 parse', () => {
  it('prints an 835 as JSON and exits 0', async () => {
    const { code, stdout } = await run([`${samplesDir}lfh__demo.835`]);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    const tx = output.interchanges[0].groups[0].transactions[0];
    expect(tx).toMatchObject({ type: '835', payment: { amount: 150000 } });
    expect(tx.claims).toHaveLength(2);
    expect(tx.claims[0].segments[0]).toMatchObject({ id: 'CLP', ordinal: 15 });
  });

  it('prints an 837 with wrong envelope counts only with --lenient-counts, warning on stderr', async () => {
    const file = `${samplesDir}imsweb__x12_valid.txt`;
    const strict = await run([file]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('segment 36 (SE) at byte 1172, line 36: SE01 says 25 segments, found 34');
    const lenient = await run([file, '--lenient-counts']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('warning:');
    expect(JSON.parse(lenient.stdout).interchanges[0].groups[0].transactions[0].type).toBe('837P');
  });

  it.each([
    [
      'imsweb__x12_bad_segment_identifier.txt',
      "segment 6 (?) at byte 280, line 6: '' is not a segment identifier",
    ],
    ['imsweb__x12_missing_elements.txt', 'segment 7 (NM1) at byte 326, line 7: NM102'],
    ['imsweb__x12_no_isa_line.txt', 'segment 1 (GS) at byte 0, line 1: an X12 file starts with the ISA'],
  ])('refuses %s with exit 2 and the positioned error', async (file, message) => {
    const { code, stdout, stderr } = await run([`${samplesDir}${file}`, '--lenient-counts']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('exits 2 when no file is named', async () => {
    expect((await run([])).code).toBe(2);
  });
});
