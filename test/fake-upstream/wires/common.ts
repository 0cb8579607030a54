/** Pieces several fake providers share: OpenAI-style usage and cap readers. */
import type { Counts } from '../wire-types.js';

/** OpenAI's usage shape: cached inside prompt_tokens_details, reasoning inside completion_tokens_details. */
export function openAiUsage(c: Counts, extraPromptDetails: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion,
    prompt_tokens_details: { cached_tokens: c.hit, ...extraPromptDetails },
    completion_tokens_details: { reasoning_tokens: c.reasoning },
  };
}

/** A positive integer parameter, or an error message naming it. */
export function intParam(body: Record<string, unknown>, name: string, max: number): number | string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) return `${name} must be an integer in [1, ${max}]`;
  return v;
}

/** caps() for a provider where `total` caps reasoning + answer and `answer` (if any) only the answer. */
export function capsOf(body: Record<string, unknown>, totalParam: string, answerParam: string | null, max: number): { total?: number; answer?: number; error?: string } {
  const total = intParam(body, totalParam, max);
  const answer = answerParam ? intParam(body, answerParam, max) : undefined;
  if (typeof total === 'string') return { error: total };
  if (typeof answer === 'string') return { error: answer };
  return { total, answer };
}
