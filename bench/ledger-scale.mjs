#!/usr/bin/env node
/**
 * The ledger at scale: seeds 1,000,000 request rows (and their hourly + daily rollups, written per row by the
 * real gateway/ledger/rollups.ts) into a temp data dir
 * created by the real migrations, then times the admin window's real queries (gateway/admin/queries/*):
 * the usage chart for every range × grouping, the overview counters, and filtered / cursor-paged pages
 * of the request log. Reports bytes per row (file size at 25/50/75/100% to show growth is linear) and
 * EXPLAIN QUERY PLAN for any query over its target.
 *
 * Run: node --import tsx bench/ledger-scale.mjs [--rows N] [--quick] [--json] [--keep]
 * (`npm run bench` runs it; --json prints one JSON document on stdout, progress goes to stderr.)
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../gateway/ledger/db.ts';
import { prepareRollups, writeRollups } from '../gateway/ledger/rollups.ts';
import { usageSeries } from '../gateway/admin/queries/usage.ts';
import { listRequests } from '../gateway/admin/queries/requests.ts';
import { spentToday, traffic } from '../gateway/admin/queries/overview.ts';
import { median } from './lib/stats.mjs';

const { values: argv } = parseArgs({ options: { rows: { type: 'string' }, quick: { type: 'boolean' }, json: { type: 'boolean' }, keep: { type: 'boolean' } } });
const ROWS = Number(argv.rows ?? (argv.quick ? 100_000 : 1_000_000));
const REPS = argv.quick ? 5 : 15;
const CHART_TARGET_MS = 50;
const PAGE_TARGET_MS = 20;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const log = (s) => process.stderr.write(`[ledger-scale] ${s}\n`);

/** A small deterministic PRNG (mulberry32) so every run seeds the same shape. */
function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
const rand = rng(42);
const pick = (weighted) => { let x = rand(); for (const [v, w] of weighted) { if ((x -= w) < 0) return v; } return weighted[weighted.length - 1][0]; };

const STATUSES = [['ok', 0.955], ['upstream_error', 0.02], ['refused', 0.012], ['aborted', 0.01], ['interrupted', 0.003]];
const MODELS = [['deepseek-flash', 0.72], ['deepseek-v4-pro', 0.25], ['deepseek-v4-flash', 0.03]];

