import { useRequests } from './requests-store';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox, Loading } from '../components/States';
import { formatUsd } from '../lib/money';
import { formatInt, formatMs, formatTime } from '../lib/format';
import { apiLabel } from './api-names';
import { useShallow } from 'zustand/react/shallow';

/** One request: tokens, cache hits, cost breakdown, timings and the error, if any. */
export function RequestDetailPanel() {
  const { detail, open } = useRequests(useShallow((s) => ({ detail: s.detail, open: s.open })));
  const r = detail.data;
  return (
    <aside className="card detail" data-testid="request-detail" aria-label="Request detail">
      <div className="card-head"><h2>Request</h2><button type="button" className="btn btn-ghost" onClick={() => open(null)} aria-label="Close detail">✕</button></div>
      {detail.error ? <ErrorBox error={detail.error} /> : !r ? <Loading /> : (
        <dl className="kv">
          <dt>ID</dt><dd className="mono">{r.id} <CopyButton text={r.id} /></dd>
          <dt>Status</dt><dd><span className={`pill ${r.status === 'ok' ? 'pill-ok' : 'pill-bad'}`} data-testid="detail-status">{r.status}</span> HTTP {r.httpStatus}</dd>
          <dt>Started</dt><dd>{formatTime(r.startedAt)}</dd>
          <dt>Key / account</dt><dd>{r.keyPrefix ? `${r.keyPrefix}…` : '—'} · {r.accountName ?? '—'}</dd>
          <dt>API</dt><dd data-testid="detail-api">{apiLabel(r.api)}</dd>
          <dt>Model</dt><dd>{r.model}{r.modelServed && r.modelServed !== r.model ? ` → ${r.modelServed}` : ''}{r.provider ? ` (${r.provider})` : ''}</dd>
          <dt>Prompt tokens</dt><dd>{formatInt(r.promptTokens)} <span className="muted">({formatInt(r.cacheHitTokens)} cache hit, {formatInt(r.cacheMissTokens)} miss)</span></dd>
          <dt>Output tokens</dt><dd>{formatInt(r.completionTokens)}{r.reasoningTokens ? <span className="muted"> ({formatInt(r.reasoningTokens)} reasoning)</span> : null}{r.usageEstimated && <span className="pill pill-warn">estimated</span>}</dd>
          <dt>Cost</dt><dd data-testid="detail-cost"><strong>{formatUsd(r.costMicroUsd)}</strong>{r.priceTier && <span className="muted"> · {r.priceTier} price</span>}</dd>
          {r.breakdown && <><dt>Breakdown</dt><dd className="muted">cache hit {formatUsd(r.breakdown.cacheHitMicroUsd)} · cache miss {formatUsd(r.breakdown.cacheMissMicroUsd)} · output {formatUsd(r.breakdown.outputMicroUsd)}<br />(charged once per request, rounded up to the micro-dollar)</dd></>}
          <dt>Held up front</dt><dd>{formatUsd(r.quoteMicroUsd)}</dd>
          {r.shortfallMicroUsd > 0 && <><dt>Operator loss</dt><dd data-testid="detail-shortfall"><span className="pill pill-warn">{formatUsd(r.shortfallMicroUsd)}</span> <span className="muted">cost above the hold, not charged (the charge never exceeds the hold)</span></dd></>}
          <dt>Timings</dt><dd>first token {formatMs(r.firstTokenMs)} · total {formatMs(r.durationMs)}{r.stream ? ' · streamed' : ''}</dd>
          {r.upstreamRequestId && <><dt>Upstream id</dt><dd className="mono">{r.upstreamRequestId}</dd></>}
          {r.error && <><dt>Error</dt><dd className="form-error" data-testid="detail-error">{r.error}</dd></>}
        </dl>
      )}
    </aside>
  );
}
