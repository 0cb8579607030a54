import type { ChainView } from '../../../gateway/admin/contract';
import { CopyButton } from '../components/CopyButton';
import { formatUsd } from '../lib/money';
import { useWallet } from './wallet-store';

/** How to pay: chain and token pickers, amount, the treasury with copy, and a QR carrying the EIP-681 request. */
export function DepositInstructions({ chains, account, linkedCount }: { chains: ChainView[]; account: string | null; linkedCount: number }) {
  const request = useWallet((s) => s.request);
  const pick = useWallet((s) => s.pick);
  const chain = chains.find((c) => c.chainId === request.chainId) ?? null;
  const r = request.data;
  return (
    <div className="card form" data-testid="deposit-instructions">
      <h2>Deposit instructions</h2>
      <div className="form-row">
        <label>Chain
          <select value={request.chainId ?? ''} onChange={(e) => void pick({ chainId: Number(e.target.value) })} data-testid="deposit-chain">
            {chains.map((c) => <option key={c.chainId} value={c.chainId}>{c.name} ({c.chainId})</option>)}
          </select>
        </label>
        <label>Token
          <select value={request.symbol ?? ''} onChange={(e) => void pick({ symbol: e.target.value })} data-testid="deposit-token" disabled={!chain?.tokens.length}>
            {chain?.tokens.map((t) => <option key={t.symbol} value={t.symbol}>{t.symbol}</option>)}
          </select>
        </label>
        <label>Amount (USD, optional)
          <input value={request.amount} onChange={(e) => void pick({ amount: e.target.value })} inputMode="decimal" placeholder="25.00" data-testid="deposit-amount" />
        </label>
      </div>
      {request.error && <p className="form-error" role="alert" data-testid="deposit-error">{request.error}</p>}
      {r && (
        <div className="deposit-pay">
          {request.qr && <img className="qr" src={request.qr} alt={`QR code: pay ${r.amountMicroUsd != null ? formatUsd(r.amountMicroUsd) + ' in ' : ''}${r.symbol} on ${r.chainName} to ${r.treasury}`} data-testid="deposit-qr" data-eip681={r.eip681} />}
          <dl className="kv">
            <dt>Send</dt><dd><strong data-testid="deposit-summary">{r.amountMicroUsd != null ? `${formatUsd(r.amountMicroUsd)} in ` : 'any amount of '}{r.symbol}</strong> on {r.chainName}</dd>
            <dt>To (treasury)</dt>
            <dd className="copy-line"><code data-testid="treasury-address">{r.treasury}</code> <CopyButton text={r.treasury} testId="copy-treasury" /></dd>
            <dt>Token contract</dt><dd><code className="break" data-testid="deposit-contract">{r.contract}</code> <span className="muted">({r.decimals} decimals)</span></dd>
            {r.amountRaw != null && <><dt>Raw amount</dt><dd className="mono">{r.amountRaw}</dd></>}
            <dt>Payment link</dt>
            <dd className="copy-line"><code className="break" data-testid="deposit-eip681">{r.eip681}</code> <CopyButton text={r.eip681} testId="copy-eip681" /></dd>
          </dl>
        </div>
      )}
      <p className="muted" data-testid="deposit-hint">
        {account ? <>Payments from a wallet linked to “{account}” ({linkedCount} linked) are credited to it after {chain?.confirmations ?? '…'} confirmation{chain?.confirmations === 1 ? '' : 's'}. </> : null}
        Payments from other wallets wait under “Unassigned” until you assign them. Every token counts as 1 USD.
      </p>
    </div>
  );
}
