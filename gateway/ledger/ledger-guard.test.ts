/**
 * The ledger under attack (issue 9): a charge never passes its hold; a failed group commit fails closed and loses
 * nothing; stored text is capped and garbage model names share one rollup key. Real SQLite, real migrations.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from './db';
import { Ledger, type RequestRow } from './ledger';
import { Keys } from '../keys/keys';

const dirs: string[] = [];
const open: Array<{ close(): unknown }> = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const c of open.splice(0)) c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fresh(opts: { grouped?: boolean; keyLimit?: number | null } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-guard-'));
  dirs.push(dir);
  const sqlite = openDatabase({ dataDir: dir });
  const ledger = new Ledger(sqlite);
  const acct = ledger.requireAccount('default');
  ledger.credit(acct.id, 10_000_000);
  const { key } = new Keys(sqlite).create(acct.id, { limitMicroUsd: opts.keyLimit ?? null });
  if (opts.grouped) ledger.enableGroupCommit({ intervalMs: 60_000 }); // commits only on flush(): the test decides when
  const other = new Database(path.join(dir, 'gateway.db'), { readonly: true }); // what another process sees
  open.push(other, sqlite);
  const row = (id: string, extra: Partial<RequestRow> = {}): RequestRow => ({ id, keyId: key.id, accountId: acct.id, model: 'deepseek-flash', stream: false,
    status: 'ok', httpStatus: 200, startedAt: Date.now(), durationMs: 3, quoteMicroUsd: 0, ...extra });
  const hold = (id: string, amount: number) => ledger.hold({ requestId: id, accountId: acct.id, keyId: key.id, amountMicroUsd: amount, model: 'deepseek-flash', stream: false });
  const stored = (id: string) => other.prepare('SELECT status, cost_micro_usd AS cost, shortfall_micro_usd AS shortfall, error FROM requests WHERE id = ?').get(id) as
    { status: string; cost: number; shortfall: number; error: string | null } | undefined;
  const money = () => other.prepare("SELECT a.balance_micro_usd AS balance, a.held_micro_usd AS held, k.spent_micro_usd AS spent, k.held_micro_usd AS keyHeld FROM accounts a, api_keys k WHERE a.name = 'default'").get() as
    { balance: number; held: number; spent: number; keyHeld: number };
  return { dir, sqlite, ledger, acct, key, other, row, hold, stored, money };
}

describe('item 2: a settlement never charges more than its hold', () => {
  for (const grouped of [false, true]) {
    it(`cost above the hold: charged the hold, the excess in shortfall_micro_usd, the key's limit kept (${grouped ? 'group commit' : 'own transaction'})`, () => {
      const t = fresh({ grouped, keyLimit: 1_000_000 });
      expect(t.hold('a', 400_000)).toEqual({ ok: true });
      // The account could cover 450,000 (10 USD of credit): before this rule it was charged in full.
      if (grouped) { t.ledger.settleSoon('a', 450_000, t.row('a', { quoteMicroUsd: 400_000 })); t.ledger.flush(); }
      else expect(t.ledger.settle('a', 450_000, t.row('a', { quoteMicroUsd: 400_000 }))).toEqual({ chargedMicroUsd: 400_000, duplicate: false, shortfallMicroUsd: 50_000 });
      expect(t.stored('a')).toEqual({ status: 'ok', cost: 400_000, shortfall: 50_000, error: null });
      // A hold at the key's whole remaining limit, then a cost far above it: the key's spend ends exactly at its limit.
      expect(t.hold('b', 600_000)).toEqual({ ok: true });
      if (grouped) { t.ledger.settleSoon('b', 5_000_000, t.row('b', { quoteMicroUsd: 600_000 })); t.ledger.flush(); }
      else t.ledger.settle('b', 5_000_000, t.row('b', { quoteMicroUsd: 600_000 }));
      expect(t.stored('b')).toMatchObject({ cost: 600_000, shortfall: 4_400_000 });
      expect(t.money()).toEqual({ balance: 10_000_000 - 1_000_000, held: 0, spent: 1_000_000, keyHeld: 0 });
      expect(t.ledger.journalSum(t.acct.id)).toBe(9_000_000);
      expect(t.hold('c', 1)).toEqual({ ok: false, reason: 'key_limit', keyRemainingMicroUsd: 0 }); // the limit is spent, not overspent
    });
  }
});

describe('item 7: a failed group commit fails closed', () => {
  /** A write the disk refuses, as SQLite reports a full disk: every insert of a request row fails while armed. */
  const arm = (t: ReturnType<typeof fresh>) => t.sqlite.exec("CREATE TRIGGER test_disk_full BEFORE INSERT ON requests BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
  const disarm = (t: ReturnType<typeof fresh>) => t.sqlite.exec('DROP TRIGGER test_disk_full');

  it('alerts, refuses new holds until a commit succeeds, and then charges the rolled-back turn\'s requests', () => {
    const t = fresh({ grouped: true });
    const alerts: Array<[string, string]> = [];
    t.ledger.onAlert = (kind, message) => { alerts.push([kind, message]); };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    arm(t);
    // One turn: 'a' is held and served (settled), 'b' is held and still running when the commit fails.
    expect(t.hold('a', 300_000)).toEqual({ ok: true });
    expect(t.hold('b', 500_000)).toEqual({ ok: true });
    t.ledger.settleSoon('a', 120_000, t.row('a', { quoteMicroUsd: 300_000 }));
    t.ledger.flush();
    expect(t.ledger.unavailable).toBe(true);
    expect(alerts).toEqual([['ledger_unavailable', expect.stringMatching(/ledger commit failed.*database or disk is full.*503 ledger_unavailable/)]]);
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/ledger commit failed and was rolled back \(database or disk is full\)/);
    // Nothing of the turn reached the database…
    expect(t.stored('a')).toBeUndefined();
    expect(t.money()).toMatchObject({ balance: 10_000_000, held: 0 });
    // …and no new request is let in to be served on a hold that may vanish too.
    expect(t.hold('c', 1)).toEqual({ ok: false, reason: 'ledger_unavailable', message: expect.stringMatching(/cannot commit \(database or disk is full\)/) });

    disarm(t);
    // The next commit redoes the failed turn: 'a' charged once, 'b' held again and charged when it ends.
    t.ledger.settleSoon('b', 200_000, t.row('b', { quoteMicroUsd: 500_000 }));
    t.ledger.flush();
    expect(t.ledger.unavailable).toBe(false);
    expect(alerts.map((a) => a[0])).toEqual(['ledger_unavailable', 'ledger_recovered']);
    expect(t.stored('a')).toMatchObject({ status: 'ok', cost: 120_000 });
    expect(t.stored('b')).toMatchObject({ status: 'ok', cost: 200_000 });
    expect(t.money()).toMatchObject({ balance: 10_000_000 - 320_000, held: 0 });
    expect(t.ledger.journalSum(t.acct.id)).toBe(10_000_000 - 320_000);
    expect(t.hold('c', 1)).toEqual({ ok: true });
  });

  it('recovers on its own once the disk has room: a retry commits the carried work within about a second', async () => {
    const t = fresh({ grouped: true });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    arm(t);
    t.hold('a', 300_000);
    t.ledger.settleSoon('a', 100_000, t.row('a', { quoteMicroUsd: 300_000 }));
    t.hold('running', 50_000);
    t.ledger.flush();
    expect(t.ledger.unavailable).toBe(true);
    await new Promise((r) => setTimeout(r, 1100)); // a retry while the disk is still full fails again, and keeps the work
    expect(t.ledger.unavailable).toBe(true);
    disarm(t);
    const deadline = Date.now() + 3000;
    while (t.ledger.unavailable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(t.ledger.unavailable).toBe(false);
    expect(t.stored('a')).toMatchObject({ cost: 100_000 });
    expect(t.money()).toMatchObject({ balance: 10_000_000 - 100_000, held: 50_000 }); // the running request's hold is back
    expect(t.other.prepare('SELECT request_id FROM holds').pluck().all()).toEqual(['running']);
  });
});

