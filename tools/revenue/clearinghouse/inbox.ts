/**
 * The remittance inbox: where a clearinghouse (or an SFTP job) drops the payers' 835 files. The worker
 * posts each file it finds through post_remittance, as the revenue agent, and files it away: `posted/`
 * when it posted (or had been posted before), `rejected/` with `<name>.error.txt` saying why when it was
 * refused (a malformed file, not an 835). Nothing is posted twice: post_remittance knows every file it
 * posted by its SHA-256.
 */
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OperationError } from '../../core/errors.ts';
import { invokeOperation, type OperationContext } from '../../core/operation.ts';
import { postRemittance } from '../remittance/operations.ts';

/** CAREBRIDGE_INBOX_DIR, else `<CAREBRIDGE_DATA_DIR or .carebridge>/inbox`. */
export function inboxDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAREBRIDGE_INBOX_DIR) return resolve(env.CAREBRIDGE_INBOX_DIR);
  return resolve(env.CAREBRIDGE_DATA_DIR ?? '.carebridge', 'inbox');
}

export interface InboxFile {
  file: string;
  outcome: 'posted' | 'already-posted' | 'rejected';
  remittanceId?: string;
  claims?: number;
  held?: number;
  error?: string;
}

// Uploaders write a temporary name and rename (as the outbox does); hidden and partial files wait.
const READY = /^[^.].*\.(835|x12|edi|txt)$/i;

/** Posts every 835 waiting in the inbox, oldest name first; returns what happened to each file. */
export async function postInbox(ctx: OperationContext, dir: string = inboxDir()): Promise<InboxFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => READY.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const done: InboxFile[] = [];
  for (const file of names) {
    const path = join(dir, file);
    // Another worker sharing the inbox may have taken the file meanwhile.
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'EISDIR') return null;
      throw err;
    });
    if (text === null) continue;
    try {
      const r = (await invokeOperation(postRemittance, { text, fileName: file }, ctx)) as {
        remittanceId: string;
        alreadyPosted: boolean;
        claimCount: number;
        heldCount: number;
      };
      await move(dir, file, 'posted');
      done.push({
        file,
        outcome: r.alreadyPosted ? 'already-posted' : 'posted',
        remittanceId: r.remittanceId,
        claims: r.claimCount,
        held: r.heldCount,
      });
    } catch (err) {
      // Only a refusal of the file is final; anything else (the database away) leaves it for next time.
      if (!(err instanceof OperationError) || err.code !== 'invalid') throw err;
      await move(dir, file, 'rejected');
      await writeFile(join(dir, 'rejected', `${file}.error.txt`), `${err.message}\n`);
      done.push({ file, outcome: 'rejected', error: err.message });
    }
  }
  return done;
}

async function move(dir: string, file: string, to: 'posted' | 'rejected'): Promise<void> {
  await mkdir(join(dir, to), { recursive: true });
  let target = join(dir, to, file);
  // A payer resending a file under the same name: keep both.
  if (
    await stat(target).then(
      () => true,
      () => false,
    )
  )
    target = join(dir, to, `${Date.now()}-${file}`);
  await rename(join(dir, file), target).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
