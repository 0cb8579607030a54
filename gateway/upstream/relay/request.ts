/** Where and what the relay sends upstream: the chat URL from the base URL, and the rewritten body. */
import type { ChatCall } from '../adapter';
import type { ProviderProfile } from '../profile';

/**
 * Splits a documented base URL into the pool origin and the chat path `{base}/chat/completions`, the base kept
 * exactly as given (Qwen's `/compatible-mode/v1`, GLM's `/api/paas/v4`, Ark's `/api/v3`); with `stripV1`
 * (DeepSeek, which serves both) a trailing `/v1` is dropped.
 */
export function chatTarget(baseUrl: string, stripV1 = false): { origin: string; path: string } {
  const url = new URL(baseUrl);
  let root = url.pathname.replace(/\/+$/, '');
  if (stripV1) root = root.replace(/\/v1$/, '');
  return { origin: url.origin, path: `${root}/chat/completions` };
}

/** Fields the gateway sets itself (and `__proto__`, which must never be assigned as a key). */
const SET_BY_GATEWAY = new Set(['model', 'stream', 'max_tokens', 'max_completion_tokens', 'stream_options', '__proto__']);

/** What a streaming call always asks for: usage, wherever the provider puts it (Qwen and Doubao send none otherwise). */
const USAGE_PLEASE = { include_usage: true };

/**
 * The upstream body, serialized once: the client's body with our model, output cap and stream options. Copied key
 * by key, never spread or `delete`d: V8 gives `{ ...body }` a new hidden class per request and `delete` turns the
 * object into a slow dictionary (see http/chat-completions.ts for what that cost).
 */
export function upstreamBody(call: ChatCall, profile: ProviderProfile): string {
  const body: Record<string, unknown> = {};
  const drop = profile.dropFields;
  for (const k in call.body) if (!SET_BY_GATEWAY.has(k) && !drop?.has(k)) body[k] = call.body[k];
  body.model = call.upstreamModel;
  body.stream = call.stream;
  // The quote assumed this cap: it travels as the parameter that truly caps this provider's output (DeepSeek
  // ignores max_completion_tokens, Qwen's max_tokens leaves reasoning unbounded, Ark refuses both together).
  body[profile.maxOutputParam] = call.maxTokens;
  // stream_options only means something (and DeepSeek only accepts it) when streaming. The client's other options are
  // kept, except include_obfuscation (OpenAI's own); whether the client gets a usage chunk is the relay's business.
  if (call.stream) body.stream_options = streamOptions(call.body.stream_options);
  return JSON.stringify(body);
}

function streamOptions(client: unknown): Record<string, unknown> {
  if (!client || typeof client !== 'object') return USAGE_PLEASE;
  const out: Record<string, unknown> = {};
  for (const k in client as Record<string, unknown>) if (k !== 'include_obfuscation' && k !== '__proto__') out[k] = (client as Record<string, unknown>)[k];
  out.include_usage = true;
  return out;
}
