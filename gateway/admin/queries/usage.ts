/**
 * Usage charts from the rollups (never the raw log): spend, tokens and requests per time bucket and per group
 * (model, provider, key or account), plus p50/p95 latency merged from the rollups' latency-bucket columns.
 * Aggregated in SQL: one row per (time bucket, group) comes back, not one per rollup row. Day-sized buckets
 * (30d) read `usage_daily`; hour multiples (24h, 7d) read `usage_hourly`.
 */
import { all, runQuery, type Answer, type Db, type Query } from '../../ledger/reader';
import { LATENCY_COLUMNS, quantileFromBuckets } from '../../ledger/latency-buckets';
import type { Usage, UsageGroup } from '../contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SPAN: Record<Usage['range'], { bucketMs: number; count: number }> = {
  '24h': { bucketMs: HOUR, count: 24 },
  '7d': { bucketMs: 6 * HOUR, count: 28 },
  '30d': { bucketMs: DAY, count: 30 },
};
/** Charts stay readable: the biggest groups by spend, the rest folded into "other". */
const MAX_GROUPS = 8;

interface Row { i: number; g: string | number; label: string | null; requests: number; errors: number; promptTokens: number; cacheHitTokens: number; completionTokens: number; costMicroUsd: number; [lat: `lat_b${number}`]: number }

const GROUP_SQL: Record<Usage['groupBy'], { g: string; label: string; join: string }> = {
  model: { g: 'model', label: 'x.g', join: '' },
  // Rollups are keyed by model: provider groups are model groups mapped through the catalog (usageSeries' providerOf).
  provider: { g: 'model', label: 'x.g', join: '' },
  key: { g: 'key_id', label: "COALESCE(k.name || ' (' || k.prefix || '…)', k.prefix || '…')", join: 'LEFT JOIN api_keys k ON k.id = x.g' },
  account: { g: 'account_id', label: 'a.name', join: 'LEFT JOIN accounts a ON a.id = x.g' },
};

/** The usage series for a range and grouping, with buckets ending at the current one. `providerOf` maps a model id to its provider. */
export function usageSeries<D extends Db>(db: D, range: Usage['range'], groupBy: Usage['groupBy'], nowMs: number,
  providerOf: (model: string) => { id: string; label: string } = (m) => ({ id: m, label: m })): Answer<D, Usage> {
  return runQuery(db, () => series(range, groupBy, nowMs, providerOf));
}

function* series(range: Usage['range'], groupBy: Usage['groupBy'], nowMs: number, providerOf: (model: string) => { id: string; label: string }): Query<Usage> {
  const { bucketMs, count } = SPAN[range];
  const start = nowMs - (nowMs % bucketMs) - (count - 1) * bucketMs;
  const buckets = Array.from({ length: count }, (_, i) => start + i * bucketMs);
  const gs = GROUP_SQL[groupBy];
  // Buckets are whole UTC days or whole hours, and `start` is aligned to one, so each rollup row falls in exactly one.
  // Integer division in both dialects (the operands are integers); the aliases are quoted so PostgreSQL keeps their case.
  const [table, t] = bucketMs % DAY === 0 ? ['usage_daily', 'day'] : ['usage_hourly', 'hour'];
  const rows = yield* all<Row>(`SELECT x.*, ${gs.label} AS label FROM (
      SELECT CAST((${t} - ?) / ? AS INTEGER) AS i, ${gs.g} AS g, SUM(requests) AS requests, SUM(errors) AS errors, SUM(prompt_tokens) AS "promptTokens",
        SUM(cache_hit_tokens) AS "cacheHitTokens", SUM(completion_tokens) AS "completionTokens", SUM(cost_micro_usd) AS "costMicroUsd",
        ${LATENCY_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}
      FROM ${table} WHERE ${t} >= ? AND ${t} < ? GROUP BY 1, 2) x ${gs.join}`, [start, bucketMs, start, start + count * bucketMs]);

  const groups = new Map<string, UsageGroup>();
  const latency = new Array(LATENCY_COLUMNS.length).fill(0) as number[];
  const totals = { requests: 0, errors: 0, errorRate: 0, costMicroUsd: 0, promptTokens: 0, cacheHitTokens: 0, completionTokens: 0, p50Ms: null as number | null, p95Ms: null as number | null };
  for (const r of rows) {
    const i = r.i;
    if (i < 0 || i >= count) continue;
    const p = groupBy === 'provider' ? providerOf(String(r.g)) : null;
    const id = p ? p.id : String(r.g);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = emptyGroup(id, p ? p.label : r.label ?? id, count)));
    const tokens = r.promptTokens + r.completionTokens;
    g.costMicroUsd[i] += r.costMicroUsd; g.tokens[i] += tokens; g.requests[i] += r.requests;
    g.totalCostMicroUsd += r.costMicroUsd; g.totalTokens += tokens; g.totalRequests += r.requests;
    totals.requests += r.requests; totals.errors += r.errors; totals.costMicroUsd += r.costMicroUsd;
    totals.promptTokens += r.promptTokens; totals.cacheHitTokens += r.cacheHitTokens; totals.completionTokens += r.completionTokens;
    for (let j = 0; j < latency.length; j++) latency[j] += r[LATENCY_COLUMNS[j] as `lat_b${number}`];
  }
  totals.errorRate = totals.requests ? totals.errors / totals.requests : 0;
  totals.p50Ms = quantileFromBuckets(latency, 0.5);
  totals.p95Ms = quantileFromBuckets(latency, 0.95);
  return { range, groupBy, buckets, bucketMs, groups: foldSmallGroups([...groups.values()], count), totals };
}

function emptyGroup(id: string, label: string, n: number): UsageGroup {
  return { id, label, costMicroUsd: new Array(n).fill(0), tokens: new Array(n).fill(0), requests: new Array(n).fill(0), totalCostMicroUsd: 0, totalTokens: 0, totalRequests: 0 };
}

function foldSmallGroups(all: UsageGroup[], n: number): UsageGroup[] {
  all.sort((a, b) => b.totalCostMicroUsd - a.totalCostMicroUsd || b.totalRequests - a.totalRequests || a.label.localeCompare(b.label));
  if (all.length <= MAX_GROUPS) return all;
  const other = emptyGroup('__other', `other (${all.length - MAX_GROUPS + 1})`, n);
  for (const g of all.slice(MAX_GROUPS - 1)) {
    for (let i = 0; i < n; i++) { other.costMicroUsd[i] += g.costMicroUsd[i]; other.tokens[i] += g.tokens[i]; other.requests[i] += g.requests[i]; }
    other.totalCostMicroUsd += g.totalCostMicroUsd; other.totalTokens += g.totalTokens; other.totalRequests += g.totalRequests;
  }
  return [...all.slice(0, MAX_GROUPS - 1), other];
}
