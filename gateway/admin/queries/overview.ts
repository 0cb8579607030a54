/**
 * Small aggregate queries behind the Overview screen and the account list. All use indexed ranges. Each runs on a
 * raw SQLite handle (synchronous answer) or on a Reader of either database (ledger/reader.ts).
 */
import { all, get, run, runQuery, type Answer, type Db } from '../../ledger/reader';
import type { AlertView } from '../contract';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Start of the current UTC day (the rollups are UTC hours and days). */
export function startOfDay(nowMs: number): number { return nowMs - (nowMs % (24 * HOUR)); }

/** micro-USD spent per account since the start of the (UTC) day, from the daily rollups. */
export function spentToday<D extends Db>(db: D, nowMs: number): Answer<D, Map<number, number>> {
  return runQuery(db, function* () {
    const rows = yield* all<{ a: number; s: number }>('SELECT account_id AS a, SUM(cost_micro_usd) AS s FROM usage_daily WHERE day >= ? GROUP BY account_id', [startOfDay(nowMs)]);
    return new Map(rows.map((r) => [r.a, r.s]));
  });
}

/** Accounts' low-balance alert thresholds (micro-USD), where set. */
export function lowBalanceThresholds<D extends Db>(db: D): Answer<D, Map<number, number>> {
  return runQuery(db, function* () {
    const rows = yield* all<{ id: number; low: number }>('SELECT id, low_balance_micro_usd AS low FROM accounts WHERE low_balance_micro_usd IS NOT NULL');
    return new Map(rows.map((r) => [r.id, r.low]));
  });
}

/** Requests in the last minute, and requests/errors in the last hour (from the request log's time index). */
export function traffic<D extends Db>(db: D, nowMs: number): Answer<D, { perMinute: number; lastHour: number; errorsLastHour: number }> {
  return runQuery(db, function* () {
    const m = (yield* get<{ n: number }>('SELECT COUNT(*) AS n FROM requests WHERE started_at >= ?', [nowMs - MINUTE]))!;
    const h = (yield* get<{ n: number; e: number | null }>(`SELECT COUNT(*) AS n, SUM(CASE WHEN status <> 'ok' THEN 1 ELSE 0 END) AS e FROM requests
      WHERE started_at >= ?`, [nowMs - HOUR]))!;
    return { perMinute: m.n, lastHour: h.n, errorsLastHour: h.e ?? 0 };
  });
}

/** The newest alerts (acknowledged ones included, flagged). */
export function recentAlerts<D extends Db>(db: D, limit = 10): Answer<D, AlertView[]> {
  return runQuery(db, function* () {
    const rows = yield* all<AlertView & { ack: number | null }>('SELECT id, kind, message, created_at AS "createdAt", acknowledged_at AS ack FROM alerts ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map(({ ack, ...a }) => ({ ...a, acknowledged: ack != null }));
  });
}

/** Marks every alert acknowledged; returns how many were open. */
export function acknowledgeAlerts<D extends Db>(db: D, nowMs: number): Answer<D, number> {
  return runQuery(db, () => run('UPDATE alerts SET acknowledged_at = ? WHERE acknowledged_at IS NULL', [nowMs]));
}

/** The latest request outcome per provider (the upstream's health as the gateway last saw it). */
export function lastProviderStatus<D extends Db>(db: D, provider: string): Answer<D, { status: string; at: number } | null> {
  return runQuery(db, function* () {
    const r = yield* get<{ status: string; at: number }>('SELECT status, started_at AS at FROM requests WHERE provider = ? AND started_at >= ? ORDER BY started_at DESC LIMIT 1', [provider, 0]);
    return r ?? null;
  });
}

const WEEK_MS = 7 * 86_400_000;
type Health = { lastSuccessAt: number | null; lastError: { at: number; status: string; message: string | null } | null };

/**
 * An upstream's health from the request log: the newest success and the newest upstream failure in the last
 * 7 days (bounded, so a provider never used costs a short index range, not a table scan).
 */
export function providerHealth<D extends Db>(db: D, provider: string, now: number): Answer<D, Health> {
  const since = now - WEEK_MS;
  return runQuery(db, function* () {
    const ok = (yield* get<{ at: number | null }>("SELECT MAX(started_at) AS at FROM requests WHERE status = 'ok' AND provider = ? AND started_at >= ?", [provider, since]))!;
    const err = yield* get<{ at: number; status: string; message: string | null }>(`SELECT started_at AS at, status, error AS message FROM requests
      WHERE status IN ('upstream_error', 'upstream_billing', 'timeout') AND provider = ? AND started_at >= ? ORDER BY started_at DESC LIMIT 1`, [provider, since]);
    return { lastSuccessAt: ok.at ?? null, lastError: err ?? null };
  });
}

export interface JournalEntry { lineId: number; postingId: number; kind: string; note: string | null; amountMicroUsd: number; createdAt: number }

/** One page of an account's journal lines, newest first, with the line id as the paging cursor. */
export function journalPage<D extends Db>(db: D, accountId: number, limit: number, beforeLineId?: number): Answer<D, JournalEntry[]> {
  return runQuery(db, () => all<JournalEntry>(`SELECT l.id AS "lineId", p.id AS "postingId", p.kind, p.note, l.amount_micro_usd AS "amountMicroUsd",
    p.created_at AS "createdAt" FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id WHERE l.account_id = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?`,
  [accountId, beforeLineId ?? Number.MAX_SAFE_INTEGER, limit]));
}
