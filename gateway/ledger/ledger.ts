/**
 * The ledger: accounts, the append-only double-entry journal, holds (reserve-then-settle), the request
 * log and its rollups. All writes are synchronous SQLite transactions (BEGIN IMMEDIATE) — their own, or the
 * serving process's group-commit transaction (group-commit.ts) — so two processes on one data dir (`serve`
 * and an admin command) serialise on SQLite's write lock. In the serving process settlements are queued and
 * applied in batches (settlement.ts) before each group commit; every read that must see them applies them first.
 */
import { randomUUID } from 'node:crypto';
import type { Sqlite } from './db';
import { LedgerError, refuseOverflow } from './errors';
import { GroupCommit } from './group-commit';
import { BUDGET_REMAINING_SQL, budgetRefusal, checkBudget, periodParams, type BudgetRefusal } from './budgets';
import { PeriodClock, type BudgetPeriod } from '../keys/periods';
import { HoldBook, type BookHold } from './hold-book';
import { Settlement, type SettleItem } from './settlement';

export type PostingKind = 'topup' | 'usage' | 'refund' | 'adjustment';
/** System accounts: the counterparties of customer postings. */
export const FUNDING = '@funding';
export const REVENUE = '@revenue';
const SYSTEM_ACCOUNTS = [FUNDING, REVENUE];
export const DEFAULT_ACCOUNT = 'default';

export interface Account {
  id: number; name: string; type: 'customer' | 'system'; balanceMicroUsd: number; heldMicroUsd: number; availableMicroUsd: number; createdAt: number;
  /** A spending budget per period shared by the account's keys (null: none). */
  budgetMicroUsd: number | null; budgetPeriod: BudgetPeriod | null;
}
export interface PostingLine { accountId: number; amountMicroUsd: number }
export interface PostingInput { kind: PostingKind; idempotencyKey: string; note?: string | null; lines: PostingLine[] }
export interface HoldInput {
  requestId: string; accountId: number; keyId: string; amountMicroUsd: number; model: string; stream: boolean;
  /** The client protocol and arrival time, for a ledger that writes the request's 'running' row with its hold (PostgreSQL). */
  api?: RequestApi; startedAt?: number;
}
export type HoldResult =
  | { ok: true }
  | { ok: false; reason: 'insufficient_balance'; availableMicroUsd: number }
  | { ok: false; reason: 'key_limit'; keyRemainingMicroUsd: number }
  | BudgetRefusal
  /** A ledger commit failed and none has succeeded since (group-commit.ts): no new holds until one does. */
  | { ok: false; reason: 'ledger_unavailable'; message: string };

/** The request row written once per request at settlement. */
export interface RequestRow {
  id: string; keyId: string | null; accountId: number | null; model: string; modelServed?: string | null; provider?: string | null;
  stream: boolean; status: string; httpStatus: number;
  promptTokens?: number; cacheHitTokens?: number; cacheMissTokens?: number; completionTokens?: number; reasoningTokens?: number;
  costMicroUsd?: number; quoteMicroUsd?: number; priceTier?: string | null; usageEstimated?: boolean;
  upstreamRequestId?: string | null; startedAt: number; firstTokenMs?: number | null; durationMs: number; error?: string | null;
  /** The client protocol; 'chat' when absent. */
  api?: RequestApi; upstreamModel?: string | null; cacheWriteTokens?: number;
  /** `model` is the client's text, not a gateway model id (refused before it resolved): stored capped, rolled up under one shared key. */
  modelUnresolved?: boolean;
}
/** The client protocol a request arrived on. */
export type RequestApi = 'chat' | 'messages' | 'responses';
export interface SettleResult { chargedMicroUsd: number; duplicate: boolean; shortfallMicroUsd: number }

const isInt = (n: number) => Number.isSafeInteger(n);
/** A key's or account's budget as read after a refused hold. */
interface BudgetRow { budget: number | null; period: BudgetPeriod | null; budgetRemaining: number | null }
/** Settlements a failed commit carries over before it drops the refusals among them (see turnEnded). */
const MAX_CARRIED_SETTLES = 10_000;

