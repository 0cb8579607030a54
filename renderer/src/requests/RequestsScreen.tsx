import { useCallback, useEffect } from 'react';
import { useRequests } from './requests-store';
import { RequestFilters } from './RequestFilters';
import { RequestDetailPanel } from './RequestDetailPanel';
import { apiLabel } from './api-names';
import { Empty, ErrorBox, Loading } from '../components/States';
import { formatUsd } from '../lib/money';
import { formatInt, formatMs, formatTime } from '../lib/format';
import { useLiveRefresh } from '../lib/use-live';
import { useShallow } from 'zustand/react/shallow';

/** Requests: the ledger of every call, filterable, paged, with a detail panel and CSV export. */
export function RequestsScreen() {
  const { data, error, loading, load, cursors, next, prev, open, detail } = useRequests(useShallow((s) => ({ data: s.data, error: s.error, loading: s.loading, load: s.load, cursors: s.cursors, next: s.next, prev: s.prev, open: s.open, detail: s.detail })));
  useEffect(() => { void load(); }, [load]);
  useLiveRefresh(useCallback(() => void load(true), [load]));
  const selectedId = detail.data?.id;
  return (
    <section className="screen" data-testid="screen-requests">
      <header className="screen-head">
        <h1>Requests</h1>
        <button type="button" className="btn" onClick={() => useRequests.getState().exportCsv()} data-testid="export-csv">Export CSV</button>
      </header>
      <RequestFilters />
      <div className={`split ${detail.data || detail.loading ? 'split-open' : ''}`}>
        <div className="card card-flush">
          {error && !data ? <ErrorBox error={error} onRetry={() => load()} /> : !data ? <Loading /> : data.rows.length === 0 ? (
            <Empty title="No requests match" testId="requests-empty">Requests appear here as soon as a client calls the gateway with one of your keys.</Empty>
          ) : (
            <table className="table table-select" data-testid="requests-table" aria-busy={loading}>
              <thead><tr><th>Time</th><th>Key</th><th>Model</th><th>API</th><th>Status</th><th className="num">In / out tokens</th><th className="num">Cost</th><th className="num">Duration</th></tr></thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.id} tabIndex={0} data-testid="request-row" data-request-id={r.id} className={r.id === selectedId ? 'selected' : ''} aria-selected={r.id === selectedId}
                    onClick={() => open(r.id)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); void open(r.id); } }}>
                    <td className="nowrap">{formatTime(r.startedAt)}</td>
                    <td className="mono">{r.keyPrefix ? `${r.keyPrefix}…` : '—'}</td>
                    <td>{r.model}{r.stream && <span className="muted"> · stream</span>}</td>
                    <td className="nowrap" data-testid="request-api">{apiLabel(r.api)}</td>
                    <td><span className={`pill ${r.status === 'ok' ? 'pill-ok' : 'pill-bad'}`}>{r.status}</span></td>
                    <td className="num">{formatInt(r.promptTokens)} / {formatInt(r.completionTokens)}</td>
                    <td className="num">{formatUsd(r.costMicroUsd)}{r.shortfallMicroUsd > 0 && (
                      <span className="pill pill-warn" data-testid="shortfall-flag" title="cost above what the request's hold allowed: not charged, the operator's loss"> +{formatUsd(r.shortfallMicroUsd)} loss</span>
                    )}</td>
                    <td className="num">{formatMs(r.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="pager">
            <button type="button" className="btn btn-small" onClick={prev} disabled={cursors.length <= 1} data-testid="page-prev">← Newer</button>
            <span className="muted">Page {cursors.length}</span>
            <button type="button" className="btn btn-small" onClick={next} disabled={!data?.nextCursor} data-testid="page-next">Older →</button>
          </div>
        </div>
        {(detail.data || detail.loading || detail.error) && <RequestDetailPanel />}
      </div>
    </section>
  );
}
