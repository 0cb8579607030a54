/** The relay adapter: a keep-alive undici Pool to the provider's origin, the chat relay, and the balance probe. */
import { Pool } from 'undici';
import type { ProviderAdapter, ProviderConfig } from '../adapter';
import type { ProviderProfile, UpstreamBalance } from '../profile';
import { anthropicWire } from './anthropic-wire';
import { relayChat, type RelayTarget } from './chat';
import { openAiWire } from './openai-wire';
import type { RelayWire } from './wire';

export interface RelayOptions extends ProviderConfig {
  /** Abort when no model output (keep-alives don't count) arrived within this many ms; off by default. */
  firstByteTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const BALANCE_TIMEOUT_MS = 10_000;

/**
 * Creates the adapter for one provider profile (measured: undici Pool beats a keep-alive http.Agent on p50 and
 * throughput). With `anthropicBaseUrl`, Messages requests (`call.anthropic`) go to the provider's native Anthropic
 * endpoint through the same relay, another wire on another target; everything else goes to chat completions.
 */
export function createRelayAdapter(profile: ProviderProfile, cfg: RelayOptions): ProviderAdapter {
  const pools = new Map<string, Pool>();
  const target = (wire: RelayWire, baseUrl: string): RelayTarget => {
    const { origin, path } = wire.target(baseUrl, profile.stripV1);
    let pool = pools.get(origin);
    // undici's own header/body timeouts are off: the call guard owns one total budget that keep-alives can't extend.
    if (!pool) { pool = new Pool(origin, { headersTimeout: 0, bodyTimeout: 0, keepAliveTimeout: 10_000 }); pools.set(origin, pool); }
    return { profile, wire, pool, origin, path, headers: wire.headers(cfg.apiKey), timeoutMs: cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS, firstByteTimeoutMs: cfg.firstByteTimeoutMs };
  };
  const chat = target(openAiWire, cfg.baseUrl);
  const anthropic = cfg.anthropicBaseUrl ? target(anthropicWire, cfg.anthropicBaseUrl) : undefined;
  const probe = profile.balance;
  return {
    id: cfg.id,
    chat: anthropic
      ? (call, res) => (call.anthropic ? relayChat(anthropic, call, call.anthropic.res) : relayChat(chat, call, res))
      : (call, res) => relayChat(chat, call, res),
    balance: probe ? () => fetchBalance(chat.pool, chat.path.slice(0, -'/chat/completions'.length) + probe.path, chat.headers.authorization, probe.parse, profile) : undefined,
    close: async () => { await Promise.all([...pools.values()].map((p) => p.close())); },
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
