import { useState, type FormEvent } from 'react';
import type { AdminRequest, ChainView } from '../../../gateway/admin/contract';
import { Modal } from '../components/Modal';
import { messageOf } from '../lib/resource';
import { useWallet } from './wallet-store';

interface TokenRow { symbol: string; contract: string; decimals: string }

/**
 * Creates or edits a chain: id, RPC URL, treasury (watch-only address), tokens and confirmation depth.
 * Empty fields keep the current value, or the catalog's for a known chain (Ethereum, Base, ...).
 */
export function ChainForm({ chain, onClose }: { chain: ChainView | null; onClose: () => void }) {
  const [chainId, setChainId] = useState(chain ? String(chain.chainId) : '');
  const [rpcUrl, setRpcUrl] = useState(chain?.rpcUrl ?? '');
  const [treasury, setTreasury] = useState(chain?.treasury ?? '');
  const [confirmations, setConfirmations] = useState(chain ? String(chain.confirmations) : '');
  const [tokens, setTokens] = useState<TokenRow[]>(chain?.tokens.map((t) => ({ symbol: t.symbol, contract: t.contract, decimals: String(t.decimals) })) ?? [{ symbol: 'USDC', contract: '', decimals: '' }]);
  const [error, setError] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const edit = (i: number, p: Partial<TokenRow>) => setTokens(tokens.map((t, j) => (j === i ? { ...t, ...p } : t)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = Number(chainId);
    if (!Number.isSafeInteger(id) || id <= 0) return setError('Chain id must be a positive whole number (e.g. 1 for Ethereum, 8453 for Base, 31337 for a local anvil).');
    const depth = confirmations.trim() === '' ? undefined : Number(confirmations);
    if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) return setError('Confirmations must be a whole number of at least 1.');
    const filled = tokens.filter((t) => t.symbol.trim() || t.contract.trim());
    const input: AdminRequest<'setChain'> = {
      chainId: id,
      rpcUrl: rpcUrl.trim() || undefined,
      treasury: treasury.trim() || undefined,
      confirmations: depth,
      tokens: filled.length ? filled.map((t) => ({ symbol: t.symbol.trim(), contract: t.contract.trim(), decimals: t.decimals.trim() === '' ? undefined : Number(t.decimals) })) : undefined,
    };
    setBusy(true);
    setError(null);
    try {
      const w = await useWallet.getState().setChain(input);
      if (w.length) setWarnings(w); else onClose();
    } catch (err) { setError(messageOf(err)); }
    setBusy(false);
  };

  return (
    <Modal title={chain ? `Configure ${chain.name}` : 'Configure a chain'} onClose={onClose} testId="chain-form" wide>
      <form className="form" onSubmit={submit}>
        <div className="form-row">
          <label>Chain id <input value={chainId} onChange={(e) => setChainId(e.target.value)} inputMode="numeric" required disabled={!!chain} data-testid="chain-id" placeholder="8453" /></label>
          <label>Confirmations <input value={confirmations} onChange={(e) => setConfirmations(e.target.value)} inputMode="numeric" data-testid="chain-confirmations" placeholder="catalog default" /></label>
        </div>
        <label>RPC URL <input value={rpcUrl} onChange={(e) => setRpcUrl(e.target.value)} data-testid="chain-rpc" placeholder="https://… (optional for known chains)" /></label>
        <label>Treasury address (receives deposits; watch-only, no key needed) <input value={treasury} onChange={(e) => setTreasury(e.target.value)} className="mono" data-testid="chain-treasury" placeholder="0x…" required={!chain} /></label>
        <fieldset className="token-rows">
          <legend>Tokens (empty: the catalog’s USDC/USDT for a known chain)</legend>
          {tokens.map((t, i) => (
            <div className="token-row" key={i} data-testid="chain-token">
              <input aria-label="Symbol" value={t.symbol} onChange={(e) => edit(i, { symbol: e.target.value })} placeholder="USDC" data-testid="chain-token-symbol" />
              <input aria-label="Contract" value={t.contract} onChange={(e) => edit(i, { contract: e.target.value })} className="mono" placeholder="0x… token contract" data-testid="chain-token-contract" />
              <input aria-label="Decimals" value={t.decimals} onChange={(e) => edit(i, { decimals: e.target.value })} inputMode="numeric" placeholder="auto" data-testid="chain-token-decimals" />
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setTokens(tokens.filter((_, j) => j !== i))} aria-label={`Remove token ${t.symbol}`}>✕</button>
            </div>
          ))}
          <div><button type="button" className="btn btn-small" onClick={() => setTokens([...tokens, { symbol: '', contract: '', decimals: '' }])}>+ Token</button></div>
        </fieldset>
        <p className="muted">The RPC is checked when it answers (chain id, token decimals). Only transfers of these contracts to the treasury are credited; a token of the same name elsewhere never is.</p>
        {warnings.length > 0 && <ul className="warn-box" data-testid="chain-warnings">{warnings.map((w) => <li key={w}>{w}</li>)}</ul>}
        {error && <p className="form-error" role="alert" data-testid="chain-form-error">{error}</p>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>{warnings.length ? 'Done' : 'Cancel'}</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="chain-submit">Save chain</button>
        </div>
      </form>
    </Modal>
  );
}
