/**
 * One live adapter per configured provider. The provider's settings are re-read on each request (a primary-key
 * lookup), so `gogogo provider set` on a running gateway takes effect on the next request.
 */
import type { Providers } from '../settings/providers';
import type { ConfigWrites } from '../ledger/config-writes';
import type { ProviderAdapter } from '../upstream/adapter';
import { createAdapter } from '../upstream';
import { GatewayError } from './errors';

/** Tells the operator (window alert, stderr) what to configure; the default writes to stderr only. */
export type OperatorNotice = (kind: string, message: string) => void;
const toStderr: OperatorNotice = (_kind, message) => { process.stderr.write(`gogogo: ${message}\n`); };

export class Upstreams {
  private readonly live = new Map<string, { sig: string; adapter: ProviderAdapter }>();
  private readonly noticed = new Map<string, number>();
  constructor(private readonly providers: Providers<ConfigWrites>, private readonly timeoutMs?: number, private readonly notice: OperatorNotice = toStderr) {}

  /** The adapter for a provider, or a 503; what to configure goes to the operator, never to the client. */
  get(providerId: string): ProviderAdapter {
    const p = this.providers.resolve(providerId);
    if (!p) throw this.notConfigured(providerId, `provider "${providerId}" is not configured on this gateway: gogogo provider set ${providerId} --base-url URL --api-key-env VAR`);
    if (!p.apiKey) throw this.notConfigured(providerId, `provider "${providerId}" has no API key (${p.keySource} is empty or unset); requests to its models fail with 503`);
    const sig = `${p.baseUrl}\n${p.apiKey}\n${p.anthropicBaseUrl ?? ''}`;
    const cur = this.live.get(providerId);
    if (cur && cur.sig === sig) return cur.adapter;
    if (cur) void cur.adapter.close();
    const adapter = createAdapter({ id: providerId, baseUrl: p.baseUrl, apiKey: p.apiKey, anthropicBaseUrl: p.anthropicBaseUrl, timeoutMs: this.timeoutMs });
    this.live.set(providerId, { sig, adapter });
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all([...this.live.values()].map((a) => a.adapter.close()));
    this.live.clear();
  }

  /**
   * Why the client hears only "upstream not configured": an environment variable's name or the key's source tells
   * a key holder how the operator's machine is set up. The operator gets the detail, at most once a minute.
   */
  private notConfigured(providerId: string, detail: string): GatewayError {
    const now = Date.now();
    if (now - (this.noticed.get(providerId) ?? -Infinity) >= 60_000) {
      this.noticed.set(providerId, now);
      this.notice('upstream_not_configured', detail);
    }
    return new GatewayError(503, 'server_error', 'upstream_not_configured', 'upstream not configured; the gateway operator has been alerted');
  }
}
