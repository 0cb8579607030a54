/**
 * Settlement of a batch of requests in one transaction: each request's hold is released, its cost charged
 * (never past its hold: the excess is the row's shortfall), its request row written, and the usage posting made — with one
 * statement per batch (or per touched account, key and rollup row) instead of a dozen per request. The
 * serving process settles everything its group-commit turn collected this way; a single settle is a batch of one.
 *
 * Exactly once: a request id whose row already exists (or that appears twice in a batch) is reported as a
 * duplicate and changes nothing. Requests are settled in batch order, so each sees the account as the ones
 * before it left it.
 */
import type { Sqlite } from './db';
import { ChunkedInsert } from './chunked-insert';
import { prepareRollups, RollupBatch, type RollupStatements } from './rollups';
import type { RequestRow, SettleResult } from './ledger';
import { ADD_PERIOD_SPEND_SQL, periodParams } from './budgets';
import type { PeriodClock } from '../keys/periods';
import { capOptional, capText, MAX_ERROR_CHARS, MAX_ID_CHARS, MAX_MODEL_CHARS, UNRESOLVED_MODEL } from './text-caps';

export interface SettleItem { requestId: string; costMicroUsd: number; row: RequestRow }

/** What settling needs of a hold (a row of `holds`, or one of the hold book's not written yet). */
export interface HoldRow { requestId: string; accountId: number; keyId: string; amountMicroUsd: number }
/** An account's running state through the batch: available credit now, and the totals to write back. */
interface AccountRun { available: number; released: number; charged: number }
interface KeyRun { released: number; charged: number }

const REQUEST_COLUMNS = ['id', 'key_id', 'account_id', 'model', 'model_served', 'provider', 'stream', 'status', 'http_status', 'prompt_tokens',
  'cache_hit_tokens', 'cache_miss_tokens', 'completion_tokens', 'reasoning_tokens', 'cost_micro_usd', 'quote_micro_usd', 'price_tier',
  'usage_estimated', 'upstream_request_id', 'started_at', 'first_token_ms', 'duration_ms', 'error', 'api', 'upstream_model', 'cache_write_tokens',
  'shortfall_micro_usd'];

const NO_HOLDS: ReadonlyMap<string, HoldRow> = new Map();

export class Settlement {
  private readonly s;
  private readonly rollups: RollupStatements;
  private readonly requests: ChunkedInsert;
  private readonly postings: ChunkedInsert;
  private readonly lines: ChunkedInsert;
  /** Available credit of the accounts the hold book read this turn, as stored after its drain (apply's argument). */
  private knownAvailable?: ReadonlyMap<number, number>;

