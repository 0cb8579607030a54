/** The one writer of JSON answers on the client routes (models, key info, health, count_tokens). */
import type { ServerResponse } from 'node:http';

/** Writes `value` as a JSON answer with its length; errors go through errors.ts (sendError) instead. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
}
