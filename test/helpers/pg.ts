/**
 * PostgreSQL for tests: one throwaway cluster per test file (scripts/pg-cluster.mjs), or the server named by
 * GOGOGO_TEST_DATABASE_URL when set; each call of `freshDatabase()` creates a new database on it, so tests never
 * see each other's rows. With `template`, the first call prepares a template database with it (e.g. applies the
 * migrations) and every fresh database is a copy of that one (CREATE DATABASE … TEMPLATE: milliseconds).
 * Call `usePostgres()` at the top of a test file.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import postgres from 'postgres';
import { startPgCluster, type PgCluster } from '../../scripts/pg-cluster.mjs';

export interface TestPostgres {
  /** Creates a database (a copy of the template, if any) and returns its URL. */
  freshDatabase(): Promise<string>;
}

export function usePostgres(opts: { template?: (url: string) => Promise<void> } = {}): TestPostgres {
  let cluster: PgCluster | null = null;
  let serverUrl = process.env.GOGOGO_TEST_DATABASE_URL ?? '';
  let template: Promise<string> | null = null;
  const urlOf = (name: string) => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const create = async (name: string, from: string | null) => {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try { await admin.unsafe(`CREATE DATABASE ${name}${from ? ` TEMPLATE ${from}` : ''}`); } finally { await admin.end(); }
    return name;
  };
  beforeAll(async () => {
    if (!serverUrl) { cluster = await startPgCluster(); serverUrl = cluster.url; }
  });
  afterAll(async () => { await cluster?.stop(); });
  return {
    async freshDatabase() {
      const name = `t_${randomBytes(6).toString('hex')}`;
      if (!opts.template) return urlOf(await create(name, null));
      template ??= create(`tpl_${randomBytes(6).toString('hex')}`, null).then(async (t) => { await opts.template!(urlOf(t)); return t; });
      return urlOf(await create(name, await template));
    },
  };
}
