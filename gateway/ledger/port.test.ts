/**
 * The ledger port's invariants, the same scenarios against both implementations: the SQLite Ledger (real file,
 * real migrations) and PgLedger (a real PostgreSQL cluster, test/helpers/pg.ts, real migrations). After every
 * scenario: postings balance, cached balances equal journal sums, held equals open holds, available >= 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openDatabase } from './db';
import { Ledger, FUNDING, REVENUE } from './ledger';
import type { LedgerPort } from './port';
import { Keys } from '../keys/keys';
import { migratePg, pgPool } from './pg/connect';
import { PgLedger } from './pg/pg-ledger';
import { usePostgres } from '../../test/helpers/pg';
import type { BudgetPeriod } from '../keys/periods';

interface Opened {
  ledger: LedgerPort;
  createKey(accountId: number, limitMicroUsd?: number | null): Promise<string>;
  key(id: string): Promise<{ spentMicroUsd: number; heldMicroUsd: number }>;
  requestStatus(id: string): Promise<string | undefined>;
  setKeyBudget(id: string, budgetMicroUsd: number, period: BudgetPeriod): Promise<void>;
  setAccountBudget(accountId: number, budgetMicroUsd: number, period: BudgetPeriod): Promise<unknown>;
  /** Runs raw SQL against the ledger's tables (to prove the database itself refuses it). */
  raw(sql: string): Promise<unknown>;
  invariants(): Promise<void>;
  close(): Promise<void>;
}

const pg = usePostgres({ template: (url) => migratePg(url) });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

const once = (fn: () => Promise<void>) => { let done: Promise<void> | null = null; return () => (done ??= fn()); };

function invariantsOf(rows: { unbalanced: unknown[]; accounts: Array<{ type: string; b: number; h: number; lines: number; holds: number }> }) {
  expect(rows.unbalanced).toEqual([]);
  for (const a of rows.accounts) {
    expect(a.b).toBe(a.lines);
    expect(a.h).toBe(a.holds);
    if (a.type === 'customer') expect(a.b - a.h).toBeGreaterThanOrEqual(0);
  }
}

const ACCOUNT_CHECK = `SELECT type, balance_micro_usd AS b, held_micro_usd AS h,
  CAST((SELECT COALESCE(SUM(amount_micro_usd), 0) FROM journal_lines l WHERE l.account_id = a.id) AS BIGINT) AS lines,
  CAST((SELECT COALESCE(SUM(amount_micro_usd), 0) FROM holds x WHERE x.account_id = a.id) AS BIGINT) AS holds FROM accounts a`;
const UNBALANCED = 'SELECT posting_id FROM journal_lines GROUP BY posting_id HAVING SUM(amount_micro_usd) != 0';

async function openSqlite(): Promise<Opened> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'port-test-'));
  const sqlite = openDatabase({ dataDir: dir });
  const ledger = new Ledger(sqlite);
  const keys = new Keys(sqlite);
  const opened: Opened = {
    ledger,
    createKey: async (accountId, limitMicroUsd = null) => keys.create(accountId, { limitMicroUsd }).key.id,
    key: async (id) => keys.get(id)!,
    setKeyBudget: async (id, budgetMicroUsd, budgetPeriod) => { keys.update(id, { budgetMicroUsd, budgetPeriod }); },
    setAccountBudget: async (id, budget, period) => ledger.setAccountBudget(id, budget, period),
    requestStatus: async (id) => (sqlite.prepare('SELECT status FROM requests WHERE id = ?').pluck().get(id) as string | undefined),
    raw: async (sql) => sqlite.prepare(sql).run(),
    invariants: async () => invariantsOf({ unbalanced: sqlite.prepare(UNBALANCED).all(), accounts: sqlite.prepare(ACCOUNT_CHECK).all() as any }),
    close: once(async () => { sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); }),
  };
  cleanups.push(opened.close);
  return opened;
}

