/**
 * Holds taken inside the serving process's open group-commit turn: decided in memory, written as one batch before
 * the turn's commit — one UPDATE per touched account and key, then one multi-row INSERT of the holds still open
 * after the turn's settlements (a request held and settled inside one turn never gets a hold row: settlement.ts
 * releases it from memory).
 *
 * Exact, because the turn holds SQLite's write lock: no other process can change a balance or a key while it is
 * open, and every write in this process goes through Ledger.sync(), which writes the book (and drops what it
 * read) first. The rules are the SQL path's (Ledger.holdInTx): the key's limit and period budget first, then the account's
 * available credit and period budget; `spent + held + amount <= limit`, `balance - held >= amount`, and for a budget
 * `spent in the period + held + amount <= budget` (budgets.ts).
 */
import type { Sqlite } from './db';
import { ChunkedInsert } from './chunked-insert';
import { LedgerError } from './errors';
import type { HoldInput, HoldResult } from './ledger';
import type { HoldRow } from './settlement';
import { BUDGET_REMAINING_SQL, budgetRefusal, periodParams } from './budgets';
import type { BudgetPeriod, PeriodClock } from '../keys/periods';

/** An account as this turn sees it: available credit now, what its period budget leaves (null: none), holds to add. */
interface AccountView { available: number; budgetRemaining: number | null; budget: number; period: BudgetPeriod; held: number }
/** A key as this turn sees it: what its limit and its budget leave (null: none), holds to add, last use to record. */
interface KeyView { remaining: number | null; budgetRemaining: number | null; budget: number; period: BudgetPeriod; held: number; usedAt: number }
/** A hold taken this turn and not written yet. */
export interface BookHold extends HoldRow { model: string; stream: boolean; createdAt: number }

export class HoldBook {
  private readonly s;
  private readonly insertRows: ChunkedInsert;
  private accounts = new Map<number, AccountView | null>();
  private keys = new Map<string, KeyView | null>();
  private holds = new Map<string, BookHold>();

  constructor(sqlite: Sqlite, private readonly instanceId: string, private readonly now: () => number, private readonly periods: PeriodClock) {
    this.s = {
      key: sqlite.prepare(`SELECT limit_micro_usd IS NULL AS unlimited, limit_micro_usd - spent_micro_usd - held_micro_usd AS remaining,
        budget_micro_usd AS budget, budget_period AS period, ${BUDGET_REMAINING_SQL} AS budgetRemaining FROM api_keys WHERE id = @id`),
      account: sqlite.prepare(`SELECT balance_micro_usd - held_micro_usd AS available, budget_micro_usd AS budget, budget_period AS period,
        ${BUDGET_REMAINING_SQL} AS budgetRemaining FROM accounts WHERE id = @id`),
      holdAccount: sqlite.prepare('UPDATE accounts SET held_micro_usd = held_micro_usd + ? WHERE id = ?'),
      holdKey: sqlite.prepare('UPDATE api_keys SET held_micro_usd = held_micro_usd + ?, last_used_at = ? WHERE id = ?'),
    };
    this.insertRows = new ChunkedInsert(sqlite,
      'INSERT INTO holds (request_id, account_id, key_id, amount_micro_usd, model, stream, owner_pid, owner_instance, created_at)', 9);
  }

  /** Nothing taken and nothing read this turn. */
  get empty(): boolean { return this.accounts.size === 0 && this.keys.size === 0; }

  /** The account's available credit as this turn sees it, if the turn has read it. */
  available(accountId: number): number | undefined { return this.accounts.get(accountId)?.available; }