export class Ledger {
  readonly instanceId = randomUUID();
  private readonly s;
  private readonly systemIds = new Map<string, number>();
  private readonly settlement: Settlement;
  /** Holds of the open group-commit turn, decided in memory and written before its settlements (hold-book.ts). */
  private readonly book: HoldBook;
  private readonly group: GroupCommit;
  /** Settlements collected in the open group-commit turn, applied as one batch before it commits (or sooner). */
  private pending: SettleItem[] = [];
  /** The holds and settlements the open turn has written, kept until it commits: a failed commit carries them over. */
  private turnHolds: BookHold[] = [];
  /** Scratch: the accounts' available credit as the hold book leaves it each turn (handed to the settlement). */
  private readonly turnAvailable = new Map<number, number>();
  private turnSettles: SettleItem[] = [];
  /** The work of a failed turn, redone when the next turn opens. */
  private carried: { holds: BookHold[]; settles: SettleItem[] } | null = null;
  private failedSince = 0;
  private failureLoggedAt = 0;
  /** Called after every committed write that changes balances or usage (the window refreshes on it). */
  onChange: (() => void) | null = null;
  /** Observers of the request path (metrics): each request settled, with its cost, and each group commit's duration. */
  onSettle: ((row: RequestRow, costMicroUsd: number) => void) | null = null;
  onCommit: ((ms: number) => void) | null = null;
  /** Tells the operator (the window's alerts) that ledger commits fail, or work again. Failures also go to stderr. */
  onAlert: ((kind: string, message: string) => void) | null = null;

