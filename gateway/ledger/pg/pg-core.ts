/**
 * The PostgreSQL side of the core (core.ts openCore): migrate under the advisory lock, open the pooled ledger, take
 * this instance's lease (serve only: an admin command holds no requests), and load the config mirror that the
 * stores read. Closing ends them in the reverse order: flush and leave the lease, stop listening, end the pool.
 */
import type { CoreParts } from '../../core';
import type { PeriodClock } from '../../keys/periods';
import { LedgerError } from '../errors';
import { migratePg, pgPool, redact } from './connect';
import { PgMirror } from './mirror';
import { PgReader } from '../reader';
import { PgLedger } from './pg-ledger';

export interface PgCoreOptions { url: string; now: () => number; periods: PeriodClock; lease: boolean; log?: (line: string) => void }

const PG_URL = /^postgres(ql)?:\/\//;

export async function openPgParts(o: PgCoreOptions): Promise<CoreParts> {
  if (!PG_URL.test(o.url)) throw new LedgerError('invalid', `the database URL must be a postgres:// URL, got "${redact(o.url)}"`);
  const log = o.log ?? ((line: string) => process.stderr.write(`gogogo: ${line}\n`));
  await migratePg(o.url);
  const pool = pgPool(o.url, Number(process.env.GOGOGO_DATABASE_POOL) || 10);
  let ledger: PgLedger | null = null;
  try {
    ledger = await PgLedger.open(pool, { now: o.now, periods: o.periods, log });
    if (o.lease) await ledger.startLease();
    const l = ledger;
    const mirror = await PgMirror.open(pool, (fn) => l.onChanged(fn), log);
    return {
      sqlite: mirror.sqlite, writes: mirror, reader: new PgReader(pool, o.url), ledger, backend: { kind: 'postgres', ledger, url: redact(o.url), pool },
      insertAlert(kind, message, at) {
        pool`INSERT INTO alerts (kind, message, created_at) VALUES (${kind}, ${message}, ${at})`.catch((e: Error) => log(`recording alert failed: ${e.message}`));
      },
      // The wallet's rows and credits on the shared database; one deposit watcher per chain across the fleet (advisory lock).
      loadWallet: (alert) => Promise.all([import('../../wallet'), import('../../wallet/pg-store')])
        .then(([{ createWallet }, { PgWalletStore }]) => createWallet({ store: new PgWalletStore(pool, l, o.now), ledger: l, now: o.now, alert })),
      async close() {
        await l.close();
        await mirror.close();
        await pool.end({ timeout: 5 });
      },
    };
  } catch (e) {
    await ledger?.close().catch(() => {});
    await pool.end({ timeout: 5 });
    throw e;
  }
}