  constructor(sqlite: Sqlite, private readonly revenueAccountId: number, private readonly storedAvailable: (accountId: number) => number | undefined,
    private readonly now: () => number, private readonly periods: PeriodClock) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      existing: p('SELECT id FROM requests WHERE id IN (SELECT value FROM json_each(?))').pluck(),
      holds: p(`SELECT request_id AS requestId, account_id AS accountId, key_id AS keyId, amount_micro_usd AS amountMicroUsd
        FROM holds WHERE request_id IN (SELECT value FROM json_each(?))`),
      deleteHolds: p('DELETE FROM holds WHERE request_id IN (SELECT value FROM json_each(?))'),
      // The charge also counts toward the current period of the account's and the key's budgets (budgets.ts).
      settleAccount: p(`UPDATE accounts SET held_micro_usd = held_micro_usd - @released, balance_micro_usd = balance_micro_usd - @charged,
        ${ADD_PERIOD_SPEND_SQL} WHERE id = @id`),
      settleKey: p(`UPDATE api_keys SET held_micro_usd = held_micro_usd - @released, spent_micro_usd = spent_micro_usd + @charged,
        ${ADD_PERIOD_SPEND_SQL} WHERE id = @id`),
      addBalance: p('UPDATE accounts SET balance_micro_usd = balance_micro_usd + ? WHERE id = ?'),
    };
    this.rollups = prepareRollups(sqlite);
    this.requests = new ChunkedInsert(sqlite, `INSERT INTO requests (${REQUEST_COLUMNS.join(', ')})`, REQUEST_COLUMNS.length);
    this.postings = new ChunkedInsert(sqlite, 'INSERT INTO journal_postings (kind, idempotency_key, note, created_at)', 4, 'RETURNING id, idempotency_key AS idempotencyKey');
    this.lines = new ChunkedInsert(sqlite, 'INSERT INTO journal_lines (posting_id, account_id, amount_micro_usd)', 3);
  }

  /**
   * Settles the batch; call inside a write transaction. Results are in batch order. `unwritten` holds (taken this
   * turn, no row yet) are released from memory: each one this batch settles is removed from the map.
   */
  apply(items: readonly SettleItem[], unwritten: Map<string, HoldRow> = new Map(), knownAvailable?: ReadonlyMap<number, number>): SettleResult[] {
    const ids = JSON.stringify(items.map((i) => i.requestId));
    const seen = new Set<string>(this.s.existing.all(ids) as string[]);
    // Holds taken this turn are in `unwritten`; only a batch with others (earlier turns') reads the holds table.
    let written = false;
    for (let i = 0; i < items.length && !written; i++) written = !unwritten.has(items[i].requestId);
    const holds = written ? new Map((this.s.holds.all(ids) as HoldRow[]).map((h) => [h.requestId, h])) : NO_HOLDS;
    this.knownAvailable = knownAvailable;
    const accounts = new Map<number, AccountRun>();
    const keys = new Map<string, KeyRun>();
    const rows: unknown[] = [];
    const released: string[] = [];
    const usage: Array<{ requestId: string; model: string; accountId: number; charged: number }> = [];
    const rollups = new RollupBatch();
    const results: SettleResult[] = [];

    for (const { requestId, costMicroUsd, row: r } of items) {
      if (seen.has(requestId)) { results.push({ chargedMicroUsd: 0, duplicate: true, shortfallMicroUsd: 0 }); continue; }
      seen.add(requestId);
      const held = unwritten.get(requestId);
      const hold = held ?? holds.get(requestId);
      // Stored text is capped (text-caps.ts): much of it is the client's or an upstream's choice.
      const model = capText(r.model, MAX_MODEL_CHARS);
      let charged = 0;
      if (hold) {
        const a = this.accountRun(accounts, hold.accountId);
        // Never charge past the hold: it is the quote the key's spend limit and the account's credit allowed, so the
        // limit holds at settlement too. (Nor past what the account can cover once the hold is released, should a
        // broken invariant ever leave it short.) What the request cost above that is the operator's loss: the
        // shortfall column, never free text.
        a.available += hold.amountMicroUsd;
        charged = Math.min(costMicroUsd, hold.amountMicroUsd, Math.max(0, a.available));
        a.available -= charged;
        a.released += hold.amountMicroUsd;
        a.charged += charged;
        const k = keys.get(hold.keyId) ?? { released: 0, charged: 0 };
        k.released += hold.amountMicroUsd;
        k.charged += charged;
        keys.set(hold.keyId, k);
        if (held) unwritten.delete(requestId); else released.push(requestId);
        if (charged > 0) usage.push({ requestId, model, accountId: hold.accountId, charged });
      }
      // A cost with no hold behind it (there should be none) is a loss too.
      const shortfall = costMicroUsd - charged;
      const promptTokens = r.promptTokens ?? 0, cacheHitTokens = r.cacheHitTokens ?? 0;
      const completionTokens = r.completionTokens ?? 0, reasoningTokens = r.reasoningTokens ?? 0;
      rows.push(requestId, r.keyId, r.accountId, model, capOptional(r.modelServed, MAX_MODEL_CHARS), capOptional(r.provider, MAX_ID_CHARS), r.stream ? 1 : 0,
        capText(r.status, MAX_ID_CHARS), r.httpStatus, promptTokens, cacheHitTokens, r.cacheMissTokens ?? 0, completionTokens, reasoningTokens, charged,
        r.quoteMicroUsd ?? 0, r.priceTier ?? null, r.usageEstimated ? 1 : 0, capOptional(r.upstreamRequestId, MAX_ID_CHARS), r.startedAt, r.firstTokenMs ?? null,
        r.durationMs, capOptional(r.error, MAX_ERROR_CHARS), r.api ?? 'chat', capOptional(r.upstreamModel, MAX_MODEL_CHARS), r.cacheWriteTokens ?? 0, shortfall);
      // A model name the gateway never resolved is the client's text: all such requests share one rollup row.
      rollups.add({ keyId: r.keyId, accountId: r.accountId, model: r.modelUnresolved ? UNRESOLVED_MODEL : model, status: r.status, startedAt: r.startedAt, durationMs: r.durationMs,
        promptTokens, cacheHitTokens, completionTokens, reasoningTokens, costMicroUsd: charged });
      results.push({ chargedMicroUsd: charged, duplicate: false, shortfallMicroUsd: shortfall });
    }

    this.requests.run(rows);
    rollups.write(this.rollups);
    if (released.length) this.s.deleteHolds.run(JSON.stringify(released));
    if (accounts.size || keys.size) {
      const { day, week, month } = periodParams(this.periods, this.now());
      for (const [id, a] of accounts) this.s.settleAccount.run({ released: a.released, charged: a.charged, id, day, week, month });
      for (const [id, k] of keys) this.s.settleKey.run({ released: k.released, charged: k.charged, id, day, week, month });
    }
    this.postUsage(usage);
    return results;
  }

  private accountRun(accounts: Map<number, AccountRun>, id: number): AccountRun {
    let a = accounts.get(id);
    if (!a) {
      a = { available: this.knownAvailable?.get(id) ?? this.storedAvailable(id) ?? 0, released: 0, charged: 0 };
      accounts.set(id, a);
    }
    return a;
  }

  /**
   * One usage posting per charged request: −charged on the customer account, +charged on @revenue (balanced by
   * construction). The customers' cached balances were lowered with their hold releases in apply().
   */
  private postUsage(usage: ReadonlyArray<{ requestId: string; model: string; accountId: number; charged: number }>): void {
    if (!usage.length) return;
    const now = this.now();
    const postings = usage.flatMap((u) => ['usage', `req:${u.requestId}`, u.model, now]);
    const ids = new Map((this.postings.run(postings) as Array<{ id: number; idempotencyKey: string }>).map((p) => [p.idempotencyKey, p.id]));
    let revenue = 0;
    const lines: unknown[] = [];
    for (const u of usage) {
      const postingId = ids.get(`req:${u.requestId}`);
      lines.push(postingId, u.accountId, -u.charged, postingId, this.revenueAccountId, u.charged);
      revenue += u.charged;
    }
    this.lines.run(lines);
    this.s.addBalance.run(revenue, this.revenueAccountId);
  }
}