  constructor(readonly sqlite: Sqlite, private readonly now: () => number = Date.now, readonly periods: PeriodClock = new PeriodClock()) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      insertAccount: p('INSERT INTO accounts (name, type, created_at) VALUES (?, ?, ?)'),
      accountByName: p('SELECT id, name, type, balance_micro_usd AS balanceMicroUsd, held_micro_usd AS heldMicroUsd, created_at AS createdAt, budget_micro_usd AS budgetMicroUsd, budget_period AS budgetPeriod FROM accounts WHERE name = ?'),
      accountById: p('SELECT id, name, type, balance_micro_usd AS balanceMicroUsd, held_micro_usd AS heldMicroUsd, created_at AS createdAt, budget_micro_usd AS budgetMicroUsd, budget_period AS budgetPeriod FROM accounts WHERE id = ?'),
      listAccounts: p("SELECT id, name, type, balance_micro_usd AS balanceMicroUsd, held_micro_usd AS heldMicroUsd, created_at AS createdAt, budget_micro_usd AS budgetMicroUsd, budget_period AS budgetPeriod FROM accounts WHERE type = 'customer' ORDER BY id"),
      postingByKey: p('SELECT id FROM journal_postings WHERE idempotency_key = ?'),
      insertPosting: p('INSERT INTO journal_postings (kind, idempotency_key, note, created_at) VALUES (?, ?, ?, ?)'),
      insertLine: p('INSERT INTO journal_lines (posting_id, account_id, amount_micro_usd) VALUES (?, ?, ?)'),
      addBalance: p('UPDATE accounts SET balance_micro_usd = balance_micro_usd + ? WHERE id = ?'),
      available: p('SELECT balance_micro_usd - held_micro_usd FROM accounts WHERE id = ?').pluck(),
      // The conditional update is the balance guard: it holds only if available stays >= 0. (amount, id, amount)
      // ... and so is the period budget's: spent in the period + held + amount <= budget.
      holdAccount: p(`UPDATE accounts SET held_micro_usd = held_micro_usd + @amount WHERE id = @id AND balance_micro_usd - held_micro_usd >= @amount
        AND (budget_micro_usd IS NULL OR ${BUDGET_REMAINING_SQL} >= @amount)`),
      holdKey: p(`UPDATE api_keys SET held_micro_usd = held_micro_usd + @amount, last_used_at = @now WHERE id = @id
        AND (limit_micro_usd IS NULL OR spent_micro_usd + held_micro_usd + @amount <= limit_micro_usd)
        AND (budget_micro_usd IS NULL OR ${BUDGET_REMAINING_SQL} >= @amount)`),
      keyRemaining: p(`SELECT limit_micro_usd - spent_micro_usd - held_micro_usd AS r, budget_micro_usd AS budget, budget_period AS period,
        ${BUDGET_REMAINING_SQL} AS budgetRemaining FROM api_keys WHERE id = @id`),
      accountBudget: p(`SELECT balance_micro_usd - held_micro_usd AS available, budget_micro_usd AS budget, budget_period AS period,
        ${BUDGET_REMAINING_SQL} AS budgetRemaining FROM accounts WHERE id = @id`),
      insertHold: p('INSERT INTO holds (request_id, account_id, key_id, amount_micro_usd, model, stream, owner_pid, owner_instance, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      unholdKey: p('UPDATE api_keys SET held_micro_usd = held_micro_usd - ? WHERE id = ?'),
      allHolds: p('SELECT request_id AS requestId, account_id AS accountId, key_id AS keyId, amount_micro_usd AS amountMicroUsd, model, stream, owner_pid AS ownerPid, owner_instance AS ownerInstance, created_at AS createdAt FROM holds'),
      sumLines: p('SELECT COALESCE(SUM(amount_micro_usd), 0) AS s FROM journal_lines WHERE account_id = ?'),
      journalFor: p(`SELECT p.id AS postingId, p.kind, p.idempotency_key AS idempotencyKey, p.note, p.created_at AS createdAt, l.amount_micro_usd AS amountMicroUsd
        FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id WHERE l.account_id = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?`),
    };
    this.bootstrap();
    const storedAvailable = (id: number) => this.s.available.get(id) as number | undefined;
    this.settlement = new Settlement(sqlite, this.systemAccountId(REVENUE), storedAvailable, now, this.periods);
    this.book = new HoldBook(sqlite, this.instanceId, now, this.periods);
    this.group = new GroupCommit(sqlite, { opened: () => this.redoCarried(), beforeCommit: () => this.applyPending(), ended: (e, ms) => { this.onCommit?.(ms); this.turnEnded(e); } });
  }

  private bootstrap(): void {
    this.sqlite.transaction(() => {
      for (const name of SYSTEM_ACCOUNTS) if (!this.s.accountByName.get(name)) this.s.insertAccount.run(name, 'system', this.now());
      if (!this.s.accountByName.get(DEFAULT_ACCOUNT)) this.s.insertAccount.run(DEFAULT_ACCOUNT, 'customer', this.now());
    }).immediate();
    for (const name of SYSTEM_ACCOUNTS) this.systemIds.set(name, (this.s.accountByName.get(name) as { id: number }).id);
  }

  private withAvailable(row: Omit<Account, 'availableMicroUsd'> | undefined): Account | undefined {
    return row && { ...row, availableMicroUsd: row.balanceMicroUsd - row.heldMicroUsd };
  }

  systemAccountId(name: typeof FUNDING | typeof REVENUE): number { return this.systemIds.get(name)!; }

  /** Creates a customer account; names are unique and may not start with '@' (reserved for system accounts). */
  /**
   * Sets or clears an account's period budget. Its spend in the current period is counted again from the request
   * log, so a new budget starts from what the account already spent this period.
   */
  setAccountBudget(accountId: number, budgetMicroUsd: number | null, period: BudgetPeriod | null): Account {
    checkBudget(budgetMicroUsd, period);
    this.sync();
    const start = period ? this.periods.current(period, this.now()).start : 0;
    const changed = this.sqlite.prepare(`UPDATE accounts SET budget_micro_usd = ?, budget_period = ?, period_start = ?, period_spent_micro_usd =
      (SELECT COALESCE(SUM(cost_micro_usd), 0) FROM requests WHERE account_id = ? AND started_at >= ?) WHERE id = ? AND type = 'customer'`)
      .run(budgetMicroUsd, period, start, accountId, start, accountId).changes;
    if (!changed) throw new LedgerError('not_found', `no customer account with id ${accountId}`);
    return this.account(accountId)!;
  }

  createAccount(name: string): Account {
    const clean = name.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(clean)) throw new LedgerError('invalid', `invalid account name "${name}": use 1-64 letters, digits, space, '.', '_' or '-'`);
    if (this.s.accountByName.get(clean)) throw new LedgerError('conflict', `account "${clean}" already exists`);
    this.s.insertAccount.run(clean, 'customer', this.now());
    this.onChange?.();
    return this.accountByName(clean)!;
  }

  accountByName(name: string): Account | undefined { this.sync(); return this.withAvailable(this.s.accountByName.get(name) as Account | undefined); }
  account(id: number): Account | undefined { this.sync(); return this.withAvailable(this.s.accountById.get(id) as Account | undefined); }
  /**
   * Available credit for the request path's quote: cheap, and without applying the pending settlements first,
   * so it may be low by holds of requests that have finished in the last moment (hold() itself is exact).
   */
  availableMicroUsd(id: number): number { return this.book.available(id) ?? (this.s.available.get(id) as number | undefined) ?? 0; }
  /** The named customer account, or a not_found error naming it. */
  requireAccount(name: string): Account {
    const a = this.accountByName(name);
    if (!a || a.type !== 'customer') throw new LedgerError('not_found', `no account named "${name}"`);
    return a;
  }
  listAccounts(): Account[] { this.sync(); return (this.s.listAccounts.all() as Account[]).map((a) => this.withAvailable(a)!); }

  /**
   * Posts one balanced journal entry. Idempotent on `idempotencyKey`: a second call with the same key
   * changes nothing and reports `duplicate`. Must be the only way journal rows are written.
   */
  post(input: PostingInput): { postingId: number; duplicate: boolean } {
    this.sync();
    const result = this.sqlite.transaction(() => this.postInTx(input)).immediate();
    if (!result.duplicate) this.onChange?.();
    return result;
  }

  private postInTx(input: PostingInput): { postingId: number; duplicate: boolean } {
    if (input.lines.length < 2) throw new LedgerError('unbalanced', 'a posting needs at least two lines');
    let sum = 0;
    for (const l of input.lines) {
      if (!isInt(l.amountMicroUsd)) throw new LedgerError('invalid', `amount ${l.amountMicroUsd} is not an integer of micro-USD`);
      sum += l.amountMicroUsd;
    }
    // Double entry: every posting's lines sum to zero, or nothing is written.
    if (sum !== 0) throw new LedgerError('unbalanced', `posting lines sum to ${sum}, not 0`);
    const existing = this.s.postingByKey.get(input.idempotencyKey) as { id: number } | undefined;
    if (existing) return { postingId: existing.id, duplicate: true };
    const postingId = Number(this.s.insertPosting.run(input.kind, input.idempotencyKey, input.note ?? null, this.now()).lastInsertRowid);
    for (const l of input.lines) {
      this.s.insertLine.run(postingId, l.accountId, l.amountMicroUsd);
      this.s.addBalance.run(l.amountMicroUsd, l.accountId);
    }
    return { postingId, duplicate: false };
  }

  /**
   * Credits (or, with a negative amount, debits) a customer account against @funding. A debit may not take
   * available credit below zero.
   */
  credit(accountId: number, amountMicroUsd: number, opts: { kind?: PostingKind; idempotencyKey?: string; note?: string | null } = {}): { postingId: number; duplicate: boolean } {
    if (!isInt(amountMicroUsd) || amountMicroUsd === 0) throw new LedgerError('invalid', 'amount must be a non-zero integer of micro-USD');
    const kind = opts.kind ?? (amountMicroUsd > 0 ? 'topup' : 'adjustment');
    this.sync();
    const result = this.sqlite.transaction(() => {
      const acct = this.account(accountId);
      if (!acct || acct.type !== 'customer') throw new LedgerError('not_found', `no customer account with id ${accountId}`);
      if (amountMicroUsd < 0 && acct.availableMicroUsd + amountMicroUsd < 0) {
        throw new LedgerError('invalid', `adjustment of ${amountMicroUsd} micro-USD would take available credit (${acct.availableMicroUsd}) below zero`);
      }
      refuseOverflow(acct, this.account(this.systemAccountId(FUNDING))!.balanceMicroUsd, amountMicroUsd);
      return this.postInTx({ kind, idempotencyKey: opts.idempotencyKey ?? `${kind}:${randomUUID()}`, note: opts.note,
        lines: [{ accountId, amountMicroUsd }, { accountId: this.systemAccountId(FUNDING), amountMicroUsd: -amountMicroUsd }] });
    }).immediate();
    if (!result.duplicate) this.onChange?.();
    return result;
  }

  /** Reserves `amountMicroUsd` for a request if the account's available credit and the key's limit allow it. */
  hold(h: HoldInput): HoldResult {
    if (!isInt(h.amountMicroUsd) || h.amountMicroUsd < 0) throw new LedgerError('invalid', 'hold amount must be a non-negative integer');
    if (!this.group.enabled) return this.atomically(() => this.holdInTx(h));
    // Fail closed: a hold taken now might vanish with the next failed commit and its request be served free.
    if (this.group.failure) return { ok: false, reason: 'ledger_unavailable', message: `the ledger cannot commit (${this.group.failure.message})` };
    this.group.begin(); // the turn holds the write lock while the book decides
    const first = this.book.take(h);
    if (first.ok || !this.pending.length) return first;
    // Finished requests still hold credit until their settlements apply: apply them and decide again, exactly.
    this.applyPending();
    return this.book.take(h);
  }

  /**
   * Runs `fn` atomically: inside the open group-commit transaction as is (its statements cannot partly fail
   * short of an I/O error, which fails the whole commit), else in its own IMMEDIATE transaction.
   */
  private atomically<T>(fn: () => T): T {
    return this.group.open ? fn() : this.sqlite.transaction(fn).immediate();
  }

  private holdInTx(h: HoldInput): HoldResult {
    // The key's limit first, then the account: each is one guarded UPDATE, so the check and the reservation are
    // one step, and a refusal by the account undoes the key's reservation without a savepoint.
    const now = this.now();
    const periods = periodParams(this.periods, now);
    if (this.s.holdKey.run({ amount: h.amountMicroUsd, now, id: h.keyId, ...periods }).changes === 0) {
      const r = this.s.keyRemaining.get({ id: h.keyId, ...periods }) as BudgetRow & { r: number | null } | undefined;
      if (r && r.r !== null && r.r < h.amountMicroUsd) return { ok: false, reason: 'key_limit', keyRemainingMicroUsd: Math.max(0, r.r) };
      if (r && r.budget !== null) return budgetRefusal('key_budget', r.budget, r.budgetRemaining!, r.period!, this.periods, now);
      return { ok: false, reason: 'key_limit', keyRemainingMicroUsd: 0 };
    }
    if (this.s.holdAccount.run({ amount: h.amountMicroUsd, id: h.accountId, ...periods }).changes === 0) {
      this.s.unholdKey.run(h.amountMicroUsd, h.keyId);
      const a = this.s.accountBudget.get({ id: h.accountId, ...periods }) as BudgetRow & { available: number } | undefined;
      if (a && a.available >= h.amountMicroUsd && a.budget !== null) return budgetRefusal('account_budget', a.budget, a.budgetRemaining!, a.period!, this.periods, now);
      return { ok: false, reason: 'insufficient_balance', availableMicroUsd: this.availableMicroUsd(h.accountId) };
    }
    this.s.insertHold.run(h.requestId, h.accountId, h.keyId, h.amountMicroUsd, h.model, h.stream ? 1 : 0, process.pid, this.instanceId, this.now());
    return { ok: true };
  }

  /**
   * Settles a request exactly once: charges `costMicroUsd` (0 for a failure), releases its hold and writes
   * its request row and rollup, all in one transaction. A second settle of the same request id is a no-op.
   * The charge never exceeds the hold (the quote the key's limit and the account allowed); any excess is
   * recorded as the row's shortfall (an operator loss) instead of being charged.
   * A request that never held credit (refused, bad input) is settled with cost 0: only its row is written.
   */
  settle(requestId: string, costMicroUsd: number, row: RequestRow): SettleResult {
    checkCost(costMicroUsd);
    this.sync();
    const item = { requestId, costMicroUsd, row };
    if (this.group.open) this.turnSettles.push(item);
    const [result] = this.atomically(() => this.settlement.apply([item]));
    if (!result.duplicate) this.onChange?.();
    return result;
  }

  /** Turns on group commit (the serving process does): see group-commit.ts for what it trades. */
  enableGroupCommit(opts: { intervalMs?: number; maxWrites?: number } = {}): void { this.group.enable(opts); }

  /**
   * Settles a request with the open group-commit turn: queued, and applied with the turn's other settlements in
   * one batch before it commits (settlement.ts). Without group commit, settles at once.
   */
  settleSoon(requestId: string, costMicroUsd: number, row: RequestRow): void {
    checkCost(costMicroUsd);
    this.onSettle?.(row, costMicroUsd);
    // A charge never exceeds its hold (settlement.ts), so a queued settlement only ever gives credit back and
    // deferring it never changes what is charged.
    if (!this.group.enabled) { this.settle(requestId, costMicroUsd, row); return; }
    this.group.begin(); // may commit the previous turn (applying its batch) before opening this one
    this.pending.push({ requestId, costMicroUsd, row });
  }

  /** Commits the open group-commit transaction now (before closing, a checkpoint or a backup). */
  flush(): void { this.group.flush(); }

  /**
   * Writes the open group-commit turn's holds, then its queued settlements, inside its transaction. Reads that must
   * see them, and every other write, call this first (sync()).
   */
  applyPending(): void {
    const batch = this.pending;
    this.pending = [];
    if (this.group.open) { // kept until the turn commits (turnEnded)
      this.book.listHolds(this.turnHolds);
      for (let i = 0; i < batch.length; i++) this.turnSettles.push(batch[i]);
    }
    const available = this.turnAvailable;
    available.clear();
    const unwritten = this.book.drain(available); // account and key totals first: the batch may settle holds taken this turn
    if (batch.length) this.settlement.apply(batch, unwritten, available); // releases those from memory: they never get a row
    this.book.insert(unwritten.values()); // holds still open after this turn
  }

  private sync(): void { if (this.pending.length || !this.book.empty) this.applyPending(); }

  /** True while ledger commits fail (new holds are refused until one succeeds). */
  get unavailable(): boolean { return this.group.failure !== null; }

  /**
   * After each group commit attempt. Committed: the turn's work is done with. Failed (rolled back): its holds and
   * settlements are carried to the next turn, which redoes them, so the requests they belong to are still charged
   * once a commit succeeds — and until then hold() refuses new requests (fail closed) and the operator is told.
   */
  private turnEnded(error: Error | null): void {
    if (!error) {
      this.turnHolds.length = 0;
      this.turnSettles.length = 0;
      if (this.failedSince) {
        const message = `Ledger commits work again after ${Math.round((Date.now() - this.failedSince) / 1000)} s of failures; requests are served again.`;
        this.failedSince = 0;
        process.stderr.write(`gogogo: ${message}\n`);
        this.alert('ledger_recovered', message);
      }
    } else {
      let settles = this.turnSettles;
      // A long outage must not grow memory without bound: past this many, refusals (no hold, no charge) are dropped.
      if (settles.length > MAX_CARRIED_SETTLES) settles = settles.filter((s) => s.row.status !== 'refused');
      this.carried = { holds: this.turnHolds, settles };
      this.turnHolds = [];
      this.turnSettles = [];
      const now = Date.now();
      if (!this.failedSince || now - this.failureLoggedAt >= 60_000) {
        const message = `A ledger commit failed and was rolled back (${error.message}). New requests are refused (503 ledger_unavailable) until a commit succeeds; the requests already running are kept and will be charged then. Check the disk holding ${this.sqlite.name}.`;
        process.stderr.write(`gogogo: ${message}\n`);
        if (!this.failedSince) this.alert('ledger_unavailable', message);
        this.failedSince ||= now;
        this.failureLoggedAt = now;
      }
    }
    this.onChange?.();
  }

  /** The alert hook must never turn a failure into a crash (its own write may fail on the same full disk). */
  private alert(kind: string, message: string): void {
    try { this.onAlert?.(kind, message); } catch (e) { process.stderr.write(`gogogo: could not record the alert: ${(e as Error).message}\n`); }
  }

  /**
   * Redoes a failed turn's work at the start of the next one. Holds whose requests settled in that turn are taken
   * as they were (their settlement, queued again, releases them in the same batch); holds of requests still running
   * are decided again, and one that no longer fits (another process spent the credit meanwhile) is dropped: its
   * request settles without a hold, uncharged, its cost recorded as the operator's shortfall.
   */
  private redoCarried(): void {
    const c = this.carried;
    if (!c) return;
    this.carried = null;
    const settled = new Set<string>();
    for (const s of c.settles) settled.add(s.requestId);
    let dropped = 0;
    for (const h of c.holds) if (!settled.has(h.requestId) && !this.book.take(h).ok) dropped++;
    for (const h of c.holds) if (settled.has(h.requestId)) this.book.take(h, true);
    if (c.settles.length) this.pending = c.settles.concat(this.pending);
    if (dropped) process.stderr.write(`gogogo: ${dropped} hold(s) lost with the failed commit no longer fit their account; those requests will be recorded as shortfall\n`);
  }

  /** Holds whose owning process is gone (crash, kill -9). */
  orphanHolds(isAlive: (pid: number) => boolean = pidAlive) {
    this.sync();
    const all = this.s.allHolds.all() as Array<{ requestId: string; accountId: number; keyId: string; amountMicroUsd: number; model: string; stream: number; ownerPid: number; ownerInstance: string; createdAt: number }>;
    return all.filter((h) => h.ownerInstance !== this.instanceId && (h.ownerPid === process.pid || !isAlive(h.ownerPid)));
  }

  /** At start-up: releases holds left by dead processes and marks their requests interrupted. Returns the count. */
  releaseOrphanHolds(isAlive?: (pid: number) => boolean): number {
    const orphans = this.orphanHolds(isAlive);
    for (const h of orphans) {
      this.settle(h.requestId, 0, { id: h.requestId, keyId: h.keyId, accountId: h.accountId, model: h.model, stream: !!h.stream,
        status: 'interrupted', httpStatus: 0, startedAt: h.createdAt, durationMs: Math.max(0, this.now() - h.createdAt),
        quoteMicroUsd: h.amountMicroUsd, error: `the gateway process (pid ${h.ownerPid}) stopped before this request finished; its hold was released` });
    }
    return orphans.length;
  }

  /** Sum of an account's journal lines (the source of truth the cached balance must equal). */
  journalSum(accountId: number): number { this.sync(); return (this.s.sumLines.get(accountId) as { s: number }).s; }

  /** An account's journal lines, newest first. */
  journal(accountId: number, opts: { limit?: number; beforeLineId?: number } = {}) {
    this.sync();
    return this.s.journalFor.all(accountId, opts.beforeLineId ?? Number.MAX_SAFE_INTEGER, Math.min(opts.limit ?? 100, 1000)) as Array<{ postingId: number; kind: PostingKind; idempotencyKey: string; note: string | null; createdAt: number; amountMicroUsd: number }>;
  }
}

function checkCost(costMicroUsd: number): void {
  if (!isInt(costMicroUsd) || costMicroUsd < 0) throw new LedgerError('invalid', 'cost must be a non-negative integer');
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}
