/**
 * `bench/run.mjs --only pg`: the gateway on PostgreSQL (a throwaway local cluster, scripts/pg-cluster.mjs) beside the
 * same gateway on SQLite, same fake upstream and load generator: added latency at c=1 (against the direct call),
 * throughput at c=32, database transactions per request (pg_stat_database xact_commit + xact_rollback, which counts
 * every round trip outside an explicit transaction; lease renewals and the mirror's reloads included), and two
 * PostgreSQL instances behind one load generator (c=32 split over both).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { startPgCluster } from '../../scripts/pg-cluster.mjs';
import { cli, startProduct } from './targets.mjs';
import { stop } from './proc.mjs';

const PATH = '/v1/chat/completions';
const BODY = JSON.stringify({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Say hi.' }] });

export async function benchPgGateway({ entry, fakeUrl, directHeaders, lg, c1Count, tputMs, log }) {
  const cluster = await startPgCluster();
  const env = { GOGOGO_DATABASE_URL: cluster.url };
  const sql = postgres(cluster.url, { max: 1, onnotice: () => {} });
  const children = [];
  try {
    const dirs = [0, 1, 2].map(() => mkdtempSync(path.join(os.tmpdir(), 'gogogo-bench-pg-')));
    cli(entry, dirs[0], ['provider', 'set', 'deepseek', '--base-url', fakeUrl, '--api-key-env', 'BENCH_DEEPSEEK_KEY'], env);
    cli(entry, dirs[0], ['credit', 'add', 'default', '1000'], env);
    const keys = [0, 1].map((i) => JSON.parse(cli(entry, dirs[0], ['key', 'create', 'default', '--name', `bench-pg-${i}`, '--json'], env)).secret);
    const sqliteDir = mkdtempSync(path.join(os.tmpdir(), 'gogogo-bench-sqlite-'));
    cli(entry, sqliteDir, ['provider', 'set', 'deepseek', '--base-url', fakeUrl, '--api-key-env', 'BENCH_DEEPSEEK_KEY'], { GOGOGO_DATABASE_URL: '' });
    cli(entry, sqliteDir, ['credit', 'add', 'default', '1000'], { GOGOGO_DATABASE_URL: '' });
    const sqliteKey = JSON.parse(cli(entry, sqliteDir, ['key', 'create', 'default', '--json'], { GOGOGO_DATABASE_URL: '' })).secret;

    const a = await startProduct(entry, dirs[1], [], env); children.push(a.child);
    const b = await startProduct(entry, dirs[2], [], env); children.push(b.child);
    const s = await startProduct(entry, sqliteDir, [], { GOGOGO_DATABASE_URL: '' }); children.push(s.child);
    const target = (origin, key) => ({ origin, path: PATH, body: BODY, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` } });
    const xacts = async () => {
      await sql`SELECT pg_stat_force_next_flush()`.catch(() => {});
      const [r] = await sql`SELECT (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database WHERE datname = current_database()`;
      return Number(r.n);
    };
    const direct = { origin: fakeUrl, path: PATH, body: BODY, headers: directHeaders };
    for (const t of [target(a.url, keys[0]), target(s.url, sqliteKey)]) await lg.run({ ...t, kind: 'timed', durationMs: 2000, concurrency: 32 });

    const out = {};
    const d1 = await lg.run({ ...direct, kind: 'fixed', count: c1Count, concurrency: 1 });
    for (const [name, t] of [['sqlite', target(s.url, sqliteKey)], ['pg', target(a.url, keys[0])]]) {
      const before = name === 'pg' ? await xacts() : 0;
      const c1 = await lg.run({ ...t, kind: 'fixed', count: c1Count, concurrency: 1 });
      const mid = name === 'pg' ? await xacts() : 0;
      const c32 = await lg.run({ ...t, kind: 'timed', durationMs: tputMs, concurrency: 32 });
      const after = name === 'pg' ? await xacts() : 0;
      out[name] = { addedP50Ms: c1.latency.p50 - d1.latency.p50, c1P50Ms: c1.latency.p50, c1P99Ms: c1.latency.p99, c32Rps: c32.rps, c32P99Ms: c32.latency.p99,
        errors: c1.errors + c32.errors };
      if (name === 'pg') { out.pg.xactsPerRequestC1 = (mid - before) / c1.ok; out.pg.xactsPerRequestC32 = (after - mid) / c32.ok; }
      log(`pg bench ${name}: added p50 ${out[name].addedP50Ms.toFixed(3)} ms at c=1, ${Math.round(c32.rps)} req/s at c=32`);
    }
    const both = await Promise.all([lg.run({ ...target(a.url, keys[0]), kind: 'timed', durationMs: tputMs, concurrency: 16 }),
      lg.run({ ...target(b.url, keys[1]), kind: 'timed', durationMs: tputMs, concurrency: 16 })]);
    out.twoInstances = { rps: both[0].rps + both[1].rps, errors: both[0].errors + both[1].errors };
    log(`pg bench two instances: ${Math.round(out.twoInstances.rps)} req/s at c=32 (16 each)`);
    // Exact money after the load: the balance equals its journal sum, nothing held once the gateways stopped.
    for (const c of children.splice(0)) await stop(c);
    const [m] = await sql`SELECT balance_micro_usd::bigint AS b, held_micro_usd::bigint AS h,
      (SELECT COALESCE(SUM(amount_micro_usd), 0) FROM journal_lines l WHERE l.account_id = a.id)::bigint AS j FROM accounts a WHERE name = 'default'`;
    out.ledger = { balanceMicroUsd: Number(m.b), heldMicroUsd: Number(m.h), journalMicroUsd: Number(m.j), consistent: Number(m.b) === Number(m.j) && Number(m.h) === 0 };
    return out;
  } finally {
    for (const c of children) await stop(c);
    await sql.end({ timeout: 5 });
    await cluster.stop();
  }
}

/** The report's PostgreSQL table. */
export function pgTable(r) {
  const f = (x, d = 3) => (x === undefined || x === null ? '–' : Number(x).toFixed(d));
  return ['| backend | added p50 c=1 ms | p99 c=1 ms | req/s c=32 | p99 c=32 ms | db transactions / request |', '| --- | --- | --- | --- | --- | --- |',
    `| SQLite (one instance) | ${f(r.sqlite.addedP50Ms)} | ${f(r.sqlite.c1P99Ms)} | ${f(r.sqlite.c32Rps, 0)} | ${f(r.sqlite.c32P99Ms)} | – |`,
    `| PostgreSQL (one instance) | ${f(r.pg.addedP50Ms)} | ${f(r.pg.c1P99Ms)} | ${f(r.pg.c32Rps, 0)} | ${f(r.pg.c32P99Ms)} | ${f(r.pg.xactsPerRequestC1, 2)} (c=1), ${f(r.pg.xactsPerRequestC32, 2)} (c=32) |`,
    `| PostgreSQL, two instances | | | ${f(r.twoInstances.rps, 0)} | | |`,
    `ledger after the run: balance ${r.ledger.balanceMicroUsd} µUSD = journal ${r.ledger.journalMicroUsd}, held ${r.ledger.heldMicroUsd} (${r.ledger.consistent ? 'consistent' : 'INCONSISTENT'})`].join('\n');
}
