import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Sqlite } from '../../ledger/db';
import { LATENCY_COLUMNS } from '../../ledger/latency-buckets';
import { prepareRollups, writeRollups, type RollupRow } from '../../ledger/rollups';
import { resourcesDir } from '../../paths';
import { usageSeries } from './usage';
import { spentToday } from './overview';
import { listRequests } from './requests';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 20, 15, 30);

const dirs: string[] = [];
function tempDb(migrationsDir?: string): { db: Sqlite; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-test-'));
  dirs.push(dataDir);
  return { db: openDatabase({ dataDir, migrationsDir }), dataDir };
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function seedKeys(db: Sqlite): { acct: number; other: number } {
  db.prepare("INSERT INTO accounts (name, type, created_at) VALUES ('a', 'customer', 0), ('b', 'customer', 0)").run();
  const [acct, other] = db.prepare("SELECT id FROM accounts WHERE name IN ('a', 'b') ORDER BY name").pluck().all() as number[];
  const ins = db.prepare("INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, 0)");
  ins.run('key_1', acct, 'one', 'sk-1', 'h1');
  ins.run('key_2', acct, 'two', 'sk-2', 'h2');
  ins.run('key_3', other, null, 'sk-3', 'h3');
  return { acct, other };
}

const row = (o: Partial<RollupRow> & { startedAt: number }): RollupRow => ({ keyId: 'key_1', accountId: 1, model: 'deepseek-flash', status: 'ok', durationMs: 80,
  promptTokens: 100, cacheHitTokens: 10, completionTokens: 20, reasoningTokens: 0, costMicroUsd: 1000, ...o });

describe('usage charts from integer-bucket rollups', () => {
  it('aggregates hourly rows for 24h/7d and daily rows for 30d, with the same totals and p50/p95 from the buckets', () => {
    const { db } = tempDb();
    const { acct, other } = seedKeys(db);
    const r = prepareRollups(db);
    const rows: RollupRow[] = [];
    // 40 days of traffic: every 5 hours, alternating keys, models and latencies; every 7th an error.
    for (let i = 0; i < 40 * 24 / 5; i++) {
      const startedAt = NOW - i * 5 * HOUR - 1000;
      rows.push(row({ startedAt, keyId: i % 3 === 2 ? 'key_3' : i % 3 ? 'key_2' : 'key_1', accountId: i % 3 === 2 ? other : acct,
        model: i % 2 ? 'deepseek-v4-pro' : 'deepseek-flash', status: i % 7 ? 'ok' : 'upstream_error', durationMs: i % 10 === 0 ? 4000 : 90, costMicroUsd: 100 + i }));
    }
    // Rows without a key or account are logged but not rolled up.
    rows.push(row({ startedAt: NOW - 1000, keyId: null }));
    db.transaction(() => { for (const x of rows) writeRollups(r, x); })();
    const rolled = rows.filter((x) => x.keyId != null);

    const expectRange = (range: '24h' | '7d' | '30d', bucketMs: number, count: number) => {
      const start = NOW - (NOW % bucketMs) - (count - 1) * bucketMs;
      const inRange = rolled.filter((x) => x.startedAt >= start);
      for (const groupBy of ['model', 'key', 'account'] as const) {
        const u = usageSeries(db, range, groupBy, NOW);
        expect(u.buckets).toHaveLength(count);
        expect(u.totals.requests).toBe(inRange.length);
        expect(u.totals.errors).toBe(inRange.filter((x) => x.status !== 'ok').length);
        expect(u.totals.costMicroUsd).toBe(inRange.reduce((a, x) => a + x.costMicroUsd, 0));
        expect(u.totals.p50Ms).toBe(100);
        expect(u.totals.p95Ms).toBe(5000);
        // Every request lands in the bucket its start time falls in.
        const perBucket = new Array(count).fill(0);
        for (const x of inRange) perBucket[Math.floor((x.startedAt - start) / bucketMs)]++;
        const summed = new Array(count).fill(0);
        for (const g of u.groups) g.requests.forEach((n, i) => { summed[i] += n; });
        expect(summed).toEqual(perBucket);
      }
    };
    expectRange('24h', HOUR, 24);
    expectRange('7d', 6 * HOUR, 28);
    expectRange('30d', DAY, 30);

    const byKey = usageSeries(db, '30d', 'key', NOW);
    expect(byKey.groups.map((g) => g.label).sort()).toEqual(['one (sk-1…)', 'sk-3…', 'two (sk-2…)']);
    const byAccount = usageSeries(db, '30d', 'account', NOW);
    expect(byAccount.groups.map((g) => [g.id, g.label]).sort()).toEqual([[String(acct), 'a'], [String(other), 'b']]);
    const today = rolled.filter((x) => x.startedAt >= NOW - (NOW % DAY));
    expect(spentToday(db, NOW).get(acct)).toBe(today.filter((x) => x.accountId === acct).reduce((a, x) => a + x.costMicroUsd, 0));
    db.close();
  });

  it('reads the 30d chart from usage_daily and shorter ranges from usage_hourly, with aggregation in SQL', () => {
    const { db } = tempDb();
    seedKeys(db);
    const sqls: string[] = [];
    const orig = db.prepare.bind(db);
    (db as { prepare: (s: string) => unknown }).prepare = (s: string) => { sqls.push(s); return orig(s); };
    usageSeries(db, '30d', 'model', NOW);
    usageSeries(db, '7d', 'model', NOW);
    expect(sqls[0]).toMatch(/FROM usage_daily WHERE day >= \? AND day < \? GROUP BY/);
    expect(sqls[1]).toMatch(/FROM usage_hourly WHERE hour >= \? AND hour < \? GROUP BY/);
    db.close();
  });

  it('migrates JSON latency buckets of existing rollups into the integer columns and builds the daily rollups', () => {
    // A database as the release before this migration left it (0000 + 0001), with hourly rollups in the old format.
    const old = fs.mkdtempSync(path.join(os.tmpdir(), 'usage-migrations-'));
    dirs.push(old);
    const src = path.join(resourcesDir(), 'migrations');
    const journal = JSON.parse(fs.readFileSync(path.join(src, 'meta', '_journal.json'), 'utf8'));
    journal.entries = journal.entries.slice(0, 2);
    fs.mkdirSync(path.join(old, 'meta'));
    fs.writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify(journal));
    for (const e of journal.entries) fs.copyFileSync(path.join(src, `${e.tag}.sql`), path.join(old, `${e.tag}.sql`));
    const { db, dataDir } = tempDb(old);
    seedKeys(db);
    const ins = db.prepare(`INSERT INTO usage_hourly (hour, account_id, key_id, model, requests, errors, prompt_tokens, cache_hit_tokens, completion_tokens,
      reasoning_tokens, cost_micro_usd, duration_ms_sum, latency_buckets) VALUES (?, 1, 'key_1', 'deepseek-flash', ?, 0, 0, 0, 0, 0, ?, 0, ?)`);
    const day = NOW - (NOW % DAY);
    ins.run(day + HOUR, 3, 300, JSON.stringify([0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
    ins.run(day + 2 * HOUR, 2, 200, JSON.stringify([0, 0, 0, 0, 0, 0, 0, 0, 2])); // an older, shorter array
    ins.run(day - DAY, 1, 100, '[]');
    db.close();

    const migrated = openDatabase({ dataDir });
    const lat = (table: string, where: string) => migrated.prepare(`SELECT ${LATENCY_COLUMNS.join(', ')} FROM ${table} WHERE ${where}`).raw().get() as number[];
    expect(lat('usage_hourly', `hour = ${day + HOUR}`)).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(lat('usage_daily', `day = ${day}`)).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
    expect(migrated.prepare('SELECT day, requests, cost_micro_usd AS c FROM usage_daily ORDER BY day').all()).toEqual([
      { day: day - DAY, requests: 1, c: 100 }, { day, requests: 5, c: 500 }]);
    const u = usageSeries(migrated, '30d', 'model', NOW);
    expect(u.totals).toMatchObject({ requests: 6, costMicroUsd: 600, p50Ms: 2500 });
    migrated.close();
  });
});

describe('request log pages without an account index', () => {
  it('pages an account through its keys, lists models and statuses from the indexes, and uses the partial status index', () => {
    const { db } = tempDb();
    const { acct, other } = seedKeys(db);
    const ins = db.prepare(`INSERT INTO requests (id, key_id, account_id, model, stream, status, http_status, started_at, duration_ms) VALUES (?, ?, ?, ?, 0, ?, 200, ?, 10)`);
    const all: Array<{ id: string; keyId: string; accountId: number; model: string; status: string; startedAt: number }> = [];
    db.transaction(() => {
      for (let i = 0; i < 600; i++) {
        const keyId = ['key_1', 'key_2', 'key_3'][i % 3];
        const r = { id: `r${String(i).padStart(4, '0')}`, keyId, accountId: keyId === 'key_3' ? other : acct, model: i % 4 ? 'deepseek-flash' : 'deepseek-v4-pro',
          status: i % 11 === 0 ? 'upstream_error' : i % 13 === 0 ? 'aborted' : 'ok', startedAt: NOW - Math.floor(i / 2) * 1000 };
        all.push(r);
        ins.run(r.id, r.keyId, r.accountId, r.model, r.status, r.startedAt);
      }
    })();
    const newestFirst = (rs: typeof all) => [...rs].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1)).map((r) => r.id);
    const walk = (f: Parameters<typeof listRequests>[1]) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      do { const p = listRequests(db, { ...f, cursor, limit: 37 }); ids.push(...p.rows.map((r) => r.id)); cursor = p.nextCursor ?? undefined; } while (cursor);
      return ids;
    };
    expect(walk({ accountId: acct })).toEqual(newestFirst(all.filter((r) => r.accountId === acct)));
    expect(walk({ accountId: acct, status: 'ok' })).toEqual(newestFirst(all.filter((r) => r.accountId === acct && r.status === 'ok')));
    expect(walk({ accountId: other, status: 'aborted' })).toEqual(newestFirst(all.filter((r) => r.accountId === other && r.status === 'aborted')));
    expect(walk({ accountId: acct, model: 'deepseek-v4-pro' })).toEqual(newestFirst(all.filter((r) => r.accountId === acct && r.model === 'deepseek-v4-pro')));
    expect(walk({ status: 'upstream_error', keyId: 'key_2' })).toEqual(newestFirst(all.filter((r) => r.status === 'upstream_error' && r.keyId === 'key_2')));
    expect(walk({ status: 'ok', fromMs: NOW - 100_000 })).toEqual(newestFirst(all.filter((r) => r.status === 'ok' && r.startedAt >= NOW - 100_000)));

    const page = listRequests(db, { limit: 5 });
    expect(page.filterOptions).toEqual({ models: ['deepseek-flash', 'deepseek-v4-pro'], statuses: ['aborted', 'ok', 'upstream_error'] });

    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan("SELECT id FROM requests r WHERE r.status = 'aborted' AND r.status <> 'ok' ORDER BY started_at DESC LIMIT 5")).toContain('requests_status_idx');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('requests', 'usage_hourly') AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name").pluck().all())
      .toEqual(['requests_key_idx', 'requests_model_idx', 'requests_shortfall_idx', 'requests_started_idx', 'requests_status_idx']); // shortfall: partial, empty while quotes hold
    db.close();
  });
});
