import { useState, type FormEvent } from 'react';
import type { ProviderView } from '../../../gateway/admin/contract';
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../components/States';
import { messageOf } from '../lib/resource';
import { formatAgo } from '../lib/format';

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
  const [anthropicBaseUrl, setAnthropicBaseUrl] = useState(provider.anthropicBaseUrl ?? '');
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
      await useSettings.getState().saveProvider(provider.id, baseUrl.trim(), apiKey.trim(), { keepKey: newHost !== null && keepKey, anthropicBaseUrl: anthropicBaseUrl.trim() });
      setApiKey('');
      setKeepKey(false);
    } catch (err) { setError(messageOf(err)); }
  };
  const run = (kind: 'test' | 'balance') => useSettings.getState().probe(provider.id, kind);
  return (
    <form className="provider" onSubmit={submit} data-testid={`provider-${provider.id}`}>
      <h3>{provider.name} <span className="muted mono">{provider.id}</span>{' '}
        <span className={`pill ${provider.configured ? 'pill-ok' : 'pill-muted'}`} data-testid="provider-configured">{provider.configured ? 'configured' : 'not configured'}</span>{' '}
        <span className={`pill ${provider.hasKey ? 'pill-ok' : 'pill-warn'}`} data-testid="provider-key-source">{provider.hasKey ? `key: ${provider.keySource}` : provider.configured ? `no key (${provider.keySource})` : 'no key'}</span></h3>
      <p className="muted" data-testid="provider-status">
        Default model <span className="mono">{provider.defaultModel ?? '—'}</span>
        {' · '}last success {provider.lastSuccessAt ? formatAgo(provider.lastSuccessAt) : '—'}
        {' · '}last error {provider.lastError ? `${formatAgo(provider.lastError.at)}: ${provider.lastError.status.replace(/_/g, ' ')}${provider.lastError.message ? ` (${provider.lastError.message.slice(0, 160)})` : ''}` : '—'}
        {' · '}upstream balance <span data-testid="provider-balance-summary">{probe?.balance?.balances.length ? probe.balance.balances.map((b) => `${b.total} ${b.currency}`).join(' · ') : '—'}</span>
      </p>
      <div className="form-row">
        <label>Base URL <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} required data-testid="provider-base-url" /></label>
        {provider.baseUrlPresets.length > 0 && (
          <label>Preset <select value={provider.baseUrlPresets.some((b) => b.url === baseUrl) ? baseUrl : ''} onChange={(e) => { if (e.target.value) setBaseUrl(e.target.value); }} data-testid="provider-preset">
            <option value="">custom</option>
            {provider.baseUrlPresets.map((b) => <option key={b.url} value={b.url}>{b.region === 'china' ? 'China' : b.region === 'international' ? 'International' : 'Global'} · {b.label}</option>)}
          </select></label>
        )}
        <label>API key <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value)} autoComplete="off" placeholder={provider.hasKey ? '•••••••• (unchanged)' : 'sk-…'} data-testid="provider-api-key" /></label>
      </div>
      <div className="form-row">
        <label title="When set, /v1/messages requests for this provider's models go to its own Anthropic Messages endpoint instead of being translated onto chat completions; billed the same way.">Native Anthropic endpoint for /v1/messages (optional; blank: translated onto chat) <input value={anthropicBaseUrl} onChange={(e) => setAnthropicBaseUrl(e.target.value)} placeholder="https://…/anthropic" data-testid="provider-anthropic-url" /></label>
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
