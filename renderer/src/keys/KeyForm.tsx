import { useState, type FormEvent } from 'react';
import type { AccountView, KeyView } from '../../../gateway/admin/contract';
import { Modal } from '../components/Modal';
import { messageOf } from '../lib/resource';
import { formatUsd, parseUsd } from '../lib/money';

interface Props {
  accounts: AccountView[];
  /** Editing an existing key (name + limit); otherwise creating one. */
  editing?: KeyView;
  onSubmit(v: { accountId: number; name: string; limitMicroUsd: number | null }): Promise<void>;
  onClose(): void;
}

/** Create a key, or edit a key's name and spending limit. */
export function KeyForm({ accounts, editing, onSubmit, onClose }: Props) {
  const [name, setName] = useState(editing?.name ?? '');
  const [accountId, setAccountId] = useState(editing?.accountId ?? accounts[0]?.id ?? 0);
  const [limit, setLimit] = useState(editing?.limitMicroUsd != null ? formatUsd(editing.limitMicroUsd).replace(/[$,]/g, '') : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const limitMicroUsd = limit.trim() ? parseUsd(limit) : null;
    if (limit.trim() && (limitMicroUsd == null || limitMicroUsd < 0)) return setError('Limit must be a dollar amount like 25 or 2.50.');
    setBusy(true);
    try { await onSubmit({ accountId, name: name.trim(), limitMicroUsd }); } catch (err) { setError(messageOf(err)); setBusy(false); }
  };
  return (
    <Modal title={editing ? `Edit key ${editing.prefix}…` : 'Create a key'} onClose={onClose} testId="key-form">
      <form onSubmit={submit} className="form">
        <label>Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. claude-code on laptop" maxLength={100} data-testid="key-name" autoFocus /></label>
        {!editing && (
          <label>Account <select value={accountId} onChange={(e) => setAccountId(Number(e.target.value))} data-testid="key-account">
            {accounts.map((a) => <option key={a.id} value={a.id}>{a.name} ({formatUsd(a.availableMicroUsd)} available)</option>)}
          </select></label>
        )}
        <label>Spending limit (USD, optional) <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" placeholder="no limit" data-testid="key-limit" /></label>
        <p className="muted">The key can spend the account’s credit up to this amount in total. Leave empty for no limit.</p>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={busy || !accountId} data-testid="key-submit">{editing ? 'Save' : 'Create key'}</button>
        </div>
      </form>
    </Modal>
  );
}
