import { useCallback, useEffect, useState } from 'react';
import { useAccounts } from './accounts-store';
import { CreditForm } from './CreditForm';
import { JournalPanel } from './JournalPanel';
import { AccountBudgetForm } from './AccountBudgetForm';
import { LowBalanceForm } from './LowBalanceForm';
import { NewAccountForm } from './NewAccountForm';
import { ErrorBox, Loading } from '../components/States';
import { formatUsd } from '../lib/money';
import { useLiveRefresh } from '../lib/use-live';
import { useShallow } from 'zustand/react/shallow';

/** Accounts & credits: balances, manual credits and adjustments, and each account's journal. */
export function AccountsScreen() {
  const { data, error, load, selectedId, select } = useAccounts(useShallow((s) => ({ data: s.data, error: s.error, load: s.load, selectedId: s.selectedId, select: s.select })));
  const [adding, setAdding] = useState(false);
  useEffect(() => { void load(); }, [load]);
  useLiveRefresh(useCallback(() => void load(true), [load]));
  if (error && !data) return <ErrorBox error={error} onRetry={() => load()} />;
  if (!data) return <Loading />;
  const selected = data.find((a) => a.id === selectedId) ?? null;
  return (
    <section className="screen" data-testid="screen-accounts">
      <header className="screen-head">
        <h1>Accounts &amp; credits</h1>
        <button type="button" className="btn" onClick={() => setAdding(true)} data-testid="new-account">+ New account</button>
      </header>
      <div className="card card-flush">
        <table className="table table-select" data-testid="accounts-table">
          <thead><tr><th>Account</th><th className="num">Balance</th><th className="num">Held</th><th className="num">Available</th><th className="num">Spent today</th></tr></thead>
          <tbody>
            {data.map((a) => (
              <tr key={a.id} className={a.id === selectedId ? 'selected' : ''} tabIndex={0} aria-selected={a.id === selectedId} data-testid="account-row"
                onClick={() => select(a.id)} onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); void select(a.id); } }}>
                <td>{a.name}</td>
                <td className="num" data-testid="account-balance">{formatUsd(a.balanceMicroUsd)}</td>
                <td className="num">{formatUsd(a.heldMicroUsd)}</td>
                <td className="num">{formatUsd(a.availableMicroUsd)}</td>
                <td className="num">{formatUsd(a.spentTodayMicroUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected && (
        <div className="grid-2">
          <div className="stack">
            <CreditForm account={selected} />
            <AccountBudgetForm account={selected} />
            <LowBalanceForm account={selected} />
          </div>
          <JournalPanel account={selected} />
        </div>
      )}
      {adding && <NewAccountForm onClose={() => setAdding(false)} />}
    </section>
  );
}
