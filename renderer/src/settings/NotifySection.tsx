import { useState, type FormEvent } from 'react';
import type { NotifyFormat } from '../../../gateway/admin/contract';
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../components/States';
import { messageOf } from '../lib/resource';

const FORMATS: Array<[NotifyFormat, string]> = [['json', 'JSON'], ['slack', 'Slack'], ['feishu', 'Feishu / Lark'], ['dingtalk', 'DingTalk']];

/** Where low-balance notifications go besides the desktop: a webhook (its URL is write-only: only its host is shown). */
export function NotifySection() {
  const { data, error } = useSettings((s) => s.notify);
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<NotifyFormat | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const current = format ?? data?.format ?? 'json';
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    try { await useSettings.getState().saveNotify(url.trim(), current); setUrl(''); } catch (err) { setFormError(messageOf(err)); }
  };
  return (
    <form className="card form" id="notify" onSubmit={save} data-testid="settings-notify">
      <h2>Notifications</h2>
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : (
        <>
          <p className="muted">Accounts with a low-balance threshold (Accounts screen) notify once per crossing: on this desktop, and at this webhook.</p>
          <p data-testid="notify-current">{data.webhookConfigured ? <>Webhook: <code>{data.webhookOrigin}/…</code> ({data.format})</> : 'No webhook set.'}</p>
          <label>Webhook URL <input value={url} onChange={(e) => setUrl(e.target.value)} type="url" placeholder="https://hooks.slack.com/services/…" data-testid="notify-url" /></label>
          <label>Payload <select value={current} onChange={(e) => setFormat(e.target.value as NotifyFormat)} data-testid="notify-format">
            {FORMATS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select></label>
          {formError && <p className="form-error" role="alert">{formError}</p>}
          <div className="actions actions-left">
            <button type="submit" className="btn btn-primary" disabled={!url.trim()} data-testid="notify-save">Save webhook</button>
            {data.webhookConfigured && <button type="button" className="btn btn-danger" onClick={() => void useSettings.getState().saveNotify(null, current).catch((err) => setFormError(messageOf(err)))}>Remove</button>}
          </div>
        </>
      )}
    </form>
  );
}
