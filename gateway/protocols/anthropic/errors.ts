/** Gateway errors in Anthropic's shape: `{"type":"error","error":{"type","message"},"request_id"}` + `request-id`. */
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../../http/errors';

const TYPES: Record<number, string> = {
  400: 'invalid_request_error', 401: 'authentication_error', 402: 'billing_error', 403: 'permission_error', 404: 'not_found_error',
  409: 'conflict_error', 413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 504: 'timeout_error', 529: 'overloaded_error',
};

/** Anthropic's status and error type for a gateway status (503 "overloaded / unavailable" is Anthropic's 529). */
export function anthropicStatus(status: number): { status: number; type: string } {
  const s = status === 503 ? 529 : status;
  return { status: s, type: TYPES[s] ?? (s >= 500 ? 'api_error' : 'invalid_request_error') };
}

export function anthropicErrorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/** Writes the error (nothing written yet), keeping the error's own headers (retry-after, x-should-retry). */
export function sendAnthropicError(res: ServerResponse, err: GatewayError, requestId: string): void {
  if (res.headersSent) return;
  const { status, type } = anthropicStatus(err.status);
  const body = anthropicErrorBody(type, err.message, requestId);
  res.writeHead(status, { ...err.headers, 'request-id': requestId, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
