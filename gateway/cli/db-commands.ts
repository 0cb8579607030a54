/** `gogogo db …`: migrations and moving a SQLite ledger into PostgreSQL (DESIGN.md, "More than one machine"). */
import { CliError, type Command } from './command';

const PG_URL = /^postgres(ql)?:\/\//;

/** `--database-url` wins over GOGOGO_DATABASE_URL; neither means the data dir's SQLite ledger. */
function databaseUrl(flag: unknown): string | null {
  const url = (typeof flag === 'string' ? flag : null) ?? process.env.GOGOGO_DATABASE_URL ?? null;
  if (url !== null && !PG_URL.test(url)) throw new CliError(`--database-url must be a postgres:// URL, got "${url}"`);
  return url;
}

export const dbCommands: Command[] = [
  {
    path: ['db', 'migrate'], usage: 'db migrate [--database-url postgres://...]',
    summary: 'apply pending migrations (PostgreSQL under an advisory lock; SQLite after a backup); a failed migration changes nothing',
    args: [0, 0], options: { 'database-url': { type: 'string' } },
    async run(ctx, _args, f) {
      const url = databaseUrl(f['database-url']);
      if (!url) { ctx.core(); ctx.out('the SQLite ledger is up to date'); return; }
      const { migratePg, redact } = await import('../ledger/pg/connect');
      await migratePg(url);
      ctx.out(`${redact(url)} is up to date`);
    },
  },
  {
    path: ['db', 'copy'], usage: 'db copy --to postgres://...',
    summary: 'copy this data dir\'s SQLite ledger into an empty PostgreSQL database, verified by balances and journal sums (stop serve first)',
    args: [0, 0], options: { to: { type: 'string' } },
    async run(ctx, _args, f) {
      const to = typeof f.to === 'string' ? f.to : '';
      if (!PG_URL.test(to)) throw new CliError('--to postgres://USER@HOST:PORT/DATABASE is required');
      const core = ctx.core();
      core.ledger.flush();
      const { copySqliteToPg } = await import('../ledger/pg/copy');
      const { redact } = await import('../ledger/pg/connect');
      const r = await copySqliteToPg(core.sqlite, to);
      const total = Object.values(r.rows).reduce((a, b) => a + b, 0);
      ctx.out(`copied ${total} rows into ${redact(to)}: ${r.accounts} customer account(s), ${r.journalLines} journal lines; balances and journal sums verified`);
    },
  },
];
