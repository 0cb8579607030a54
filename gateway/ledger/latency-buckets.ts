/** Fixed latency buckets (upper bounds, ms) for percentiles computed from hourly rollups. */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000, Infinity];

/**
 * The rollup tables keep one integer count column per bucket (`lat_b0` … `lat_b14`, same order as
 * LATENCY_BUCKETS_MS), so SQL can SUM them; ledger/schema.ts and ledger/rollups.ts are built from this list.
 */
export const LATENCY_COLUMNS: readonly string[] = LATENCY_BUCKETS_MS.map((_, i) => `lat_b${i}`);

/** The bucket a latency falls in. */
export function bucketIndex(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= LATENCY_BUCKETS_MS[i]) return i;
  return LATENCY_BUCKETS_MS.length - 1;
}

/** The bucket upper bound at quantile q (0..1) of merged counts; null when empty. */
export function quantileFromBuckets(counts: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen >= q * total) return Number.isFinite(LATENCY_BUCKETS_MS[i]) ? LATENCY_BUCKETS_MS[i] : LATENCY_BUCKETS_MS[i - 1];
  }
  return null;
}
