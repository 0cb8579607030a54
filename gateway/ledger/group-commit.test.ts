/** Group commit in the serving process: visibility to other connections, checkpoints and backups while a turn is open. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { Ledger } from './ledger';
import { Keys } from '../keys/keys';
import { startCheckpointer } from './checkpointer';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function serving() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
  dirs.push(dir);
  const sqlite = openDatabase({ dataDir: dir });
  const ledger = new Ledger(sqlite);
  const acct = ledger.requireAccount('default');
  ledger.credit(acct.id, 1_000_000);
  const { key } = new Keys(sqlite).create(acct.id);
  ledger.enableGroupCommit({ intervalMs: 20 });
  const other = new Database(path.join(dir, 'gateway.db'), { readonly: true });
  const held = () => (other.prepare("SELECT held_micro_usd h FROM accounts WHERE name = 'default'").get() as { h: number }).h;
  return { dir, sqlite, ledger, acct, key, other, held };
}

describe('group commit', () => {
  it('a hold becomes visible to other processes at the commit, and the in-process view sees it at once', async () => {
    const t = serving();
    expect(t.ledger.hold({ requestId: 'r1', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 500, model: 'm', stream: false })).toEqual({ ok: true });
    expect(t.ledger.account(t.acct.id)!.heldMicroUsd).toBe(500);
    expect(t.held()).toBe(0);
    await new Promise((r) => setTimeout(r, 40)); // past the 20 ms commit interval
    expect(t.held()).toBe(500);
    t.ledger.settleSoon('r1', 120, { id: 'r1', keyId: t.key.id, accountId: t.acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 1 });
    t.ledger.flush();
    expect(t.held()).toBe(0);
    expect(t.ledger.account(t.acct.id)!.balanceMicroUsd).toBe(1_000_000 - 120);
    t.other.close();
    t.sqlite.close();
  });

  it('checkpoints run although a group-commit turn is almost always open', async () => {
    const t = serving();
    t.ledger.enableGroupCommit({ intervalMs: 60_000 }); // only the checkpointer ends turns here
    const stop = startCheckpointer(t.sqlite, 10, () => t.ledger.flush());
    for (let i = 0; i < 200; i++) {
      t.ledger.hold({ requestId: `q${i}`, accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 1, model: 'm', stream: false });
      t.ledger.settleSoon(`q${i}`, 1, { id: `q${i}`, keyId: t.key.id, accountId: t.acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 1 });
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 40));
    // The checkpointer committed the open turn before checkpointing, so other processes see every request.
    expect((t.other.prepare('SELECT COUNT(*) n FROM requests').get() as { n: number }).n).toBe(200);
    stop();
    // [busy, frames in the WAL, frames checkpointed]: everything written has been copied back.
    const [status] = t.sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    expect(status.log).toBe(status.checkpointed);
    t.other.close();
    t.sqlite.close();
  });

  it('a backup (VACUUM INTO) works while the server has a turn open, after flushing it', () => {
    const t = serving();
    t.ledger.hold({ requestId: 'b1', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 7, model: 'm', stream: false });
    expect(() => t.sqlite.prepare('VACUUM INTO ?').run(path.join(t.dir, 'x.db'))).toThrow(/transaction/);
    t.ledger.flush();
    t.sqlite.prepare('VACUUM INTO ?').run(path.join(t.dir, 'backup.db'));
    const copy = new Database(path.join(t.dir, 'backup.db'), { readonly: true });
    expect((copy.prepare('SELECT COUNT(*) n FROM holds').get() as { n: number }).n).toBe(1);
    copy.close();
    t.other.close();
    t.sqlite.close();
  });
});
