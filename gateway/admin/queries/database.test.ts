/**
 * getDatabase: which database holds the ledger and which instances are live. SQLite: the file and this process.
 * PostgreSQL (real server, two PgLedgers with leases as two `gogogo serve` would have): host:port/database without
 * the password, both instances, this one flagged; an instance that stops renewing drops out after its lease.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { usePostgres } from '../../../test/helpers/pg';
import { migratePg, pgPool } from '../../ledger/pg/connect';
import { PgLedger } from '../../ledger/pg/pg-ledger';
import { PgReader } from '../../ledger/reader';
import { createAdminService } from '../service';
import { tempCore } from '../test-helpers';
import { databaseInfo } from './database';

const pg = usePostgres();
const ctx = { gatewayUrl: () => 'http://127.0.0.1:1', lanUrls: () => [] };
const closers: Array<() => Promise<void>> = [];
afterAll(async () => { for (const c of closers.reverse()) await c(); });

describe('getDatabase', () => {
  it('SQLite: the database file and this process', async () => {
    const t = tempCore();
    try {
      const r = await createAdminService(t.core, ctx).getDatabase({});
      expect(r).toEqual({ ok: true, data: { database: 'sqlite', location: path.join(t.dataDir, 'gateway.db'),
        instances: [{ id: `pid:${process.pid}`, host: expect.any(String), pid: process.pid, startedAt: expect.any(Number), renewedAt: expect.any(Number), self: true }] } });
    } finally { t.cleanup(); }
  });

  it('PostgreSQL: host/database without the password, and the instances whose lease is current', async () => {
    const plain = new URL(await pg.freshDatabase());
    await migratePg(plain.toString());
    // The test cluster trusts local connections: a password in the URL is accepted and must never be shown.
    const url = new URL(plain);
    url.username = 'postgres';
    url.password = 's3cret-pw';
    const open = async (leaseMs: number) => {
      const sql = pgPool(url.toString(), 2);
      const ledger = await PgLedger.open(sql, { leaseMs, log: () => {} });
      await ledger.startLease();
      closers.push(async () => { await ledger.close().catch(() => {}); await sql.end({ timeout: 5 }); });
      return { sql, ledger };
    };
    const a = await open(400);
    const b = await open(400);
    // The handler's answer on instance a's core (reader and ledger on PostgreSQL).
    const core = { reader: new PgReader(a.sql, url.toString()), ledger: a.ledger as never, now: Date.now };
    const info = await databaseInfo(core, Date.now());
    expect(info.database).toBe('postgresql');
    expect(info.location).toBe(`${plain.hostname}:${plain.port}${plain.pathname}`);
    expect(JSON.stringify(info)).not.toContain('s3cret-pw');
    expect(info.instances.map((i) => [i.id, i.self]).sort()).toEqual([[a.ledger.instanceId, true], [b.ledger.instanceId, false]].sort());
    expect(info.instances.every((i) => i.pid === process.pid && i.renewedAt >= i.startedAt)).toBe(true);
    // b dies (stops renewing): after a whole lease it is no longer live.
    b.ledger.stopLease();
    await new Promise((res) => setTimeout(res, 900));
    expect((await databaseInfo(core, Date.now())).instances.map((i) => i.id)).toEqual([a.ledger.instanceId]);
  });
});
