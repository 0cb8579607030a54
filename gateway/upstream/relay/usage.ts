/**
 * Every provider's usage object → the gateway's normalised Usage, and back to OpenAI's usage shape for clients.
 * One reader for all of them: each field is looked up where any provider puts it (reference/china-providers.md,
 * "Cross-provider differences"), and invalid values become an anomaly string, never a throw.
 */
import type { Usage } from '../adapter';
import { costMicroUsd, type PriceRates } from '../../billing/money';

type Raw = Record<string, any>;

/** Where providers put cached (cache-hit) prompt tokens, first match wins. */
function cachedOf(raw: Raw): unknown {
  return raw.prompt_cache_hit_tokens // DeepSeek
    ?? raw.prompt_tokens_details?.cached_tokens // OpenAI, Qwen, Kimi, GLM, MiniMax, Doubao
    ?? raw.input_tokens_details?.cached_tokens // some GLM answers
    ?? raw.cached_tokens; // older Kimi answers (top level)
}

/** Where providers put prompt tokens written to their cache (billed at the cache-write rate). */
function cacheWriteOf(raw: Raw): unknown {
  return raw.prompt_tokens_details?.cache_write_tokens // Kimi K3
    ?? raw.prompt_tokens_details?.cache_creation_input_tokens // Qwen explicit cache
    ?? raw.cache_creation_input_tokens;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * A streaming placeholder (MiniMax sends `{"total_tokens":0,...}` on every chunk): no token counted at all.
 * The relay ignores it and keeps the last real usage.
 */
export function isPlaceholderUsage(raw: Raw): boolean {
  return (raw.prompt_tokens ?? 0) === 0 && (raw.completion_tokens ?? 0) === 0 && (raw.total_tokens ?? 0) === 0;
}

/**
 * Normalises a provider's usage object; a string describes why it cannot be billed as reported (non-integer or
 * negative counts, cache parts exceeding the prompt, reasoning exceeding the completion, totals that disagree).
 */
export function normaliseUsage(raw: Raw): Usage | string {
  const prompt = raw.prompt_tokens;
  const completion = raw.completion_tokens;
  if (!count(prompt)) return `prompt_tokens is ${show(prompt)}`;
  if (!count(completion)) return `completion_tokens is ${show(completion)}`;
  const hit = cachedOf(raw) ?? 0;
  const write = cacheWriteOf(raw) ?? 0;
  const reasoning = raw.completion_tokens_details?.reasoning_tokens ?? 0;
  if (!count(hit)) return `cached tokens are ${show(hit)}`;
  if (!count(write)) return `cache-write tokens are ${show(write)}`;
  if (!count(reasoning)) return `reasoning_tokens is ${show(reasoning)}`;
  if (hit + write > prompt) return `cached (${hit}) + cache-write (${write}) tokens exceed prompt_tokens (${prompt})`;
  if (reasoning > completion) return `reasoning_tokens (${reasoning}) exceed completion_tokens (${completion})`;
  const miss = prompt - hit - write;
  // DeepSeek also reports the miss count: hit + miss = prompt.
  const reportedMiss = raw.prompt_cache_miss_tokens;
  if (reportedMiss != null && reportedMiss !== miss + write) return `prompt_cache_miss_tokens (${show(reportedMiss)}) + hit (${hit}) != prompt_tokens (${prompt})`;
  const total = raw.total_tokens;
  if (total != null && total !== prompt + completion) return `total_tokens (${show(total)}) != prompt_tokens + completion_tokens (${prompt + completion})`;
  return { promptTokens: prompt, cacheHitTokens: hit, cacheMissTokens: miss, cacheWriteTokens: write, completionTokens: completion, reasoningTokens: reasoning };
}

/**
 * JSON.parse that also reads Python's `NaN` / `Infinity` literals (as null), which a Python upstream emits for a
 * float count: the answer stays readable for the client, and the usage check reports the bad field.
 */
export function parseLenient(text: string): any {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (!/NaN|Infinity/.test(text)) throw err;
    return JSON.parse(text.replace(/([:,[]\s*)-?(?:NaN|Infinity)(?=\s*[,}\]])/g, '$1null'));
  }
}

/**
 * The usage a client sees, in OpenAI's shape whatever the provider: the counts come from the normalised usage;
 * other fields the provider sent (DeepSeek's prompt_cache_hit/miss_tokens, which tools read) are kept.
 */
export function clientUsage(raw: Raw, usage: Usage, price?: PriceRates): Raw {
  const out: Raw = { ...raw };
  if (price) out.cost = usageCost(usage, price);
  out.prompt_tokens = usage.promptTokens;
  out.completion_tokens = usage.completionTokens;
  out.total_tokens = usage.promptTokens + usage.completionTokens;
  out.prompt_tokens_details = { ...raw.prompt_tokens_details, cached_tokens: usage.cacheHitTokens };
  if (usage.cacheWriteTokens) out.prompt_tokens_details.cache_write_tokens = usage.cacheWriteTokens;
  out.completion_tokens_details = { ...raw.completion_tokens_details, reasoning_tokens: usage.reasoningTokens };
  return out;
}

/** What the usage costs, in USD (a number, as OpenRouter's `usage.cost`): exact micro-USD divided once. */
export function usageCost(usage: Usage, price: PriceRates): number {
  return costMicroUsd(usage, price) / 1_000_000;
}

/**
 * `"cost":X,` spliced in at the start of the answer's (last) usage object, so an answer already in OpenAI's shape
 * still goes out without a parse-and-serialize round trip. Null when the bytes have no `"usage":{` to splice into.
 */
export function spliceCost(buf: Buffer, cost: number): Buffer | null {
  const at = buf.lastIndexOf(USAGE_OPEN);
  if (at < 0) return null;
  const cut = at + USAGE_OPEN.length;
  return Buffer.concat([buf.subarray(0, cut), Buffer.from(`"cost":${cost},`), buf.subarray(cut)]);
}
const USAGE_OPEN = Buffer.from('"usage":{');

/**
 * True when a raw usage object already reads as the normalised one in OpenAI's fields, so a JSON answer can be
 * forwarded byte for byte (DeepSeek's always does: no re-serialisation on its hot path).
 */
export function clientReady(raw: Raw, usage: Usage): boolean {
  return raw.total_tokens === usage.promptTokens + usage.completionTokens
    && raw.prompt_tokens_details?.cached_tokens === usage.cacheHitTokens
    && (usage.cacheWriteTokens === 0 || raw.prompt_tokens_details?.cache_write_tokens === usage.cacheWriteTokens)
    && raw.completion_tokens_details?.reasoning_tokens === usage.reasoningTokens;
}
