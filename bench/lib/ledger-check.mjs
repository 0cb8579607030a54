/**
 * After the load: the product's ledger must hold one settled row per request sent, and the account's
 * balance must have dropped by exactly the sum of the rows' costs, with no hold left behind.
 */
import path from 'node:path';
import { cli } from './targets.mjs';

const CLI_MAX_LIMIT = 100_000;

/** Checks the ledger through the CLI (`requests --json`, `balance --json`); SQL only past the CLI's 100k cap. */
export async function checkLedger(entry, dataDir, sent, initialMicroUsd) {
  const out = { sent, via: 'gogogo requests --json / balance --json' };
  let rows;
  if (sent < CLI_MAX_LIMIT) {
    rows = JSON.parse(cli(entry, dataDir, ['requests', '--json', '--limit', String(sent + 1)]));
    out.rows = rows.length;
    out.notOk = rows.filter((r) => r.status !== 'ok').length;
    out.statuses = rows.reduce((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {});
    out.sumCostMicroUsd = rows.reduce((s, r) => s + r.costMicroUsd, 0);
  } else {
    // The CLI caps --limit at 100,000: count and sum with a read-only SQL query instead (same file).
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dataDir, 'gateway.db'), { readonly: true });
    out.via = 'SQL (read-only; the CLI caps --limit at 100k) + gogogo balance --json';
    const st = db.prepare('SELECT status, COUNT(*) AS n, SUM(cost_micro_usd) AS c FROM requests GROUP BY status').all();
    db.close();
    out.rows = st.reduce((s, r) => s + r.n, 0);
    out.notOk = st.filter((r) => r.status !== 'ok').reduce((s, r) => s + r.n, 0);
    out.statuses = Object.fromEntries(st.map((r) => [r.status, r.n]));
    out.sumCostMicroUsd = st.reduce((s, r) => s + r.c, 0);
  }
  const bal = JSON.parse(cli(entry, dataDir, ['balance', 'default', '--json']));
  out.balanceMicroUsd = bal.balanceMicroUsd;
  out.heldMicroUsd = bal.heldMicroUsd;
  out.decreaseMicroUsd = initialMicroUsd - bal.balanceMicroUsd;
  out.countOk = out.rows === sent;
  out.allSettled = out.notOk === 0 && bal.heldMicroUsd === 0;
  out.balanceOk = out.decreaseMicroUsd === out.sumCostMicroUsd;
  out.ok = out.countOk && out.allSettled && out.balanceOk;
  return out;
}
