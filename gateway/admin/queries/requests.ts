/**
 * The request log for the window: filtered, cursor-paged (newest first), a detail view and CSV export.
 * Paging is keyset on (started_at, id) so page N costs the same as page 1 at 100k+ rows. Every filter is served by
 * one of the (column, started_at) indexes in ledger/schema.ts: key, model, status (non-'ok' rows only; 'ok' is
 * ~all rows, so newest-first on started_at finds them at once), time range; an account through its keys. The API filter
 * (three values, mixed in every log) walks the started_at index newest first.
 */
import { all, dialectSql, get, runQuery, type Answer, type Db, type Dialect, type Query } from '../../ledger/reader';
import type { RequestSummary, RequestPage, CsvExport } from '../contract';

export interface RequestFilter { keyId?: string; accountId?: number; model?: string; status?: string; api?: string; fromMs?: number; toMs?: number }

const COLUMNS = `r.id, r.key_id AS "keyId", k.prefix AS "keyPrefix", r.account_id AS "accountId", r.model, r.status, r.http_status AS "httpStatus", r.stream, r.api,
  r.prompt_tokens AS "promptTokens", r.completion_tokens AS "completionTokens", r.cost_micro_usd AS "costMicroUsd", r.started_at AS "startedAt", r.duration_ms AS "durationMs",
  r.shortfall_micro_usd AS "shortfallMicroUsd"`;

function where(f: RequestFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.keyId) { parts.push('r.key_id = ?'); params.push(f.keyId); }
  if (f.accountId) { parts.push('r.account_id = ?'); params.push(f.accountId); }
  if (f.model) { parts.push('r.model = ?'); params.push(f.model); }
  if (f.status) {
    parts.push('r.status = ?'); params.push(f.status);
    // Lets SQLite use the partial index requests_status_idx (WHERE status <> 'ok').
    if (f.status !== 'ok') parts.push("r.status <> 'ok'");
  }
  if (f.api) { parts.push('r.api = ?'); params.push(f.api); }
  if (f.fromMs != null) { parts.push('r.started_at >= ?'); params.push(f.fromMs); }
  if (f.toMs != null) { parts.push('r.started_at < ?'); params.push(f.toMs); }
  return { sql: parts.length ? parts.join(' AND ') : '1 = 1', params };
}

/** Opaque cursor: the (startedAt, id) of the last row of the previous page. */
export function encodeCursor(startedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(v) && Number.isSafeInteger(v[0]) && typeof v[1] === 'string' ? [v[0], v[1]] : null;
  } catch { return null; }
}

type Row = Omit<RequestSummary, 'stream'> & { stream: number };
const toSummary = (r: Row): RequestSummary => ({ ...r, stream: !!r.stream });

/** An account's requests are found through its keys' index (a key never changes account); above this many keys, by time. */
const MAX_KEY_BRANCHES = 64;

/** One page of requests, newest first. */
export function listRequests<D extends Db>(db: D, f: RequestFilter & { cursor?: string; limit?: number }): Answer<D, RequestPage> {
  return runQuery(db, (d) => requestPage(d, f));
}

function* requestPage(d: Dialect, f: RequestFilter & { cursor?: string; limit?: number }): Query<RequestPage> {
  const limit = f.limit ?? 50;
  const c = f.cursor ? decodeCursor(f.cursor) : null;
  const page = (g: RequestFilter): { sql: string; params: unknown[] } => {
    const w = where(g);
    let sql = w.sql;
    const params = [...w.params];
    if (c) { sql += ' AND r.started_at <= ? AND (r.started_at < ? OR r.id < ?)'; params.push(c[0], c[0], c[1]); }
    return { sql: `SELECT ${COLUMNS} FROM requests r LEFT JOIN api_keys k ON k.id = r.key_id WHERE ${sql} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`, params: [...params, limit + 1] };
  };
  let q = page(f);
  // No account index: an account's page is one newest-first page per key of the account (key index), merged —
  // unless a model or a non-'ok' status filter already narrows the scan through its own index.
  if (f.accountId && !f.keyId && !f.model && (!f.status || f.status === 'ok')) {
    const keys = (yield* all<{ id: string }>('SELECT id FROM api_keys WHERE account_id = ?', [f.accountId])).map((k) => k.id);
    if (keys.length > 0 && keys.length <= MAX_KEY_BRANCHES) {
      const parts = keys.map((keyId) => page({ ...f, keyId }));
      // PostgreSQL wants every derived table named; SQLite accepts the names too.
      q = { sql: `SELECT * FROM (${parts.map((p, i) => `SELECT * FROM (${p.sql}) k${i}`).join(' UNION ALL ')}) u ORDER BY "startedAt" DESC, id DESC LIMIT ?`,
        params: [...parts.flatMap((p) => p.params), limit + 1] };
    }
  }
  const rows = (yield* all<Row>(q.sql, q.params)).map(toSummary);
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return { rows, nextCursor: more && last ? encodeCursor(last.startedAt, last.id) : null, filterOptions: yield* filterOptions() };
}

