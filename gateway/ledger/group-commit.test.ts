/** Group commit in the serving process: visibility to other connections, checkpoints and backups while a turn is open. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase, type Sqlite } from './db';
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

  for (const mode of ['worker thread', 'inline'] as const) {
    it(`checkpoints (${mode}) copy every committed frame back although a group-commit turn is almost always open`, async () => {
      const t = serving();
      t.ledger.enableGroupCommit({ intervalMs: 5 });
      const checkpoints = startCheckpointer(t.sqlite, 10, { inline: mode === 'inline', beforeInline: () => t.ledger.flush() });
      for (let i = 0; i < 200; i++) {
        t.ledger.hold({ requestId: `q${i}`, accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 1, model: 'm', stream: false });
        t.ledger.settleSoon(`q${i}`, 1, { id: `q${i}`, keyId: t.key.id, accountId: t.acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 1, quoteMicroUsd: 1 });
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      // Then one more turn that stays open (as under load) while the checkpoints catch up.
      t.ledger.flush();
      t.ledger.enableGroupCommit({ intervalMs: 60_000 });
      t.ledger.hold({ requestId: 'open', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 1, model: 'm', stream: false });
      t.ledger.applyPending();
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && !(checkpoints.last && checkpoints.last.log > 0 && checkpoints.last.checkpointed === checkpoints.last.log
        && (t.other.prepare('SELECT COUNT(*) n FROM requests').get() as { n: number }).n === 200)) await new Promise((r) => setTimeout(r, 10));
      expect((t.other.prepare('SELECT COUNT(*) n FROM requests').get() as { n: number }).n).toBe(200);
      // [busy, frames in the WAL, frames checkpointed]: everything committed has been copied back.
      expect(checkpoints.last!.checkpointed).toBe(checkpoints.last!.log);
      expect(checkpoints.onThread).toBe(mode === 'worker thread');
      checkpoints.stop();
      t.other.close();
      t.sqlite.close();
    });
  }

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

  it('a hold refused while finished requests still hold credit is decided again once their settlements apply', () => {
    const t = serving();
    const row = (id: string, quote: number) => ({ id, keyId: t.key.id, accountId: t.acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 1, quoteMicroUsd: quote });
    expect(t.ledger.hold({ requestId: 'a', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 900_000, model: 'm', stream: false })).toEqual({ ok: true });
    t.ledger.settleSoon('a', 100_000, row('a', 900_000)); // queued: its 900,000 hold still counts
    expect(t.ledger.availableMicroUsd(t.acct.id)).toBe(100_000);
    expect(t.ledger.hold({ requestId: 'b', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 800_000, model: 'm', stream: false })).toEqual({ ok: true });
    expect(t.ledger.hold({ requestId: 'c', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 200_000, model: 'm', stream: false }))
      .toEqual({ ok: false, reason: 'insufficient_balance', availableMicroUsd: 100_000 });
    t.ledger.flush();
    expect(t.ledger.account(t.acct.id)).toMatchObject({ balanceMicroUsd: 900_000, heldMicroUsd: 800_000 });
    t.other.close();
    t.sqlite.close();
  });

  it('holds taken inside one turn count against the key limit and the account before anything is written', () => {
    const t = serving();
    const limited = new Keys(t.sqlite).create(t.acct.id, { limitMicroUsd: 500_000 }).key;
    const hold = (id: string, keyId: string, amt: number) => t.ledger.hold({ requestId: id, accountId: t.acct.id, keyId, amountMicroUsd: amt, model: 'm', stream: false });
    expect(hold('k1', limited.id, 300_000)).toEqual({ ok: true });
    expect(hold('k2', limited.id, 250_000)).toEqual({ ok: false, reason: 'key_limit', keyRemainingMicroUsd: 200_000 });
    expect(hold('a1', t.key.id, 650_000)).toEqual({ ok: true });
    expect(hold('a2', t.key.id, 100_000)).toEqual({ ok: false, reason: 'insufficient_balance', availableMicroUsd: 50_000 });
    expect(() => hold('a1', t.key.id, 1)).toThrow(/already holds credit/);
    expect(t.held()).toBe(0); // nothing written or committed yet
    t.ledger.flush();
    expect(t.held()).toBe(950_000);
    expect(t.ledger.orphanHolds(() => false)).toEqual([]); // ours: never mistaken for a dead process's
    t.other.close();
    t.sqlite.close();
  });

  it('a request held and settled inside one turn never gets a hold row; one settled in a later turn has its row deleted', () => {
    const t = serving();
    t.ledger.enableGroupCommit({ intervalMs: 60_000 });
    const row = (id: string) => ({ id, keyId: t.key.id, accountId: t.acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 1, quoteMicroUsd: 1000 });
    const holdRows = () => (t.sqlite.prepare('SELECT request_id FROM holds ORDER BY request_id').pluck().all() as string[]);
    t.ledger.hold({ requestId: 'same-turn', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 1000, model: 'm', stream: false });
    t.ledger.hold({ requestId: 'next-turn', accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: 1000, model: 'm', stream: false });
    t.ledger.settleSoon('same-turn', 400, row('same-turn'));
    t.ledger.flush();
    expect(holdRows()).toEqual(['next-turn']);
    expect(t.ledger.account(t.acct.id)).toMatchObject({ balanceMicroUsd: 1_000_000 - 400, heldMicroUsd: 1000 });
    t.ledger.settleSoon('next-turn', 700, row('next-turn'));
    t.ledger.flush();
    expect(holdRows()).toEqual([]);
    expect(t.ledger.account(t.acct.id)).toMatchObject({ balanceMicroUsd: 1_000_000 - 1100, heldMicroUsd: 0 });
    expect(t.ledger.journalSum(t.acct.id)).toBe(1_000_000 - 1100);
    t.other.close();
    t.sqlite.close();
  });

  it('a cost above its hold is charged only the hold, queued like any settlement, the excess recorded as shortfall', () => {
    const t = serving();
    const hold = (id: string, amt: number) => t.ledger.hold({ requestId: id, accountId: t.acct.id, keyId: t.key.id, amountMicroUsd: amt, model: 'm', stream: false });
    expect(hold('a', 300_000)).toEqual({ ok: true });
    t.ledger.settleSoon('a', 390_000, { id: 'a', keyId: t.key.id, accountId: t.acct.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 1, quoteMicroUsd: 300_000 });
    expect(hold('b', 700_000)).toEqual({ ok: true }); // what 'a' could take was already held: the rest was always free
    t.ledger.flush();
    expect(t.sqlite.prepare("SELECT cost_micro_usd c, shortfall_micro_usd s FROM requests WHERE id = 'a'").get()).toEqual({ c: 300_000, s: 90_000 });
    expect(t.ledger.account(t.acct.id)).toMatchObject({ balanceMicroUsd: 700_000, heldMicroUsd: 700_000, availableMicroUsd: 0 });
    t.other.close();
    t.sqlite.close();
  });

  it('property: queued settlements end in exactly the state of settling each request at once', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('hold' as const), acct: fc.nat(1), amt: fc.integer({ min: 0, max: 4000 }) }),
      fc.record({ t: fc.constant('settle' as const), pick: fc.nat(), costPct: fc.integer({ min: 0, max: 130 }) }),
      fc.record({ t: fc.constant('fail' as const), pick: fc.nat() }),
      fc.record({ t: fc.constant('again' as const), pick: fc.nat() }),
      fc.record({ t: fc.constant('topup' as const), acct: fc.nat(1), amt: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ t: fc.constant('flush' as const) }),
    );
    const state = (sqlite: Sqlite) => ({
      accounts: sqlite.prepare('SELECT name, balance_micro_usd b, held_micro_usd h FROM accounts ORDER BY name').all(),
      keys: sqlite.prepare('SELECT name, spent_micro_usd s, held_micro_usd h FROM api_keys ORDER BY name').all(),
      requests: sqlite.prepare('SELECT id, status, cost_micro_usd c, error FROM requests ORDER BY id').all(),
      holds: sqlite.prepare('SELECT request_id, amount_micro_usd FROM holds ORDER BY request_id').all(),
      usage: sqlite.prepare("SELECT p.idempotency_key k, l.account_id a, l.amount_micro_usd m FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id WHERE p.kind = 'usage' ORDER BY k, a").all(),
      hourly: sqlite.prepare('SELECT k.name, h.model, h.requests, h.errors, h.cost_micro_usd, h.lat_b0 FROM usage_hourly h JOIN api_keys k ON k.id = h.key_id ORDER BY k.name').all(),
    });
    fc.assert(fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
      const run = (grouped: boolean) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-prop-'));
        dirs.push(dir);
        const sqlite = openDatabase({ dataDir: dir });
        const ledger = new Ledger(sqlite);
        const accts = [ledger.requireAccount('default'), ledger.createAccount('b')];
        for (const a of accts) ledger.credit(a.id, 6000);
        const keys = new Keys(sqlite);
        const keyIds = [keys.create(accts[0].id, { name: 'k0', limitMicroUsd: 5000 }).key.id, keys.create(accts[1].id, { name: 'k1' }).key.id];
        if (grouped) ledger.enableGroupCommit({ intervalMs: 60_000 });
        const open: Array<{ id: string; k: number; amt: number }> = [];
        const done: string[] = [];
        let n = 0;
        const decisions: boolean[] = [];
        for (const o of ops) {
          if (o.t === 'hold') {
            const id = `r${n++}`;
            // Each account has its own key; account 0's key has a spend limit.
            const r = ledger.hold({ requestId: id, accountId: accts[o.acct].id, keyId: keyIds[o.acct], amountMicroUsd: o.amt, model: 'm', stream: false });
            decisions.push(r.ok);
            if (r.ok) open.push({ id, k: o.acct, amt: o.amt });
          } else if (o.t === 'topup') ledger.credit(accts[o.acct].id, o.amt);
          else if (o.t === 'flush') ledger.flush();
          else if (o.t === 'again' && done.length) {
            const id = done[o.pick % done.length];
            ledger.settleSoon(id, 1, { id, keyId: keyIds[0], accountId: accts[0].id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: 0, durationMs: 1, quoteMicroUsd: 1 });
          } else if ((o.t === 'settle' || o.t === 'fail') && open.length) {
            const h = open.splice(o.pick % open.length, 1)[0];
            const cost = o.t === 'settle' ? Math.floor((h.amt * o.costPct) / 100) : 0;
            ledger.settleSoon(h.id, cost, { id: h.id, keyId: keyIds[h.k], accountId: accts[h.k].id, model: 'm', stream: false, status: o.t === 'settle' ? 'ok' : 'upstream_error',
              httpStatus: 200, startedAt: 0, durationMs: 1, quoteMicroUsd: h.amt });
            done.push(h.id);
          }
        }
        ledger.flush();
        const out = { decisions, ...state(sqlite) };
        sqlite.close();
        return out;
      };
      expect(run(true)).toEqual(run(false));
    }), { numRuns: 60 });
  });
});
