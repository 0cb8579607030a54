/**
 * The ledger on PostgreSQL, for several gateway instances on one database (the port: ../port.ts). The money rules
 * run inside the database (resources/migrations-pg/0001_ledger_functions.sql), where every instance's writes meet:
 * a hold is a guarded update (`balance - held >= amount`) committed with its request row (status 'running') before
 * the upstream call; settlement is idempotent by request id; every posting passes one deferred zero-sum check; the
 * journal refuses UPDATE and DELETE. Holds and settlements are batched per turn (batcher.ts): one round trip each,
 * however many requests arrived meanwhile.
 *
 * Leases: each instance renews its row in `instances` every third of its lease (default 15 s,
 * GOGOGO_INSTANCE_LEASE_MS) by the database clock; any live instance releases the holds of one not renewed for a
 * whole lease and marks their requests 'interrupted' (charged nothing — at most the quote, once — and never changed
 * after, since a late settle of an interrupted request is a duplicate).
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type postgres from 'postgres';
import { LedgerError, refuseOverflow } from '../errors';
import { bucketIndex } from '../latency-buckets';
import { capOptional, capText, MAX_ERROR_CHARS, MAX_ID_CHARS, MAX_MODEL_CHARS, UNRESOLVED_MODEL } from '../text-caps';
import { DEFAULT_ACCOUNT, FUNDING, REVENUE, type Account, type HoldInput, type HoldResult, type PostingInput, type RequestApi,
  type RequestRow, type SettleResult } from '../ledger';
import type { ChangeTopic, CreditOptions, LedgerFleet, LedgerPort, LedgerUnitOfWork, PostResult, UnitOfWorkLedger } from '../port';
import { Batcher } from './batcher';
import { PeriodClock, type BudgetPeriod } from '../../keys/periods';
import { budgetRefusal, checkBudget, periodParams } from '../budgets';
import type { Pg, PgTx as Tx } from './connect';

type Q = Pg | Tx;
/** A hold as the request path asks for it; PostgreSQL also records the protocol and start on the 'running' row. */
export type PgHoldInput = HoldInput;
interface HoldAnswer {
  ok: boolean; reason?: 'key_limit' | 'insufficient_balance' | 'conflict' | 'key_budget' | 'account_budget'; keyRemainingMicroUsd?: number; availableMicroUsd?: number;
  available?: number; budgetMicroUsd?: number; remainingMicroUsd?: number; period?: BudgetPeriod;
}
interface SettleAnswer { charged: number; duplicate: boolean; shortfall: number }

const ACCOUNT_COLUMNS = `id, name, type, balance_micro_usd AS "balanceMicroUsd", held_micro_usd AS "heldMicroUsd", created_at AS "createdAt",
  budget_micro_usd AS "budgetMicroUsd", budget_period AS "budgetPeriod"`;
/** Errors after which nothing was committed: the batch is sent again. */
const RETRYABLE = new Set(['40P01', '40001']);
const NO_LEASE = 'GG001';
const DEFAULT_LEASE_MS = 15_000;
/** How long a quote may use an account's available credit as last seen (hold() itself is exact). */
const AVAILABLE_TTL_MS = 1000;

export interface PgLedgerOptions {
  /** Lease length; default GOGOGO_INSTANCE_LEASE_MS or 15 s. */
  leaseMs?: number;
  /** Budget periods in the operator's time zone. */
  periods?: PeriodClock;
  now?: () => number;
  log?: (line: string) => void;
}

export class PgLedger implements LedgerPort, LedgerFleet, LedgerUnitOfWork<Tx> {
  instanceId = randomUUID();
  onChange: (() => void) | null = null;
  /** Called once per settled request with what it was charged (the metrics). */
  onSettle: ((row: RequestRow, costMicroUsd: number) => void) | null = null;
  readonly leaseMs: number;
  readonly periods: PeriodClock;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly systemIds = new Map<string, number>();
  private readonly holds: Batcher<PgHoldInput, HoldAnswer>;
  private readonly settles: Batcher<object, SettleAnswer>;
  private readonly availableSeen = new Map<number, { available: number; at: number }>();
  private leaseTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(readonly sql: Pg, opts: PgLedgerOptions) {
    this.leaseMs = opts.leaseMs ?? (Number(process.env.GOGOGO_INSTANCE_LEASE_MS) || DEFAULT_LEASE_MS);
    this.now = opts.now ?? Date.now;
    this.periods = opts.periods ?? new PeriodClock();
    this.log = opts.log ?? ((line) => process.stderr.write(`gogogo: ${line}\n`));
    this.holds = new Batcher((items) => this.sendHolds(items));
    this.settles = new Batcher((items) => this.sendSettles(items));
  }

