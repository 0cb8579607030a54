/**
 * The usage rollups the charts read (admin/queries/usage.ts): one upsert into `usage_hourly` and one into
 * `usage_daily` per request row that has a key and an account, in the same transaction as the row.
 * Latency is counted in integer bucket columns (`lat_b*`, ledger/latency-buckets.ts): the upsert adds 1 to the
 * request's bucket, so there is no read-modify-write of a JSON array and SQL can SUM the buckets.
 *
 * Usage (Ledger): `const rollups = prepareRollups(sqlite)` once; then, in the transaction that inserts the request
 * row, `writeRollups(rollups, row)` with the row as inserted (cost = the charged cost).
 */
import type Database from 'better-sqlite3';
import type { Sqlite } from './db';
import { bucketIndex, LATENCY_COLUMNS } from './latency-buckets';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What a rollup needs of a request row (the Ledger's insert row has all of it). */
export interface RollupRow {
  keyId: string | null;
  accountId: number | null;
  model: string;
  status: string;
  startedAt: number;
  durationMs: number;
  promptTokens: number;
  cacheHitTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  costMicroUsd: number;
}

export interface RollupStatements { hourly: Database.Statement; daily: Database.Statement }

const METRICS = ['errors', 'prompt_tokens', 'cache_hit_tokens', 'completion_tokens', 'reasoning_tokens', 'cost_micro_usd', 'duration_ms_sum'];
const PARAMS = ['@errors', '@promptTokens', '@cacheHitTokens', '@completionTokens', '@reasoningTokens', '@costMicroUsd', '@durationMs'];

/** The upsert SQL for one rollup table (`usage_hourly` keyed by `hour`, `usage_daily` keyed by `day`). */
export function rollupUpsertSql(table: 'usage_hourly' | 'usage_daily', timeColumn: 'hour' | 'day'): string {
  const add = [...METRICS, ...LATENCY_COLUMNS].map((c) => `${c} = ${c} + excluded.${c}`);
  return `INSERT INTO ${table} (${timeColumn}, account_id, key_id, model, requests, ${METRICS.join(', ')}, ${LATENCY_COLUMNS.join(', ')})
    VALUES (@t, @accountId, @keyId, @model, 1, ${PARAMS.join(', ')}, ${LATENCY_COLUMNS.map((_, i) => `@b = ${i}`).join(', ')})
    ON CONFLICT (${timeColumn}, account_id, key_id, model) DO UPDATE SET requests = requests + 1, ${add.join(', ')}`;
}

export function prepareRollups(sqlite: Sqlite): RollupStatements {
  return { hourly: sqlite.prepare(rollupUpsertSql('usage_hourly', 'hour')), daily: sqlite.prepare(rollupUpsertSql('usage_daily', 'day')) };
}

/** Adds one request to its hourly and daily rollup rows. Rows without a key or account are not rolled up. */
export function writeRollups(s: RollupStatements, r: RollupRow): void {
  if (r.accountId == null || r.keyId == null) return;
  const p = {
    t: r.startedAt - (r.startedAt % HOUR), accountId: r.accountId, keyId: r.keyId, model: r.model, errors: r.status === 'ok' ? 0 : 1,
    promptTokens: r.promptTokens, cacheHitTokens: r.cacheHitTokens, completionTokens: r.completionTokens, reasoningTokens: r.reasoningTokens,
    costMicroUsd: r.costMicroUsd, durationMs: r.durationMs, b: bucketIndex(r.durationMs),
  };
  s.hourly.run(p);
  p.t = r.startedAt - (r.startedAt % DAY);
  s.daily.run(p);
}
