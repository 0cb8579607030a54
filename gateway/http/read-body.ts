/** Reads a JSON request body with a size limit, as one Buffer and one JSON.parse. */
import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from './errors';

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export interface JsonBody { value: Record<string, unknown>; bytes: number }

/** Per-key accounting of body bytes being received (GatewayContext implements it). */
export interface BodyBudget {
  /** Counts `bytes` against the key's budget; false (nothing counted) when the key already has too much in transit. */
  takeBodyBytes(keyId: string, bytes: number): boolean;
  giveBodyBytes(keyId: string, bytes: number): void;
}

const tooLarge = (limit: number) => new GatewayError(413, 'invalid_request_error', 'request_too_large', `request body exceeds the gateway's limit of ${limit} bytes`);
const overBudget = () => new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded',
  'this key already has too many request bodies in transit; retry shortly', null, { 'retry-after': '1' });

/** Gives back what was counted; returns the new count (0). */
function release(budget: BodyBudget | undefined, keyId: string | undefined, taken: number): number {
  if (taken) budget!.giveBodyBytes(keyId!, taken);
  return 0;
}

/**
 * One promise per body, settled from the stream's own events (no async wrapper, no second await): the body
 * usually arrives in the same packet as the headers, and each promise hop shows in time to first byte.
 * With a `budget`, the body's bytes count against `keyId`'s budget while they are buffered — the declared length at
 * once, a chunked body chunk by chunk — so one key can't pin memory with many slow uploads. (How long a body may take
 * is the server's requestTimeout, server.ts.)
 */
export function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT, budget?: BodyBudget, keyId?: string): Promise<JsonBody> {
  const declared = Number(req.headers['content-length'] ?? -1);
  if (declared > limit) { req.resume(); return Promise.reject(tooLarge(limit)); }
  let taken = 0;
  if (budget && declared > 0) {
    if (!budget.takeBodyBytes(keyId!, declared)) { req.resume(); return Promise.reject(overBudget()); }
    taken = declared;
  }
  // Plain 'data'/'end' events: the stream's async iterator costs several promises per request on the hot path.
  return new Promise<JsonBody>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      let refusal: GatewayError | null = size > limit ? tooLarge(limit) : null;
      if (!refusal && budget && declared < 0) {
        if (budget.takeBodyBytes(keyId!, chunk.length)) taken += chunk.length; else refusal = overBudget();
      }
      if (refusal) { req.off('data', onData); req.resume(); taken = release(budget, keyId, taken); reject(refusal); return; }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      taken = release(budget, keyId, taken);
      try { resolve(parseJsonBody(req, chunks, size)); } catch (e) { reject(e); }
    });
    // One listener for both signs of a broken upload (a cut connection emits 'aborted', then 'error'): the client's
    // doing (or the body deadline's), never the gateway's, so always a 4xx.
    const broken = () => {
      taken = release(budget, keyId, taken);
      reject(invalidRequest('the client closed the connection (or took too long) before sending the whole body'));
    };
    req.once('error', broken);
    req.once('aborted', broken);
  });
}

function parseJsonBody(req: IncomingMessage, chunks: Buffer[], size: number): JsonBody {
  if (size === 0) throw invalidRequest('request body is empty; send a JSON object');
  const ctype = String(req.headers['content-type'] ?? '');
  if (ctype && !ctype.includes('json')) throw invalidRequest(`content-type must be application/json, got "${ctype}"`);
  let value: unknown;
  try {
    value = JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)).toString('utf8'));
  } catch (e) {
    throw invalidRequest(`request body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('request body must be a JSON object');
  return { value: value as Record<string, unknown>, bytes: size };
}
