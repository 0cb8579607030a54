import { useCallback, useEffect } from 'react';
import { useOverview } from './overview-store';
import { CopyButton } from '../components/CopyButton';
import { Empty, ErrorBox, Loading } from '../components/States';
import { Stat } from '../components/Stat';
import { formatUsd } from '../lib/money';
import { formatAgo, formatInt, formatPercent } from '../lib/format';
import { useLiveRefresh } from '../lib/use-live';
import { UpstreamList } from './UpstreamList';
import { TlsNotice } from './TlsNotice';
import { useShallow } from 'zustand/react/shallow';

/** Overview: is the gateway up, where do clients point, how much money is where. */
export function OverviewScreen() {
  const { data, loading, error, load } = useOverview(useShallow((s) => ({ data: s.data, loading: s.loading, error: s.error, load: s.load })));
  useEffect(() => { void load(); }, [load]);
  useLiveRefresh(useCallback(() => void load(true), [load]));
  if (error && !data) return <ErrorBox error={error} onRetry={() => load()} />;
  if (!data) return <Loading />;
  const totals = data.accounts.reduce((t, a) => ({ available: t.available + a.availableMicroUsd, spent: t.spent + a.spentTodayMicroUsd }), { available: 0, spent: 0 });
  return (
    <section className="screen" data-testid="screen-overview" aria-busy={loading}>
      <header className="screen-head">
        <h1>Overview</h1>
        <span className="pill pill-ok" data-testid="gateway-status">● Gateway {data.status}</span>
      </header>

      <div className="card">
        <h2>Point your clients here</h2>
        <div className="url-row">
          <span className="url-label">This machine</span>
          <code data-testid="base-url">{data.baseUrl}</code>
          <CopyButton text={data.baseUrl} testId="copy-base-url" />
        </div>
        {data.lanUrls.map((u) => (
          <div className="url-row" key={u}>
            <span className="url-label">LAN</span><code data-testid="lan-url">{u}</code><CopyButton text={u} />
          </div>
        ))}
        <TlsNotice />
        {data.lanUrls.length === 0 && <p className="muted">LAN access is off: only programs on this machine can reach the gateway. Change it in Settings → Network.</p>}
        <p className="muted">Any OpenAI-compatible client works: set the base URL above and a key from the <a href="#/keys">Keys</a> screen{data.defaultModel ? <>, model <code>{data.defaultModel}</code></> : null}.</p>
      </div>

      <div className="stats">
        <Stat label="Available credit" value={formatUsd(totals.available)} testId="total-available" hint={`${data.accounts.length} account${data.accounts.length === 1 ? '' : 's'}`} />
        <Stat label="Spent today (UTC)" value={formatUsd(totals.spent)} testId="spent-today" />
        <Stat label="Requests / min" value={formatInt(data.requestsPerMinute)} testId="req-per-min" hint={`${formatInt(data.requestsLastHour)} in the last hour`} />
        <Stat label="Error rate (1 h)" value={formatPercent(data.errorRateLastHour)} testId="error-rate" />
        <Stat label="Operator losses" value={formatUsd(data.operatorLosses.shortfallMicroUsd)} testId="operator-losses"
          hint={data.operatorLosses.requests ? <a href="#/requests">{formatInt(data.operatorLosses.requests)} request{data.operatorLosses.requests === 1 ? '' : 's'} cost more than their hold</a> : 'no request cost more than its hold'} />
      </div>

      <div className="grid-2">
        <div className="card">
          <h2>Accounts</h2>
          <table className="table" data-testid="overview-accounts">
            <thead><tr><th>Account</th><th className="num">Balance</th><th className="num">Held</th><th className="num">Spent today</th></tr></thead>
            <tbody>
              {data.accounts.map((a) => (
                <tr key={a.id}><td>{a.name}</td><td className="num">{formatUsd(a.balanceMicroUsd)}</td><td className="num">{formatUsd(a.heldMicroUsd)}</td><td className="num">{formatUsd(a.spentTodayMicroUsd)}</td></tr>
              ))}
            </tbody>
          </table>
          {data.accounts.every((a) => a.balanceMicroUsd === 0) && <p className="muted">No credit yet: add some on <a href="#/accounts">Accounts &amp; credits</a>.</p>}
        </div>
        <UpstreamList providers={data.providers} />
      </div>

      <div className="card">
        <div className="card-head">
          <h2>Alerts</h2>
          {data.alerts.some((a) => !a.acknowledged) && <button type="button" className="btn btn-small" onClick={() => useOverview.getState().acknowledge()}>Mark all read</button>}
        </div>
        {data.alerts.length === 0 ? <Empty title="No alerts" testId="alerts-empty">Low balances and upstream problems show up here.</Empty> : (
          <ul className="alerts" data-testid="alerts">
            {data.alerts.map((a) => <li key={a.id} className={a.acknowledged ? 'muted' : ''}><span className="pill pill-warn">{a.kind}</span> {a.message} <span className="muted">· {formatAgo(a.createdAt)}</span></li>)}
          </ul>
        )}
      </div>
    </section>
  );
}
