import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../gateway/admin/contract';
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../components/States';
import { messageOf } from '../lib/resource';

/** Upstream providers: base URL, key (write-only), test connection, upstream balance. */
export function ProvidersSection() {
  const { data, error } = useSettings((s) => s.providers);
  return (
    <div className="card" id="providers" data-testid="settings-providers">
      <h2>Upstream providers</h2>
      <p className="muted">The gateway calls these with your own provider keys. Keys are stored encrypted by the OS (desktop) or in a file only you can read (headless), never in the database, and never shown again.</p>
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : data.map((p) => <ProviderForm key={p.id} provider={p} />)}
    </div>
  );
}

function ProviderForm({ provider }: { provider: ProviderView }) {
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [apiKey, setApiKey] = useState('');
  const [keepKey, setKeepKey] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const probe = useSettings((s) => s.probes[provider.id]);
  // The core refuses to send the stored key to another host unless the key is given again or this is ticked.
  const newHost = provider.hasKey && !apiKey.trim() ? movedTo(provider.baseUrl, baseUrl.trim()) : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await useSettings.getState().saveProvider(provider.id, baseUrl.trim(), apiKey.trim(), newHost !== null && keepKey);
      setApiKey('');
      setKeepKey(false);
    } catch (err) { setError(messageOf(err)); }
  };
  const run = (kind: 'test' | 'balance') => useSettings.getState().probe(provider.id, kind);
  return (
    <form className="provider" onSubmit={submit} data-testid={`provider-${provider.id}`}>
      <h3>{provider.name} <span className={`pill ${provider.hasKey ? 'pill-ok' : 'pill-warn'}`}>{provider.hasKey ? `key: ${provider.keySource}` : 'no key'}</span></h3>
      <div className="form-row">
        <label>Base URL <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required data-testid="provider-base-url" /></label>
        <label>API key <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" placeholder={provider.hasKey ? '•••••••• (unchanged)' : 'sk-…'} data-testid="provider-api-key" /></label>
      </div>
      {newHost && (
        <label className="switch" data-testid="provider-keep-key-row">
          <input type="checkbox" checked={keepKey} onChange={(e) => setKeepKey(e.target.checked)} data-testid="provider-keep-key" />
          {' '}Send the stored API key to <strong>{newHost}</strong> (otherwise enter the key for the new host)
        </label>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="actions actions-left">
        <button type="submit" className="btn btn-primary" data-testid="provider-save">Save</button>
        <button type="button" className="btn" onClick={() => run('test')} disabled={!provider.configured || probe?.busy} data-testid="provider-test">Test connection</button>
        <button type="button" className="btn" onClick={() => run('balance')} disabled={!provider.configured || probe?.busy} data-testid="provider-balance">Upstream balance</button>
      </div>
      {probe?.error && <p className="form-error" role="alert">{probe.error}</p>}
      {probe?.test && <p className={probe.test.ok ? 'ok-text' : 'form-error'} data-testid="provider-test-result">{probe.test.ok ? '✓' : '✕'} {probe.test.message} · {probe.test.latencyMs} ms{probe.test.models.length ? ` · ${probe.test.models.slice(0, 5).join(', ')}` : ''}</p>}
      {probe?.balance && <p className={probe.balance.available ? 'ok-text' : 'form-error'} data-testid="provider-balance-result">
        {probe.balance.balances.length ? probe.balance.balances.map((b) => `${b.total} ${b.currency}`).join(' · ') : probe.balance.message}{probe.balance.available ? '' : ` — ${probe.balance.message}`}
      </p>}
    </form>
  );
}

/** The new host when `to` would send the key somewhere other than `from` (or drop TLS); null otherwise or while typing. */
function movedTo(from: string, to: string): string | null {
  try {
    const a = new URL(from);
    const b = new URL(to);
    return a.host.toLowerCase() !== b.host.toLowerCase() || (a.protocol === 'https:' && b.protocol !== 'https:') ? b.host : null;
  } catch { return null; }
}
