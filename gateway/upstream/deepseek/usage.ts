/** DeepSeek usage → the gateway's normalised Usage (validated), and the OpenAI-compatible usage object for clients. */
import type { Usage } from '../adapter';

type Raw = Record<string, any>;

/** A token count as it must be: a safe non-negative integer (rejects 10.5, -1, "10", NaN, null, 2^53 + 1). */
function count(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Normalises DeepSeek's usage (cache hit/miss fields, with OpenAI's cached_tokens as fallback), or says why it is
 * unusable. Why validate: a usage the cost function cannot take (fractional, negative, a string, beyond 2^53) used
 * to throw after the answer was served, leaving the hold in place and no request row; now the runner counts instead.
 */
export function normaliseUsage(raw: unknown): Usage | string {
  if (!raw || typeof raw !== 'object') return `usage is ${raw === undefined ? 'missing' : JSON.stringify(raw)}`;
  const u = raw as Raw;
  const prompt = u.prompt_tokens;
  const completion = u.completion_tokens;
  const hit = u.prompt_cache_hit_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = u.completion_tokens_details?.reasoning_tokens ?? 0;
  if (!count(prompt)) return `usage.prompt_tokens is ${JSON.stringify(prompt) ?? 'missing'}`;
  if (!count(completion)) return `usage.completion_tokens is ${JSON.stringify(completion) ?? 'missing'}`;
  if (!count(hit) || hit > prompt) return `usage cached tokens ${JSON.stringify(hit)} do not fit prompt_tokens ${prompt}`;
  const miss = u.prompt_cache_miss_tokens ?? prompt - hit;
  if (!count(miss) || hit + miss !== prompt) return `usage cache hit ${hit} + miss ${JSON.stringify(miss)} != prompt_tokens ${prompt}`;
  if (!count(reasoning) || reasoning > completion) return `usage reasoning tokens ${JSON.stringify(reasoning)} do not fit completion_tokens ${completion}`;
  if (!Number.isSafeInteger(prompt + completion)) return 'usage totals exceed 2^53';
  return { promptTokens: prompt, cacheHitTokens: hit, cacheMissTokens: miss, completionTokens: completion, reasoningTokens: reasoning };
}

/**
 * JSON.parse that also reads Python's `NaN` / `Infinity` literals (as null), which a Python upstream emits for a
 * float count: the answer stays readable for the client and the usage check reports the bad field.
 */
export function parseLenient(text: string): any {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
    return JSON.parse(text.replace(/([:,[]\s*)-?(?:NaN|Infinity)(?=\s*[,}\]])/g, '$1null'));
  }
}

/** The usage a client sees: DeepSeek's fields kept (tools read them) plus OpenAI's cached_tokens. */
export function clientUsage(raw: Raw, usage: Usage): Raw {
  return { ...raw, prompt_tokens_details: { ...raw.prompt_tokens_details, cached_tokens: usage.cacheHitTokens } };
}
