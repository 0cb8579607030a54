import type { ChainView } from '../../../gateway/admin/contract';

/** A chain's watcher state in words: live, syncing with percent, error with its message. */
export function ChainStatusBadge({ chain }: { chain: ChainView }) {
  const pct = chain.progress?.percent ?? 0;
  switch (chain.status) {
    case 'live': return <span className="pill pill-ok" data-testid="chain-status">live</span>;
    case 'syncing': return (
      <span className="chain-sync">
        <span className="pill pill-warn" data-testid="chain-status">syncing {pct}%</span>
        <progress max={100} value={pct} aria-label={`Catching up: ${pct}%`} />
        {chain.progress && <span className="muted">{chain.progress.behindBlocks.toLocaleString('en-US')} blocks behind</span>}
      </span>
    );
    case 'error': return <span className="pill pill-bad" data-testid="chain-status">error</span>;
    case 'disabled': return <span className="pill" data-testid="chain-status">disabled</span>;
    default: return <span className="pill" data-testid="chain-status">starting</span>;
  }
}

/** Every configured chain: status, depth, tokens, head block; an edit button per chain. */
export function ChainList({ chains, onEdit, onAdd }: { chains: ChainView[]; onEdit: (c: ChainView) => void; onAdd: () => void }) {
  return (
    <div className="card" data-testid="chains">
      <div className="card-head">
        <h2>Chains</h2>
        <button type="button" className="btn btn-small" onClick={onAdd} data-testid="configure-chain">+ Configure chain</button>
      </div>
      <ul className="chain-list">
        {chains.map((c) => (
          <li key={c.chainId} data-testid="chain-row" data-chain-id={c.chainId}>
            <div className="chain-line">
              <strong>{c.name}</strong> <span className="muted">#{c.chainId}</span>
              <ChainStatusBadge chain={c} />
              <span className="muted">{c.tokens.map((t) => t.symbol).join(', ') || 'no tokens'} · {c.confirmations} confirmation{c.confirmations === 1 ? '' : 's'}{c.headBlock != null ? ` · block ${c.headBlock.toLocaleString('en-US')}` : ''}</span>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => onEdit(c)} data-testid="edit-chain">Edit</button>
            </div>
            {c.status === 'error' && c.lastError && <p className="form-error" role="alert" data-testid="chain-error">{c.lastError}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
