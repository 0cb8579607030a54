import { useCallback, useEffect } from 'react';
import { useUsage, type Metric } from './usage-store';
import { UsageCharts } from './UsageCharts';
import { Segmented } from '../components/Segmented';
import { ErrorBox, Loading } from '../components/States';
import { Stat } from '../components/Stat';
import { formatUsd } from '../lib/money';
import { formatInt, formatMs, formatPercent } from '../lib/format';
import { useLiveRefresh } from '../lib/use-live';
import { useShallow } from 'zustand/react/shallow';

/** Usage: spend, tokens and requests over time and by model / key / account; latency and errors. */
export function UsageScreen() {
  const { data, error, load, range, groupBy, metric, set } = useUsage(useShallow((s) => ({ data: s.data, error: s.error, load: s.load, range: s.range, groupBy: s.groupBy, metric: s.metric, set: s.set })));
  useEffect(() => { void load(); }, [load]);
  useLiveRefresh(useCallback(() => void load(true), [load]));
  return (
    <section className="screen" data-testid="screen-usage">
      <header className="screen-head">
        <h1>Usage</h1>
        <div className="toolbar">
          <Segmented label="Range" value={range} onChange={(v) => set({ range: v })} options={[['24h', '24 h'], ['7d', '7 d'], ['30d', '30 d']]} testId="usage-range" />
          <Segmented label="Group by" value={groupBy} onChange={(v) => set({ groupBy: v })} options={[['model', 'Model'], ['provider', 'Provider'], ['key', 'Key'], ['account', 'Account']]} testId="usage-group" />
          <Segmented<Metric> label="Metric" value={metric} onChange={(v) => set({ metric: v })} options={[['cost', 'Spend'], ['tokens', 'Tokens'], ['requests', 'Requests']]} testId="usage-metric" />
        </div>
      </header>
      {error && !data ? <ErrorBox error={error} onRetry={() => load()} /> : !data ? <Loading /> : (
        <>
          <div className="stats">
            <Stat label="Spend" value={formatUsd(data.totals.costMicroUsd)} testId="usage-total-cost" />
            <Stat label="Requests" value={formatInt(data.totals.requests)} testId="usage-total-requests" hint={`${formatPercent(data.totals.errorRate)} errors`} />
            <Stat label="Tokens" value={formatInt(data.totals.promptTokens + data.totals.completionTokens)} hint={`${formatInt(data.totals.cacheHitTokens)} cache hits`} testId="usage-total-tokens" />
            <Stat label="Latency p50 / p95" value={`${formatMs(data.totals.p50Ms)} / ${formatMs(data.totals.p95Ms)}`} hint="upper bucket bounds" testId="usage-latency" />
          </div>
          {data.totals.requests === 0 && <p className="muted" data-testid="usage-empty">No requests in this range yet. Create a key and point a client at the gateway; charts fill in live.</p>}
          <UsageCharts usage={data} metric={metric} />
        </>
      )}
    </section>
  );
}
