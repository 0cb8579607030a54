/** Prompt tokens of a chat body, counted with the tokenizer (Anthropic's count_tokens answer). */
import { promptShape, promptTexts, promptTokenCount } from '../billing/prompt-bound';
import { countTokens } from '../billing/tokenizer';
import type { ChatBody } from './chat-wire';

/**
 * The tokens the model will be shown: every text, tool schema and tool call, plus the template's markers. Counted on
 * the tokenizer's worker pool (fair across keys, never on the event loop), as the quote's exact bound is.
 */
export async function countPromptTokens(body: ChatBody, keyId: string): Promise<number> {
  const shape = promptShape(body);
  const { tokens } = await countTokens(keyId, promptTexts(body));
  return promptTokenCount(shape, tokens);
}
