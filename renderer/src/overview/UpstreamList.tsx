import type { ProviderView } from '../../../gateway/admin/contract';
import { formatAgo } from '../lib/format';

function health(p: ProviderView): { cls: string; text: string } {
  if (!p.configured) return { cls: 'pill-muted', text: 'not configured' };
  if (!p.hasKey) return { cls: 'pill-warn', text: 'no API key' };
  if (!p.lastStatus) return { cls: 'pill-muted', text: 'no traffic yet' };
  return p.lastStatus === 'ok' ? { cls: 'pill-ok', text: 'healthy' } : { cls: 'pill-bad', text: p.lastStatus.replace(/_/g, ' ') };
}

/** Upstream providers with their health as last seen by the gateway. */
export function UpstreamList({ providers }: { providers: ProviderView[] }) {
  return (
    <div className="card">
      <h2>Upstreams</h2>
      <ul className="upstreams" data-testid="upstreams">
        {providers.map((p) => {
          const h = health(p);
          return (
            <li key={p.id}>
              <div><strong>{p.name}</strong> <span className="muted mono">{p.baseUrl}</span></div>
              <div><span className={`pill ${h.cls}`} data-testid={`upstream-${p.id}`}>{h.text}</span>{p.lastRequestAt && <span className="muted"> · last request {formatAgo(p.lastRequestAt)}</span>}</div>
              {(p.lastSuccessAt || p.lastError) && <div className="muted" data-testid={`upstream-health-${p.id}`}>
                {p.lastSuccessAt ? `last success ${formatAgo(p.lastSuccessAt)}` : 'no success in 7 days'}
                {p.lastError && <> · last error {formatAgo(p.lastError.at)}: {p.lastError.status.replace(/_/g, ' ')}{p.lastError.message ? ` (${p.lastError.message.slice(0, 120)})` : ''}</>}
              </div>}
            </li>
          );
        })}
      </ul>
      <a href="#/settings" className="muted">Configure providers →</a>
    </div>
  );
}
