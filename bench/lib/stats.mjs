/** Small statistics helpers for the benchmark (percentiles of samples, medians of runs). */

/** The q-quantile (0..1) of numeric samples by nearest rank; null when empty. Sorts a copy. */
export function quantile(samples, q) {
  if (!samples.length) return null;
  const s = Float64Array.from(samples).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** p50/p90/p99/max/mean of samples (ms), or nulls when empty. */
export function summarize(samples) {
  if (!samples.length) return { n: 0, p50: null, p90: null, p99: null, max: null, mean: null };
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1], mean: sum / s.length };
}

/** Median of the non-null numbers in a list (the middle of 3 runs); null when none. */
export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
