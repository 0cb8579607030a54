/** The relay adapter: a keep-alive undici Pool to the provider's origin, the chat relay, and the balance probe. */
import { Pool } from 'undici';
import type { ProviderAdapter, ProviderConfig } from '../adapter';
import type { ProviderProfile, UpstreamBalance } from '../profile';
import { relayChat, type RelayTarget } from './chat';
import { chatTarget } from './request';

export interface RelayOptions extends ProviderConfig {
  /** Abort when no model output (keep-alives don't count) arrived within this many ms; off by default. */
  firstByteTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const BALANCE_TIMEOUT_MS = 10_000;

/** Creates the adapter for one provider profile (measured: undici Pool beats a keep-alive http.Agent on p50 and throughput). */
export function createRelayAdapter(profile: ProviderProfile, cfg: RelayOptions): ProviderAdapter {
  const { origin, path } = chatTarget(cfg.baseUrl, profile.stripV1);
  // undici's own header/body timeouts are off: the call guard owns one total budget that keep-alives can't extend.
  const pool = new Pool(origin, { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 10_000 });
  const target: RelayTarget = {
    profile, pool, origin, path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.apiKey}` },
    timeoutMs: cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    firstByteTimeoutMs: cfg.firstByteTimeoutMs,
  };
  const probe = profile.balance;
  return {
    id: cfg.id,
    chat: (call, res) => relayChat(target, call, res),
    balance: probe ? () => fetchBalance(pool, path.slice(0, -'/chat/completions'.length) + probe.path, target.headers.authorization, probe.parse, profile) : undefined,
    close: () => pool.close(),
  };
}

/** GETs the provider's balance endpoint; throws with a message fit for the operator (never the key). */
async function fetchBalance(pool: Pool, path: string, authorization: string, parse: (b: unknown) => UpstreamBalance | undefined, profile: ProviderProfile): Promise<UpstreamBalance> {
  const r = await pool.request({ method: 'GET', path, headers: { authorization }, headersTimeout: BALANCE_TIMEOUT_MS, bodyTimeout: BALANCE_TIMEOUT_MS });
  const text = await r.body.text();
  if (r.statusCode !== 200) throw new Error(`${profile.name} balance query answered ${r.statusCode}: ${text.slice(0, 200)}`);
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new Error(`${profile.name} balance query sent a body that is not JSON`); }
  const balance = parse(body);
  if (!balance) throw new Error(`${profile.name} balance query sent an unexpected body: ${text.slice(0, 200)}`);
  return balance;
}