/** `SELECT DISTINCT col` by repeated index seeks (loose index scan): a handful of lookups however long the log is. */
const distinctSql = (col: string, cond: string) => `WITH RECURSIVE s(v) AS (SELECT MIN(${col}) FROM requests WHERE ${cond} UNION ALL
  SELECT (SELECT MIN(${col}) FROM requests WHERE ${cond} AND ${col} > s.v) FROM s WHERE s.v IS NOT NULL) SELECT v FROM s WHERE v IS NOT NULL LIMIT ?`;
/** Model names are partly the clients' text (refused unknown models): the dropdown lists at most this many. */
const MAX_FILTER_OPTIONS = 200;

/** Distinct models and statuses for the filter dropdowns, from the log's model and (non-'ok') status indexes. */
function* filterOptions(): Query<RequestPage['filterOptions']> {
  const models = (yield* all<{ v: string }>(distinctSql('model', '1 = 1'), [MAX_FILTER_OPTIONS])).map((r) => r.v);
  const statuses = (yield* all<{ v: string }>(distinctSql('status', "status <> 'ok'"), [MAX_FILTER_OPTIONS])).map((r) => r.v);
  return { models, statuses: Array.from(new Set(['ok', ...statuses])).sort() };
}

/**
 * What requests cost above their holds, absorbed by the operator (the charge is capped at the hold): the total and
 * how many requests. Zero while the quote bounds every cost; read through the shortfall rows' own partial index.
 */
export function operatorLosses<D extends Db>(db: D): Answer<D, { shortfallMicroUsd: number; requests: number }> {
  return runQuery(db, function* (d) {
    return (yield* get<{ shortfallMicroUsd: number; requests: number }>(`SELECT COALESCE(SUM(shortfall_micro_usd), 0) AS "shortfallMicroUsd", COUNT(*) AS requests
      FROM requests${dialectSql.indexedBy(d, 'requests_shortfall_idx')} WHERE shortfall_micro_usd > 0`))!;
  });
}

/** The full request row (for the detail panel), or undefined. */
export function requestRow<D extends Db>(db: D, id: string): Answer<D, RequestDetailRow | undefined> {
  return runQuery(db, () => get<RequestDetailRow>(`SELECT ${COLUMNS}, a.name AS "accountName", r.model_served AS "modelServed", r.provider, r.cache_hit_tokens AS "cacheHitTokens",
    r.cache_miss_tokens AS "cacheMissTokens", r.reasoning_tokens AS "reasoningTokens", r.quote_micro_usd AS "quoteMicroUsd", r.price_tier AS "priceTier",
    r.usage_estimated AS "usageEstimated", r.upstream_request_id AS "upstreamRequestId", r.first_token_ms AS "firstTokenMs", r.error
    FROM requests r LEFT JOIN api_keys k ON k.id = r.key_id LEFT JOIN accounts a ON a.id = r.account_id WHERE r.id = ?`, [id]));
}

type RequestDetailRow = Row & { accountName: string | null; modelServed: string | null; provider: string | null; cacheHitTokens: number; cacheMissTokens: number;
  reasoningTokens: number; quoteMicroUsd: number; priceTier: string | null; usageEstimated: number; upstreamRequestId: string | null;
  firstTokenMs: number | null; error: string | null };

const CSV_HEADER = ['id', 'startedAt', 'keyId', 'keyPrefix', 'accountId', 'model', 'status', 'httpStatus', 'stream', 'api', 'promptTokens', 'completionTokens', 'costMicroUsd', 'costUsd', 'durationMs'];

/**
 * One CSV cell, quoted when needed. A cell a spreadsheet would read as a formula (starting with =, +, -, @, tab or
 * CR) is defused with a leading ' and quoted, unless it is a plain number: "-1.5" stays a number, while
 * "-1+HYPERLINK(...)" is a formula (a model name is client-chosen text).
 */
export function csvCell(v: unknown): string {
  const s = v == null ? '' : String(v);
  const formula = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s);
  const safe = formula ? `'${s}` : s;
  return formula || /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** All matching requests as CSV (newest first), capped at maxRows. */
export function exportCsv<D extends Db>(db: D, f: RequestFilter & { maxRows?: number }, nowMs: number): Answer<D, CsvExport> {
  return runQuery(db, function* () {
    const max = f.maxRows ?? 100_000;
    const w = where(f);
    const rows = yield* all<Row>(`SELECT ${COLUMNS} FROM requests r LEFT JOIN api_keys k ON k.id = r.key_id WHERE ${w.sql} ORDER BY r.started_at DESC, r.id DESC LIMIT ?`,
      [...w.params, max + 1]);
    const truncated = rows.length > max;
    if (truncated) rows.length = max;
    const lines = [CSV_HEADER.join(','), ...rows.map((r) => [r.id, new Date(r.startedAt).toISOString(), r.keyId, r.keyPrefix, r.accountId, r.model, r.status, r.httpStatus,
      r.stream ? 1 : 0, r.api, r.promptTokens, r.completionTokens, r.costMicroUsd, (r.costMicroUsd / 1e6).toFixed(6), r.durationMs].map(csvCell).join(','))];
    const stamp = new Date(nowMs).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return { filename: `gogogo-requests-${stamp}.csv`, csv: lines.join('\n') + '\n', rows: rows.length, truncated };
  });
}
