/** API-key authentication for the client routes: `Authorization: Bearer KEY`, or Anthropic's `x-api-key: KEY`. */
import type { IncomingMessage } from 'node:http';
import type { Keys, KeyRecord } from '../keys/keys';
import type { ConfigWrites } from '../ledger/config-writes';
import { GatewayError } from './errors';

const unauthorized = (message: string) => new GatewayError(401, 'invalid_request_error', 'invalid_api_key', message);

/**
 * The active key presented in `Authorization: Bearer …` (or, without that header, `x-api-key: …`, which Anthropic
 * clients send), or a 401 that says what was wrong.
 */
export function authenticate(req: IncomingMessage, keys: Keys<ConfigWrites>): KeyRecord {
  const header = req.headers.authorization;
  let secret: string;
  if (header) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw unauthorized('malformed Authorization header: expected "Bearer sk-ggo-…"');
    secret = m[1];
  } else {
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey !== 'string' || !apiKey.trim()) throw unauthorized('missing API key: send "Authorization: Bearer sk-ggo-…" (or "x-api-key: sk-ggo-…")');
    secret = apiKey.trim();
  }
  const key = keys.verify(secret);
  // One message for unknown and revoked keys: the caller learns nothing about which keys exist.
  if (!key) throw unauthorized(`incorrect API key provided: ${mask(secret)}. It is unknown or has been revoked.`);
  if (key.expiresAt !== null && keys.now() >= key.expiresAt) {
    throw unauthorized(`this API key (${key.prefix}…) expired at ${new Date(key.expiresAt).toISOString()}; ask the gateway's operator for a new key or a later expiry`);
  }
  return key;
}

function mask(secret: string): string {
  return secret.length <= 12 ? '****' : `${secret.slice(0, 10)}…${secret.slice(-4)}`;
}
