/** What the fake "model" answers: reasoning tokens, content tokens, finish reason and DeepSeek-shaped usage. */
import type { Directives } from './directives.js';
import type { PromptCount } from './prompt-tokens.js';

const WORDS = ['The', 'fake', 'DeepSeek', 'answers', 'with', 'deterministic', 'words', 'for', 'tests', 'and', 'benchmarks.'];
const DEFAULT_ANSWER = [' Hello', ' from', ' the', ' fake', ' DeepSeek.'];
const DEFAULT_REASONING = ['Thinking', ' briefly.'];

export interface Completion {
  reasoning: string[];
  content: string[];
  finishReason: 'stop' | 'length';
  usage: Record<string, unknown>;
}

function words(n: number): string[] {
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = (i === 0 ? '' : ' ') + WORDS[i % WORDS.length];
  return out;
}

/** Plans the answer: one token per delta; `max_tokens` caps reasoning + content together. */
export function planCompletion(body: Record<string, unknown>, d: Directives, prompt: PromptCount): Completion {
  const thinking = (body.thinking as { type?: string } | undefined)?.type !== 'disabled';
  let reasoning = thinking ? (d.reasoningWords !== undefined ? words(d.reasoningWords) : DEFAULT_REASONING) : [];
  let content = d.words !== undefined ? words(d.words) : DEFAULT_ANSWER;
  // DeepSeek enforces max_tokens and silently ignores max_completion_tokens (reference §1.5).
  const cap = typeof body.max_tokens === 'number' ? body.max_tokens : Infinity;
  let finishReason: Completion['finishReason'] = 'stop';
  if (reasoning.length + content.length > cap) {
    finishReason = 'length';
    reasoning = reasoning.slice(0, cap);
    content = content.slice(0, Math.max(0, cap - reasoning.length));
  }
  const completion = reasoning.length + content.length;
  const usage: Record<string, unknown> = {
    prompt_tokens: prompt.promptTokens,
    completion_tokens: completion,
    total_tokens: prompt.promptTokens + completion,
    prompt_tokens_details: { cached_tokens: prompt.cacheHitTokens },
  };
  if (thinking) usage.completion_tokens_details = { reasoning_tokens: reasoning.length };
  usage.prompt_cache_hit_tokens = prompt.cacheHitTokens;
  usage.prompt_cache_miss_tokens = prompt.promptTokens - prompt.cacheHitTokens;
  return { reasoning, content, finishReason, usage };
}

/**
 * The usage object as JSON text, malformed on request (`[fake:usage=KIND]`) the ways a faulty upstream may send it;
 * undefined for `missing` (no usage at all). Python upstreams emit `NaN` literally.
 */
export function usageJson(usage: Record<string, unknown>, kind: string | undefined): string | undefined {
  if (kind === undefined) return JSON.stringify(usage);
  const prompt = usage.prompt_tokens as number;
  const bad: Record<string, unknown> = { ...usage };
  switch (kind) {
    case 'missing': return undefined;
    case 'fractional': bad.prompt_tokens = prompt + 0.5; break;
    case 'negative': bad.prompt_tokens = -5; break;
    case 'string': bad.prompt_tokens = String(prompt); break;
    case 'nan': return JSON.stringify(usage).replace(`"prompt_tokens":${prompt}`, '"prompt_tokens":NaN');
    case 'huge': return JSON.stringify(usage).replace(`"prompt_tokens":${prompt}`, '"prompt_tokens":9007199254740993');
    case 'prompt-lt-cached':
      bad.prompt_cache_hit_tokens = prompt + 64;
      bad.prompt_tokens_details = { cached_tokens: prompt + 64 };
      break;
    default: throw new Error(`unknown [fake:usage=${kind}]`);
  }
  return JSON.stringify(bad);
}
