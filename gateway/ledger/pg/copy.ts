/**
 * `gogogo db copy --to postgres://…`: moves a SQLite ledger (the data dir's gateway.db) into a PostgreSQL database,
 * in one PostgreSQL transaction, then proves the copy before committing: every account's balance equals its SQLite
 * balance and its PostgreSQL journal sum, the journal's line sums per account match, and every table has as many
 * rows on both sides. Any difference rolls the whole copy back. The target must be empty (it is migrated first);
 * the source must have no open holds (stop `gogogo serve` first: a hold belongs to a running process).
 * Columns are copied by name; the SQLite-only ones (the legacy `usage_hourly.latency_buckets`) are left behind.
 */
import type { Sqlite } from '../db';
import { LedgerError } from '../errors';
import { migratePg, pgPool, redact, type PgTx } from './connect';

/** Tables in foreign-key order. `holds` is not copied (it must be empty), nor is SQLite's migration table. */
const TABLES = ['accounts', 'journal_postings', 'journal_lines', 'api_keys', 'requests', 'usage_hourly', 'usage_daily', 'price_overrides',
  'operator_models', 'model_routes', 'model_aliases', 'fx_rates', 'providers', 'alerts', 'settings', 'chains', 'chain_tokens', 'linked_wallets', 'deposits', 'audit_log'];
/** Tables whose ids come from a sequence in PostgreSQL: the sequence continues after the copied ids. */
const SERIAL = ['accounts', 'journal_postings', 'journal_lines', 'alerts', 'deposits', 'audit_log'];
const CHUNK = 500;

export interface CopyReport { rows: Record<string, number>; accounts: number; journalLines: number; totalCustomerBalanceMicroUsd: number }

export async function copySqliteToPg(sqlite: Sqlite, url: string): Promise<CopyReport> {
  const open = sqlite.prepare('SELECT COUNT(*) FROM holds').pluck().get() as number;
  if (open > 0) throw new LedgerError('conflict', `the SQLite ledger has ${open} open hold(s): stop \`gogogo serve\` (and let its requests finish) before copying`);
  await migratePg(url);
  const sql = pgPool(url, 1);
  try {
    const [{ n }] = await sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM accounts`;
    if (n > 0) throw new LedgerError('conflict', `the target database ${redact(url)} already holds a ledger (${n} accounts); copy only into an empty database`);
    const rows: Record<string, number> = {};
    await sql.begin(async (tx) => {
      for (const table of TABLES) {
        const pgColumns = await tx<Array<{ column_name: string; data_type: string }>>`SELECT column_name, data_type FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = ${table}`;
        const types = new Map(pgColumns.map((c) => [c.column_name, c.data_type]));
        const columns = (sqlite.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).filter((c) => types.has(c));
        const booleans = columns.filter((c) => types.get(c) === 'boolean');
        let count = 0;
        let chunk: Array<Record<string, unknown>> = [];
        const write = async () => {
          if (chunk.length) await tx`INSERT INTO ${tx(table)} ${tx(chunk as Array<Record<string, string>>, columns)}`;
          count += chunk.length;
          chunk = [];
        };
        for (const r of sqlite.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${table}`).iterate() as Iterable<Record<string, unknown>>) {
          for (const b of booleans) if (r[b] !== null) r[b] = !!r[b];
          chunk.push(r);
          if (chunk.length === CHUNK) await write();
        }
        await write();
        rows[table] = count;
      }
      for (const table of SERIAL) {
        await tx.unsafe(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE((SELECT MAX(id) FROM ${table}), 0) + 1, false)`);
      }
      await verify(sqlite, tx, rows);
    });
    const balances = sqlite.prepare("SELECT COUNT(*) AS accounts, COALESCE(SUM(balance_micro_usd), 0) AS total FROM accounts WHERE type = 'customer'").get() as { accounts: number; total: number };
    return { rows, accounts: balances.accounts, journalLines: rows.journal_lines, totalCustomerBalanceMicroUsd: balances.total };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Balances and journal sums per account, and row counts per table, must agree; else the copy is rolled back. */
async function verify(sqlite: Sqlite, tx: PgTx, rows: Record<string, number>): Promise<void> {
  const problems: string[] = [];
  for (const table of TABLES) {
    const source = sqlite.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    if (source !== rows[table]) problems.push(`${table}: ${source} rows in SQLite, ${rows[table]} copied`);
  }
  const source = sqlite.prepare(`SELECT a.id, a.balance_micro_usd AS balance, (SELECT COALESCE(SUM(amount_micro_usd), 0) FROM journal_lines l WHERE l.account_id = a.id) AS lines
    FROM accounts a`).all() as Array<{ id: number; balance: number; lines: number }>;
  const target = new Map((await tx<Array<{ id: number; balance: number; lines: number }>>`SELECT a.id, a.balance_micro_usd AS balance,
    (SELECT COALESCE(SUM(amount_micro_usd), 0)::bigint FROM journal_lines l WHERE l.account_id = a.id) AS lines FROM accounts a`).map((r) => [r.id, r]));
  for (const s of source) {
    const t = target.get(s.id);
    if (s.balance !== s.lines) problems.push(`account ${s.id}: the SQLite ledger itself is inconsistent (balance ${s.balance}, journal sum ${s.lines})`);
    if (!t || t.balance !== s.balance || t.lines !== s.lines) {
      problems.push(`account ${s.id}: SQLite balance ${s.balance} / journal ${s.lines}, PostgreSQL ${t ? `${t.balance} / ${t.lines}` : 'missing'}`);
    }
  }
  if (problems.length) throw new LedgerError('conflict', `the copy does not match the SQLite ledger and was rolled back:\n  ${problems.join('\n  ')}`);
}
