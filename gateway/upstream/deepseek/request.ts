/** Where and what the DeepSeek adapter sends upstream. */
import type { ChatCall } from '../adapter';

/** Splits a provider root (optionally ending in `/v1` or `/`) into the pool origin and the chat path. */
export function chatTarget(baseUrl: string): { origin: string; path: string } {
  const url = new URL(baseUrl);
  const root = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return { origin: url.origin, path: `${root}/chat/completions` };
}

/** Fields the gateway sets itself (and `__proto__`, which must never be assigned as a key). */
const SET_BY_GATEWAY = new Set(['model', 'stream', 'max_tokens', 'max_completion_tokens', 'stream_options', '__proto__']);

/**
 * The upstream body, serialized once: the client's body with our model and output cap. Copied key by key, never
 * spread or `delete`d: V8 gives `{ ...body }` a new hidden class per request and `delete` turns the object into a
 * slow dictionary (see http/chat-completions.ts for what that cost).
 */
export function upstreamBody(call: ChatCall): string {
  const body: Record<string, unknown> = {};
  for (const k in call.body) if (!SET_BY_GATEWAY.has(k)) body[k] = call.body[k];
  body.model = call.upstreamModel;
  body.stream = call.stream;
  // The quote assumed this cap; DeepSeek enforces only max_tokens and silently ignores max_completion_tokens,
  // so the cap must travel as max_tokens or the hold is not a true bound.
  body.max_tokens = call.maxTokens;
  // stream_options only means something (and OpenAI only accepts it) when streaming; include_obfuscation is OpenAI's own.
  const options = call.body.stream_options;
  if (call.stream && options !== undefined) {
    if (options && typeof options === 'object' && 'include_obfuscation' in options) {
      const { include_obfuscation: _dropped, ...rest } = options as Record<string, unknown>;
      body.stream_options = rest;
    } else body.stream_options = options;
  }
  return JSON.stringify(body);
}
