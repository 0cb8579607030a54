/** The gateway's one error type: carries an HTTP status and renders OpenAI's error envelope. */
import type { ServerResponse } from 'node:http';

/** OpenAI's `error.type` values this gateway sends (other protocols map them by status: protocols/anthropic/errors.ts). */
export const ERROR_TYPES = ['invalid_request_error', 'authentication_error', 'permission_error', 'rate_limit_error', 'insufficient_quota', 'server_error', 'api_error'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** `value` when it is one of ERROR_TYPES (an upstream's error body), else `fallback`. */
export function errorTypeOf(value: unknown, fallback: ErrorType): ErrorType {
  return (ERROR_TYPES as readonly unknown[]).includes(value) ? value as ErrorType : fallback;
}

export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export const invalidRequest = (message: string, param: string | null = null) =>
  new GatewayError(400, 'invalid_request_error', 'invalid_request_error', message, param);

/** Writes `{"error":{message,type,param,code}}`. Never includes a stack trace. */
export function sendError(res: ServerResponse, err: GatewayError): void {
  if (res.headersSent) return;
  const body = JSON.stringify({ error: { message: err.message, type: err.type, param: err.param, code: err.code } });
  res.writeHead(err.status, { ...err.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Any thrown value as a GatewayError: unknown failures become a 500 without internals. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError(500, 'server_error', 'internal_error', 'the gateway hit an internal error; the request was not charged');
}
