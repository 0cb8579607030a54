/** What a finished call is charged for: the upstream's usage, or — when it never arrived — an estimate. */
import type { ChatOutcome, Usage } from '../upstream/adapter';

/** DeepSeek's rule of thumb is ~0.3 tokens per English character; UTF-8 bytes × 0.3 also covers CJK (0.6/char, 3 bytes). */
const TOKENS_PER_PROMPT_BYTE = 0.3;

export interface ChargeableUsage { usage: Usage; estimated: boolean }

/**
 * Usage to settle. Upstream failure before any output is charged nothing. When output was produced but the
 * usage report never came (client abort, stream cut), the consumed tokens are estimated: the prompt from its
 * size, the completion from the deltas relayed.
 */
export function chargeableUsage(outcome: ChatOutcome, promptBytes: number): ChargeableUsage | null {
  if (outcome.usage) return { usage: outcome.usage, estimated: false };
  const completion = outcome.estimatedCompletionTokens ?? 0;
  if (completion <= 0) return null;
  const prompt = Math.ceil(promptBytes * TOKENS_PER_PROMPT_BYTE);
  return { usage: { promptTokens: prompt, cacheHitTokens: 0, cacheMissTokens: prompt, cacheWriteTokens: 0, completionTokens: completion, reasoningTokens: 0 }, estimated: true };
}
