/** Prompt tokens of a chat body, counted with the tokenizer (Anthropic's count_tokens answer). */
import { scanPrompt } from '../billing/prompt-bound';
import { getTokenizer } from '../billing/tokenizer';
import type { ChatBody } from './chat-wire';

/** Chat-template tokens around each message (role markers and separators). */
const PER_MESSAGE_TOKENS = 3;

/** The tokens the model will be shown: every text, tool schema and tool call, plus the template's per-message markers. */
export async function countPromptTokens(body: ChatBody): Promise<number> {
  const tok = await getTokenizer();
  const scan = scanPrompt(body);
  let n = scan.messages * PER_MESSAGE_TOKENS;
  for (const text of scan.texts) n += tok.count(text);
  return n;
}
