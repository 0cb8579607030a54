import { useState, type FormEvent } from 'react';
import type { FxRow, ModelRow } from '../../../gateway/admin/contract';
import { api } from '../api/api';
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../components/States';
import { toast } from '../components/toast-store';
import { formatUsd, parseUsd } from '../lib/money';
import { messageOf } from '../lib/resource';

const routesText = (m: ModelRow) => m.routes.map((r) => `${r.provider}:${r.upstreamModel}`).join(' → ');

/** Models: the catalog's and the operator's, their routes and aliases, and the CNY exchange rate. */
export function ModelsSection() {
  const { data, error } = useSettings((s) => s.models);
  const providers = useSettings((s) => s.providers.data);
  const change = useSettings((s) => s.changeModels);
  const remove = (m: ModelRow) => change(m.source === 'operator' ? `Removed ${m.id}` : `${m.id} is served by its own provider again`, () => api.removeModel({ id: m.id })).catch((e) => toast(messageOf(e), 'error'));
  return (
    <div className="card" id="models" data-testid="settings-models">
      <h2>Models</h2>
      <p className="muted">Every model clients can name. Add an upstream model without waiting for a release, route a model to several providers (a failure before the first byte moves on to the next; billed once, at the model’s price), and give models aliases (e.g. claude-haiku-4-5 → deepseek-flash). A model is refused until it has a price (see Prices).</p>
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : (
        <table className="table" data-testid="models-table">
          <thead><tr><th>Model</th><th>Provider · upstream</th><th>Priced</th><th>Aliases</th><th>Routes</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {data.map((m) => (
              <tr key={m.id} data-testid="model-row" data-model={m.id}>
                <td className="mono">{m.id}{m.source === 'operator' && <span className="pill pill-muted"> yours</span>}</td>
                <td className="mono">{m.provider} · {m.upstreamModel}</td>
                <td><span className={`pill ${m.priced ? 'pill-ok' : 'pill-warn'}`} data-testid="model-priced">{m.priced ? 'priced' : 'not priced'}</span></td>
                <td className="mono" data-testid="model-aliases">{m.aliases.map((a) => (
                  <span key={a} className="chip">{a} <button type="button" className="btn-link" aria-label={`Remove alias ${a}`} data-testid="alias-remove"
                    onClick={() => void change(`Alias ${a} removed`, () => api.removeModel({ id: a })).catch((e) => toast(messageOf(e), 'error'))}>×</button> </span>
                ))}</td>
                <td className="mono" data-testid="model-routes">{m.routes.length > 1 || m.source === 'operator' ? routesText(m) : ''}</td>
                <td className="row-actions">
                  {(m.source === 'operator' || m.routes.length > 1) && <button type="button" className="btn btn-small" onClick={() => void remove(m)} data-testid="model-remove">{m.source === 'operator' ? 'Remove' : 'Reset routes'}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddModelForm providers={(providers ?? []).map((p) => p.id)} />
      <RouteForm />
      <AliasForm models={data ?? []} />
      <FxForm />
    </div>
  );
}

/** Small inline form plumbing: submit → action → reset or show the error. */
function useForm(action: () => Promise<void>, reset: () => void) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try { await action(); reset(); } catch (err) { setError(messageOf(err)); }
  };
  return { error, submit };
}

function AddModelForm({ providers }: { providers: string[] }) {
  const [v, setV] = useState({ id: '', provider: '', upstreamModel: '', maxOutput: '', context: '' });
  const n = (s: string) => (s.trim() ? Number(s) : null);
  const { error, submit } = useForm(() => useSettings.getState().changeModels(`Added ${v.id}`, () => api.addModel({
    id: v.id.trim(), provider: v.provider || providers[0], upstreamModel: v.upstreamModel.trim(), maxOutputTokens: n(v.maxOutput), contextTokens: n(v.context),
  })), () => setV({ id: '', provider: v.provider, upstreamModel: '', maxOutput: '', context: '' }));
  return (
    <form className="form-inline" onSubmit={submit} data-testid="model-add-form">
      <h3>Add a model</h3>
      <div className="form-row">
        <label>Model id <input value={v.id} onChange={(e) => setV({ ...v, id: e.target.value })} required placeholder="qwen-coder" data-testid="model-add-id" /></label>
        <label>Provider <select value={v.provider || providers[0] || ''} onChange={(e) => setV({ ...v, provider: e.target.value })} data-testid="model-add-provider">
          {providers.map((p) => <option key={p} value={p}>{p}</option>)}
        </select></label>
        <label>Upstream model <input value={v.upstreamModel} onChange={(e) => setV({ ...v, upstreamModel: e.target.value })} required placeholder="qwen3-coder-plus" data-testid="model-add-upstream" /></label>
        <label>Max output <input value={v.maxOutput} onChange={(e) => setV({ ...v, maxOutput: e.target.value })} inputMode="numeric" placeholder="32768" data-testid="model-add-max-output" /></label>
        <label>Context <input value={v.context} onChange={(e) => setV({ ...v, context: e.target.value })} inputMode="numeric" placeholder="1048576" data-testid="model-add-context" /></label>
        <button type="submit" className="btn btn-primary" data-testid="model-add-save">Add</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}

function RouteForm() {
  const [id, setId] = useState('');
  const [routes, setRoutes] = useState('');
  const { error, submit } = useForm(() => {
    const list = routes.split(/[\s,]+/).filter(Boolean).map((s) => {
      const i = s.indexOf(':');
      if (i < 1 || i === s.length - 1) throw new Error(`a route is provider:upstream-model, got "${s}"`);
      return { provider: s.slice(0, i), upstreamModel: s.slice(i + 1) };
    });
    return useSettings.getState().changeModels(`Routed ${id}`, () => api.routeModel({ id: id.trim(), routes: list }));
  }, () => { setId(''); setRoutes(''); });
  return (
    <form className="form-inline" onSubmit={submit} data-testid="model-route-form">
      <h3>Route a model</h3>
      <div className="form-row">
        <label>Model id (new or existing) <input value={id} onChange={(e) => setId(e.target.value)} required data-testid="model-route-id" /></label>
        <label>Upstreams, in order <input value={routes} onChange={(e) => setRoutes(e.target.value)} required placeholder="deepseek:deepseek-v4-pro siliconflow:deepseek-ai/DeepSeek-V4-Pro" data-testid="model-route-list" /></label>
        <button type="submit" className="btn btn-primary" data-testid="model-route-save">Save routes</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}

function AliasForm({ models }: { models: ModelRow[] }) {
  const [alias, setAlias] = useState('');
  const [model, setModel] = useState('');
  const { error, submit } = useForm(() => useSettings.getState().changeModels(`Alias ${alias} → ${model}`, () => api.aliasModel({ alias: alias.trim(), model: model.trim() })),
    () => { setAlias(''); setModel(''); });
  return (
    <form className="form-inline" onSubmit={submit} data-testid="model-alias-form">
      <h3>Alias</h3>
      <div className="form-row">
        <label>Alias <input value={alias} onChange={(e) => setAlias(e.target.value)} required placeholder="claude-haiku-4-5" data-testid="model-alias-name" /></label>
        <label>Model <input value={model} onChange={(e) => setModel(e.target.value)} required list="model-ids" placeholder="deepseek-flash" data-testid="model-alias-target" /></label>
        <datalist id="model-ids">{models.map((m) => <option key={m.id} value={m.id} />)}</datalist>
        <button type="submit" className="btn btn-primary" data-testid="model-alias-save">Save alias</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}

function FxForm() {
  const rows = useSettings((s) => s.fx.data);
  return (
    <div data-testid="fx-section">
      <h3>Exchange rates</h3>
      <p className="muted">CNY catalog prices convert to USD at this rate (rounded up per price, never down). The catalog ships a default; set your own to follow the market.</p>
      {(rows ?? []).map((r) => <FxRowForm key={r.currency} row={r} />)}
    </div>
  );
}

function FxRowForm({ row }: { row: FxRow }) {
  const [v, setV] = useState(formatUsd(row.microUsdPerUnit).replace(/[$,]/g, ''));
  const { error, submit } = useForm(async () => {
    const micro = parseUsd(v);
    if (micro == null || micro <= 0) throw new Error('The rate is a positive number of USD per unit, at most 6 decimals (e.g. 0.1389).');
    await useSettings.getState().setFx(row.currency, micro);
  }, () => {});
  return (
    <form className="form-inline" onSubmit={submit} data-testid={`fx-${row.currency}`}>
      <div className="form-row">
        <label>1 {row.currency} in USD <input value={v} onChange={(e) => setV(e.target.value)} inputMode="decimal" data-testid="fx-rate" /></label>
        <span className="muted" data-testid="fx-source">{row.source === 'operator' ? 'set by you' : 'catalog default'} · catalog {formatUsd(row.catalogMicroUsdPerUnit)}</span>
        <button type="submit" className="btn btn-primary" data-testid="fx-save">Save rate</button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}
