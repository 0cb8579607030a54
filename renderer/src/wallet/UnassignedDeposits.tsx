import { useState, type FormEvent } from 'react';
import type { AccountView, ChainView, DepositView } from '../../../gateway/admin/contract';
import { Empty } from '../components/States';
import { formatAgo } from '../lib/format';
import { formatUsd } from '../lib/money';
import { messageOf } from '../lib/resource';
import { chainName } from './PendingDeposits';
import { short, useWallet } from './wallet-store';

/** Deposits from wallets linked to no account: pick an account and assign; or claim any transaction by hash. */
export function UnassignedDeposits({ deposits, accounts, chains, account }: { deposits: DepositView[]; accounts: AccountView[]; chains: ChainView[]; account: string }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="card card-flush" data-testid="unassigned-deposits">
      <div className="card-head card-pad"><h2>Unassigned deposits</h2></div>
      {deposits.length === 0 ? <Empty title="No unassigned deposits" testId="unassigned-empty">Payments from wallets that are not linked to an account wait here.</Empty> : (
        <table className="table">
          <thead><tr><th className="num">Amount</th><th>From</th><th>Transaction</th><th>Confirmations</th><th>Seen</th><th className="row-actions">Assign to</th></tr></thead>
          <tbody>
            {deposits.map((d) => <AssignRow key={`${d.chainId}:${d.txHash}:${d.logIndex}`} d={d} accounts={accounts} chains={chains} initial={account} onError={setError} />)}
          </tbody>
        </table>
      )}
      {error && <p className="form-error card-pad" role="alert" data-testid="assign-error">{error}</p>}
      <ClaimForm chains={chains} account={account} />
    </div>
  );
}

function AssignRow({ d, accounts, chains, initial, onError }: { d: DepositView; accounts: AccountView[]; chains: ChainView[]; initial: string; onError: (e: string | null) => void }) {
  const [to, setTo] = useState(initial);
  const [busy, setBusy] = useState(false);
  const assign = async () => {
    setBusy(true);
    onError(null);
    try { await useWallet.getState().assign(d, to); } catch (err) { onError(messageOf(err)); }
    setBusy(false);
  };
  return (
    <tr data-testid="unassigned-row">
      <td className="num"><strong data-testid="deposit-amount">{formatUsd(d.amountMicroUsd)}</strong> <span className="muted">{d.token}</span></td>
      <td className="mono" title={d.from}>{short(d.from)}</td>
      <td className="mono" title={d.txHash}>{short(d.txHash)} <span className="muted">· {chainName(chains, d.chainId)}</span></td>
      <td className="nowrap">{Math.min(d.confirmations, d.requiredConfirmations)} / {d.requiredConfirmations}</td>
      <td className="muted nowrap">{formatAgo(d.seenAt)}</td>
      <td className="row-actions">
        <select value={to} onChange={(e) => setTo(e.target.value)} aria-label="Account" data-testid="assign-account">
          {accounts.map((a) => <option key={a.id} value={a.name}>{a.name}</option>)}
        </select>
        <button type="button" className="btn btn-small" disabled={busy} onClick={assign} data-testid="assign-submit">Assign</button>
      </td>
    </tr>
  );
}

/** Credits a transaction the watcher missed (or an older one) after verifying its receipt on chain. */
function ClaimForm({ chains, account }: { chains: ChainView[]; account: string }) {
  const [chainId, setChainId] = useState<number | null>(null);
  const [tx, setTx] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = chainId ?? chains[0]?.chainId;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (chosen == null) return;
    setBusy(true);
    setError(null);
    try { await useWallet.getState().claim(chosen, tx.trim(), account); setTx(''); } catch (err) { setError(messageOf(err)); }
    setBusy(false);
  };
  return (
    <form className="inline-form card-pad claim-form" onSubmit={submit} data-testid="claim-form">
      <label>Chain
        <select value={chosen ?? ''} onChange={(e) => setChainId(Number(e.target.value))}>
          {chains.map((c) => <option key={c.chainId} value={c.chainId}>{c.name}</option>)}
        </select>
      </label>
      <label className="grow">Claim a transaction for “{account}” <input value={tx} onChange={(e) => setTx(e.target.value)} className="mono" placeholder="0x… transaction hash" required data-testid="claim-tx" /></label>
      <button type="submit" className="btn" disabled={busy || chosen == null} data-testid="claim-submit">Verify &amp; credit</button>
      {error && <p className="form-error" role="alert" data-testid="claim-error">{error}</p>}
    </form>
  );
}