function seedAccountsAndKeys(db, now) {
  const insAcct = db.prepare("INSERT OR IGNORE INTO accounts (name, type, created_at) VALUES (?, 'customer', ?)");
  for (const n of ['default', 'team-a', 'team-b']) insAcct.run(n, now - 40 * DAY);
  const accounts = db.prepare("SELECT id FROM accounts WHERE type = 'customer' ORDER BY id").pluck().all();
  const insKey = db.prepare('INSERT INTO api_keys (id, account_id, name, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const keys = [];
  for (let i = 0; i < 10; i++) {
    const id = `key_bench${String(i).padStart(4, '0')}`;
    const accountId = accounts[i % accounts.length];
    insKey.run(id, accountId, `agent-${i}`, `sk-ggo-${randomBytes(3).toString('hex')}`, randomBytes(32).toString('hex'), now - 35 * DAY);
    // Traffic is skewed: a few keys carry most of it.
    keys.push([{ id, accountId }, [0.3, 0.2, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02][i]]);
  }
  return keys;
}

/** Seeds `rows` requests over the 30 days before `now`, oldest first, in transactions of 50k rows. */
function seed(db, file, rows, now) {
  const keys = seedAccountsAndKeys(db, now);
  const insert = db.prepare(`INSERT INTO requests (id, key_id, account_id, model, model_served, provider, stream, status, http_status, prompt_tokens, cache_hit_tokens,
    cache_miss_tokens, completion_tokens, reasoning_tokens, cost_micro_usd, quote_micro_usd, price_tier, usage_estimated, upstream_request_id, started_at,
    first_token_ms, duration_ms, error) VALUES (?, ?, ?, ?, ?, 'deepseek', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const rollups = prepareRollups(db);
  const start = now - 30 * DAY;
  const step = (30 * DAY) / rows;
  const growth = [];
  const BATCH = 50_000;
  const t0 = performance.now();
  for (let done = 0; done < rows;) {
    const n = Math.min(BATCH, rows - done);
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const j = done + i;
        const startedAt = Math.floor(start + j * step + rand() * step);
        const key = pick(keys);
        const model = pick(MODELS);
        const status = pick(STATUSES);
        const ok = status === 'ok';
        const stream = rand() < 0.6 ? 1 : 0;
        const prompt = ok || status === 'aborted' ? 200 + Math.floor(rand() * 6000) : 0;
        const hit = Math.floor(prompt * rand() * 0.7);
        const completion = ok ? 20 + Math.floor(rand() * 1500) : status === 'aborted' ? Math.floor(rand() * 200) : 0;
        const reasoning = Math.floor(completion * rand() * 0.5);
        const cost = ok || status === 'aborted' ? Math.ceil((hit * 0.028 + (prompt - hit) * 0.28 + completion * 0.42)) : 0;
        const duration = ok ? 300 + Math.floor(rand() * rand() * 30_000) : 50 + Math.floor(rand() * 2000);
        const httpStatus = { ok: 200, upstream_error: 502, refused: 402, aborted: 200, interrupted: 0 }[status];
        insert.run(`req_${randomBytes(16).toString('hex')}`, key.id, key.accountId, model, ok ? model : null, stream, status, httpStatus, prompt, hit, prompt - hit,
          completion, reasoning, cost, cost + 5000, startedAt % DAY < 8 * HOUR ? 'peak' : 'offpeak', 0, ok ? `ds-${j}` : null, startedAt,
          stream ? 150 + Math.floor(rand() * 900) : null, duration, ok ? null : `${status}: synthetic`);
        writeRollups(rollups, { keyId: key.id, accountId: key.accountId, model, status, startedAt, durationMs: duration, promptTokens: prompt,
          cacheHitTokens: hit, completionTokens: completion, reasoningTokens: reasoning, costMicroUsd: cost });
      }
    })();
    done += n;
    if (done % (rows / 4) < BATCH || done === rows) {
      if (done === rows || growth.length < 3) {
        db.pragma('wal_checkpoint(TRUNCATE)');
        growth.push({ rows: done, bytes: statSync(file).size });
      }
    }
    log(`seeded ${done.toLocaleString('en-US')} rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  const rollupRows = db.prepare('SELECT (SELECT COUNT(*) FROM usage_hourly) + (SELECT COUNT(*) FROM usage_daily)').pluck().get();
  return { seedSeconds: (performance.now() - t0) / 1000, rollupRows, growth, keys: keys.map(([k]) => k.id) };
}

/**
 * Times fn() REPS times after one cold call. Records the statements it prepared and their bound parameters,
 * then times the SQL alone (same parameters), so a slow query says whether SQLite or the JS around it is slow.
 */
function time(db, name, fn) {
  const stmts = [];
  const orig = db.prepare;
  db.prepare = function (sql) {
    const st = orig.call(this, sql);
    const rec = { sql, params: [] };
    stmts.push(rec);
    for (const m of ['all', 'get', 'run']) { const f = st[m]; st[m] = (...a) => { rec.params = a; return f.apply(st, a); }; }
    return st;
  };
  let t = performance.now();
  let result;
  try { result = fn(); } finally { db.prepare = orig; }
  const coldMs = performance.now() - t;
  const ms = [];
  for (let i = 0; i < REPS; i++) { t = performance.now(); result = fn(); ms.push(performance.now() - t); }
  const sqlMs = [];
  for (let i = 0; i < REPS; i++) {
    t = performance.now();
    for (const st of stmts) db.prepare(st.sql).all(...st.params);
    sqlMs.push(performance.now() - t);
  }
  return { name, coldMs, medianMs: median(ms), maxMs: Math.max(...ms), sqlMedianMs: median(sqlMs), stmts, result };
}

function plan(db, { sql, params }) {
  try {
    return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail);
  } catch (e) { return [`(no plan: ${e.message})`]; }
}

function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gogogo-ledger-scale-'));
  const file = path.join(dir, 'gateway.db');
  try {
    const now = Date.now();
    let db = openDatabase({ dataDir: dir });
    const empty = statSync(file).size;
    log(`seeding ${ROWS.toLocaleString('en-US')} request rows into ${file} (real migrations)`);
    const s = seed(db, file, ROWS, now);
    db.close();
    // A fresh connection, like the app after a restart (the OS cache is warm: "warm disk").
    db = openDatabase({ dataDir: dir });
    const bytes = statSync(file).size + (existsSync(file + '-wal') ? statSync(file + '-wal').size : 0);
    let tables = null;
    try {
      tables = db.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 12").all();
    } catch { /* dbstat not compiled in */ }

    const queries = [];
    const chart = [];
    for (const range of ['24h', '7d', '30d']) for (const groupBy of ['model', 'key', 'account']) {
      chart.push(time(db, `usage chart ${range} by ${groupBy}`, () => usageSeries(db, range, groupBy, now)));
    }
    chart.push(time(db, 'overview: spent today per account', () => spentToday(db, now)));
    chart.push(time(db, 'overview: traffic last minute/hour', () => traffic(db, now)));
    const page = [];
    const firstKey = s.keys[0];
    const rareKey = s.keys[s.keys.length - 1];
    page.push(time(db, 'page 1, no filter (50 rows)', () => listRequests(db, { limit: 50 })));
    page.push(time(db, 'page 1, by key (busiest)', () => listRequests(db, { keyId: firstKey, limit: 50 })));
    page.push(time(db, 'page 1, by key (quietest)', () => listRequests(db, { keyId: rareKey, limit: 50 })));
    page.push(time(db, 'page 1, by model', () => listRequests(db, { model: 'deepseek-v4-pro', limit: 50 })));
    page.push(time(db, 'page 1, by status (upstream_error, 2%)', () => listRequests(db, { status: 'upstream_error', limit: 50 })));
    page.push(time(db, 'page 1, time range (one day, 10 days ago)', () => listRequests(db, { fromMs: now - 10 * DAY, toMs: now - 9 * DAY, limit: 50 })));
    page.push(time(db, 'page 1, key + status (interrupted, 0.3%)', () => listRequests(db, { keyId: firstKey, status: 'interrupted', limit: 50 })));
    page.push(time(db, 'page 1, model + time range', () => listRequests(db, { model: 'deepseek-flash', fromMs: now - 20 * DAY, toMs: now - 19 * DAY, limit: 50 })));
    page.push(time(db, 'page 1, key + model (rare combo)', () => listRequests(db, { keyId: rareKey, model: 'deepseek-v4-flash', limit: 50 })));
    const teamB = db.prepare("SELECT id FROM accounts WHERE name = 'team-b'").pluck().get();
    page.push(time(db, 'page 1, by account (team-b, 3 keys)', () => listRequests(db, { accountId: teamB, limit: 50 })));
    page.push(time(db, 'page 1, by status (interrupted, 0.3%)', () => listRequests(db, { status: 'interrupted', limit: 50 })));
    page.push(time(db, 'page 1, key (quietest) + status ok', () => listRequests(db, { keyId: rareKey, status: 'ok', limit: 50 })));
    // Cursor paging: walk 20 pages deep, then time the next page from there.
    let cursor;
    for (let i = 0; i < 20; i++) cursor = listRequests(db, { limit: 50, cursor }).nextCursor ?? undefined;
    page.push(time(db, 'page 21 via cursor, no filter', () => listRequests(db, { limit: 50, cursor })));
    let kc;
    for (let i = 0; i < 20; i++) kc = listRequests(db, { keyId: firstKey, limit: 50, cursor: kc }).nextCursor ?? undefined;
    page.push(time(db, 'page 21 via cursor, by key', () => listRequests(db, { keyId: firstKey, limit: 50, cursor: kc })));
    let sc;
    for (let i = 0; i < 5; i++) sc = listRequests(db, { status: 'upstream_error', limit: 50, cursor: sc }).nextCursor ?? undefined;
    page.push(time(db, 'page 6 via cursor, by status', () => listRequests(db, { status: 'upstream_error', limit: 50, cursor: sc })));

    for (const q of [...chart, ...page]) {
      const target = chart.includes(q) ? CHART_TARGET_MS : PAGE_TARGET_MS;
      const slow = q.medianMs > target;
      queries.push({ name: q.name, kind: chart.includes(q) ? 'chart' : 'page', targetMs: target, coldMs: q.coldMs, medianMs: q.medianMs, maxMs: q.maxMs,
        sqlMedianMs: q.sqlMedianMs, slow, rowsReturned: Array.isArray(q.result?.rows) ? q.result.rows.length : undefined,
        sql: q.stmts.map((x) => x.sql.replace(/\s+/g, ' ').trim()), plan: q.stmts.map((x) => plan(db, x)) });
    }
    db.close();
    const slowest = (kind) => queries.filter((q) => q.kind === kind).sort((a, b) => b.medianMs - a.medianMs)[0];
    const out = {
      rows: ROWS, rollupRows: s.rollupRows, seedSeconds: s.seedSeconds, emptyBytes: empty, fileBytes: bytes, fileMiB: bytes / 1048576,
      bytesPerRow: (bytes - empty) / ROWS, growth: s.growth.map((g) => ({ ...g, bytesPerRow: (g.bytes - empty) / g.rows })), tables,
      chart: { slowest: slowest('chart').name, slowestMs: slowest('chart').medianMs, targetMs: CHART_TARGET_MS },
      page: { slowest: slowest('page').name, slowestMs: slowest('page').medianMs, targetMs: PAGE_TARGET_MS },
      queries,
    };
    if (argv.json) process.stdout.write(JSON.stringify(out) + '\n');
    else report(out);
  } finally {
    if (!argv.keep) rmSync(dir, { recursive: true, force: true }); else log(`kept ${dir}`);
  }
}

