/**
 * The Messages body sent to a provider's native Anthropic endpoint (`provider set … --anthropic-base-url`), when the
 * operator chose one: the client's body as is, with the gateway's model name and output cap, minus what native
 * endpoints refuse or what defeats their prefix cache (reference agent-tools.md §4, "Pass-through caveat").
 */
import { isBillingHeaderBlock } from './billing-header';

type Obj = Record<string, unknown>;

/** Set by the gateway, or dropped: Claude Code's beta-only `context_management` 400s on strict native endpoints. */
const NOT_FORWARDED = new Set(['model', 'max_tokens', 'stream', 'context_management', '__proto__']);

/**
 * Serializes the pass-through body once per upstream attempt. Copied key by key (no spread or delete per request);
 * the system blocks are copied only when Claude Code's per-request billing header is among them.
 */
export function passThroughBody(src: Obj, upstreamModel: string, maxTokens: number, stream: boolean): string {
  const body: Obj = { model: upstreamModel, max_tokens: maxTokens };
  for (const k in src) if (!NOT_FORWARDED.has(k)) body[k] = src[k];
  const system = src.system;
  if (Array.isArray(system) && system.some(isBillingHeaderBlock)) body.system = system.filter((b) => !isBillingHeaderBlock(b));
  if (stream) body.stream = true;
  return JSON.stringify(body);
}