  /**
   * Reserves the amount if the key's limit and the account's available credit allow it; call with the turn open.
   * `force` skips every check: only for redoing a hold a failed commit lost whose settlement releases it in the same batch.
   */
  take(h: HoldInput, force = false): HoldResult {
    if (this.holds.has(h.requestId)) throw new LedgerError('conflict', `request ${h.requestId} already holds credit`);
    const amount = h.amountMicroUsd;
    const key = this.key(h.keyId);
    if (!key || (!force && key.remaining !== null && key.remaining < amount)) {
      return { ok: false, reason: 'key_limit', keyRemainingMicroUsd: Math.max(0, key?.remaining ?? 0) };
    }
    const now = this.now();
    if (!force && key.budgetRemaining !== null && key.budgetRemaining < amount) return budgetRefusal('key_budget', key.budget, key.budgetRemaining, key.period, this.periods, now);
    key.usedAt = now; // as the SQL path: a request the account then refuses still counts as a use of the key
    const account = this.account(h.accountId);
    if (!account || (!force && account.available < amount)) return { ok: false, reason: 'insufficient_balance', availableMicroUsd: account?.available ?? 0 };
    if (!force && account.budgetRemaining !== null && account.budgetRemaining < amount) {
      return budgetRefusal('account_budget', account.budget, account.budgetRemaining, account.period, this.periods, now);
    }
    if (key.remaining !== null) key.remaining -= amount;
    if (key.budgetRemaining !== null) key.budgetRemaining -= amount;
    key.held += amount;
    account.available -= amount;
    if (account.budgetRemaining !== null) account.budgetRemaining -= amount;
    account.held += amount;
    this.holds.set(h.requestId, { requestId: h.requestId, accountId: h.accountId, keyId: h.keyId, amountMicroUsd: amount, model: h.model, stream: h.stream, createdAt: now });
    return { ok: true };
  }

  /** Appends the holds taken since the last drain() to `out`. */
  listHolds(out: BookHold[]): void {
    for (const h of this.holds.values()) out.push(h);
  }

  /**
   * Writes the turn's account and key totals, forgets everything read, and hands back the turn's holds, whose rows
   * are not written yet: the caller settles what it can from them and passes the rest to insert(). Call inside the
   * open transaction. `availableOut` receives the available credit of every account the turn read, as now stored.
   */
  drain(availableOut?: Map<number, number>): Map<string, BookHold> {
    const { holds, accounts, keys } = this;
    this.holds = new Map();
    this.accounts = new Map();
    this.keys = new Map();
    for (const [id, a] of accounts) {
      if (!a) continue;
      if (a.held) this.s.holdAccount.run(a.held, id);
      // What the row now says (balance - held, its holds just written): the settlement that follows need not read it again.
      availableOut?.set(id, a.available);
    }
    for (const [id, k] of keys) if (k && k.usedAt) this.s.holdKey.run(k.held, k.usedAt, id);
    return holds;
  }

  /** Writes hold rows (those of drain() that are still open). */
  insert(holds: Iterable<BookHold>): void {
    const rows: unknown[] = [];
    for (const h of holds) rows.push(h.requestId, h.accountId, h.keyId, h.amountMicroUsd, h.model, h.stream ? 1 : 0, process.pid, this.instanceId, h.createdAt);
    if (rows.length) this.insertRows.run(rows);
  }

  private account(id: number): AccountView | null {
    let a = this.accounts.get(id);
    if (a === undefined) {
      const row = this.s.account.get(this.params(id)) as BudgetRow & { available: number } | undefined;
      a = row ? { available: row.available, budgetRemaining: row.budget === null ? null : row.budgetRemaining, budget: row.budget ?? 0, period: row.period ?? 'month', held: 0 } : null;
      this.accounts.set(id, a);
    }
    return a;
  }

  private key(id: string): KeyView | null {
    let k = this.keys.get(id);
    if (k === undefined) {
      const row = this.s.key.get(this.params(id)) as BudgetRow & { unlimited: number; remaining: number | null } | undefined;
      k = row ? { remaining: row.unlimited ? null : row.remaining ?? 0, budgetRemaining: row.budget === null ? null : row.budgetRemaining,
        budget: row.budget ?? 0, period: row.period ?? 'month', held: 0, usedAt: 0 } : null;
      this.keys.set(id, k);
    }
    return k;
  }

  /** `id` and the current periods' starts, as the statements bind them (a literal: no spread on the request path). */
  private params(id: number | string) {
    const p = periodParams(this.periods, this.now());
    return { id, day: p.day, week: p.week, month: p.month };
  }
}

/** A key's or account's budget columns as read. */
interface BudgetRow { budget: number | null; period: BudgetPeriod | null; budgetRemaining: number | null }
