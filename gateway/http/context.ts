/** Shared state of one running gateway: the core, live upstream adapters, in-flight requests. */
import type { Core } from '../core';
import type { Upstreams } from './upstreams';
import type { CallAbort } from '../upstream/call-signal';
import { RateLimiter } from '../keys/rate-limits';
import type { BodyBudget } from './read-body';
import { capText, MAX_ERROR_CHARS } from '../ledger/text-caps';

export interface GatewayContext extends BodyBudget {
  core: Core;
  upstreams: Upstreams;
  bodyLimit: number;
  maxInFlightPerKey: number;
  /** Most body bytes one key may have in transit (being received) at once, across its requests. */
  bodyBytesPerKey: number;
  /** Abort handles of in-flight upstream calls (graceful shutdown aborts the stragglers). */
  inflight: Set<CallAbort>;
  /** Set when shutdown begins: new chat requests on kept-alive connections get a 503 instead of a hold. */
  closing: boolean;
  /** Per-key requests and tokens per minute (keys with limits only). */
  rateLimiter: RateLimiter;
  /** Takes one of the key's concurrency slots (admission.ts) if fewer than `limit` (default: the gateway's per-key cap) are taken; leaveKey gives it back, once. */
  enterKey(keyId: string, limit?: number): boolean;
  leaveKey(keyId: string): void;
  /** Records (at most once a minute per provider) that the operator's upstream account is out of money. */
  upstreamOutOfMoney(provider: string, detail: string): void;
}

export interface GatewayContextOptions { bodyLimit: number; maxInFlightPerKey: number; bodyBytesPerKey?: number }

export function createGatewayContext(core: Core, upstreams: Upstreams, opts: GatewayContextOptions): GatewayContext {
  const perKey = new Map<string, number>();
  const bodyBytes = new Map<string, number>();
  const lastAlert = new Map<string, number>();
  // Four maximum-size bodies at once: plenty for agents (bodies of 0.1–1 MB), a bound for a hostile key.
  const bodyBytesPerKey = opts.bodyBytesPerKey ?? 4 * opts.bodyLimit;
  // (Limits are read from the context on each request, so they can be changed while it runs.)
  const ctx: GatewayContext = {
    core, upstreams, inflight: new Set(), closing: false, bodyLimit: opts.bodyLimit, maxInFlightPerKey: opts.maxInFlightPerKey, bodyBytesPerKey,
    rateLimiter: new RateLimiter(core.now),
    enterKey(keyId, limit = ctx.maxInFlightPerKey) {
      const n = perKey.get(keyId) ?? 0;
      if (n >= limit) return false;
      perKey.set(keyId, n + 1);
      return true;
    },
    leaveKey(keyId) {
      const n = (perKey.get(keyId) ?? 1) - 1;
      if (n <= 0) perKey.delete(keyId); else perKey.set(keyId, n);
    },
    takeBodyBytes(keyId, bytes) {
      const n = bodyBytes.get(keyId) ?? 0;
      // A body alone is never refused here (bodyLimit bounds it): only one that joins others over the budget.
      if (n > 0 && n + bytes > ctx.bodyBytesPerKey) return false;
      bodyBytes.set(keyId, n + bytes);
      return true;
    },
    giveBodyBytes(keyId, bytes) {
      const n = (bodyBytes.get(keyId) ?? 0) - bytes;
      if (n <= 0) bodyBytes.delete(keyId); else bodyBytes.set(keyId, n);
    },
    upstreamOutOfMoney(provider, detail) {
      const now = core.now();
      if (now - (lastAlert.get(provider) ?? 0) < 60_000) return;
      lastAlert.set(provider, now);
      core.alert('upstream_insufficient_balance', capText(`The operator's ${provider} account is out of balance (${detail}). Requests to ${provider} models fail with 503 until it is topped up.`, MAX_ERROR_CHARS));
    },
  };
  return ctx;
}