describe('item 10: stored text is capped; unresolved models share one rollup key', () => {
  it('200 refused requests with distinct garbage model names add one rollup row, and store at most 256 characters of each', () => {
    const t = fresh({ grouped: true });
    for (let i = 0; i < 200; i++) {
      const garbage = `${i}-${'x'.repeat(i === 0 ? 1_000_000 : 300 + i)}`;
      t.ledger.settleSoon(`r${i}`, 0, t.row(`r${i}`, { model: garbage, modelUnresolved: true, status: 'refused', httpStatus: 404,
        error: `The model \`${garbage}\` does not exist`, upstreamRequestId: garbage, modelServed: garbage }));
    }
    t.ledger.flush();
    expect(t.other.prepare('SELECT COUNT(*) FROM usage_hourly').pluck().get()).toBe(1);
    expect(t.other.prepare('SELECT COUNT(*) FROM usage_daily').pluck().get()).toBe(1);
    expect(t.other.prepare('SELECT model, requests, errors FROM usage_hourly').get()).toEqual({ model: '(unresolved)', requests: 200, errors: 200 });
    const lengths = t.other.prepare(`SELECT MAX(length(model)) AS model, MAX(length(model_served)) AS served, MAX(length(upstream_request_id)) AS upstream,
      MAX(length(error)) AS error, COUNT(*) AS n FROM requests`).get();
    expect(lengths).toEqual({ model: 256, served: 256, upstream: 256, error: 2000, n: 200 });
    expect(t.other.prepare("SELECT model FROM requests WHERE id = 'r0'").pluck().get()).toBe(`0-${'x'.repeat(253)}…`);
    // A resolved model keeps its own rollup row.
    t.ledger.settleSoon('ok1', 0, t.row('ok1'));
    t.ledger.flush();
    expect(t.other.prepare('SELECT model FROM usage_hourly ORDER BY model').pluck().all()).toEqual(['(unresolved)', 'deepseek-flash']);
  });
});