  /** A ledger on a migrated database (connect.ts): system accounts and the default account exist afterwards. */
  static async open(sql: Pg, opts: PgLedgerOptions = {}): Promise<PgLedger> {
    const ledger = new PgLedger(sql, opts);
    await ledger.bootstrap();
    return ledger;
  }

  private async bootstrap(): Promise<void> {
    const now = this.now();
    await this.sql`INSERT INTO accounts (name, type, created_at) VALUES (${FUNDING}, 'system', ${now}), (${REVENUE}, 'system', ${now}),
      (${DEFAULT_ACCOUNT}, 'customer', ${now}) ON CONFLICT (name) DO NOTHING`;
    for (const r of await this.sql<Array<{ id: number; name: string }>>`SELECT id, name FROM accounts WHERE name IN (${FUNDING}, ${REVENUE})`) {
      this.systemIds.set(r.name, r.id);
    }
  }

  systemAccountId(name: typeof FUNDING | typeof REVENUE): number { return this.systemIds.get(name)!; }

  async createAccount(name: string): Promise<Account> {
    const clean = name.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(clean)) throw new LedgerError('invalid', `invalid account name "${name}": use 1-64 letters, digits, space, '.', '_' or '-'`);
    const rows = await this.sql`INSERT INTO accounts (name, type, created_at) VALUES (${clean}, 'customer', ${this.now()}) ON CONFLICT (name) DO NOTHING RETURNING id`;
    if (!rows.length) throw new LedgerError('conflict', `account "${clean}" already exists`);
    this.onChange?.();
    return (await this.accountByName(clean))!;
  }

  async account(id: number, q: Q = this.sql): Promise<Account | undefined> {
    const [row] = await q.unsafe<AccountRow[]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id], { prepare: true });
    return withAvailable(row);
  }

  async accountByName(name: string): Promise<Account | undefined> {
    const [row] = await this.sql.unsafe<AccountRow[]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE name = $1`, [name]);
    return withAvailable(row);
  }

  async requireAccount(name: string): Promise<Account> {
    const a = await this.accountByName(name);
    if (!a || a.type !== 'customer') throw new LedgerError('not_found', `no account named "${name}"`);
    return a;
  }

  async listAccounts(): Promise<Account[]> {
    const rows = await this.sql.unsafe<AccountRow[]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE type = 'customer' ORDER BY id`);
    return rows.map((r) => withAvailable(r)!);
  }

  /** The last available credit this instance saw for the account (under a second old), else one read. */
  availableMicroUsd(accountId: number): number | Promise<number> {
    const seen = this.availableSeen.get(accountId);
    if (seen && this.now() - seen.at < AVAILABLE_TTL_MS) return seen.available;
    return this.sql<Array<{ a: number }>>`SELECT balance_micro_usd - held_micro_usd AS a FROM accounts WHERE id = ${accountId}`.then(([r]) => {
      if (r) this.availableSeen.set(accountId, { available: r.a, at: this.now() });
      return r?.a ?? 0;
    });
  }

  async journalSum(accountId: number): Promise<number> {
    const [r] = await this.sql<Array<{ s: number }>>`SELECT COALESCE(SUM(amount_micro_usd), 0)::bigint AS s FROM journal_lines WHERE account_id = ${accountId}`;
    return r.s;
  }

  /** Posts one balanced entry, idempotent on its key (the database checks the zero sum again at commit). */
  async post(input: PostingInput): Promise<PostResult> {
    const result = await this.sql.begin((tx) => this.postIn(tx, input));
    if (!result.duplicate) this.onChange?.();
    return result;
  }

  private async postIn(tx: Tx, input: PostingInput): Promise<PostResult> {
    checkBalanced(input);
    const ids = [...new Set(input.lines.map((l) => l.accountId))].sort((a, b) => a - b);
    // Lock order: accounts by id (as the hold and settle functions), so a posting never deadlocks with a batch.
    const locked = await tx`SELECT id FROM accounts WHERE id = ANY(${ids}::bigint[]) ORDER BY id FOR UPDATE`;
    if (locked.length !== ids.length) throw new LedgerError('not_found', 'a posting line names an account that does not exist');
    const [posting] = await tx<Array<{ id: number }>>`INSERT INTO journal_postings (kind, idempotency_key, note, created_at)
      VALUES (${input.kind}, ${input.idempotencyKey}, ${input.note ?? null}, ${this.now()}) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`;
    if (!posting) {
      const [existing] = await tx<Array<{ id: number }>>`SELECT id FROM journal_postings WHERE idempotency_key = ${input.idempotencyKey}`;
      return { postingId: existing.id, duplicate: true };
    }
    const accountIds = input.lines.map((l) => l.accountId);
    const amounts = input.lines.map((l) => l.amountMicroUsd);
    await tx`INSERT INTO journal_lines (posting_id, account_id, amount_micro_usd)
      SELECT ${posting.id}, a, m FROM unnest(${accountIds}::bigint[], ${amounts}::bigint[]) AS l(a, m)`;
    await tx`UPDATE accounts SET balance_micro_usd = balance_micro_usd + l.m
      FROM (SELECT a, SUM(m)::bigint AS m FROM unnest(${accountIds}::bigint[], ${amounts}::bigint[]) AS u(a, m) GROUP BY a) l WHERE accounts.id = l.a`;
    return { postingId: posting.id, duplicate: false };
  }

  /** Credits (or debits) a customer account against @funding; a debit may not take available credit below zero. */
  async credit(accountId: number, amountMicroUsd: number, opts: CreditOptions = {}): Promise<PostResult> {
    const result = await this.sql.begin((tx) => this.creditIn(tx, accountId, amountMicroUsd, opts));
    if (!result.duplicate) this.onChange?.();
    return result;
  }

  private async creditIn(tx: Tx, accountId: number, amountMicroUsd: number, opts: CreditOptions): Promise<PostResult> {
    if (!Number.isSafeInteger(amountMicroUsd) || amountMicroUsd === 0) throw new LedgerError('invalid', 'amount must be a non-zero integer of micro-USD');
    const kind = opts.kind ?? (amountMicroUsd > 0 ? 'topup' : 'adjustment');
    const funding = this.systemAccountId(FUNDING);
    // Both rows locked in id order first: the available check below holds until commit.
    await tx`SELECT id FROM accounts WHERE id IN (${accountId}, ${funding}) ORDER BY id FOR UPDATE`;
    const acct = await this.account(accountId, tx);
    if (!acct || acct.type !== 'customer') throw new LedgerError('not_found', `no customer account with id ${accountId}`);
    if (amountMicroUsd < 0 && acct.availableMicroUsd + amountMicroUsd < 0) {
      throw new LedgerError('invalid', `adjustment of ${amountMicroUsd} micro-USD would take available credit (${acct.availableMicroUsd}) below zero`);
    }
    refuseOverflow(acct, (await this.account(funding, tx))!.balanceMicroUsd, amountMicroUsd);
    return this.postIn(tx, { kind, idempotencyKey: opts.idempotencyKey ?? `${kind}:${randomUUID()}`, note: opts.note,
      lines: [{ accountId, amountMicroUsd }, { accountId: funding, amountMicroUsd: -amountMicroUsd }] });
  }

  /** Runs `fn` in one transaction with ledger operations that join it (the wallet: deposit credited ⇔ topup posted). */
  async unitOfWork<T>(fn: (tx: Tx, ledger: UnitOfWorkLedger) => Promise<T>): Promise<T> {
    let posted = false;
    const result = await this.sql.begin((tx) => fn(tx, {
      credit: async (accountId, amount, opts = {}) => {
        const r = await this.creditIn(tx, accountId, amount, opts);
        posted ||= !r.duplicate;
        return r;
      },
      account: (id) => this.account(id, tx),
    }));
    if (posted) this.onChange?.();
    return result as T;
  }

  /** Reserves the quote; answers after the hold and its 'running' request row are committed. */
  async hold(h: PgHoldInput): Promise<HoldResult> {
    if (!Number.isSafeInteger(h.amountMicroUsd) || h.amountMicroUsd < 0) throw new LedgerError('invalid', 'hold amount must be a non-negative integer');
    let a: HoldAnswer;
    try {
      a = await this.holds.add(h);
    } catch (e) {
      if (e instanceof LedgerError) throw e;
      // The database is unreachable or refused the batch: nothing was held, the client gets a 503 to retry.
      return { ok: false, reason: 'ledger_unavailable', message: `PostgreSQL: ${(e as Error).message}` };
    }
    if (a.ok) {
      this.availableSeen.set(h.accountId, { available: a.available!, at: this.now() });
      return { ok: true };
    }
    if (a.reason === 'conflict') throw new LedgerError('conflict', `request ${h.requestId} already holds credit`);
    if (a.reason === 'key_limit') return { ok: false, reason: 'key_limit', keyRemainingMicroUsd: a.keyRemainingMicroUsd! };
    if (a.reason === 'key_budget' || a.reason === 'account_budget') return budgetRefusal(a.reason, a.budgetMicroUsd!, a.remainingMicroUsd!, a.period!, this.periods, this.now());
    this.availableSeen.set(h.accountId, { available: a.availableMicroUsd!, at: this.now() });
    return { ok: false, reason: 'insufficient_balance', availableMicroUsd: a.availableMicroUsd! };
  }

  private async sendHolds(items: PgHoldInput[]): Promise<HoldAnswer[]> {
    const json = this.sql.json(items.map((h) => ({ id: h.requestId, account_id: h.accountId, key_id: h.keyId, amount: h.amountMicroUsd, model: h.model,
      stream: h.stream, api: h.api ?? 'chat', started_at: h.startedAt ?? null })));
    for (let attempt = 1; ; attempt++) {
      try {
        const now = this.now();
        const p = periodParams(this.periods, now);
        const [{ r }] = await this.sql<Array<{ r: HoldAnswer[] }>>`SELECT ledger_hold(${json}, ${this.instanceId}, ${now}, ${p.day}, ${p.week}, ${p.month}) AS r`;
        return r;
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        if (code === NO_LEASE && !this.closed && attempt < 3) { await this.register('its lease had expired'); continue; }
        if (RETRYABLE.has(code) && attempt < 5) continue;
        throw e;
      }
    }
  }

  /** Settles a request exactly once (joins the current batch) and answers what was charged. */
  async settle(requestId: string, costMicroUsd: number, row: RequestRow): Promise<SettleResult> {
    checkCost(costMicroUsd);
    const a = await this.settles.add(settleItem(requestId, costMicroUsd, row));
    if (!a.duplicate) {
      this.onChange?.();
      this.onSettle?.(row, a.charged);
    }
    return { chargedMicroUsd: a.charged, duplicate: a.duplicate, shortfallMicroUsd: a.shortfall };
  }

  /** Settles with the next batch; a failure is logged (the hold stays until this instance's lease ends). */
  settleSoon(requestId: string, costMicroUsd: number, row: RequestRow): void {
    this.settle(requestId, costMicroUsd, row).catch((e: Error) => this.log(`settling request ${requestId} failed: ${e.message}`));
  }

  private async sendSettles(items: object[]): Promise<SettleAnswer[]> {
    const json = this.sql.json(items as postgres.JSONValue);
    for (let attempt = 1; ; attempt++) {
      try {
        const now = this.now();
        const p = periodParams(this.periods, now);
        const [{ r }] = await this.sql<Array<{ r: SettleAnswer[] }>>`SELECT ledger_settle(${json}, ${this.systemAccountId(REVENUE)}, ${now}, ${p.day}, ${p.week}, ${p.month}) AS r`;
        return r;
      } catch (e) {
        // Settling is idempotent by request id: resending a batch after a lost connection never charges twice.
        // A statement error (a SQLSTATE other than deadlock/serialization) would fail again: no retry.
        const code = (e as { code?: string }).code ?? '';
        const transient = RETRYABLE.has(code) || !/^[0-9A-Z]{5}$/.test(code);
        if (transient && attempt < 5 && !this.closed) { await new Promise((r) => setTimeout(r, 20 * attempt)); continue; }
        throw e;
      }
    }
  }

  /** Nothing is pending locally: every hold and settlement is its own committed round trip (SQLite's group commit has rows to apply). */
  applyPending(): void {}

  /** Sets or clears an account's period budget; a new budget counts what the account already spent in the current period. */
  async setAccountBudget(accountId: number, budgetMicroUsd: number | null, period: BudgetPeriod | null): Promise<Account> {
    checkBudget(budgetMicroUsd, period);
    const start = period ? this.periods.current(period, this.now()).start : 0;
    const changed = await this.sql`UPDATE accounts SET budget_micro_usd = ${budgetMicroUsd}, budget_period = ${period}, period_start = ${start},
      period_spent_micro_usd = (SELECT COALESCE(SUM(cost_micro_usd), 0) FROM requests WHERE account_id = ${accountId} AND started_at >= ${start})
      WHERE id = ${accountId} AND type = 'customer'`;
    if (!changed.count) throw new LedgerError('not_found', `no customer account with id ${accountId}`);
    return (await this.account(accountId))!;
  }

  /** Round trips and items of the hold and settle batches so far. */
  batchStats(): { holds: { batches: number; items: number }; settles: { batches: number; items: number } } {
    return { holds: { ...this.holds.stats }, settles: { ...this.settles.stats } };
  }

  /** Waits until every hold and settlement asked for so far is committed. */
  async flush(): Promise<void> {
    await this.holds.idle();
    await this.settles.idle();
  }

  /** Registers this instance and renews its lease every third of it; each renewal also releases dead instances' holds. */
  async startLease(): Promise<void> {
    await this.register(null);
    let ticking = false;
    const tick = async () => {
      if (ticking) return; // a slow renewal is not run twice at once
      ticking = true;
      try {
        const renewed = await this.sql`UPDATE instances SET renewed_at = ledger_now_ms() WHERE id = ${this.instanceId} RETURNING id`;
        if (!renewed.length) await this.register('it was declared dead (lease not renewed in time)');
        const released = await this.releaseOrphanHolds();
        if (released) this.log(`released ${released} hold(s) of stopped gateway instance(s); their requests are marked interrupted`);
      } catch (e) {
        if (!this.closed) this.log(`lease renewal failed: ${(e as Error).message}`);
      } finally {
        ticking = false;
      }
    };
    this.leaseTimer = setInterval(() => void tick(), Math.max(1, Math.floor(this.leaseMs / 3)));
    this.leaseTimer.unref();
  }

  /** Stops renewing (a test's stand-in for a dead instance); `close()` also does. */
  stopLease(): void {
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    this.leaseTimer = null;
  }

  /** A new instance id with a fresh lease: a restarted or declared-dead instance is a new instance. */
  private async register(why: string | null): Promise<void> {
    if (why) {
      const old = this.instanceId;
      this.instanceId = randomUUID();
      this.log(`instance ${old} re-registered as ${this.instanceId}: ${why}`);
    }
    await this.sql`INSERT INTO instances (id, host, pid, started_at, renewed_at, lease_ms)
      VALUES (${this.instanceId}, ${os.hostname()}, ${process.pid}, ledger_now_ms(), ledger_now_ms(), ${this.leaseMs})`;
  }

  async liveInstances(): Promise<Array<{ id: string; host: string; pid: number; startedAt: number; renewedAt: number }>> {
    return this.sql`SELECT id, host, pid, started_at AS "startedAt", renewed_at AS "renewedAt" FROM instances
      WHERE renewed_at >= ledger_now_ms() - lease_ms ORDER BY started_at`;
  }

  /**
   * Releases the holds of instances whose lease expired (and of owners with no lease row at all), settling each
   * request as 'interrupted' with cost 0; deletes the dead instances' rows. Safe to run from every instance at once.
   */
  async releaseOrphanHolds(): Promise<number> {
    // Dead instances go first: a hold still being written by one waits on its row lock (ledger_hold reads it FOR SHARE
    // in the same transaction), so every hold it ever commits is visible to the query below.
    await this.sql`DELETE FROM instances WHERE renewed_at < ledger_now_ms() - lease_ms`;
    const orphans = await this.sql<Array<{ requestId: string; accountId: number; keyId: string; amountMicroUsd: number; model: string; stream: boolean;
      owner: string; startedAt: number; api: RequestApi }>>`
      SELECT h.request_id AS "requestId", h.account_id AS "accountId", h.key_id AS "keyId", h.amount_micro_usd AS "amountMicroUsd", h.model, h.stream,
        h.owner_instance AS owner, COALESCE(r.started_at, h.created_at) AS "startedAt", COALESCE(r.api, 'chat') AS api
      FROM holds h LEFT JOIN requests r ON r.id = h.request_id
      WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.id = h.owner_instance)`;
    if (!orphans.length) return 0;
    const now = this.now();
    const results = await Promise.all(orphans.map((h) => this.settle(h.requestId, 0, { id: h.requestId, keyId: h.keyId, accountId: h.accountId,
      model: h.model, stream: h.stream, api: h.api, status: 'interrupted', httpStatus: 0, startedAt: h.startedAt, durationMs: Math.max(0, now - h.startedAt),
      quoteMicroUsd: h.amountMicroUsd, error: `the gateway instance ${h.owner} stopped renewing its lease before this request finished; its hold was released` })));
    return results.filter((r) => !r.duplicate).length;
  }

  async onChanged(listener: (topic: ChangeTopic) => void): Promise<() => Promise<void>> {
    const { unlisten } = await this.sql.listen('gogogo_changes', (payload) => listener(payload as ChangeTopic));
    return unlisten;
  }

  /** Flushes, stops renewing, and leaves the instance row (its lease simply ends). The pool is the caller's to end. */
  async close(): Promise<void> {
    await this.flush();
    this.stopLease();
    this.closed = true;
    await this.sql`DELETE FROM instances WHERE id = ${this.instanceId} AND NOT EXISTS (SELECT 1 FROM holds WHERE owner_instance = ${this.instanceId})`;
  }
}

