/** What the fake "model" answers: reasoning tokens, content tokens, finish reason and the provider's usage object. */
import type { Directives } from './directives.js';
import type { PromptCount } from './prompt-tokens.js';
import type { Counts, FakeWire } from './wire-types.js';

const WORDS = ['The', 'fake', 'DeepSeek', 'answers', 'with', 'deterministic', 'words', 'for', 'tests', 'and', 'benchmarks.'];
const DEFAULT_ANSWER = [' Hello', ' from', ' the', ' fake', ' DeepSeek.'];
const DEFAULT_REASONING = ['Thinking', ' briefly.'];

export interface Completion {
  reasoning: string[];
  content: string[];
  finishReason: 'stop' | 'length';
  counts: Counts;
  /** The provider's usage object for a JSON answer (and, with `stream`, for the stream's final usage). */
  usage: Record<string, unknown>;
  streamUsage: Record<string, unknown>;
}

function words(n: number): string[] {
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = (i === 0 ? '' : ' ') + WORDS[i % WORDS.length];
  return out;
}

/** Thinking is on unless switched off the way the providers do (`thinking.type`, `enable_thinking`). */
export function thinkingOn(body: Record<string, unknown>): boolean {
  return (body.thinking as { type?: string } | undefined)?.type !== 'disabled' && body.enable_thinking !== false;
}

/** Stand-ins for values JSON.stringify cannot write; `usageJson` writes them as a faulty upstream does. */
const NAN = '@fake:NaN@';
const HUGE = '@fake:2^53+1@';

/** A usage object as JSON text: `NaN` (a Python upstream's float) and 2^53 + 1 written literally. */
export function usageJson(usage: Record<string, unknown> | null): string {
  return JSON.stringify(usage).replace(`"${NAN}"`, 'NaN').replace(`"${HUGE}"`, '9007199254740993');
}

/** A usage object broken the way `[fake:bad-usage=…]` asks (`missing`: null, i.e. no usage at all). */
function broken(usage: Record<string, unknown>, how: string): Record<string, unknown> {
  const u = { ...usage };
  if (how === 'missing') return null as unknown as Record<string, unknown>;
  if (how === 'nan') u.prompt_tokens = NAN;
  else if (how === 'huge') u.prompt_tokens = HUGE;
  else if (how === 'negative') u.completion_tokens = -3;
  else if (how === 'fraction') u.prompt_tokens = Number(u.prompt_tokens) + 0.5;
  else if (how === 'string') u.completion_tokens = String(u.completion_tokens);
  else if (how === 'inconsistent') {
    // More cached tokens than prompt tokens, wherever this provider reports its cache hits.
    const over = Number(u.prompt_tokens) + 10;
    if ('prompt_cache_hit_tokens' in u) u.prompt_cache_hit_tokens = over;
    else if ('cached_tokens' in u) u.cached_tokens = over;
    else if (u.input_tokens_details) u.input_tokens_details = { cached_tokens: over };
    else u.prompt_tokens_details = { cached_tokens: over };
  }
  return u;
}

/**
 * Plans the answer, one token per delta. Caps as the provider applies them: `total` caps reasoning + content,
 * `answer` only the content (reasoning then runs uncapped, as with SiliconFlow's and Qwen's max_tokens).
 */
export function planCompletion(body: Record<string, unknown>, d: Directives, prompt: PromptCount, wire: FakeWire, caps: { total?: number; answer?: number }): Completion {
  const thinking = thinkingOn(body);
  let reasoning = thinking ? (d.reasoningWords !== undefined ? words(d.reasoningWords) : DEFAULT_REASONING) : [];
  let content = d.words !== undefined ? words(d.words) : DEFAULT_ANSWER;
  let finishReason: Completion['finishReason'] = 'stop';
  // Reasoning billed beyond what is shown (Doubao) counts toward a total cap like shown reasoning does.
  const hiddenFor = (shown: number) => d.hiddenReasoning ?? shown * (wire.hiddenReasoningPerShown ?? 0);
  const total = caps.total ?? Infinity;
  let hidden = hiddenFor(reasoning.length);
  if (reasoning.length + hidden + content.length > total) {
    finishReason = 'length';
    let shown = reasoning.length;
    while (shown > 0 && shown + hiddenFor(shown) > total) shown--;
    reasoning = reasoning.slice(0, shown);
    hidden = Math.min(hiddenFor(shown), total - shown);
    content = content.slice(0, Math.max(0, total - shown - hidden));
  }
  if (caps.answer !== undefined && content.length > caps.answer) {
    finishReason = 'length';
    content = content.slice(0, caps.answer);
  }
  const reasoningTokens = reasoning.length + hidden;
  const write = Math.min(d.cacheWrite ?? 0, prompt.promptTokens - prompt.cacheHitTokens);
  const counts: Counts = {
    prompt: prompt.promptTokens, hit: prompt.cacheHitTokens, write, completion: reasoningTokens + content.length,
    // Providers that bill reasoning inside completion_tokens without breaking it out report 0 here.
    reasoning: wire.reportsReasoning === false ? 0 : reasoningTokens,
  };
  let usage = wire.usage(counts, false);
  let streamUsage = wire.usage(counts, true);
  if (d.badUsage) { usage = broken(usage, d.badUsage); streamUsage = broken(streamUsage, d.badUsage); }
  return { reasoning, content, finishReason, counts, usage, streamUsage };
}