async function openPg(): Promise<Opened> {
  const url = await pg.freshDatabase();
  const sql = pgPool(url, 4);
  const ledger = await PgLedger.open(sql);
  await ledger.startLease();
  const opened: Opened = {
    ledger,
    createKey: async (accountId, limitMicroUsd = null) => {
      const id = `key_${Math.random().toString(36).slice(2)}`;
      await sql`INSERT INTO api_keys (id, account_id, prefix, hash, limit_micro_usd, created_at) VALUES (${id}, ${accountId}, 'sk-ggo-x', ${id}, ${limitMicroUsd}, ${Date.now()})`;
      return id;
    },
    key: async (id) => (await sql<Array<{ spentMicroUsd: number; heldMicroUsd: number }>>`SELECT spent_micro_usd AS "spentMicroUsd", held_micro_usd AS "heldMicroUsd" FROM api_keys WHERE id = ${id}`)[0],
    requestStatus: async (id) => (await sql<Array<{ status: string }>>`SELECT status FROM requests WHERE id = ${id}`)[0]?.status,
    setKeyBudget: async (id, budget, period) => { await sql`UPDATE api_keys SET budget_micro_usd = ${budget}, budget_period = ${period} WHERE id = ${id}`; },
    setAccountBudget: (id, budget, period) => ledger.setAccountBudget(id, budget, period),
    raw: (q) => sql.unsafe(q),
    invariants: async () => invariantsOf({ unbalanced: await sql.unsafe(UNBALANCED), accounts: await sql.unsafe(ACCOUNT_CHECK) as any }),
    close: once(async () => { await ledger.close(); await sql.end({ timeout: 5 }); }),
  };
  cleanups.push(opened.close);
  return opened;
}

const row = (id: string, keyId: string, accountId: number, extra: Record<string, unknown> = {}) =>
  ({ id, keyId, accountId, model: 'm', stream: false, status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 3, ...extra });

