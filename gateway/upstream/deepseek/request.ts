/** Where and what the DeepSeek adapter sends upstream. */
import type { ChatCall } from '../adapter';

/** Splits a provider root (optionally ending in `/v1` or `/`) into the pool origin and the chat path. */
export function chatTarget(baseUrl: string): { origin: string; path: string } {
  const url = new URL(baseUrl);
  const root = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return { origin: url.origin, path: `${root}/chat/completions` };
}

/** The upstream body, serialized once: the client's body with our model and output cap. */
export function upstreamBody(call: ChatCall): string {
  const body: Record<string, unknown> = { ...call.body, model: call.upstreamModel, stream: call.stream };
  // The quote assumed this cap; DeepSeek enforces only max_tokens and silently ignores max_completion_tokens,
  // so the cap must travel as max_tokens or the hold is not a true bound.
  body.max_tokens = call.maxTokens;
  delete body.max_completion_tokens;
  const options = body.stream_options;
  if (!call.stream) delete body.stream_options; // only meaningful (and only accepted by OpenAI) when streaming
  else if (options && typeof options === 'object' && 'include_obfuscation' in options) {
    const { include_obfuscation: _dropped, ...rest } = options as Record<string, unknown>;
    body.stream_options = rest;
  }
  return JSON.stringify(body);
}
