import { useState, type FormEvent } from 'react';
import { useAccounts } from './accounts-store';
import { Modal } from '../components/Modal';
import { messageOf } from '../lib/resource';

/** Creates a customer account (a team, a project, a client). */
export function NewAccountForm({ onClose }: { onClose: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try { await useAccounts.getState().createAccount(name.trim()); onClose(); } catch (err) { setError(messageOf(err)); }
  };
  return (
    <Modal title="New account" onClose={onClose} testId="account-form">
      <form className="form" onSubmit={submit}>
        <label>Name <input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required autoFocus data-testid="account-name" placeholder="e.g. backend-team" /></label>
        <p className="muted">Letters, digits, spaces, dots, dashes and underscores. Each account has its own credit; keys spend from one account.</p>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="actions"><button type="button" className="btn" onClick={onClose}>Cancel</button><button type="submit" className="btn btn-primary" data-testid="account-submit">Create</button></div>
      </form>
    </Modal>
  );
}
