/**
 * The usage rollups the charts read (admin/queries/usage.ts): `usage_hourly` and `usage_daily`, one row per
 * (period, account, key, model), written in the same transaction as the request rows they count.
 * Requests are first summed in memory (RollupBatch), then each touched row gets one upsert: a batch of settled
 * requests that share a key and model costs two upserts, not two per request.
 * Latency is counted in integer bucket columns (`lat_b*`, ledger/latency-buckets.ts), so there is no
 * read-modify-write of a JSON array and SQL can SUM the buckets.
 *
 * Usage (Ledger): `const rollups = prepareRollups(sqlite)` once; per transaction `const b = new RollupBatch()`,
 * `b.add(row)` for each inserted request row (cost = the charged cost), then `b.write(rollups)`.
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

const METRICS = ['requests', 'errors', 'prompt_tokens', 'cache_hit_tokens', 'completion_tokens', 'reasoning_tokens', 'cost_micro_usd', 'duration_ms_sum'];
/** One rollup row being summed: its key (period start, account, key, model) and its counts (METRICS, then buckets). */
interface Sums { key: [number, number, string, string]; counts: number[] }

/** The upsert SQL for one rollup table (`usage_hourly` keyed by `hour`, `usage_daily` keyed by `day`); positional. */
export function rollupUpsertSql(table: 'usage_hourly' | 'usage_daily', timeColumn: 'hour' | 'day'): string {
  const counted = [...METRICS, ...LATENCY_COLUMNS];
  return `INSERT INTO ${table} (${timeColumn}, account_id, key_id, model, ${counted.join(', ')})
    VALUES (?, ?, ?, ?, ${counted.map(() => '?').join(', ')})
    ON CONFLICT (${timeColumn}, account_id, key_id, model) DO UPDATE SET ${counted.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
}

export function prepareRollups(sqlite: Sqlite): RollupStatements {
  return { hourly: sqlite.prepare(rollupUpsertSql('usage_hourly', 'hour')), daily: sqlite.prepare(rollupUpsertSql('usage_daily', 'day')) };
}

/** Request rows summed per rollup row, to be written with one upsert per touched row. */
export class RollupBatch {
  private readonly hourly = new Map<string, Sums>();
  private readonly daily = new Map<string, Sums>();

  /** Counts one request row. Rows without a key or account are not rolled up. */
  add(r: RollupRow): void {
    const { accountId, keyId } = r;
    if (accountId == null || keyId == null) return;
    const bucket = bucketIndex(r.durationMs);
    count(this.hourly, [r.startedAt - (r.startedAt % HOUR), accountId, keyId, r.model], r, bucket);
    count(this.daily, [r.startedAt - (r.startedAt % DAY), accountId, keyId, r.model], r, bucket);
  }

  /** Upserts every touched rollup row; call inside the transaction that inserted the request rows. */
  write(s: RollupStatements): void {
    for (const v of this.hourly.values()) s.hourly.run(...v.key, ...v.counts);
    for (const v of this.daily.values()) s.daily.run(...v.key, ...v.counts);
  }
}

/** Adds a request to the rollup row `key` (period start, account, key, model); counts in METRICS order, then buckets. */
function count(sums: Map<string, Sums>, key: Sums['key'], r: RollupRow, bucket: number): void {
  const id = key.join('\u0000');
  let s = sums.get(id);
  if (!s) {
    s = { key, counts: new Array<number>(METRICS.length + LATENCY_COLUMNS.length).fill(0) };
    sums.set(id, s);
  }
  const c = s.counts;
  c[0] += 1;
  if (r.status !== 'ok') c[1] += 1;
  c[2] += r.promptTokens;
  c[3] += r.cacheHitTokens;
  c[4] += r.completionTokens;
  c[5] += r.reasoningTokens;
  c[6] += r.costMicroUsd;
  c[7] += r.durationMs;
  c[METRICS.length + bucket] += 1;
}

/** Adds one request to its hourly and daily rollup rows. */
export function writeRollups(s: RollupStatements, r: RollupRow): void {
  const batch = new RollupBatch();
  batch.add(r);
  batch.write(s);
}
