/**
 * Upper bounds on a chat request's prompt tokens (what the provider will bill as prompt_tokens), and the
 * tokenizer count charged when the provider's usage never comes.
 *
 * Cheap bound = bytes of the body as the adapter serializes it + allowances. Why the bytes bound holds:
 *  0. The bytes are those of `JSON.stringify(body)`, what the adapter sends (adapter.ts: adapters copy or drop
 *     fields, never lengthen them), not the client's: re-serializing can lengthen a body (`1e20` becomes 21
 *     digits, an invalid UTF-8 byte the 3-byte U+FFFD), so the client's byte count bounds nothing.
 *  1. DeepSeek's tokenizer is byte-level BPE: every token decodes to at least one UTF-8 byte, so a text
 *     has at most as many tokens as UTF-8 bytes.
 *  2. Every text the model sees (contents, names, tool-call arguments, tool schemas, response formats) is in the
 *     body as JSON, and JSON escaping only lengthens text (e.g. "\n" is 2 bytes, "\u4e2d" 6 bytes for 3).
 *  3. Chat-template tokens (BOS, <｜User｜>/<｜Assistant｜>, EOS, <think>/</think>: at most ~5 per message)
 *     are paid for by JSON framing the text does not use: each message costs at least the 28 bytes of
 *     {"role":"user","content":""} and the request at least the 25 of {"model":"x","messages":[]}.
 *  4. Not in the body at all: the tool-use instructions the template injects when tools are sent (a fixed
 *     block of a few hundred tokens) and image tokens (an image URL's length says nothing of its tokens).
 *     Those get fixed allowances, added to both bounds.
 */

/** Fixed tokens for template text not in the body (thinking-mode and JSON-mode preambles). */
export const BASE_ALLOWANCE_TOKENS = 64;
/** DeepSeek's DSML tool-use instruction block is ~300 tokens; 1024 leaves a wide margin. */
export const TOOLS_ALLOWANCE_TOKENS = 1024;
/** Per image part. Not calibrated (no published DeepSeek image-token formula): a generous guess. */
export const IMAGE_ALLOWANCE_TOKENS = 16_384;
/** Exact-count margins: BPE merges across template boundaries, role markers, rounding. */
export const PER_MESSAGE_TOKENS = 8;
export const PER_REQUEST_TOKENS = 16;
export const EXACT_MARGIN = 1.02;
/** Template tokens around the counted text: a role marker (+ end of turn) per message; BOS + the answer's marker. */
export const TEMPLATE_TOKENS_PER_MESSAGE = 2;
export const TEMPLATE_TOKENS_PER_REQUEST = 2;

/** Top-level fields that never reach the prompt (sampling and transport settings); any other counts as text. */
const NOT_PROMPT = new Set(['model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature',
  'top_p', 'top_k', 'n', 'presence_penalty', 'frequency_penalty', 'repetition_penalty', 'logprobs', 'top_logprobs', 'seed', 'user',
  'logit_bias', 'stop', 'thinking', 'reasoning_effort', 'enable_thinking', 'parallel_tool_calls', 'service_tier', 'store', 'metadata']);

/** What the allowances depend on, found without collecting any text. */
export interface PromptShape { messages: number; images: number; hasTools: boolean }

/** Counts messages and image parts and notes tools (cheap: no serialization). */
export function promptShape(body: Record<string, unknown>): PromptShape {
  const msgs = Array.isArray(body.messages) ? body.messages : [];
  let images = 0;
  for (const msg of msgs) {
    const content = (msg as { content?: unknown } | null)?.content;
    if (Array.isArray(content)) for (const part of content) if ((part as { type?: unknown } | null)?.type === 'image_url') images++;
  }
  return { messages: msgs.length, images, hasTools: body.tools != null || body.functions != null };
}

/** Bytes of the body as the adapter serializes it (point 0 above). */
export function sentPromptBytes(body: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(body));
}

/** The texts the request shows the model, for the tokenizer. Unknown shapes count as their JSON text (never less). */
export function promptTexts(body: Record<string, unknown>): string[] {
  const texts: string[] = [];
  for (const msg of Array.isArray(body.messages) ? body.messages : []) {
    if (!msg || typeof msg !== 'object') { texts.push(JSON.stringify(msg) ?? ''); continue; }
    for (const [key, value] of Object.entries(msg as Record<string, unknown>)) {
      if (key === 'role') continue;
      if (key === 'content' && Array.isArray(value)) for (const part of value) partText(part, texts);
      else if (typeof value === 'string') texts.push(value);
      else if (value != null) texts.push(JSON.stringify(value));
    }
  }
  for (const key of Object.keys(body)) {
    if (!NOT_PROMPT.has(key) && body[key] != null) texts.push(JSON.stringify(body[key]));
  }
  return texts;
}

function partText(part: unknown, texts: string[]): void {
  const p = part as { type?: unknown; text?: unknown } | null;
  if (p && p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
  else if (!(p && p.type === 'image_url')) texts.push(JSON.stringify(part) ?? '');
}

/** Tokens the template adds that the body does not carry (point 4 above). */
export function allowanceTokens(shape: PromptShape): number {
  return BASE_ALLOWANCE_TOKENS + (shape.hasTools ? TOOLS_ALLOWANCE_TOKENS : 0) + shape.images * IMAGE_ALLOWANCE_TOKENS;
}

/** Tokenized bound: text tokens + per-message and per-request overhead, +2%, plus allowances. */
export function exactPromptBound(shape: PromptShape, textTokens: number): number {
  return Math.ceil((PER_REQUEST_TOKENS + shape.messages * PER_MESSAGE_TOKENS + textTokens) * EXACT_MARGIN) + allowanceTokens(shape);
}

/** The prompt as the tokenizer counts it: its text tokens plus the template's markers (charged when usage is missing). */
export function promptTokenCount(shape: PromptShape, textTokens: number): number {
  return TEMPLATE_TOKENS_PER_REQUEST + shape.messages * TEMPLATE_TOKENS_PER_MESSAGE + textTokens + (shape.images ? shape.images * IMAGE_ALLOWANCE_TOKENS : 0);
}