describe.each([['sqlite', openSqlite], ['postgres', openPg]] as const)('ledger port on %s', (_name, open) => {
  it('starts with a default account and system accounts', async () => {
    const { ledger } = await open();
    expect((await ledger.listAccounts()).map((a) => a.name)).toEqual(['default']);
    expect((await ledger.accountByName(FUNDING))!.type).toBe('system');
    expect((await ledger.accountByName(REVENUE))!.type).toBe('system');
    await expect(Promise.resolve().then(() => ledger.createAccount('default'))).rejects.toThrow(/already exists/);
  });

  it('refuses unbalanced postings and is idempotent on the key', async () => {
    const { ledger, invariants } = await open();
    const a = await ledger.requireAccount('default');
    await expect(Promise.resolve().then(() => ledger.post({ kind: 'topup', idempotencyKey: 'x', lines: [{ accountId: a.id, amountMicroUsd: 5 },
      { accountId: ledger.systemAccountId(FUNDING), amountMicroUsd: -4 }] }))).rejects.toThrow(/sum to 1/);
    const first = await ledger.credit(a.id, 1_000_000, { idempotencyKey: 'chain:1:0xabc:0' });
    const again = await ledger.credit(a.id, 1_000_000, { idempotencyKey: 'chain:1:0xabc:0' });
    expect(again).toEqual({ postingId: first.postingId, duplicate: true });
    expect((await ledger.account(a.id))!.balanceMicroUsd).toBe(1_000_000);
    await expect(Promise.resolve().then(() => ledger.credit(a.id, -1_000_001))).rejects.toThrow(/below zero/);
    await invariants();
  });

  it('refuses a credit that would take a balance past 2^53 − 1 micro-USD, writing nothing', async () => {
    const { ledger, invariants } = await open();
    const a = await ledger.requireAccount('default');
    await ledger.credit(a.id, Number.MAX_SAFE_INTEGER - 10);
    await expect(Promise.resolve().then(() => ledger.credit(a.id, 11))).rejects.toMatchObject({ code: 'overflow' });
    expect((await ledger.account(a.id))!.balanceMicroUsd).toBe(Number.MAX_SAFE_INTEGER - 10);
    await ledger.credit(a.id, 10);
    expect((await ledger.account(a.id))!.balanceMicroUsd).toBe(Number.MAX_SAFE_INTEGER);
    await invariants();
  });

  it('journal rows cannot be updated or deleted', async () => {
    const { ledger, raw } = await open();
    await ledger.credit((await ledger.requireAccount('default')).id, 5);
    await expect(raw('UPDATE journal_lines SET amount_micro_usd = 0')).rejects.toThrow(/append-only/);
    await expect(raw('DELETE FROM journal_lines')).rejects.toThrow(/append-only/);
    await expect(raw("UPDATE journal_postings SET note = 'x'")).rejects.toThrow(/append-only/);
    await expect(raw('DELETE FROM journal_postings')).rejects.toThrow(/append-only/);
  });

  it('holds respect available credit and key limits; settle is once per request', async () => {
    const { ledger, createKey, key, invariants } = await open();
    const a = await ledger.requireAccount('default');
    await ledger.credit(a.id, 1000);
    const keyId = await createKey(a.id, 700);
    const h = (id: string, amt: number) => ledger.hold({ requestId: id, accountId: a.id, keyId, amountMicroUsd: amt, model: 'm', stream: false });
    expect(await h('r1', 600)).toEqual({ ok: true });
    expect(await h('r2', 200)).toEqual({ ok: false, reason: 'key_limit', keyRemainingMicroUsd: 100 });
    expect((await ledger.account(a.id))!.heldMicroUsd).toBe(600); // the key refusal left the account alone
    const other = await createKey(a.id);
    expect(await ledger.hold({ requestId: 'r3', accountId: a.id, keyId: other, amountMicroUsd: 401, model: 'm', stream: false }))
      .toEqual({ ok: false, reason: 'insufficient_balance', availableMicroUsd: 400 });
    expect(await key(other)).toMatchObject({ heldMicroUsd: 0 }); // the account refusal undid the key's reservation
    expect(await ledger.settle('r1', 250, row('r1', keyId, a.id))).toMatchObject({ chargedMicroUsd: 250, duplicate: false });
    expect(await ledger.settle('r1', 250, row('r1', keyId, a.id))).toMatchObject({ chargedMicroUsd: 0, duplicate: true });
    await ledger.flush();
    expect(await ledger.account(a.id)).toMatchObject({ balanceMicroUsd: 750, heldMicroUsd: 0 });
    expect(await key(keyId)).toMatchObject({ spentMicroUsd: 250, heldMicroUsd: 0 });
    expect((await ledger.account(ledger.systemAccountId(REVENUE)))!.balanceMicroUsd).toBe(250);
    await invariants();
  });

  it('key and account period budgets refuse holds past them and count every charge', async () => {
    const { ledger, createKey, setKeyBudget, setAccountBudget, invariants } = await open();
    const a = await ledger.requireAccount('default');
    await ledger.credit(a.id, 10_000);
    const budgeted = await createKey(a.id);
    await setKeyBudget(budgeted, 1000, 'day');
    const h = (id: string, keyId: string, amt: number) => ledger.hold({ requestId: id, accountId: a.id, keyId, amountMicroUsd: amt, model: 'm', stream: false });
    expect(await h('b1', budgeted, 600)).toEqual({ ok: true });
    expect(await h('b2', budgeted, 500)).toMatchObject({ ok: false, reason: 'key_budget', budgetMicroUsd: 1000, remainingMicroUsd: 400, period: 'day' });
    await ledger.settle('b1', 300, row('b1', budgeted, a.id));
    // Spent 300 in the period, nothing held: 700 remain.
    expect(await h('b3', budgeted, 701)).toMatchObject({ ok: false, reason: 'key_budget', remainingMicroUsd: 700 });
    expect(await h('b4', budgeted, 700)).toEqual({ ok: true });
    // A new account budget counts the period's spend so far (300) and the holds (700).
    await setAccountBudget(a.id, 1500, 'week');
    const free = await createKey(a.id);
    expect(await h('b5', free, 501)).toMatchObject({ ok: false, reason: 'account_budget', budgetMicroUsd: 1500, remainingMicroUsd: 500, period: 'week' });
    expect(await h('b6', free, 500)).toEqual({ ok: true });
    await ledger.settle('b4', 700, row('b4', budgeted, a.id));
    await ledger.settle('b6', 500, row('b6', free, a.id));
    await ledger.flush();
    expect(await h('b7', free, 1)).toMatchObject({ ok: false, reason: 'account_budget', remainingMicroUsd: 0 });
    expect(await ledger.account(a.id)).toMatchObject({ balanceMicroUsd: 10_000 - 1500, heldMicroUsd: 0 });
    await invariants();
  });

  it('a cost above the hold is charged up to the hold; the rest is the shortfall', async () => {
    const { ledger, createKey, invariants } = await open();
    const a = await ledger.requireAccount('default');
    await ledger.credit(a.id, 1000);
    const keyId = await createKey(a.id);
    expect(await ledger.hold({ requestId: 'big', accountId: a.id, keyId, amountMicroUsd: 300, model: 'm', stream: true })).toEqual({ ok: true });
    expect(await ledger.settle('big', 1500, row('big', keyId, a.id, { quoteMicroUsd: 300 }))).toEqual({ chargedMicroUsd: 300, duplicate: false, shortfallMicroUsd: 1200 });
    expect(await ledger.account(a.id)).toMatchObject({ balanceMicroUsd: 700, heldMicroUsd: 0 });
    // A request that never held credit writes only its row.
    expect(await ledger.settle('refused', 0, row('refused', keyId, a.id, { status: 'refused', httpStatus: 402 }))).toEqual({ chargedMicroUsd: 0, duplicate: false, shortfallMicroUsd: 0 });
    await invariants();
  });

  it('property: random interleavings keep postings balanced, balances = lines, available >= 0', async () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('topup' as const), acct: fc.nat(2), amt: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ t: fc.constant('hold' as const), acct: fc.nat(2), amt: fc.integer({ min: 0, max: 4000 }) }),
      fc.record({ t: fc.constant('settle' as const), pick: fc.nat(), costPct: fc.integer({ min: 0, max: 150 }) }),
      fc.record({ t: fc.constant('fail' as const), pick: fc.nat() }),
      fc.record({ t: fc.constant('adjust' as const), acct: fc.nat(2), amt: fc.integer({ min: -3000, max: 3000 }) }),
      fc.record({ t: fc.constant('dupTopup' as const), acct: fc.nat(2) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
      const { ledger, createKey, invariants, close } = await open();
      const accts = [await ledger.requireAccount('default'), await ledger.createAccount('b'), await ledger.createAccount('c')];
      const keyIds = await Promise.all(accts.map((a) => createKey(a.id)));
      const held: Array<{ id: string; acct: number; amt: number }> = [];
      let n = 0;
      for (const o of ops) {
        if (o.t === 'topup') await ledger.credit(accts[o.acct].id, o.amt);
        else if (o.t === 'dupTopup') await ledger.credit(accts[o.acct].id, 7, { idempotencyKey: 'same' });
        else if (o.t === 'adjust') { if (o.amt !== 0) await Promise.resolve().then(() => ledger.credit(accts[o.acct].id, o.amt)).catch(() => { /* refused: below zero */ }); }
        else if (o.t === 'hold') {
          const id = `r${n++}`;
          const r = await ledger.hold({ requestId: id, accountId: accts[o.acct].id, keyId: keyIds[o.acct], amountMicroUsd: o.amt, model: 'm', stream: false });
          if (r.ok) held.push({ id, acct: o.acct, amt: o.amt });
        } else if (held.length) {
          const h = held.splice(o.pick % held.length, 1)[0];
          const cost = o.t === 'settle' ? Math.floor((h.amt * o.costPct) / 100) : 0;
          await ledger.settle(h.id, cost, row(h.id, keyIds[h.acct], accts[h.acct].id, { status: o.t === 'settle' ? 'ok' : 'upstream_error' }));
        }
        await invariants();
      }
      await close();
    }), { numRuns: 15 });
  });
});
