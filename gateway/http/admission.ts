/**
 * Admission of a billed request, before its body is read: authenticate from the headers, then take the key's
 * concurrency slot. A key at its limit is refused at once, without buffering a byte of its body, so one key can't
 * pin the gateway's memory or sockets with slow or huge uploads (read-body.ts bounds the bytes a key may have in
 * transit; server.ts the time a body may take). The handler releases the slot exactly once — ctx.leaveKey in a
 * `finally` around everything after admission — whatever ends the request.
 */
import type { IncomingMessage } from 'node:http';
import type { GatewayContext } from './context';
import { GatewayError } from './errors';
import { authenticate } from './auth';
import type { Keys, KeyRecord } from '../keys/keys';
import type { ConfigWrites } from '../ledger/config-writes';
import type { RequestApi } from '../ledger/ledger';

declare const admittedBrand: unique symbol;
/**
 * A key whose concurrency slot this request holds: only admitKey makes one (a type-only brand, nothing at run time),
 * so a handler that skipped admission cannot hand its key to the billed call.
 */
export type AdmittedKey = KeyRecord & { readonly [admittedBrand]: true };

/** How a protocol finds the key in its headers (OpenAI: Authorization: Bearer; Anthropic also x-api-key). */
export type Authenticate = (req: IncomingMessage, keys: Keys<ConfigWrites>) => KeyRecord;

/**
 * The request's key, with its concurrency slot taken; throws the 401 or 429 to send. A 429 is recorded as a refused
 * request (no model yet: the body is not read).
 */
export function admitKey(ctx: GatewayContext, req: IncomingMessage & { requestId?: string }, api: RequestApi, startedAt: number, t0: number,
  auth: Authenticate = authenticate): AdmittedKey {
  const key = auth(req, ctx.core.keys);
  // Over the key's concurrency limit (its own, else the gateway's per-key cap) a request is refused at once, never queued.
  const limit = key.concurrency ?? ctx.maxInFlightPerKey;
  if (ctx.enterKey(key.id, limit)) return key as AdmittedKey;
  const headers: Record<string, string> = key.rpm !== null || key.tpm !== null ? ctx.rateLimiter.headers(key.id, key) : {};
  headers['retry-after'] = '1';
  const err = new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded', `too many concurrent requests for this key (limit ${limit}); retry shortly`, null, headers);
  const id = req.requestId!;
  ctx.core.ledger.settleSoon(id, 0, { id, keyId: key.id, accountId: key.accountId, model: '', modelUnresolved: true, stream: false, startedAt, status: 'refused',
    httpStatus: 429, durationMs: Math.round(performance.now() - t0), error: err.message, api });
  // Committed before the 429 goes out where the ledger batches in memory (SQLite's group commit); PostgreSQL's
  // settlement is already on its way and is not waited for: admission stays synchronous.
  void ctx.core.ledger.flush();
  throw err;
}

/** The 503 for a request that arrives while ledger commits fail (ledger/group-commit.ts): nothing is held or relayed. */
export function ledgerUnavailable(detail: string): GatewayError {
  return new GatewayError(503, 'server_error', 'ledger_unavailable',
    `the gateway cannot record charges right now (${detail}); the operator has been alerted. Retry later.`, null, { 'retry-after': '5' });
}
