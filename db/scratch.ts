import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { connect, type Database, migrateDatabase } from './client.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Throwaway databases for tests and evals on a real server: the one `adminUrl` names (e.g. the
 * machine's PostgreSQL), or else an embedded server in a temporary folder. A migrated template is
 * made once; each database is cloned from it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
export class ScratchServer {
  readonly adminUrl: string;
  readonly template: string;
  readonly #stop: () => Promise<void>;
  readonly #admin: postgres.Sql;

  private constructor(adminUrl: string, template: string, stop: () => Promise<void>) {
    this.adminUrl = adminUrl;
    this.template = template;
    this.#stop = stop;
    this.#admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  }

  static async start(adminUrl?: string): Promise<ScratchServer> {
    let url = adminUrl;
    let stop = async () => {};
    if (!url) {
      const dir = mkdtempSync(join(tmpdir(), 'carebridge-scratch-'));
      const server = await startEmbeddedPostgres(dir, { port: 55000 + (process.pid % 5000) });
      url = server.url;
      stop = async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      };
    }
    const template = `cb_template_${process.pid}_${randomBytes(3).toString('hex')}`;
    const scratch = new ScratchServer(url, template, stop);
    await scratch.#admin.unsafe(`create database ${template}`);
    const { sql } = connect(withDatabaseName(url, template), 2);
    await migrateDatabase(sql);
    await sql.end();
    return scratch;
  }

  /** Attaches to a template another process made (vitest workers share the global setup's). */
  static attach(adminUrl: string, template: string): ScratchServer {
    return new ScratchServer(adminUrl, template, async () => {});
  }

  /** Templates made from the migrated one and prepared once (e.g. seeded), by key. */
  readonly #prepared = new Map<string, Promise<string>>();

  /**
   * A fresh database copied from a template that `prepare` filled once for this key: a fixture that
   * takes a second to write (a seeded hospital) costs a file copy per trial instead.
   */
  async createPreparedDatabase(
    key: string,
    prepare: (database: Database) => Promise<void>,
    poolSize = 10,
  ): Promise<Database & { drop(): Promise<void> }> {
    let template = this.#prepared.get(key);
    if (!template) {
      template = (async () => {
        const name = `${this.template}_${key.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
        await this.#admin.unsafe(`create database ${name} template ${this.template}`);
        const url = withDatabaseName(this.adminUrl, name);
        const { db, sql } = connect(url, 2);
        try {
          await prepare({ db, sql, url, close: () => sql.end({ timeout: 5 }) });
        } finally {
          // A template must have no connections when it is copied.
          await sql.end({ timeout: 5 });
        }
        return name;
      })();
      this.#prepared.set(key, template);
    }
    return this.createDatabase(poolSize, await template);
  }

  async createDatabase(
    poolSize = 10,
    template = this.template,
  ): Promise<Database & { drop(): Promise<void> }> {
    const name = `cb_db_${randomBytes(6).toString('hex')}`;
    await this.#admin.unsafe(`create database ${name} template ${template}`);
    const url = withDatabaseName(this.adminUrl, name);
    const { db, sql } = connect(url, poolSize);
    const admin = this.#admin;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await sql.end({ timeout: 5 });
    };
    return {
      db,
      sql,
      url,
      close,
      async drop() {
        await close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      },
    };
  }

  async stop(dropTemplate = true): Promise<void> {
    for (const name of this.#prepared.values()) {
      await this.#admin.unsafe(`drop database if exists ${await name.catch(() => 'cb_none')} with (force)`);
    }
    if (dropTemplate) await this.#admin.unsafe(`drop database if exists ${this.template} with (force)`);
    await this.#admin.end();
    await this.#stop();
  }
}
