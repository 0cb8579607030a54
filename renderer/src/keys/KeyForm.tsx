import { useState, type FormEvent } from 'react';
import type { AccountView, BudgetPeriod, KeyView } from '../../../gateway/admin/contract';
import type { KeyChanges } from './keys-store';
import { Modal } from '../components/Modal';
import { messageOf } from '../lib/resource';
import { formatUsd, parseUsd } from '../lib/money';

interface Props {
  accounts: AccountView[];
  /** Editing an existing key; otherwise creating one. */
  editing?: KeyView;
  onSubmit(v: KeyChanges & { accountId: number }): Promise<void>;
  onClose(): void;
}

const usdText = (micro: number | null | undefined) => (micro != null ? formatUsd(micro).replace(/[$,]/g, '') : '');
const countText = (n: number | null | undefined) => (n != null ? String(n) : '');
/** An epoch ms as the value of a local `datetime-local` input. */
const localInput = (ms: number | null | undefined) => {
  if (ms == null) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** Create a key, or edit its name, spend limit, period budget, rate limits, expiry and allowed models. */
export function KeyForm({ accounts, editing, onSubmit, onClose }: Props) {
  const [name, setName] = useState(editing?.name ?? '');
  const [accountId, setAccountId] = useState(editing?.accountId ?? accounts[0]?.id ?? 0);
  const [limit, setLimit] = useState(usdText(editing?.limitMicroUsd));
  const [budget, setBudget] = useState(usdText(editing?.budgetMicroUsd));
  const [period, setPeriod] = useState<BudgetPeriod>(editing?.budgetPeriod ?? 'month');
  const [rpm, setRpm] = useState(countText(editing?.rpm));
  const [tpm, setTpm] = useState(countText(editing?.tpm));
  const [concurrency, setConcurrency] = useState(countText(editing?.concurrency));
  const [expires, setExpires] = useState(localInput(editing?.expiresAt));
  const [models, setModels] = useState(editing?.allowedModels?.join(', ') ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const money = (text: string, what: string): number | null => {
      if (!text.trim()) return null;
      const v = parseUsd(text);
      if (v == null || v < 0) throw new Error(`${what} must be a dollar amount like 25 or 2.50.`);
      return v;
    };
    const count = (text: string, what: string): number | null => {
      if (!text.trim()) return null;
      if (!/^\d+$/.test(text.trim()) || Number(text) < 1) throw new Error(`${what} must be a whole number of at least 1.`);
      return Number(text);
    };
    let changes: KeyChanges;
    try {
      const budgetMicroUsd = money(budget, 'Budget');
      const expiresAt = expires ? new Date(expires).getTime() : null;
      if (expiresAt !== null && Number.isNaN(expiresAt)) throw new Error('Expiry must be a date and time.');
      const allowed = models.split(',').map((m) => m.trim()).filter(Boolean);
      changes = {
        name: name.trim() || null, limitMicroUsd: money(limit, 'Limit'), budgetMicroUsd, budgetPeriod: budgetMicroUsd === null ? null : period,
        rpm: count(rpm, 'Requests per minute'), tpm: count(tpm, 'Tokens per minute'), concurrency: count(concurrency, 'Concurrency'),
        expiresAt, allowedModels: allowed.length ? allowed : null,
      };
    } catch (err) { return setError((err as Error).message); }
    setBusy(true);
    try { await onSubmit({ ...changes, accountId }); } catch (err) { setError(messageOf(err)); setBusy(false); }
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
        <label>Spending limit, lifetime (USD, optional) <input value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" placeholder="no limit" data-testid="key-limit" /></label>
        <div className="form-row">
          <label>Budget (USD, optional) <input value={budget} onChange={(e) => setBudget(e.target.value)} inputMode="decimal" placeholder="no budget" data-testid="key-budget" /></label>
          <label>per <select value={period} onChange={(e) => setPeriod(e.target.value as BudgetPeriod)} data-testid="key-budget-period">
            <option value="day">day</option><option value="week">week</option><option value="month">month</option>
          </select></label>
        </div>
        <p className="muted">The key spends the account’s credit up to its lifetime limit and, per day, week or month (in the gateway’s time zone), up to its budget. Held credit counts, so concurrent requests never overshoot.</p>
        <div className="form-row">
          <label>Requests / min <input value={rpm} onChange={(e) => setRpm(e.target.value)} inputMode="numeric" placeholder="unlimited" data-testid="key-rpm" /></label>
          <label>Tokens / min <input value={tpm} onChange={(e) => setTpm(e.target.value)} inputMode="numeric" placeholder="unlimited" data-testid="key-tpm" /></label>
          <label>In flight <input value={concurrency} onChange={(e) => setConcurrency(e.target.value)} inputMode="numeric" placeholder="default" data-testid="key-concurrency" /></label>
        </div>
        <label>Expires (optional) <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="key-expires" /></label>
        <label>Allowed models (comma-separated, optional) <input value={models} onChange={(e) => setModels(e.target.value)} placeholder="every priced model" data-testid="key-models" /></label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={busy || !accountId} data-testid="key-submit">{editing ? 'Save' : 'Create key'}</button>
        </div>
      </form>
    </Modal>
  );
}