function report(o) {
  const p = (s) => process.stdout.write(s + '\n');
  p(`rows ${o.rows.toLocaleString('en-US')} (+${o.rollupRows} rollup rows), seeded in ${o.seedSeconds.toFixed(1)} s; file ${o.fileMiB.toFixed(1)} MiB = ${o.bytesPerRow.toFixed(0)} B/row`);
  p(`growth: ${o.growth.map((g) => `${g.rows.toLocaleString('en-US')} rows → ${(g.bytes / 1048576).toFixed(1)} MiB (${g.bytesPerRow.toFixed(0)} B/row)`).join('; ')}`);
  if (o.tables) p(`by table/index: ${o.tables.map((t) => `${t.name} ${(t.bytes / 1048576).toFixed(1)} MiB`).join(', ')}`);
  p('');
  p('| query | target ms | cold ms | median ms | of which SQL ms | max ms |');
  p('|---|---|---|---|---|---|');
  for (const q of o.queries) p(`| ${q.name} | ≤ ${q.targetMs} | ${q.coldMs.toFixed(2)} | ${q.medianMs.toFixed(2)}${q.slow ? ' **SLOW**' : ''} | ${q.sqlMedianMs.toFixed(2)} | ${q.maxMs.toFixed(2)} |`);
  for (const q of o.queries.filter((x) => x.slow)) {
    p(`\n${q.name}: median ${q.medianMs.toFixed(1)} ms > ${q.targetMs} ms (SQL alone ${q.sqlMedianMs.toFixed(1)} ms)`);
    q.sql.forEach((s, i) => p(`  SQL: ${s}\n  PLAN:\n    ${q.plan[i].join('\n    ')}`));
  }
}

main();
