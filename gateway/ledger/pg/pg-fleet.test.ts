/**
 * Several instances on one PostgreSQL database, at the ledger port: two PgLedgers with their own pools (as two
 * `gogogo serve` processes would have) racing for a tight balance, an instance that stops renewing its lease while
 * it holds credit, migrations started together, a failed migration, and the change feed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migratePg, pgPool, type Pg } from './connect';
import { PgLedger } from './pg-ledger';
import { usePostgres } from '../../../test/helpers/pg';

const pg = usePostgres();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function instance(url: string, leaseMs = 15_000, log: (l: string) => void = () => {}): Promise<{ ledger: PgLedger; sql: Pg }> {
  const sql = pgPool(url, 8);
  const ledger = await PgLedger.open(sql, { leaseMs, log });
  await ledger.startLease();
  cleanups.push(async () => { await ledger.close().catch(() => {}); await sql.end({ timeout: 5 }); });
  return { ledger, sql };
}

async function migrated(): Promise<string> {
  const url = await pg.freshDatabase();
  await migratePg(url);
  return url;
}

async function key(sql: Pg, accountId: number): Promise<string> {
  const id = `key_${Math.random().toString(36).slice(2)}`;
  await sql`INSERT INTO api_keys (id, account_id, prefix, hash, created_at) VALUES (${id}, ${accountId}, 'sk-ggo-x', ${id}, ${Date.now()})`;
  return id;
}

const row = (id: string, keyId: string, accountId: number, quote: number) =>
  ({ id, keyId, accountId, model: 'm', stream: true, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 5, quoteMicroUsd: quote });

async function check(sql: Pg): Promise<void> {
  expect(await sql`SELECT posting_id FROM journal_lines GROUP BY posting_id HAVING SUM(amount_micro_usd) <> 0`).toEqual([]);
  const accounts = await sql<Array<{ type: string; b: number; h: number; lines: number; holds: number }>>`SELECT type, balance_micro_usd AS b, held_micro_usd AS h,
    (SELECT COALESCE(SUM(amount_micro_usd), 0)::bigint FROM journal_lines l WHERE l.account_id = a.id) AS lines,
    (SELECT COALESCE(SUM(amount_micro_usd), 0)::bigint FROM holds x WHERE x.account_id = a.id) AS holds FROM accounts a`;
  for (const a of accounts) {
    expect(a.b).toBe(a.lines);
    expect(a.h).toBe(a.holds);
    if (a.type === 'customer') expect(a.b - a.h).toBeGreaterThanOrEqual(0);
  }
}

describe('PostgreSQL ledger, several instances', () => {
  it('60 concurrent holds from two instances against a tight balance never over-spend', async () => {
    const url = await migrated();
    const a = await instance(url);
    const b = await instance(url);
    const acct = await a.ledger.requireAccount('default');
    await a.ledger.credit(acct.id, 10_000);
    const keys = [await key(a.sql, acct.id), await key(a.sql, acct.id)];
    // 60 requests quoted at 700 each: exactly 14 fit in 10,000, whichever instance takes them.
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? b : a).ledger.hold({
      requestId: `r${i}`, accountId: acct.id, keyId: keys[i % 2], amountMicroUsd: 700, model: 'm', stream: true })));
    const ok = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(ok.length).toBe(14);
    for (const r of results) if (!r.ok) expect(r).toMatchObject({ reason: 'insufficient_balance' });
    expect(await a.ledger.account(acct.id)).toMatchObject({ balanceMicroUsd: 10_000, heldMicroUsd: 9_800, availableMicroUsd: 200 });
    // Every hold is visible with its running request row while the request runs.
    expect((await a.sql`SELECT count(*)::int AS n FROM requests WHERE status = 'running'`)[0].n).toBe(14);
    await check(a.sql);
    // Settle them all from the other instance's side, each charged more than its hold: never below zero.
    const settled = await Promise.all(ok.map((i) => (i % 2 ? a : b).ledger.settle(`r${i}`, 900, row(`r${i}`, keys[i % 2], acct.id, 700))));
    const charged = settled.reduce((s, r) => s + r.chargedMicroUsd, 0);
    expect(charged).toBe(10_000); // 14 × 900 = 12,600 asked; the account had 10,000
    expect(settled.reduce((s, r) => s + r.shortfallMicroUsd, 0)).toBe(14 * 900 - 10_000);
    expect(await a.ledger.account(acct.id)).toMatchObject({ balanceMicroUsd: 0, heldMicroUsd: 0 });
    await check(a.sql);
  });

  it('an instance that stops renewing its lease: another releases its holds and marks its requests interrupted, once', async () => {
    const url = await migrated();
    const lines: string[] = [];
    const dead = await instance(url, 300);
    const live = await instance(url, 300, (l) => lines.push(l));
    const acct = await dead.ledger.requireAccount('default');
    await dead.ledger.credit(acct.id, 1000);
    const k = await key(dead.sql, acct.id);
    expect(await dead.ledger.hold({ requestId: 'mid', accountId: acct.id, keyId: k, amountMicroUsd: 600, model: 'm', stream: true })).toEqual({ ok: true });
    dead.ledger.stopLease(); // the process is gone (kill -9): nothing renews its row any more
    // Before a whole lease has passed, nothing is released.
    expect(await live.ledger.releaseOrphanHolds()).toBe(0);
    const deadline = Date.now() + 5000;
    while ((await live.sql`SELECT 1 FROM holds`).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await live.sql`SELECT * FROM holds`).toEqual([]);
    expect(lines.some((l) => /released 1 hold/.test(l))).toBe(true);
    const [r] = await live.sql`SELECT status, cost_micro_usd AS cost, quote_micro_usd AS quote, error FROM requests WHERE id = 'mid'`;
    expect(r).toMatchObject({ status: 'interrupted', cost: 0, quote: 600 });
    expect(r.error).toMatch(/stopped renewing its lease/);
    expect(await live.ledger.account(acct.id)).toMatchObject({ balanceMicroUsd: 1000, heldMicroUsd: 0 });
    expect((await live.ledger.liveInstances()).map((i) => i.id)).toEqual([live.ledger.instanceId]);
    // The "dead" instance was only paused: its late settle changes nothing, the request stays interrupted and uncharged.
    expect(await dead.ledger.settle('mid', 500, row('mid', k, acct.id, 600))).toMatchObject({ duplicate: true, chargedMicroUsd: 0 });
    expect((await live.sql`SELECT status FROM requests WHERE id = 'mid'`)[0].status).toBe('interrupted');
    // Its next hold re-registers it as a new instance instead of writing a hold nobody would release.
    const oldId = dead.ledger.instanceId;
    expect(await dead.ledger.hold({ requestId: 'next', accountId: acct.id, keyId: k, amountMicroUsd: 100, model: 'm', stream: false })).toEqual({ ok: true });
    expect(dead.ledger.instanceId).not.toBe(oldId);
    await check(live.sql);
  });

  it('one bad settlement does not fail the others of its batch', async () => {
    const { ledger, sql } = await instance(await migrated());
    const acct = await ledger.requireAccount('default');
    await ledger.credit(acct.id, 1000);
    const k = await key(sql, acct.id);
    for (const id of ['a', 'b', 'c']) await ledger.hold({ requestId: id, accountId: acct.id, keyId: k, amountMicroUsd: 100, model: 'm', stream: false });
    const [a, bad, c] = await Promise.allSettled([ledger.settle('a', 10, row('a', k, acct.id, 100)),
      ledger.settle('b', 10, { ...row('b', k, acct.id, 100), status: null as unknown as string }), ledger.settle('c', 10, row('c', k, acct.id, 100))]);
    expect(a).toMatchObject({ status: 'fulfilled', value: { chargedMicroUsd: 10 } });
    expect(c).toMatchObject({ status: 'fulfilled', value: { chargedMicroUsd: 10 } });
    expect(bad.status).toBe('rejected');
    expect(ledger.batchStats().settles.batches).toBeGreaterThan(1);
    expect(await ledger.account(acct.id)).toMatchObject({ balanceMicroUsd: 980, heldMicroUsd: 100 });
    await check(sql);
  });

  it('instances starting together on a fresh database migrate it once', async () => {
    const url = await pg.freshDatabase();
    await Promise.all([migratePg(url), migratePg(url), migratePg(url)]);
    const sql = pgPool(url, 1);
    cleanups.push(() => sql.end({ timeout: 5 }));
    const applied = await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
    const journal = JSON.parse(fs.readFileSync(path.join('resources', 'migrations-pg', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    expect(applied[0].n).toBe(journal.entries.length);
  });

  it('a failed migration changes nothing and says so', async () => {
    const url = await migrated();
    const { ledger } = await instance(url);
    await ledger.credit((await ledger.requireAccount('default')).id, 42);
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-pg-mig-'));
    cleanups.push(async () => fs.rmSync(bad, { recursive: true, force: true }));
    fs.cpSync(path.join('resources', 'migrations-pg'), bad, { recursive: true });
    const journalFile = path.join(bad, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8'));
    journal.entries.push({ idx: journal.entries.length, version: '7', when: 9e12, tag: '9999_bad', breakpoints: true });
    fs.writeFileSync(journalFile, JSON.stringify(journal));
    fs.writeFileSync(path.join(bad, '9999_bad.sql'), 'DELETE FROM holds;\n--> statement-breakpoint\nALTER TABLE accounts DROP COLUMN balance_micro_usd;\n--> statement-breakpoint\nTHIS IS NOT SQL;');
    await expect(migratePg(url, bad)).rejects.toThrow(/migration failed[\s\S]*Nothing was changed/);
    expect((await ledger.requireAccount('default')).balanceMicroUsd).toBe(42);
  });

  it('the change feed reaches other instances: key, price, model and provider changes, not hold counters', async () => {
    const url = await migrated();
    const a = await instance(url);
    const b = await instance(url);
    const seen: string[] = [];
    await b.ledger.onChanged((t) => seen.push(t));
    const acct = await a.ledger.requireAccount('default');
    await a.ledger.credit(acct.id, 1000);
    const k = await key(a.sql, acct.id);
    await a.ledger.hold({ requestId: 'h', accountId: acct.id, keyId: k, amountMicroUsd: 10, model: 'm', stream: false });
    await a.ledger.settle('h', 5, row('h', k, acct.id, 10));
    const wait = async (n: number) => { const end = Date.now() + 1000; while (seen.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10)); };
    await wait(1);
    expect(seen).toEqual(['keys']); // the key's creation; its hold and spend counters are not changes
    await a.sql`UPDATE api_keys SET status = 'revoked', revoked_at = ${Date.now()} WHERE id = ${k}`;
    await a.sql`INSERT INTO price_overrides (model, input_micro_usd_per_mtok, cached_input_micro_usd_per_mtok, output_micro_usd_per_mtok, updated_at) VALUES ('m', 1, 1, 1, 0)`;
    await a.sql`INSERT INTO model_aliases (alias, model, updated_at) VALUES ('x', 'm', 0)`;
    await a.sql`INSERT INTO providers (id, base_url, updated_at) VALUES ('p', 'http://127.0.0.1:1', 0)`;
    await wait(5);
    expect(seen).toEqual(['keys', 'keys', 'prices', 'models', 'providers']);
  });
});
