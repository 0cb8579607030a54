/** Which database holds the ledger and which gateway instances serve from it (the Settings → Database panel). */
import os from 'node:os';
import type { Core } from '../../core';
import type { LedgerFleet } from '../../ledger/port';
import type { DatabaseInfo } from '../contract';

/**
 * PostgreSQL: the instances with a current lease (the ledger's `liveInstances`), this one flagged `self`. SQLite: one
 * host, one serving process — this one (the file's other users are short CLI commands, not instances).
 */
export async function databaseInfo(core: Pick<Core, 'reader' | 'ledger' | 'now'>, startedAt: number): Promise<DatabaseInfo> {
  const { database, location } = core.reader;
  const fleet = core.ledger as unknown as Partial<LedgerFleet>;
  if (typeof fleet.liveInstances === 'function') {
    const live = await fleet.liveInstances();
    return { database, location, instances: live.map((i) => ({ ...i, self: i.id === fleet.instanceId })) };
  }
  return { database, location, instances: [{ id: `pid:${process.pid}`, host: os.hostname(), pid: process.pid, startedAt, renewedAt: core.now(), self: true }] };
}
