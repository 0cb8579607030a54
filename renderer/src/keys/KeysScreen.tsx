import { useCallback, useEffect, useState } from 'react';
import type { KeyView } from '../../../gateway/admin/contract';
import { useKeys } from './keys-store';
import { KeyForm } from './KeyForm';
import { KeyCreatedDialog } from './KeyCreatedDialog';
import { Confirm } from '../components/Modal';
import { Empty, ErrorBox, Loading } from '../components/States';
import { toast } from '../components/toast-store';
import { formatUsd } from '../lib/money';
import { formatAgo, formatTime } from '../lib/format';
import { messageOf } from '../lib/resource';
import { useLiveRefresh } from '../lib/use-live';
import { useShallow } from 'zustand/react/shallow';

/** A key's budget (with this period's spend and reset), rate limits, expiry and models, in a few words. */
function KeyControls({ k }: { k: KeyView }) {
  const parts: string[] = [];
  if (k.budgetMicroUsd != null) parts.push(`${formatUsd(k.periodSpentMicroUsd ?? 0)} of ${formatUsd(k.budgetMicroUsd)} this ${k.budgetPeriod}`);
  if (k.rpm != null) parts.push(`${k.rpm} req/min`);
  if (k.tpm != null) parts.push(`${k.tpm.toLocaleString('en-US')} tok/min`);
  if (k.concurrency != null) parts.push(`${k.concurrency} in flight`);
  if (k.allowedModels) parts.push(k.allowedModels.join(', '));
  const expired = k.expiresAt != null && k.expiresAt <= Date.now();
  return (
    <span className={expired ? 'pill pill-muted' : undefined} title={k.periodResetsAt ? `budget resets ${formatTime(k.periodResetsAt)}` : undefined}>
      {parts.length ? parts.join(' · ') : <span className="muted">none</span>}
      {k.expiresAt != null && <span className="muted">{` · ${expired ? 'expired' : 'expires'} ${formatTime(k.expiresAt)}`}</span>}
    </span>
  );
}

/** Keys: who may call the gateway, on which account, with what limit. */
export function KeysScreen() {
  const { data, error, load, created } = useKeys(useShallow((s) => ({ data: s.data, error: s.error, load: s.load, created: s.created })));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<KeyView | null>(null);
  const [revoking, setRevoking] = useState<KeyView | null>(null);
  useEffect(() => { void load(); }, [load]);
  useLiveRefresh(useCallback(() => void load(true), [load]));
  if (error && !data) return <ErrorBox error={error} onRetry={() => load()} />;
  if (!data) return <Loading />;
  const { keys, accounts } = data;
  return (
    <section className="screen" data-testid="screen-keys">
      <header className="screen-head">
        <h1>Keys</h1>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="create-key">+ Create key</button>
      </header>
      {keys.length === 0 ? (
        <Empty title="No keys yet" testId="keys-empty">Create a key for each app or teammate; you’ll get a ready-to-paste setup for their client.</Empty>
      ) : (
        <div className="card card-flush">
          <table className="table" data-testid="keys-table">
            <thead><tr><th>Key</th><th>Name</th><th>Account</th><th>Status</th><th>Created</th><th>Last used</th><th className="num">Spent</th><th className="num">Limit</th><th>Controls</th><th><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} data-testid="key-row" data-key-id={k.id} data-status={k.status}>
                  <td className="mono">{k.prefix}…</td>
                  <td>{k.name ?? <span className="muted">—</span>}</td>
                  <td>{k.accountName}</td>
                  <td><span className={`pill ${k.status === 'active' ? 'pill-ok' : 'pill-muted'}`} data-testid="key-status">{k.status}</span></td>
                  <td title={formatTime(k.createdAt)}>{formatAgo(k.createdAt)}</td>
                  <td title={formatTime(k.lastUsedAt)}>{formatAgo(k.lastUsedAt)}</td>
                  <td className="num">{formatUsd(k.spentMicroUsd)}</td>
                  <td className="num">{k.limitMicroUsd == null ? <span className="muted">none</span> : formatUsd(k.limitMicroUsd)}</td>
                  <td data-testid="key-controls"><KeyControls k={k} /></td>
                  <td className="row-actions">
                    {k.status === 'active' && <>
                      <button type="button" className="btn btn-small" onClick={() => setEditing(k)} data-testid="edit-key">Edit</button>
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(k)} data-testid="revoke-key">Revoke</button>
                    </>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <KeyForm accounts={accounts} onClose={() => setCreating(false)} onSubmit={async (v) => {
        await useKeys.getState().create(v);
        setCreating(false);
      }} />}
      {editing && <KeyForm accounts={accounts} editing={editing} onClose={() => setEditing(null)} onSubmit={async ({ accountId: _unchanged, ...changes }) => {
        await useKeys.getState().update(editing.id, changes);
        setEditing(null);
      }} />}
      {revoking && <Confirm title="Revoke this key?" testId="revoke-confirm" confirmLabel="Revoke key" onClose={() => setRevoking(null)}
        body={<p>Key <code>{revoking.prefix}…</code>{revoking.name ? ` (${revoking.name})` : ''} stops working on its next request. This cannot be undone; create a new key if you need one.</p>}
        onConfirm={async () => {
          const k = revoking;
          setRevoking(null);
          try { await useKeys.getState().revoke(k.id); } catch (err) { toast(messageOf(err), 'error'); }
        }} />}
      {created && <KeyCreatedDialog created={created} onClose={() => useKeys.getState().dismissCreated()} />}
    </section>
  );
}
