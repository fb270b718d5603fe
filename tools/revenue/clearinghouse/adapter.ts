/**
 * Clearinghouse routes: where a finished 837 interchange goes. `payers.clearinghouse` names the route;
 * `clearinghouseFor(name)` resolves it. The default `outbox` route writes each interchange to a folder
 * (for a batch uploader, an SFTP job or a person to pick up); a real clearinghouse is one more adapter
 * registered under its name (README.md, "Adding a clearinghouse").
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OperationError } from '../../core/errors.ts';

export interface InterchangeFile {
  /** The X12 text, ISA to IEA. */
  bytes: string;
  /** ISA13. */
  interchangeControl: number;
  /** CLM01 of every claim in it. */
  claimIds: string[];
  /** The payer's X12 id (2010BB NM109), for routing and file names. */
  payer: string;
}

export interface ClearinghouseAdapter {
  name: string;
  /**
   * Hands the interchange over. Resolves once the clearinghouse (or the outbox) holds it, with where it
   * is (a path, a receipt or a tracking id); throws when it was not accepted, and then nothing is
   * marked submitted.
   */
  submit(file: InterchangeFile): Promise<{ location: string }>;
}

/** The outbox folder: CAREBRIDGE_OUTBOX_DIR, else `<CAREBRIDGE_DATA_DIR or .carebridge>/outbox`. */
export function outboxDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAREBRIDGE_OUTBOX_DIR) return resolve(env.CAREBRIDGE_OUTBOX_DIR);
  return resolve(env.CAREBRIDGE_DATA_DIR ?? '.carebridge', 'outbox');
}

/** File names keep to letters, digits, dot, dash and underscore whatever a payer id holds. */
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/**
 * Writes `<outbox>/<ISA13, 9 digits>-<payer>.x12` atomically: a temporary file in the same folder,
 * then a hard link to the final name, so a reader polling the folder never sees half a file.
 */
export function outboxAdapter(dir?: string): ClearinghouseAdapter {
  return {
    name: 'outbox',
    async submit(file) {
      const folder = dir ?? outboxDir();
      await mkdir(folder, { recursive: true });
      const name = `${String(file.interchangeControl).padStart(9, '0')}-${safe(file.payer)}.x12`;
      const target = join(folder, name);
      const temporary = join(folder, `.${name}.${randomUUID()}.tmp`);
      try {
        await writeFile(temporary, file.bytes, { flag: 'wx' });
        // link, not rename: as atomic, but it fails on an existing file. An ISA13 is used once, so a file
        // already there means something is wrong, and it is never overwritten.
        await link(temporary, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        throw new OperationError(
          'conflict',
          `The outbox ${folder} already holds ${name}: interchange control ${file.interchangeControl} was sent ` +
            'before (is a second CareBridge database writing to this outbox?); nothing was submitted',
          [{ field: 'claimIds', message: `${name} exists in the outbox` }],
        );
      } finally {
        await rm(temporary, { force: true });
      }
      return { location: target };
    },
  };
}

const adapters = new Map<string, () => ClearinghouseAdapter>([['outbox', () => outboxAdapter()]]);

/** Registers a route by name (a real clearinghouse's client, or a test double). Returns the unregister. */
export function registerClearinghouse(name: string, make: () => ClearinghouseAdapter): () => void {
  const before = adapters.get(name);
  adapters.set(name, make);
  return () => {
    if (before) adapters.set(name, before);
    else adapters.delete(name);
  };
}

/** The adapter for a payer's route (`payers.clearinghouse`); an unknown name is an error naming it. */
export function clearinghouseFor(name: string): ClearinghouseAdapter {
  const make = adapters.get(name);
  if (!make) {
    throw new OperationError(
      'invalid',
      `No clearinghouse adapter named "${name}" (known: ${[...adapters.keys()].join(', ')})`,
      [{ field: 'clearinghouse', message: `unknown route ${name}` }],
    );
  }
  return make();
}
