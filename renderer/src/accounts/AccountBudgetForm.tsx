import { useEffect, useState, type FormEvent } from 'react';
import type { AccountView, BudgetPeriod } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { formatUsd, parseUsd } from '../lib/money';
import { messageOf } from '../lib/resource';
import { useAccounts } from './accounts-store';

const usdText = (micro: number | null) => (micro == null ? '' : formatUsd(micro).replace('$', ''));

/** The account's spending budget per day, week or month, shared by all its keys and enforced by every hold. */
export function AccountBudgetForm({ account }: { account: AccountView }) {
  const [value, setValue] = useState('');
  const [period, setPeriod] = useState<BudgetPeriod>('month');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setValue(usdText(account.budgetMicroUsd));
    setPeriod(account.budgetPeriod ?? 'month');
  }, [account.id, account.budgetMicroUsd, account.budgetPeriod]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const micro = value.trim() === '' ? null : parseUsd(value);
    if (value.trim() !== '' && (micro === null || micro < 0)) return setError('Enter a dollar amount, e.g. 50 or 12.50, or leave it empty for no budget.');
    setError(null);
    try {
      await unwrap(api.updateAccount({ accountId: account.id, budgetMicroUsd: micro, budgetPeriod: micro === null ? null : period }));
      toast(micro === null ? `“${account.name}” has no period budget` : `“${account.name}” may spend ${formatUsd(micro)} per ${period}`);
      await useAccounts.getState().load(true);
    } catch (err) { setError(messageOf(err)); }
  };
  return (
    <form className="card form" onSubmit={save} data-testid="account-budget-form">
      <h2>Budget</h2>
      <div className="form-row">
        <label>Spend at most (USD) <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" placeholder="no budget" data-testid="account-budget-amount" /></label>
        <label>per <select value={period} onChange={(e) => setPeriod(e.target.value as BudgetPeriod)} data-testid="account-budget-period">
          <option value="day">day</option><option value="week">week</option><option value="month">month</option>
        </select></label>
      </div>
      <p className="muted">Shared by all of the account’s keys, reset at the start of each period in the gateway’s time zone. Held credit counts, so concurrent requests never overshoot it; a request that would is refused with 402 saying when the budget resets.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="actions"><button type="submit" className="btn" data-testid="account-budget-save">Save</button></div>
    </form>
  );
}
