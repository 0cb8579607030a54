import { useEffect, useState } from 'react';
import type { ChainView } from '../../../gateway/admin/contract';
import { api } from '../api/api';
import { Empty, ErrorBox, Loading } from '../components/States';
import { ChainForm } from './ChainForm';
import { ChainList } from './ChainStatus';
import { DepositInstructions } from './DepositInstructions';
import { LinkedWallets } from './LinkedWallets';
import { DepositHistory, PendingDeposits } from './PendingDeposits';
import { UnassignedDeposits } from './UnassignedDeposits';
import { isBusy, useWallet } from './wallet-store';
import './wallet.css';
import { useShallow } from 'zustand/react/shallow';

/** While a deposit is short of its depth or a chain catches up, poll this often (pushed events do most of the work). */
const BUSY_POLL_MS = 3000;

/** Wallet: stablecoin top-ups per account (instructions, pending, history, links), unassigned deposits, chains. */
export function WalletScreen() {
  const { data, error, load, account, selectAccount } = useWallet(useShallow((s) => ({ data: s.data, error: s.error, load: s.load, account: s.account, selectAccount: s.selectAccount })));
  const [editing, setEditing] = useState<ChainView | 'new' | null>(null);
  const busy = isBusy(data);
  useEffect(() => { void load(); }, [load]);
  // Live: the watcher's changes arrive as wallet:changed, credits also as usage:changed.
  useEffect(() => {
    const refresh = () => void load(true);
    const offs = [api.on('wallet:changed', refresh), api.on('usage:changed', refresh)];
    return () => offs.forEach((off) => off());
  }, [load]);
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(() => void load(true), BUSY_POLL_MS);
    return () => clearInterval(t);
  }, [busy, load]);

  if (error && !data) return <ErrorBox error={error} onRetry={() => load()} />;
  if (!data) return <Loading />;
  const mine = data.deposits.filter((d) => d.account === account);
  const form = editing && <ChainForm chain={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />;
  return (
    <section className="screen" data-testid="screen-wallet">
      <header className="screen-head">
        <h1>Wallet</h1>
        {data.accounts.length > 0 && (
          <label className="inline-label">Account
            <select value={account ?? ''} onChange={(e) => selectAccount(e.target.value)} data-testid="wallet-account">
              {data.accounts.map((a) => <option key={a.id} value={a.name}>{a.name}</option>)}
            </select>
          </label>
        )}
      </header>
      {error && <p className="form-error" role="alert">{error}</p>}
      {data.chains.length === 0 ? (
        <div className="card">
          <Empty title="No chain configured" testId="wallet-no-chains">
            <p>Add a chain with the treasury address that receives USDC/USDT (watch-only: the gateway never holds a key).</p>
            <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="configure-chain">Configure chain</button>
          </Empty>
        </div>
      ) : (
        <>
          <ChainList chains={data.chains} onEdit={setEditing} onAdd={() => setEditing('new')} />
          {account && (
            <div className="wallet-grid">
              <DepositInstructions chains={data.chains} account={account} linkedCount={data.links.filter((l) => l.account === account).length} />
              <LinkedWallets account={account} links={data.links.filter((l) => l.account === account)} />
            </div>
          )}
          {account && <PendingDeposits account={account} deposits={mine.filter((d) => d.status === 'pending')} chains={data.chains} />}
          {account && <UnassignedDeposits deposits={data.deposits.filter((d) => d.status === 'unassigned')} accounts={data.accounts} chains={data.chains} account={account} />}
          {account && <DepositHistory account={account} deposits={mine.filter((d) => d.status === 'credited')} chains={data.chains} />}
        </>
      )}
      {form}
    </section>
  );
}
