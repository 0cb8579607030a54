/**
 * `gogogo db copy --to postgres://…` (the real command) moves a SQLite ledger with real activity into a real
 * PostgreSQL database; the copy is verified, and PgLedger carries on from it. Refusals: open holds, a non-empty target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../core';
import { gogogo } from '../../../test/helpers/cli';
import { usePostgres } from '../../../test/helpers/pg';
import { pgPool } from './connect';
import { PgLedger } from './pg-ledger';

const pg = usePostgres();
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

/** A data dir whose SQLite ledger has accounts, credits, keys, settled requests (rollups, usage postings) and settings. */
function busyDataDir(): { dir: string; accountId: number; keyId: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'db-copy-'));
  dirs.push(dir);
  const core = createCore({ dataDir: dir });
  const team = core.ledger.createAccount('team');
  core.ledger.credit(team.id, 5_000_000, { idempotencyKey: 'chain:1:0xabc:0', note: 'deposit' });
  core.ledger.credit(team.id, -1_000);
  const { key } = core.keys.create(team.id, { name: 'ci', limitMicroUsd: 3_000_000 });
  for (let i = 0; i < 30; i++) {
    const id = `req-${i}`;
    expect(core.ledger.hold({ requestId: id, accountId: team.id, keyId: key.id, amountMicroUsd: 10_000, model: 'deepseek-chat', stream: i % 2 === 0 }).ok).toBe(true);
    core.ledger.settle(id, i % 5 === 0 ? 0 : 1_234 + i, { id, keyId: key.id, accountId: team.id, model: 'deepseek-chat', stream: i % 2 === 0,
      status: i % 5 === 0 ? 'upstream_error' : 'ok', httpStatus: i % 5 === 0 ? 502 : 200, startedAt: Date.now() - i * 60_000, durationMs: 40 + i,
      promptTokens: 100, completionTokens: 20, quoteMicroUsd: 10_000, usageEstimated: i === 3 });
  }
  core.settings.set('network', { host: '127.0.0.1', port: 8787 });
  core.sqlite.prepare('INSERT INTO price_overrides (model, input_micro_usd_per_mtok, cached_input_micro_usd_per_mtok, output_micro_usd_per_mtok, updated_at) VALUES (?, ?, ?, ?, ?)')
    .run('deepseek-chat', 270_000, 70_000, 1_100_000, Date.now());
  const accountId = team.id;
  core.close();
  return { dir, accountId, keyId: key.id };
}

describe('gogogo db copy --to postgres://', () => {
  it('moves the SQLite ledger, verified, and the PostgreSQL ledger carries on from it', async () => {
    const { dir, accountId, keyId } = busyDataDir();
    const url = await pg.freshDatabase();
    const r = gogogo(dir, ['db', 'copy', '--to', url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/copied \d+ rows .* 2 customer account\(s\), \d+ journal lines; balances and journal sums verified/);

    const source = createCore({ dataDir: dir });
    const sql = pgPool(url, 2);
    try {
      const sqliteAccounts = source.sqlite.prepare('SELECT id, name, balance_micro_usd AS b FROM accounts ORDER BY id').all();
      expect(await sql`SELECT id, name, balance_micro_usd AS b FROM accounts ORDER BY id`).toEqual(sqliteAccounts);
      for (const t of ['journal_lines', 'requests', 'usage_hourly', 'usage_daily', 'api_keys', 'settings', 'price_overrides']) {
        const n = source.sqlite.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get();
        expect((await sql.unsafe(`SELECT count(*)::int AS n FROM ${t}`))[0].n, t).toBe(n);
      }
      const [req] = await sql`SELECT status, stream, usage_estimated AS e, cost_micro_usd AS c FROM requests WHERE id = 'req-3'`;
      expect(req).toEqual({ status: 'ok', stream: false, e: true, c: 1_237 });
      const ledger = await PgLedger.open(sql);
      await ledger.startLease();
      // New rows continue after the copied ids; holds and settlements work on the copied key and account.
      expect((await ledger.createAccount('later')).id).toBeGreaterThan(accountId);
      const before = (await ledger.account(accountId))!;
      expect(await ledger.hold({ requestId: 'after-copy', accountId, keyId, amountMicroUsd: 5_000, model: 'deepseek-chat', stream: false })).toEqual({ ok: true });
      expect(await ledger.settle('after-copy', 4_000, { id: 'after-copy', keyId, accountId, model: 'deepseek-chat', stream: false, status: 'ok', httpStatus: 200,
        startedAt: Date.now(), durationMs: 10, quoteMicroUsd: 5_000 })).toMatchObject({ chargedMicroUsd: 4_000 });
      expect((await ledger.account(accountId))!.balanceMicroUsd).toBe(before.balanceMicroUsd - 4_000);
      expect(await ledger.journalSum(accountId)).toBe(before.balanceMicroUsd - 4_000);
      await ledger.close();
      // A second copy into the now non-empty database is refused and changes nothing.
      const again = gogogo(dir, ['db', 'copy', '--to', url]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/already holds a ledger/);
    } finally {
      source.close();
      await sql.end({ timeout: 5 });
    }
  });

  it('refuses while the SQLite ledger has open holds (a gateway is serving)', async () => {
    const { dir, accountId, keyId } = busyDataDir();
    const core = createCore({ dataDir: dir });
    core.ledger.hold({ requestId: 'open', accountId, keyId, amountMicroUsd: 1, model: 'm', stream: false });
    core.close();
    const url = await pg.freshDatabase();
    const r = gogogo(dir, ['db', 'copy', '--to', url]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/1 open hold\(s\): stop `gogogo serve`/);
    const sql = pgPool(url, 1);
    try { expect(await sql`SELECT to_regclass('accounts') AS t`).toEqual([{ t: null }]); } finally { await sql.end({ timeout: 5 }); }
  });
});