type AccountRow = Omit<Account, 'availableMicroUsd'>;

function withAvailable(row: AccountRow | undefined): Account | undefined {
  return row && { id: row.id, name: row.name, type: row.type, balanceMicroUsd: row.balanceMicroUsd, heldMicroUsd: row.heldMicroUsd,
    availableMicroUsd: row.balanceMicroUsd - row.heldMicroUsd, createdAt: row.createdAt, budgetMicroUsd: row.budgetMicroUsd, budgetPeriod: row.budgetPeriod };
}

/** Double entry: at least two integer lines summing to zero, or nothing is written (the database checks again). */
function checkBalanced(input: PostingInput): void {
  if (input.lines.length < 2) throw new LedgerError('unbalanced', 'a posting needs at least two lines');
  let sum = 0;
  for (const l of input.lines) {
    if (!Number.isSafeInteger(l.amountMicroUsd)) throw new LedgerError('invalid', `amount ${l.amountMicroUsd} is not an integer of micro-USD`);
    sum += l.amountMicroUsd;
  }
  if (sum !== 0) throw new LedgerError('unbalanced', `posting lines sum to ${sum}, not 0`);
}

function checkCost(costMicroUsd: number): void {
  if (!Number.isSafeInteger(costMicroUsd) || costMicroUsd < 0) throw new LedgerError('invalid', 'cost must be a non-negative integer');
}

