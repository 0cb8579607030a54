/** The ledger on real SQLite with the real migrations: double entry, idempotency, holds, append-only. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase, type Sqlite } from './db';
import { Ledger, FUNDING, REVENUE } from './ledger';
import { Keys } from '../keys/keys';

const dirs: string[] = [];
function fresh(): { sqlite: Sqlite; ledger: Ledger; keys: Keys; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-test-'));
  dirs.push(dir);
  const sqlite = openDatabase({ dataDir: dir });
  return { sqlite, ledger: new Ledger(sqlite), keys: new Keys(sqlite), dir };
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function invariants(sqlite: Sqlite, ledger: Ledger) {
  const unbalanced = sqlite.prepare('SELECT posting_id FROM journal_lines GROUP BY posting_id HAVING SUM(amount_micro_usd) != 0').all();
  expect(unbalanced).toEqual([]);
  for (const a of sqlite.prepare('SELECT id, type, balance_micro_usd b, held_micro_usd h FROM accounts').all() as any[]) {
    expect(a.b).toBe(ledger.journalSum(a.id));
    const held = (sqlite.prepare('SELECT COALESCE(SUM(amount_micro_usd),0) s FROM holds WHERE account_id = ?').get(a.id) as any).s;
    expect(a.h).toBe(held);
    if (a.type === 'customer') expect(a.b - a.h).toBeGreaterThanOrEqual(0);
  }
}

describe('ledger', () => {
  it('starts with a default account and system accounts', () => {
    const { ledger } = fresh();
    expect(ledger.listAccounts().map((a) => a.name)).toEqual(['default']);
    expect(ledger.accountByName(FUNDING)!.type).toBe('system');
    expect(ledger.accountByName(REVENUE)!.type).toBe('system');
  });

  it('refuses unbalanced postings and is idempotent on the key', () => {
    const { ledger } = fresh();
    const a = ledger.requireAccount('default');
    expect(() => ledger.post({ kind: 'topup', idempotencyKey: 'x', lines: [{ accountId: a.id, amountMicroUsd: 5 }, { accountId: ledger.systemAccountId(FUNDING), amountMicroUsd: -4 }] })).toThrow(/sum to 1/);
    const first = ledger.credit(a.id, 1_000_000, { idempotencyKey: 'chain:1:0xabc:0' });
    const again = ledger.credit(a.id, 1_000_000, { idempotencyKey: 'chain:1:0xabc:0' });
    expect(again).toEqual({ postingId: first.postingId, duplicate: true });
    expect(ledger.account(a.id)!.balanceMicroUsd).toBe(1_000_000);
  });

  it('journal rows cannot be updated or deleted', () => {
    const { sqlite, ledger } = fresh();
    ledger.credit(ledger.requireAccount('default').id, 5);
    expect(() => sqlite.prepare('UPDATE journal_lines SET amount_micro_usd = 0').run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM journal_lines').run()).toThrow(/append-only/);
    expect(() => sqlite.prepare("UPDATE journal_postings SET note = 'x'").run()).toThrow(/append-only/);
    expect(() => sqlite.prepare('DELETE FROM journal_postings').run()).toThrow(/append-only/);
  });

  it('holds respect available credit and key limits; settle is once per request', () => {
    const { sqlite, ledger, keys } = fresh();
    const a = ledger.requireAccount('default');
    ledger.credit(a.id, 1000);
    const { key } = keys.create(a.id, { limitMicroUsd: 700 });
    const h = (id: string, amt: number) => ledger.hold({ requestId: id, accountId: a.id, keyId: key.id, amountMicroUsd: amt, model: 'm', stream: false });
    expect(h('r1', 600)).toEqual({ ok: true });
    expect(h('r2', 200)).toEqual({ ok: false, reason: 'key_limit', keyRemainingMicroUsd: 100 });
    expect(ledger.account(a.id)!.heldMicroUsd).toBe(600); // the key refusal rolled back the account hold
    const row = { id: 'r1', keyId: key.id, accountId: a.id, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 3 };
    expect(ledger.settle('r1', 250, row)).toMatchObject({ chargedMicroUsd: 250, duplicate: false });
    expect(ledger.settle('r1', 250, row)).toMatchObject({ chargedMicroUsd: 0, duplicate: true });
    expect(ledger.account(a.id)).toMatchObject({ balanceMicroUsd: 750, heldMicroUsd: 0 });
    expect(keys.get(key.id)).toMatchObject({ spentMicroUsd: 250, heldMicroUsd: 0 });
    invariants(sqlite, ledger);
  });

  it('orphan holds of a dead process are released and their requests marked interrupted', () => {
    const { ledger, keys } = fresh();
    const a = ledger.requireAccount('default');
    ledger.credit(a.id, 1000);
    const { key } = keys.create(a.id);
    ledger.hold({ requestId: 'dead', accountId: a.id, keyId: key.id, amountMicroUsd: 400, model: 'm', stream: true });
    const other = new Ledger(ledger.sqlite); // a later process on the same file
    expect(other.releaseOrphanHolds(() => false)).toBe(1);
    expect(other.account(a.id)).toMatchObject({ balanceMicroUsd: 1000, heldMicroUsd: 0 });
    expect((ledger.sqlite.prepare("SELECT status FROM requests WHERE id = 'dead'").get() as any).status).toBe('interrupted');
  });

  it('property: random interleavings keep postings balanced, balances = lines, available >= 0', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('topup' as const), acct: fc.nat(2), amt: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ t: fc.constant('hold' as const), acct: fc.nat(2), amt: fc.integer({ min: 0, max: 4000 }) }),
      fc.record({ t: fc.constant('settle' as const), pick: fc.nat(), costPct: fc.integer({ min: 0, max: 150 }) }),
      fc.record({ t: fc.constant('fail' as const), pick: fc.nat() }),
      fc.record({ t: fc.constant('adjust' as const), acct: fc.nat(2), amt: fc.integer({ min: -3000, max: 3000 }) }),
      fc.record({ t: fc.constant('dupTopup' as const), acct: fc.nat(2) }),
    );
    fc.assert(fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const { sqlite, ledger, keys } = fresh();
      const accts = [ledger.requireAccount('default'), ledger.createAccount('b'), ledger.createAccount('c')];
      const keyIds = accts.map((a) => keys.create(a.id).key.id);
      const open: Array<{ id: string; acct: number; amt: number }> = [];
      let n = 0;
      for (const o of ops) {
        if (o.t === 'topup') ledger.credit(accts[o.acct].id, o.amt);
        else if (o.t === 'dupTopup') { ledger.credit(accts[o.acct].id, 7, { idempotencyKey: 'same' }); }
        else if (o.t === 'adjust') { try { if (o.amt !== 0) ledger.credit(accts[o.acct].id, o.amt); } catch { /* refused: would go below zero */ } }
        else if (o.t === 'hold') {
          const id = `r${n++}`;
          const r = ledger.hold({ requestId: id, accountId: accts[o.acct].id, keyId: keyIds[o.acct], amountMicroUsd: o.amt, model: 'm', stream: false });
          if (r.ok) open.push({ id, acct: o.acct, amt: o.amt });
        } else if (open.length) {
          const h = open.splice(o.pick % open.length, 1)[0];
          const cost = o.t === 'settle' ? Math.floor((h.amt * o.costPct) / 100) : 0;
          ledger.settle(h.id, cost, { id: h.id, keyId: keyIds[h.acct], accountId: accts[h.acct].id, model: 'm', stream: false, status: o.t === 'settle' ? 'ok' : 'upstream_error', httpStatus: 200, startedAt: Date.now(), durationMs: 1 });
        }
        invariants(sqlite, ledger);
      }
      sqlite.close();
    }), { numRuns: 60 });
  });

  it('refuses to run on a database whose migration fails, leaving the file in place', () => {
    const { dir, sqlite } = fresh();
    sqlite.close();
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-mig-'));
    dirs.push(bad);
    fs.mkdirSync(path.join(bad, 'meta'));
    fs.writeFileSync(path.join(bad, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries: [{ idx: 0, version: '6', when: 1, tag: '0000_x', breakpoints: true }, { idx: 1, version: '6', when: 9e12, tag: '0001_y', breakpoints: true }] }));
    fs.writeFileSync(path.join(bad, '0000_x.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(bad, '0001_y.sql'), 'THIS IS NOT SQL;');
    expect(() => openDatabase({ dataDir: dir, migrationsDir: bad })).toThrow(/migration failed.*left untouched/);
    expect(fs.existsSync(path.join(dir, 'gateway.db'))).toBe(true);
    expect(fs.readdirSync(dir).some((f) => f.includes('.bak-'))).toBe(true);
    const reopened = openDatabase({ dataDir: dir });
    expect(new Ledger(reopened).listAccounts().length).toBe(1);
    reopened.close();
  });
});
