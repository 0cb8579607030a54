import { useState, type FormEvent } from 'react';
import type { PriceRow } from '../../../gateway/admin/contract';
import { useSettings } from './settings-store';
import { Modal } from '../components/Modal';
import { ErrorBox, Loading } from '../components/States';
import { toast } from '../components/toast-store';
import { formatPerMtok, formatUsd, parseUsd } from '../lib/money';
import { messageOf } from '../lib/resource';

/** What clients pay per model: the catalog price in force now, or the operator's flat override. */
export function PricesSection() {
  const { data, error } = useSettings((s) => s.prices);
  const [editing, setEditing] = useState<PriceRow | null>(null);
  return (
    <div className="card" id="prices" data-testid="settings-prices">
      <h2>Prices</h2>
      <p className="muted">Per million tokens, charged to your accounts, in USD (CNY catalog prices converted at the exchange rate under Models, rounded up). Catalog prices follow the provider’s peak/off-peak schedule or input-length tiers; an override is one flat price at all hours.</p>
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : (
        <table className="table">
          <thead><tr><th>Model</th><th>Source</th><th className="num">Input (miss)</th><th className="num">Cached input</th><th className="num">Cache write</th><th className="num">Output</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.model} data-testid="price-row">
                <td>{p.model}</td>
                <td><span className={`pill ${p.source === 'override' ? 'pill-warn' : 'pill-muted'}`}>{p.source === 'override' ? 'override' : !p.currency ? 'not priced' : `catalog${p.tier ? ` · ${p.tier}` : ''}${p.currency !== 'USD' ? ` · ${p.currency}` : ''}`}</span></td>
                <td className="num">{formatPerMtok(p.inputMicroUsdPerMtok)}{p.inputTiers && <span className="muted" title={tiersTitle(p)} data-testid="price-tiers"> (+{p.inputTiers.length - 1} input-length tiers)</span>}</td>
                <td className="num">{formatPerMtok(p.cachedInputMicroUsdPerMtok)}</td>
                <td className="num">{formatPerMtok(p.cacheWriteMicroUsdPerMtok)}</td>
                <td className="num">{formatPerMtok(p.outputMicroUsdPerMtok)}</td>
                <td className="row-actions">
                  <button type="button" className="btn btn-small" onClick={() => setEditing(p)} data-testid="price-edit">Override</button>
                  {p.override && <button type="button" className="btn btn-small" data-testid="price-reset" onClick={() => useSettings.getState().removeOverride(p.model).catch((e) => toast(messageOf(e), 'error'))}>Use catalog</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <OverrideForm row={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function tiersTitle(p: PriceRow): string {
  return (p.inputTiers ?? []).map((t) => `${t.upToInputTokens === null ? 'above' : `up to ${t.upToInputTokens.toLocaleString()}`} input tokens: ${formatPerMtok(t.inputMicroUsdPerMtok)} in / ${formatPerMtok(t.outputMicroUsdPerMtok)} out`).join('\n');
}

const FIELDS = [['inputMicroUsdPerMtok', 'Input, cache miss'], ['cachedInputMicroUsdPerMtok', 'Input, cache hit'], ['outputMicroUsdPerMtok', 'Output']] as const;

function OverrideForm({ row, onClose }: { row: PriceRow; onClose: () => void }) {
  const src = row.override ?? row;
  const [v, setV] = useState<Record<string, string>>(Object.fromEntries(FIELDS.map(([k]) => [k, formatUsd(src[k]).replace(/[$,]/g, '')])));
  const [write, setWrite] = useState(row.override?.cacheWriteMicroUsdPerMtok != null ? formatUsd(row.override.cacheWriteMicroUsdPerMtok).replace(/[$,]/g, '') : '');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = Object.fromEntries(FIELDS.map(([k]) => [k, parseUsd(v[k])]));
    const cacheWrite = write.trim() ? parseUsd(write) : null;
    if (Object.values(parsed).some((n) => n == null || n < 0) || (write.trim() && (cacheWrite == null || cacheWrite < 0))) return setError('Prices are dollar amounts per million tokens, e.g. 0.28.');
    try {
      await useSettings.getState().setOverride({ model: row.model, ...(parsed as Record<(typeof FIELDS)[number][0], number>), cacheWriteMicroUsdPerMtok: cacheWrite });
      onClose();
    } catch (err) { setError(messageOf(err)); }
  };
  return (
    <Modal title={`Price override · ${row.model}`} onClose={onClose} testId="price-form">
      <form className="form" onSubmit={submit}>
        {FIELDS.map(([k, label]) => (
          <label key={k}>{label} (USD per Mtok) <input value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} inputMode="decimal" required data-testid={`price-${k}`} /></label>
        ))}
        <label>Cache write (USD per Mtok, blank = as input) <input value={write} onChange={(e) => setWrite(e.target.value)} inputMode="decimal" data-testid="price-cacheWriteMicroUsdPerMtok" /></label>
        <p className="muted">Applies to requests that start after you save. Earlier requests keep the price they were charged.</p>
        {error && <p className="form-error" role="alert">{error}</p>}
        <div className="actions"><button type="button" className="btn" onClick={onClose}>Cancel</button><button type="submit" className="btn btn-primary" data-testid="price-save">Save override</button></div>
      </form>
    </Modal>
  );
}
