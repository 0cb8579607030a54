/** DeepSeek usage → the gateway's normalised Usage, and the OpenAI-compatible usage object for clients. */
import type { Usage } from '../adapter';

type Raw = Record<string, any>;

/** Normalises DeepSeek's usage (cache hit/miss fields, with OpenAI's cached_tokens as fallback). */
export function normaliseUsage(raw: Raw): Usage {
  const prompt = Number(raw.prompt_tokens ?? 0);
  const hit = Number(raw.prompt_cache_hit_tokens ?? raw.prompt_tokens_details?.cached_tokens ?? 0);
  return {
    promptTokens: prompt,
    cacheHitTokens: hit,
    cacheMissTokens: Number(raw.prompt_cache_miss_tokens ?? prompt - hit),
    completionTokens: Number(raw.completion_tokens ?? 0),
    reasoningTokens: Number(raw.completion_tokens_details?.reasoning_tokens ?? 0),
  };
}

/** The usage a client sees: DeepSeek's fields kept (tools read them) plus OpenAI's cached_tokens. */
export function clientUsage(raw: Raw, usage: Usage): Raw {
  return { ...raw, prompt_tokens_details: { ...raw.prompt_tokens_details, cached_tokens: usage.cacheHitTokens } };
}
