import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../core/errors.ts';
import { clearinghouseFor, outboxAdapter, outboxDir, registerClearinghouse } from './adapter.ts';

const file = (control: number, payer = '06102') => ({
  bytes: `ISA*00*...~IEA*1*${String(control).padStart(9, '0')}~`,
  interchangeControl: control,
  claimIds: ['CLM1'],
  payer,
});

describe('the outbox adapter', () => {
  it('writes <ISA13 padded>-<payer>.x12 and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const { location } = await outboxAdapter(dir).submit(file(42));
    expect(location).toBe(join(dir, '000000042-06102.x12'));
    expect(readFileSync(location, 'utf8')).toBe(file(42).bytes);
    expect(readdirSync(dir)).toEqual(['000000042-06102.x12']);
  });

  it('never overwrites a file already sent under the same interchange number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    await outboxAdapter(dir).submit(file(7));
    await expect(outboxAdapter(dir).submit({ ...file(7), bytes: 'other' })).rejects.toThrow(
      /already holds 000000007-.*nothing was submitted/,
    );
    expect(readFileSync(join(dir, '000000007-06102.x12'), 'utf8')).toBe(file(7).bytes);
    expect(readdirSync(dir)).toEqual(['000000007-06102.x12']);
  });

  it('keeps file names to safe characters whatever the payer id holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const { location } = await outboxAdapter(dir).submit(file(1, '../etc/x'));
    expect(location).toBe(join(dir, '000000001-.._etc_x.x12'));
  });

  it('finds its folder from CAREBRIDGE_OUTBOX_DIR, else under the data folder', () => {
    expect(outboxDir({ CAREBRIDGE_OUTBOX_DIR: '/srv/outbox' })).toBe('/srv/outbox');
    expect(outboxDir({ CAREBRIDGE_DATA_DIR: '/var/carebridge' })).toBe('/var/carebridge/outbox');
    expect(outboxDir({})).toBe(resolve('.carebridge', 'outbox'));
  });
});

describe('clearinghouseFor', () => {
  it('resolves the outbox and a registered adapter, and refuses an unknown name', async () => {
    expect(clearinghouseFor('outbox').name).toBe('outbox');
    const unregister = registerClearinghouse('acme-ch', () => ({
      name: 'acme-ch',
      submit: async () => ({ location: 'receipt-1' }),
    }));
    expect(await clearinghouseFor('acme-ch').submit(file(1))).toEqual({ location: 'receipt-1' });
    unregister();
    expect(() => clearinghouseFor('acme-ch')).toThrow(OperationError);
    expect(() => clearinghouseFor('acme-ch')).toThrow('No clearinghouse adapter named "acme-ch"');
  });
});
