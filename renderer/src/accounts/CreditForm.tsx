import { useState, type FormEvent } from 'react';
import type { AccountView } from '../../../gateway/admin/contract';
import { useAccounts } from './accounts-store';
import { formatUsd, parseUsd } from '../lib/money';
import { messageOf } from '../lib/resource';

/** Adds credit, or takes some back, as a new journal posting with a note (never an edit). */
export function CreditForm({ account }: { account: AccountView }) {
  const [direction, setDirection] = useState<'credit' | 'debit'>('credit');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const micro = parseUsd(amount);
    if (micro == null || micro <= 0) return setError('Enter a positive dollar amount, e.g. 20 or 2.50 (up to 6 decimals).');
    setBusy(true);
    setError(null);
    try {
      await useAccounts.getState().credit(account.id, direction === 'credit' ? micro : -micro, note.trim());
      setAmount('');
      setNote('');
    } catch (err) { setError(messageOf(err)); }
    setBusy(false);
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="credit-form">
      <h2>Add credit to “{account.name}”</h2>
      <fieldset className="segmented">
        <legend className="sr-only">Direction</legend>
        <label><input type="radio" name="dir" checked={direction === 'credit'} onChange={() => setDirection('credit')} /> Credit (top-up)</label>
        <label><input type="radio" name="dir" checked={direction === 'debit'} onChange={() => setDirection('debit')} data-testid="credit-debit" /> Adjustment (take back)</label>
      </fieldset>
      <label>Amount (USD) <input value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" placeholder="20.00" data-testid="credit-amount" required /></label>
      <label>Note <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder="e.g. paid by bank transfer, invoice 42" data-testid="credit-note" /></label>
      <p className="muted">Available now: {formatUsd(account.availableMicroUsd)}. Every change is a journal posting; mistakes are corrected with an adjustment.</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="actions"><button type="submit" className="btn btn-primary" disabled={busy} data-testid="credit-submit">{direction === 'credit' ? 'Add credit' : 'Post adjustment'}</button></div>
    </form>
  );
}
