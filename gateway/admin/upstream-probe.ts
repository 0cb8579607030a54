/**
 * Read-only probe of an upstream provider for the Settings screen: `GET /models` (test connection). The key is
 * sent only to the provider's own base URL and never appears in a result or message. (The balance probe is the
 * provider adapter's own `balance()`.)
 */
import type { ProviderTest } from './contract';

const TIMEOUT_MS = 10_000;

async function get(baseUrl: string, path: string, apiKey: string | null): Promise<{ status: number; body: unknown; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(baseUrl.replace(/\/+$/, '') + path, {
    headers: { accept: 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = null; }
  return { status: res.status, body, ms: Date.now() - t0 };
}

function describe(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return e?.cause?.code ? `cannot connect (${e.cause.code})` : `cannot connect (${e?.message ?? 'unknown error'})`;
}

function upstreamMessage(body: unknown): string | null {
  const m = (body as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof m === 'string' ? m.slice(0, 300) : null;
}

/** Lists the upstream's models with the configured key. */
export async function testConnection(baseUrl: string, apiKey: string | null): Promise<ProviderTest> {
  const t0 = Date.now();
  try {
    const r = await get(baseUrl, '/models', apiKey);
    const data = (r.body as { data?: Array<{ id?: unknown }> } | null)?.data;
    const models = Array.isArray(data) ? data.map((m) => String(m.id)).filter(Boolean) : [];
    const ok = r.status === 200;
    const message = ok ? `connected: ${models.length} model${models.length === 1 ? '' : 's'}`
      : r.status === 401 ? 'the upstream refused the key (401)' : `upstream answered HTTP ${r.status}${upstreamMessage(r.body) ? `: ${upstreamMessage(r.body)}` : ''}`;
    return { ok, httpStatus: r.status, latencyMs: r.ms, models, message: apiKey ? message : `${message} (no key configured)` };
  } catch (err) {
    return { ok: false, httpStatus: null, latencyMs: Date.now() - t0, models: [], message: describe(err) };
  }
}
