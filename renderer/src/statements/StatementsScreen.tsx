import { useEffect } from 'react';
import { useStatement } from './statement-store';
import { Empty, ErrorBox, Loading } from '../components/States';
import { formatInt, formatTime } from '../lib/format';
import { formatUsd } from '../lib/money';
import { useShallow } from 'zustand/react/shallow';

/** Monthly statement of one account, laid out to print (the sidebar and controls are hidden on paper). */
export function StatementsScreen() {
  const { accounts, accountId, month, data, error, loading, init, choose } = useStatement(useShallow((s) => ({ accounts: s.accounts, accountId: s.accountId, month: s.month, data: s.data, error: s.error, loading: s.loading, init: s.init, choose: s.choose })));
  useEffect(() => { void init(); }, [init]);
  return (
    <section className="screen" data-testid="screen-statements">
      <header className="screen-head no-print">
        <h1>Statements</h1>
        <button type="button" className="btn btn-primary" onClick={() => window.print()} disabled={!data} data-testid="statement-print">Print</button>
      </header>
      <div className="filters no-print" role="group" aria-label="Statement">
        <label>Account <select value={accountId ?? ''} onChange={(e) => void choose({ accountId: Number(e.target.value) })} data-testid="statement-account">
          {accounts.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
        </select></label>
        <label>Month <input type="month" value={month} onChange={(e) => void choose({ month: e.target.value })} data-testid="statement-month" /></label>
      </div>
      {error ? <ErrorBox error={error} onRetry={() => void choose({})} /> : accounts.length === 0 && !loading ? <Empty title="No accounts yet" />
        : !data || loading ? <Loading /> : <StatementPage s={data} />}
    </section>
  );
}

function StatementPage({ s }: { s: NonNullable<ReturnType<typeof useStatement.getState>['data']> }) {
  const row = (label: string, micro: number, testId?: string) => <tr><td>{label}</td><td className="num" data-testid={testId}>{formatUsd(micro)}</td></tr>;
  return (
    <article className="card statement" data-testid="statement">
      <h2>Statement — {s.account}, {s.month}</h2>
      <p className="muted">{formatTime(s.fromMs)} to {formatTime(s.toMs)} ({s.timeZone}). Figures come from the account's journal.</p>
      <table className="table table-compact">
        <tbody>
          {row('Opening balance', s.openingBalanceMicroUsd, 'statement-opening')}
          {row('Top-ups', s.topupsMicroUsd)}
          {row('Adjustments', s.adjustmentsMicroUsd)}
          {s.refundsMicroUsd !== 0 && row('Refunds', s.refundsMicroUsd)}
          {row(`Usage (${formatInt(s.usageRequests)} requests)`, -s.usageMicroUsd)}
          <tr className="total"><td>Closing balance</td><td className="num" data-testid="statement-closing">{formatUsd(s.closingBalanceMicroUsd)}</td></tr>
        </tbody>
      </table>
      <div className="grid-2">
        <div>
          <h3>Spend by model</h3>
          {s.byModel.length === 0 ? <p className="muted">No usage this month.</p> : (
            <table className="table table-compact"><thead><tr><th>Model</th><th className="num">Requests</th><th className="num">Spend</th></tr></thead>
              <tbody>{s.byModel.map((m) => <tr key={m.model}><td>{m.model}</td><td className="num">{formatInt(m.requests)}</td><td className="num">{formatUsd(m.costMicroUsd)}</td></tr>)}</tbody></table>
          )}
        </div>
        <div>
          <h3>Spend by key</h3>
          {s.byKey.length === 0 ? <p className="muted">No usage this month.</p> : (
            <table className="table table-compact"><thead><tr><th>Key</th><th className="num">Requests</th><th className="num">Spend</th></tr></thead>
              <tbody>{s.byKey.map((k) => <tr key={k.keyId ?? ''}><td>{k.keyPrefix ? `${k.keyPrefix}…` : '—'} {k.keyName ?? ''}</td><td className="num">{formatInt(k.requests)}</td><td className="num">{formatUsd(k.costMicroUsd)}</td></tr>)}</tbody></table>
          )}
        </div>
      </div>
      <h3>Top-ups and adjustments</h3>
      {s.credits.length === 0 ? <p className="muted">None this month.</p> : (
        <table className="table table-compact"><thead><tr><th>Date</th><th>Kind</th><th>Note</th><th className="num">Amount</th></tr></thead>
          <tbody>{s.credits.map((c) => <tr key={c.lineId}><td className="nowrap">{formatTime(c.createdAt)}</td><td>{c.kind}</td><td>{c.note ?? ''}</td><td className="num">{formatUsd(c.amountMicroUsd)}</td></tr>)}</tbody></table>
      )}
    </article>
  );
}
