/**
 * Usage charts from the hourly rollups (never the raw log): spend, tokens and requests per time bucket
 * and per group (model, key or account), plus p50/p95 latency merged from the rollups' latency buckets.
 */
import type { Sqlite } from '../../ledger/db';
import { LATENCY_BUCKETS_MS, quantileFromBuckets } from '../../ledger/latency-buckets';
import type { Usage, UsageGroup } from '../contract';

const HOUR = 3_600_000;
const SPAN: Record<Usage['range'], { bucketMs: number; count: number }> = {
  '24h': { bucketMs: HOUR, count: 24 },
  '7d': { bucketMs: 6 * HOUR, count: 28 },
  '30d': { bucketMs: 24 * HOUR, count: 30 },
};
/** Charts stay readable: the biggest groups by spend, the rest folded into "other". */
const MAX_GROUPS = 8;

interface Row { hour: number; g: string; label: string | null; requests: number; errors: number; promptTokens: number; cacheHitTokens: number; completionTokens: number; costMicroUsd: number; buckets: string }

const GROUP_SQL: Record<Usage['groupBy'], { g: string; label: string; join: string }> = {
  model: { g: 'u.model', label: 'u.model', join: '' },
  key: { g: 'u.key_id', label: "COALESCE(k.name || ' (' || k.prefix || '…)', k.prefix || '…')", join: 'LEFT JOIN api_keys k ON k.id = u.key_id' },
  account: { g: 'CAST(u.account_id AS TEXT)', label: 'a.name', join: 'LEFT JOIN accounts a ON a.id = u.account_id' },
};

/** The usage series for a range and grouping, with buckets ending at the current one. */
export function usageSeries(db: Sqlite, range: Usage['range'], groupBy: Usage['groupBy'], nowMs: number): Usage {
  const { bucketMs, count } = SPAN[range];
  const start = nowMs - (nowMs % bucketMs) - (count - 1) * bucketMs;
  const buckets = Array.from({ length: count }, (_, i) => start + i * bucketMs);
  const gs = GROUP_SQL[groupBy];
  const rows = db.prepare(`SELECT u.hour, ${gs.g} AS g, ${gs.label} AS label, u.requests, u.errors, u.prompt_tokens AS promptTokens,
    u.cache_hit_tokens AS cacheHitTokens, u.completion_tokens AS completionTokens, u.cost_micro_usd AS costMicroUsd, u.latency_buckets AS buckets
    FROM usage_hourly u ${gs.join} WHERE u.hour >= ?`).all(start) as Row[];

  const groups = new Map<string, UsageGroup>();
  const latency = new Array(LATENCY_BUCKETS_MS.length).fill(0) as number[];
  const totals = { requests: 0, errors: 0, errorRate: 0, costMicroUsd: 0, promptTokens: 0, cacheHitTokens: 0, completionTokens: 0, p50Ms: null as number | null, p95Ms: null as number | null };
  for (const r of rows) {
    const i = Math.floor((r.hour - start) / bucketMs);
    if (i < 0 || i >= count) continue;
    let g = groups.get(r.g);
    if (!g) groups.set(r.g, (g = emptyGroup(r.g, r.label ?? r.g, count)));
    const tokens = r.promptTokens + r.completionTokens;
    g.costMicroUsd[i] += r.costMicroUsd; g.tokens[i] += tokens; g.requests[i] += r.requests;
    g.totalCostMicroUsd += r.costMicroUsd; g.totalTokens += tokens; g.totalRequests += r.requests;
    totals.requests += r.requests; totals.errors += r.errors; totals.costMicroUsd += r.costMicroUsd;
    totals.promptTokens += r.promptTokens; totals.cacheHitTokens += r.cacheHitTokens; totals.completionTokens += r.completionTokens;
    (JSON.parse(r.buckets || '[]') as number[]).forEach((n, j) => { if (j < latency.length) latency[j] += n; });
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
