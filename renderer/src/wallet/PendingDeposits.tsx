import type { ChainView, DepositView } from '../../../gateway/admin/contract';
import { Empty } from '../components/States';
import { formatAgo } from '../lib/format';
import { formatUsd } from '../lib/money';
import { short } from './wallet-store';

/** "2 / 3 confirmations" with a bar; the transfer's own block counts as the first. */
export function Confirmations({ d }: { d: DepositView }) {
  const have = Math.min(d.confirmations, d.requiredConfirmations);
  return (
    <span className="confirmations">
      <progress max={d.requiredConfirmations || 1} value={have} aria-label="Confirmations" />
      <span data-testid="deposit-confirmations">{have} / {d.requiredConfirmations} confirmations</span>
    </span>
  );
}

/** A chain's name for a deposit row. */
export function chainName(chains: ChainView[], id: number): string { return chains.find((c) => c.chainId === id)?.name ?? `chain ${id}`; }

/** Amount, payer and transaction: the cells both deposit tables start with. */
function DepositCells({ d, chains }: { d: DepositView; chains: ChainView[] }) {
  return (
    <>
      <td className="num"><strong data-testid="deposit-amount">{formatUsd(d.amountMicroUsd)}</strong> <span className="muted">{d.token}</span></td>
      <td className="mono" title={d.from}>{short(d.from)}</td>
      <td className="mono" title={d.txHash}>{short(d.txHash)} <span className="muted">· {chainName(chains, d.chainId)}</span></td>
    </>
  );
}

/** This account's deposits seen on chain and waiting for their confirmation depth. */
export function PendingDeposits({ account, deposits, chains }: { account: string; deposits: DepositView[]; chains: ChainView[] }) {
  return (
    <div className="card card-flush" data-testid="pending-deposits">
      <div className="card-head card-pad"><h2>Pending deposits of “{account}”</h2></div>
      {deposits.length === 0 ? <Empty title="Nothing pending" testId="pending-empty">Transfers from linked wallets show up here within seconds, then count their confirmations.</Empty> : (
        <table className="table">
          <thead><tr><th className="num">Amount</th><th>From</th><th>Transaction</th><th>Progress</th><th>Seen</th></tr></thead>
          <tbody>
            {deposits.map((d) => (
              <tr key={`${d.chainId}:${d.txHash}:${d.logIndex}`} data-testid="pending-row">
                <DepositCells d={d} chains={chains} />
                <td><Confirmations d={d} /></td>
                <td className="muted nowrap">{formatAgo(d.seenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** This account's credited deposits, newest first. */
export function DepositHistory({ account, deposits, chains }: { account: string; deposits: DepositView[]; chains: ChainView[] }) {
  return (
    <div className="card card-flush" data-testid="deposit-history">
      <div className="card-head card-pad"><h2>History of “{account}”</h2></div>
      {deposits.length === 0 ? <Empty title="No credited deposits yet" testId="history-empty" /> : (
        <table className="table">
          <thead><tr><th className="num">Amount</th><th>From</th><th>Transaction</th><th>Status</th><th>Credited</th></tr></thead>
          <tbody>
            {deposits.map((d) => (
              <tr key={`${d.chainId}:${d.txHash}:${d.logIndex}`} data-testid="history-row">
                <DepositCells d={d} chains={chains} />
                <td><span className="pill pill-ok" data-testid="deposit-status">credited</span></td>
                <td className="muted nowrap">{formatAgo(d.creditedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
