import { Fragment, useCallback, useEffect, useState } from 'react';
import { useAudit } from './audit-store';
import { Empty, ErrorBox, Loading } from '../components/States';
import { formatTime } from '../lib/format';
import { useLiveRefresh } from '../lib/use-live';
import { useShallow } from 'zustand/react/shallow';

const ORIGINS = { window: 'Window', cli: 'CLI', 'http-admin': 'Admin HTTP' } as const;

/** Audit trail: who changed what, from where, with the before/after of each change. */
export function AuditScreen() {
  const { data, error, load, filters, setFilter, more, loadMore } = useAudit(useShallow((s) => ({ data: s.data, error: s.error, load: s.load, filters: s.filters, setFilter: s.setFilter, more: s.more, loadMore: s.loadMore })));
  const [open, setOpen] = useState<number | null>(null);
  useEffect(() => { void load(); }, [load]);
  useLiveRefresh(useCallback(() => void load(true), [load]));
  return (
    <section className="screen" data-testid="screen-audit">
      <header className="screen-head"><h1>Audit trail</h1></header>
      <div className="filters" role="group" aria-label="Filters">
        <label>Action <input value={filters.action} onChange={(e) => setFilter({ action: e.target.value })} placeholder="key, credit.add, price.set…" data-testid="audit-action" /></label>
        <label>Origin <select value={filters.origin} onChange={(e) => setFilter({ origin: e.target.value as typeof filters.origin })} data-testid="audit-origin">
          <option value="">Any origin</option>
          {Object.entries(ORIGINS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
        </select></label>
        <label>Target <input value={filters.target} onChange={(e) => setFilter({ target: e.target.value })} placeholder="account, key prefix, model" data-testid="audit-target" /></label>
        <label>From <input type="date" value={filters.from} onChange={(e) => setFilter({ from: e.target.value })} data-testid="audit-from" /></label>
        <label>To <input type="date" value={filters.to} onChange={(e) => setFilter({ to: e.target.value })} data-testid="audit-to" /></label>
      </div>
      {error && !data ? <ErrorBox error={error} onRetry={() => load()} /> : !data ? <Loading /> : data.length === 0 ? (
        <Empty title="No admin actions match">Every change made from this window, the <code>gogogo</code> command or the admin API is recorded here.</Empty>
      ) : (
        <div className="card card-flush">
          <table className="table table-select" data-testid="audit-table">
            <thead><tr><th>Time</th><th>Origin</th><th>Actor</th><th>Action</th><th>Target</th></tr></thead>
            <tbody>
              {data.map((r) => (
                <Fragment key={r.id}>
                  <tr tabIndex={0} data-testid="audit-row" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}
                    onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); setOpen(open === r.id ? null : r.id); } }}>
                    <td className="nowrap">{formatTime(r.at)}</td>
                    <td><span className="pill">{ORIGINS[r.origin] ?? r.origin}</span></td>
                    <td>{r.actor}</td>
                    <td><code>{r.action}</code></td>
                    <td className="ellipsis">{r.target ?? '—'}</td>
                  </tr>
                  {open === r.id && (
                    <tr className="audit-detail"><td colSpan={5}>
                      <div className="grid-2">
                        <div><h3>Before</h3><pre data-testid="audit-before">{r.before == null ? '—' : JSON.stringify(r.before, null, 2)}</pre></div>
                        <div><h3>After</h3><pre data-testid="audit-after">{r.after == null ? '—' : JSON.stringify(r.after, null, 2)}</pre></div>
                      </div>
                    </td></tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {more && <div className="actions actions-left pad"><button type="button" className="btn" onClick={() => void loadMore()}>Older actions</button></div>}
        </div>
      )}
    </section>
  );
}