/**
 * The settle function's item: the request row in column names, its cost and latency bucket. Written out in full (no
 * spreads). Stored text is capped as on SQLite (../text-caps.ts); unresolved model names share one rollup row.
 */
function settleItem(requestId: string, cost: number, r: RequestRow): object {
  return {
    id: requestId, cost, key_id: r.keyId, account_id: r.accountId, model: capText(r.model, MAX_MODEL_CHARS),
    model_served: capOptional(r.modelServed, MAX_MODEL_CHARS), provider: capOptional(r.provider, MAX_ID_CHARS),
    upstream_model: capOptional(r.upstreamModel, MAX_MODEL_CHARS), api: r.api ?? 'chat', stream: r.stream, status: capText(r.status, MAX_ID_CHARS), http_status: r.httpStatus,
    prompt_tokens: r.promptTokens ?? 0, cache_hit_tokens: r.cacheHitTokens ?? 0, cache_miss_tokens: r.cacheMissTokens ?? 0,
    completion_tokens: r.completionTokens ?? 0, reasoning_tokens: r.reasoningTokens ?? 0, cache_write_tokens: r.cacheWriteTokens ?? 0,
    quote_micro_usd: r.quoteMicroUsd ?? 0, price_tier: r.priceTier ?? null, usage_estimated: r.usageEstimated ?? false,
    upstream_request_id: capOptional(r.upstreamRequestId, MAX_ID_CHARS), started_at: r.startedAt,
    // Whole milliseconds: SQLite stores a fraction in an INTEGER column, PostgreSQL's integer refuses it.
    first_token_ms: r.firstTokenMs == null ? null : Math.round(r.firstTokenMs), duration_ms: Math.round(r.durationMs),
    error: capOptional(r.error, MAX_ERROR_CHARS), bucket: bucketIndex(r.durationMs), rollup_model: r.modelUnresolved ? UNRESOLVED_MODEL : null,
  };
}
