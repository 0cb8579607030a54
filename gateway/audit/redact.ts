/** Makes an audit snapshot safe to keep: secrets never reach the audit trail, not even hashed. */

/** Field names (case and -/_ ignored) whose values are secrets: gateway key secrets and hashes, upstream keys, tokens. */
const SECRET_FIELDS = new Set(['secret', 'password', 'hash', 'apikey', 'token', 'admintoken', 'bearer']);
/** URLs that often carry a credential in their path or query (RPC keys, webhook tokens): keep the origin only. */
const URL_WITH_CREDENTIAL = /(rpc|webhook)/i;
const GATEWAY_SECRET = /sk-ggo-[A-Za-z0-9_-]{6}[A-Za-z0-9_-]+/g;

function maskUrl(v: string): string {
  try { const u = new URL(v); return `${u.origin}/…`; } catch { return '[redacted]'; }
}

/** A deep copy with secret fields replaced by "[redacted]" and credential-bearing URLs cut to their origin. */
export function redact(value: unknown, field = ''): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (SECRET_FIELDS.has(field.replace(/[-_]/g, '').toLowerCase())) return '[redacted]';
  if (typeof value === 'string') {
    if (URL_WITH_CREDENTIAL.test(field) && /^[a-z]+:\/\//i.test(value)) return maskUrl(value);
    // A gateway secret anywhere in free text (a note, a flag) keeps only its display prefix.
    return value.replace(GATEWAY_SECRET, (s) => `${s.slice(0, 13)}…`);
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, field));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined) out[k] = redact(v, k);
    return out;
  }
  return value;
}
