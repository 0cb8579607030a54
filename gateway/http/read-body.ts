/** Reads a JSON request body with a size limit, as one Buffer and one JSON.parse. */
import type { IncomingMessage } from 'node:http';
import { GatewayError, invalidRequest } from './errors';

export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export interface JsonBody { value: Record<string, unknown>; bytes: number }

/**
 * One promise per body, settled from the stream's own events (no async wrapper, no second await): the body
 * usually arrives in the same packet as the headers, and each promise hop shows in time to first byte.
 */
export function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<JsonBody> {
  const tooLarge = () => new GatewayError(413, 'invalid_request_error', 'request_too_large', `request body exceeds the gateway's limit of ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? -1);
  if (declared > limit) { req.resume(); return Promise.reject(tooLarge()); }
  // Plain 'data'/'end' events: the stream's async iterator costs several promises per request on the hot path.
  return new Promise<JsonBody>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) { req.off('data', onData); req.resume(); reject(tooLarge()); return; }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      try { resolve(parseJsonBody(req, chunks, size)); } catch (e) { reject(e); }
    });
    req.once('error', reject);
    req.once('aborted', () => reject(invalidRequest('the client closed the connection before sending the whole body')));
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
