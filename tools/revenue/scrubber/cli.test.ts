import { describe, expect, it } from 'vitest';
import { samplesDir } from '../x12/test-helpers.ts';
import { runCli } from '../../../test/cli.ts';

const run = (args: string[]) => runCli(['claims', 'scrub', ...args]);

describe('carebridge claims scrub', () => {
  it('exits 0 and prints the findings when none is an error', async () => {
    const { code, stdout } = await run([
      `${samplesDir}lfh__demo.837`,
      '--today',
      '2007-01-01',
      '--payer',
      'medicare',
    ]);
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(output).toMatchObject({ claims: 1, today: '2007-01-01', payer: 'medicare', warnings: [] });
    expect(output.findings.map((f: { code: string }) => f.code)).toEqual([
      'DX_ICD9_QUALIFIER',
      'DX_ICD9_QUALIFIER',
    ]);
    expect(output.editsRun).toContainEqual(expect.objectContaining({ edit: 'ncci-ptp', status: 'skipped' }));
  });

  it('exits 1 with the JSON when a finding is an error, using the edit tables given', async () => {
    const { code, stdout } = await run([
      `${samplesDir}lfh__demo.837i`,
      '--today',
      '2006-01-01',
      '--payer',
      'medicare',
      '--ptp',
      'data/edits/ncci-ptp.sample.csv',
      '--mue',
      'data/edits/mue.sample.csv',
    ]);
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(output.findings).toContainEqual(
      expect.objectContaining({ code: 'TIMELY_FILING', severity: 'error', claimId: '756048Q', line: 1 }),
    );
    expect(output.editsRun).toContainEqual({ edit: 'ncci-ptp', status: 'ran' });
    expect(output.editsRun).toContainEqual({ edit: 'mue', status: 'ran' });
  });

  it('exits 2 with the positioned error on malformed input', async () => {
    const { code, stdout, stderr } = await run([`${samplesDir}imsweb__x12_missing_elements.txt`]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('segment 7 (NM1) at byte 326, line 7: NM102');
  });

  it.each([
    [[] as string[]],
    [[`${samplesDir}lfh__demo.837`, '--payer', 'medicare-advantage']],
    [[`${samplesDir}lfh__demo.837`, '--today', '2024-02-30']],
    [[`${samplesDir}lfh__demo.837`, '--ptp', 'no-such-table.csv']],
    [[`${samplesDir}lfh__demo.835`]],
  ])('exits 2 on a usage error or a file without claims: %j', async (args) => {
    expect((await run(args)).code).toBe(2);
  });
});
