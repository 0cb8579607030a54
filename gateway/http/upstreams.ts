/**
 * One live adapter per configured provider. The provider's settings are re-read on each request (a primary-key
 * lookup), so `gogogo provider set` on a running gateway takes effect on the next request.
 */
import type { Providers } from '../settings/providers';
import type { ProviderAdapter } from '../upstream/adapter';
import { createAdapter } from '../upstream';
import { GatewayError } from './errors';

export class Upstreams {
  private readonly live = new Map<string, { sig: string; adapter: ProviderAdapter }>();
  constructor(private readonly providers: Providers, private readonly timeoutMs?: number) {}

  /** The adapter for a provider, or a 503 telling the operator what to configure. */
  get(providerId: string): ProviderAdapter {
    const p = this.providers.resolve(providerId);
    if (!p) throw notConfigured(`provider "${providerId}" is not configured on this gateway; the operator runs: gogogo provider set ${providerId} --base-url URL --api-key-env VAR`);
    if (!p.apiKey) throw notConfigured(`provider "${providerId}" has no API key (${p.keySource} is empty or unset)`);
    const sig = `${p.baseUrl}\n${p.apiKey}`;
    const cur = this.live.get(providerId);
    if (cur && cur.sig === sig) return cur.adapter;
    if (cur) void cur.adapter.close();
    const adapter = createAdapter({ id: providerId, baseUrl: p.baseUrl, apiKey: p.apiKey, timeoutMs: this.timeoutMs });
    this.live.set(providerId, { sig, adapter });
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.live.values()].map((a) => a.adapter.close()));
    this.live.clear();
  }
}

function notConfigured(message: string): GatewayError {
  return new GatewayError(503, 'server_error', 'upstream_not_configured', message);
}
