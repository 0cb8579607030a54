/**
 * In-process metrics for `GET /metrics` (Prometheus text format 0.0.4). Fed from the ledger's settle hook: one Map
 * lookup and a few additions per request, no database work; the text is built only when scraped.
 */
import type { RequestRow } from '../ledger/ledger';

/** Latency buckets in seconds (Prometheus' defaults, extended for long LLM streams). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const COMMIT_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) { this.counts = new Array(bounds.length).fill(0); }
  observe(v: number): void {
    this.sum += v;
    this.count++;
    const b = this.bounds;
    for (let i = 0; i < b.length; i++) if (v <= b[i]) { this.counts[i]++; return; }
  }
}

/** Counters of one (model, provider, key, status) combination. */
interface Series { labels: string; requests: number; prompt: number; cached: number; completion: number; reasoning: number; cacheWrite: number; spend: number }
/** Histograms of one (model, provider) combination. */
interface Timing { labels: string; duration: Histogram; ttft: Histogram }

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${k}="${escape(v)}"`).join(',');
/** Statuses that mean the upstream (not the client or the gateway's own rules) failed. */
const NOT_UPSTREAM = new Set(['ok', 'refused', 'aborted', 'interrupted']);

export interface GaugeSource { holdsOpen(): number; inFlight(): number }

export class Metrics {
  private readonly series = new Map<string, Series>();
  private readonly timings = new Map<string, Timing>();
  private readonly upstreamErrors = new Map<string, { labels: string; n: number }>();
  private readonly commit = new Histogram(COMMIT_BUCKETS);

  /** `keyLabel` names a key as people see it (its name, else its prefix); called once per new key id. */
  constructor(private readonly keyLabel: (keyId: string) => string) {}
  private readonly keyLabels = new Map<string, string>();

  /** Counts one settled request (called from the ledger's settle hook, on the request path: keep it O(1)). */
  observe(row: RequestRow, costMicroUsd: number): void {
    const provider = row.provider ?? '';
    let key = '';
    if (row.keyId) {
      key = this.keyLabels.get(row.keyId) ?? '';
      if (!key) { key = this.keyLabel(row.keyId); this.keyLabels.set(row.keyId, key); }
    }
    const id = row.model + '\u0000' + provider + '\u0000' + key + '\u0000' + row.status;
    let s = this.series.get(id);
    if (!s) {
      s = { labels: labelText([['model', row.model], ['provider', provider], ['key', key], ['status', row.status]]), requests: 0, prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0, spend: 0 };
      this.series.set(id, s);
    }
    s.requests++;
    s.prompt += row.promptTokens ?? 0;
    s.cached += row.cacheHitTokens ?? 0;
    s.completion += row.completionTokens ?? 0;
    s.reasoning += row.reasoningTokens ?? 0;
    s.cacheWrite += row.cacheWriteTokens ?? 0;
    s.spend += costMicroUsd;
    if (row.status === 'refused') return; // refused before any upstream call: no latency to speak of
    const tid = row.model + '\u0000' + provider;
    let t = this.timings.get(tid);
    if (!t) { t = { labels: labelText([['model', row.model], ['provider', provider]]), duration: new Histogram(DURATION_BUCKETS), ttft: new Histogram(DURATION_BUCKETS) }; this.timings.set(tid, t); }
    t.duration.observe(row.durationMs / 1000);
    if (row.firstTokenMs != null) t.ttft.observe(row.firstTokenMs / 1000);
    if (!NOT_UPSTREAM.has(row.status)) {
      const eid = provider + '\u0000' + row.status;
      let e = this.upstreamErrors.get(eid);
      if (!e) { e = { labels: labelText([['provider', provider], ['status', row.status]]), n: 0 }; this.upstreamErrors.set(eid, e); }
      e.n++;
    }
  }

  /** One ledger commit took `ms`. */
  observeCommit(ms: number): void { this.commit.observe(ms / 1000); }

  /** The exposition text. */
  render(g: GaugeSource): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const all = [...this.series.values()];
    family('gogogo_requests_total', 'counter', 'Requests settled, by billed model, upstream provider, key and status.');
    for (const s of all) out.push(`gogogo_requests_total{${s.labels}} ${s.requests}`);
    family('gogogo_tokens_total', 'counter', 'Tokens by kind: prompt (cached included), cached, completion (reasoning included), reasoning, cache_write.');
    for (const s of all) {
      for (const [kind, v] of [['prompt', s.prompt], ['cached', s.cached], ['completion', s.completion], ['reasoning', s.reasoning], ['cache_write', s.cacheWrite]] as const) {
        if (v > 0 || kind === 'prompt' || kind === 'completion') out.push(`gogogo_tokens_total{${s.labels},kind="${kind}"} ${v}`);
      }
    }
    family('gogogo_spend_micro_usd_total', 'counter', 'Credit charged, in micro-USD.');
    for (const s of all) out.push(`gogogo_spend_micro_usd_total{${s.labels}} ${s.spend}`);
    const timings = [...this.timings.values()];
    family('gogogo_request_duration_seconds', 'histogram', 'Time from arrival to the end of the answer.');
    for (const t of timings) histogram(out, 'gogogo_request_duration_seconds', t.labels, t.duration);
    family('gogogo_time_to_first_token_seconds', 'histogram', 'Time from arrival to the first output token.');
    for (const t of timings) histogram(out, 'gogogo_time_to_first_token_seconds', t.labels, t.ttft);
    family('gogogo_upstream_errors_total', 'counter', 'Requests that failed upstream (connect error, timeout, 5xx, upstream out of balance, ...).');
    for (const e of this.upstreamErrors.values()) out.push(`gogogo_upstream_errors_total{${e.labels}} ${e.n}`);
    family('gogogo_holds_open', 'gauge', 'Credit holds of requests in progress.');
    out.push(`gogogo_holds_open ${g.holdsOpen()}`);
    family('gogogo_requests_in_flight', 'gauge', 'Upstream calls in progress in this process.');
    out.push(`gogogo_requests_in_flight ${g.inFlight()}`);
    family('gogogo_ledger_commit_seconds', 'histogram', 'Duration of each ledger (group) commit.');
    histogram(out, 'gogogo_ledger_commit_seconds', '', this.commit);
    return out.join('\n') + '\n';
  }
}

function histogram(out: string[], name: string, labels: string, h: Histogram): void {
  const sep = labels ? `${labels},` : '';
  let cumulative = 0;
  for (let i = 0; i < h.bounds.length; i++) {
    cumulative += h.counts[i];
    out.push(`${name}_bucket{${sep}le="${h.bounds[i]}"} ${cumulative}`);
  }
  out.push(`${name}_bucket{${sep}le="+Inf"} ${h.count}`);
  out.push(`${name}_sum${labels ? `{${labels}}` : ''} ${h.sum}`);
  out.push(`${name}_count${labels ? `{${labels}}` : ''} ${h.count}`);
}
