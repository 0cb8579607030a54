import { useEffect, useState, type FormEvent } from 'react';
import type { AccountView } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { formatUsd, parseUsd } from '../lib/money';
import { messageOf } from '../lib/resource';
import { useAccounts } from './accounts-store';

/** The balance below which the operator is notified once (desktop notification, webhook when set). */
export function LowBalanceForm({ account }: { account: AccountView }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setValue(account.lowBalanceMicroUsd == null ? '' : formatUsd(account.lowBalanceMicroUsd).replace('$', '')); }, [account.id, account.lowBalanceMicroUsd]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const micro = value.trim() === '' ? null : parseUsd(value);
    if (micro !== null && micro < 0) return setError('Enter a dollar amount, or leave it empty for no notification.');
    if (value.trim() !== '' && micro === null) return setError('Enter a dollar amount, e.g. 5 or 2.50.');
    setError(null);
    try {
      await unwrap(api.updateAccount({ accountId: account.id, lowBalanceMicroUsd: micro }));
      toast(micro === null ? `No low-balance notification for “${account.name}”` : `You will be told when “${account.name}” falls below ${formatUsd(micro)}`);
      await useAccounts.getState().load(true);
    } catch (err) { setError(messageOf(err)); }
  };
  return (
    <form className="card form" onSubmit={save} data-testid="low-balance-form">
      <h2>Low-balance notification</h2>
      <label>Notify me when the balance falls below (USD) <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" placeholder="none" data-testid="low-balance-amount" /></label>
      <p className="muted">Sent once each time the balance crosses below it: a desktop notification, and the webhook set in Settings when there is one.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="actions"><button type="submit" className="btn" data-testid="low-balance-save">Save</button></div>
    </form>
  );
}
