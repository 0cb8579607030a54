import { useState, type FormEvent } from 'react';
import type { LinkedWalletView, WalletChallengeView } from '../../../gateway/admin/contract';
import { CopyButton } from '../components/CopyButton';
import { Empty } from '../components/States';
import { formatAgo } from '../lib/format';
import { messageOf } from '../lib/resource';
import { useWallet } from './wallet-store';

/** The payer wallets whose transfers credit this account automatically; link and unlink. */
export function LinkedWallets({ account, links }: { account: string; links: LinkedWalletView[] }) {
  const [address, setAddress] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Proving ownership: the core issues a message (single-use nonce, expiring); the payer signs it in their wallet.
  const [challenge, setChallenge] = useState<WalletChallengeView | null>(null);
  const [signature, setSignature] = useState('');
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try { await f(); } catch (err) { setError(messageOf(err)); }
    setBusy(false);
  };
  const done = () => { setAddress(''); setChallenge(null); setSignature(''); };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => { await useWallet.getState().link(address.trim()); done(); });
  };
  const askToSign = () => void run(async () => { setSignature(''); setChallenge(await useWallet.getState().challenge(address.trim())); });
  const linkVerified = (e: FormEvent) => {
    e.preventDefault();
    if (!challenge) return;
    void run(async () => { await useWallet.getState().link(challenge.address, { message: challenge.message, signature: signature.trim() }); done(); });
  };
  return (
    <div className="card" data-testid="linked-wallets">
      <h2>Linked wallets of “{account}”</h2>
      {links.length === 0 ? <Empty title="No linked wallets" testId="links-empty">Link the address your team pays from, and its deposits are credited here without an assign step.</Empty> : (
        <table className="table table-compact">
          <tbody>
            {links.map((l) => (
              <tr key={l.address} data-testid="linked-row">
                <td><code className="break" data-testid="linked-address">{l.address}</code></td>
                <td>{l.verified ? <span className="pill pill-ok" title="Ownership proven by a signed message">verified</span> : <span className="pill">unverified</span>}</td>
                <td className="muted nowrap">{formatAgo(l.createdAt)}</td>
                <td className="row-actions"><button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void run(() => useWallet.getState().unlink(l.address))} data-testid="unlink">Unlink</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={submit}>
        <label className="grow">Payer address <input value={address} onChange={(e) => setAddress(e.target.value)} className="mono" placeholder="0x…" required data-testid="link-address" /></label>
        <button type="submit" className="btn" disabled={busy} data-testid="link-submit">Link</button>
        <button type="button" className="btn" disabled={busy || !address.trim()} onClick={askToSign} data-testid="link-challenge">Prove ownership…</button>
      </form>
      {challenge && (
        <form className="link-proof" onSubmit={linkVerified} data-testid="link-proof">
          <p className="muted">Sign this message exactly with {challenge.address} (personal_sign, e.g. in MetaMask or <code>cast wallet sign</code>); it works once, until {new Date(challenge.expiresAt).toLocaleTimeString()}.</p>
          <pre className="mono" data-testid="link-challenge-message">{challenge.message}</pre>
          <CopyButton text={challenge.message} label="Copy message" testId="link-challenge-copy" />
          <label>Signature <input value={signature} onChange={(e) => setSignature(e.target.value)} className="mono" placeholder="0x…" required pattern="0x[0-9a-fA-F]+" data-testid="link-signature" /></label>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="link-verified-submit">Link as verified</button>
        </form>
      )}
      {error && <p className="form-error" role="alert" data-testid="link-error">{error}</p>}
    </div>
  );
}
