// The PostgreSQL ledger at the port (no HTTP): hold → settle per request on a durable throwaway cluster
// (fsync on unless --no-fsync), at c=1 and c=32 split over two instances (two pools, one database).
// Reports requests/s, latency of hold+settle, and database round trips per request (batches sent / requests).
//   node --import tsx bench/pg-ledger.mjs [--seconds 5]
import { startPgCluster } from '../scripts/pg-cluster.mjs';
import { migratePg, pgPool } from '../gateway/ledger/pg/connect.ts';
import { PgLedger } from '../gateway/ledger/pg/pg-ledger.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 5;
const cluster = await startPgCluster({ durable: !process.argv.includes("--no-fsync") });
try {
  await migratePg(cluster.url);
  const pools = [pgPool(cluster.url, 8), pgPool(cluster.url, 8)];
  const ledgers = await Promise.all(pools.map((p) => PgLedger.open(p)));
  for (const l of ledgers) await l.startLease();
  const acct = await ledgers[0].requireAccount('default');
  await ledgers[0].credit(acct.id, 1e15);
  const keyIds = ['k0', 'k1'];
  for (const k of keyIds) await pools[0]`INSERT INTO api_keys (id, account_id, prefix, hash, created_at) VALUES (${k}, ${acct.id}, 'sk', ${k}, 0)`;
  let n = 0;
  const one = async (ledger, keyId) => {
    const id = `r${n++}`;
    const h = await ledger.hold({ requestId: id, accountId: acct.id, keyId, amountMicroUsd: 5000, model: 'm', stream: false });
    if (!h.ok) throw new Error('hold refused');
    await ledger.settle(id, 1234, { id, keyId, accountId: acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 5, quoteMicroUsd: 5000 });
  };
  const run = async (concurrency, label) => {
    const before = ledgers.map((l) => l.batchStats());
    const startN = n;
    const lat = [];
    const end = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
      const ledger = ledgers[w % 2];
      while (performance.now() < end) { const t = performance.now(); await one(ledger, keyIds[w % 2]); lat.push(performance.now() - t); }
    }));
    const done = n - startN;
    const after = ledgers.map((l) => l.batchStats());
    const trips = after.reduce((s, a, i) => s + a.holds.batches - before[i].holds.batches + a.settles.batches - before[i].settles.batches, 0);
    lat.sort((a, b) => a - b);
    const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
    console.log(`| ${label} | ${(done / seconds).toFixed(0)} | ${q(0.5)} | ${q(0.99)} | ${(trips / done).toFixed(2)} |`);
  };
  console.log('| run | requests/s | hold+settle p50 ms | p99 ms | round trips / request |\n| --- | --- | --- | --- | --- |');
  await run(1, 'c=1, one instance');
  await run(32, 'c=32, two instances');
  for (const l of ledgers) await l.close();
  await Promise.all(pools.map((p) => p.end({ timeout: 5 })));
} finally {
  await cluster.stop();
}
