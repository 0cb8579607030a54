/** Small aggregate queries behind the Overview screen and the account list. All use indexed ranges. */
import type { Sqlite } from '../../ledger/db';
import type { AlertView } from '../contract';

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Start of the current UTC day (the rollups are UTC hours and days). */
export function startOfDay(nowMs: number): number { return nowMs - (nowMs % (24 * HOUR)); }

/** micro-USD spent per account since the start of the (UTC) day, from the daily rollups. */
export function spentToday(db: Sqlite, nowMs: number): Map<number, number> {
  const rows = db.prepare('SELECT account_id AS a, SUM(cost_micro_usd) AS s FROM usage_daily WHERE day >= ? GROUP BY account_id').all(startOfDay(nowMs)) as Array<{ a: number; s: number }>;
  return new Map(rows.map((r) => [r.a, r.s]));
}

/** Requests in the last minute, and requests/errors in the last hour (from the request log's time index). */
export function traffic(db: Sqlite, nowMs: number): { perMinute: number; lastHour: number; errorsLastHour: number } {
  const perMinute = db.prepare('SELECT COUNT(*) FROM requests WHERE started_at >= ?').pluck().get(nowMs - MINUTE) as number;
  const h = db.prepare("SELECT COUNT(*) AS n, SUM(status <> 'ok') AS e FROM requests WHERE started_at >= ?").get(nowMs - HOUR) as { n: number; e: number | null };
  return { perMinute, lastHour: h.n, errorsLastHour: h.e ?? 0 };
}

/** The newest alerts (acknowledged ones included, flagged). */
export function recentAlerts(db: Sqlite, limit = 10): AlertView[] {
  return (db.prepare('SELECT id, kind, message, created_at AS createdAt, acknowledged_at AS ack FROM alerts ORDER BY id DESC LIMIT ?').all(limit) as Array<AlertView & { ack: number | null }>)
    .map(({ ack, ...a }) => ({ ...a, acknowledged: ack != null }));
}

/** Marks every alert acknowledged; returns how many were open. */
export function acknowledgeAlerts(db: Sqlite, nowMs: number): number {
  return db.prepare('UPDATE alerts SET acknowledged_at = ? WHERE acknowledged_at IS NULL').run(nowMs).changes;
}

/** The latest request outcome per provider (the upstream's health as the gateway last saw it). */
export function lastProviderStatus(db: Sqlite, provider: string): { status: string; at: number } | null {
  const r = db.prepare('SELECT status, started_at AS at FROM requests WHERE provider = ? AND started_at >= ? ORDER BY started_at DESC LIMIT 1').get(provider, 0) as { status: string; at: number } | undefined;
  return r ?? null;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * An upstream's health from the request log: the newest success and the newest upstream failure in the last
 * 7 days (bounded, so a provider never used costs a short index range, not a table scan).
 */
export function providerHealth(db: Sqlite, provider: string, now: number): { lastSuccessAt: number | null; lastError: { at: number; status: string; message: string | null } | null } {
  const since = now - WEEK_MS;
  const ok = db.prepare("SELECT MAX(started_at) AS at FROM requests WHERE status = 'ok' AND provider = ? AND started_at >= ?").get(provider, since) as { at: number | null };
  const err = db.prepare(`SELECT started_at AS at, status, error AS message FROM requests WHERE status IN ('upstream_error', 'upstream_billing', 'timeout')
    AND provider = ? AND started_at >= ? ORDER BY started_at DESC LIMIT 1`).get(provider, since) as { at: number; status: string; message: string | null } | undefined;
  return { lastSuccessAt: ok.at ?? null, lastError: err ?? null };
}

/** One page of an account's journal lines, newest first, with the line id as the paging cursor. */
export function journalPage(db: Sqlite, accountId: number, limit: number, beforeLineId?: number) {
  return db.prepare(`SELECT l.id AS lineId, p.id AS postingId, p.kind, p.note, l.amount_micro_usd AS amountMicroUsd, p.created_at AS createdAt
    FROM journal_lines l JOIN journal_postings p ON p.id = l.posting_id WHERE l.account_id = ? AND l.id < ? ORDER BY l.id DESC LIMIT ?`)
    .all(accountId, beforeLineId ?? Number.MAX_SAFE_INTEGER, limit) as Array<{ lineId: number; postingId: number; kind: string; note: string | null; amountMicroUsd: number; createdAt: number }>;
}
