/** Shared state of one running gateway: the core, live upstream adapters, in-flight requests. */
import type { Core } from '../core';
import type { Upstreams } from './upstreams';
import type { CallAbort } from '../upstream/call-signal';
import { RateLimiter } from '../keys/rate-limits';

export interface GatewayContext {
  core: Core;
  upstreams: Upstreams;
  bodyLimit: number;
  maxInFlightPerKey: number;
  /** Abort handles of in-flight upstream calls (graceful shutdown aborts the stragglers). */
  inflight: Set<CallAbort>;
  /** Set when shutdown begins: new chat requests on kept-alive connections get a 503 instead of a hold. */
  closing: boolean;
  /** Per-key requests and tokens per minute (keys with limits only). */
  rateLimiter: RateLimiter;
  /** Takes one of the key's in-flight slots if fewer than `limit` (default: the gateway's per-key cap) are taken. */
  enterKey(keyId: string, limit?: number): boolean;
  leaveKey(keyId: string): void;
  /** Records (at most once a minute per provider) that the operator's upstream account is out of money. */
  upstreamOutOfMoney(provider: string, detail: string): void;
}

export function createGatewayContext(core: Core, upstreams: Upstreams, opts: { bodyLimit: number; maxInFlightPerKey: number }): GatewayContext {
  const perKey = new Map<string, number>();
  const lastAlert = new Map<string, number>();
  return {
    core, upstreams, inflight: new Set(), closing: false, ...opts, rateLimiter: new RateLimiter(core.now),
    enterKey(keyId, limit = opts.maxInFlightPerKey) {
      const n = perKey.get(keyId) ?? 0;
      if (n >= limit) return false;
      perKey.set(keyId, n + 1);
      return true;
    },
    leaveKey(keyId) {
      const n = (perKey.get(keyId) ?? 1) - 1;
      if (n <= 0) perKey.delete(keyId); else perKey.set(keyId, n);
    },
    upstreamOutOfMoney(provider, detail) {
      const now = core.now();
      if (now - (lastAlert.get(provider) ?? 0) < 60_000) return;
      lastAlert.set(provider, now);
      core.alert('upstream_insufficient_balance', `The operator's ${provider} account is out of balance (${detail}). Requests to ${provider} models fail with 503 until it is topped up.`);
    },
  };
}
