/**
 * Upper bounds on a chat request's prompt tokens (what DeepSeek will bill as prompt_tokens).
 *
 * Cheap bound = body bytes + allowances. Why the bytes bound holds:
 *  1. DeepSeek's tokenizer is byte-level BPE: every token decodes to at least one UTF-8 byte, so a text
 *     has at most as many tokens as UTF-8 bytes.
 *  2. Every text the model sees (contents, names, tool-call arguments, tool schemas) is in the body as a JSON
 *     string, and JSON escaping only lengthens text (e.g. "\n" is 2 bytes, "\u4e2d" 6 bytes for 3).
 *  3. Chat-template tokens (BOS, <｜User｜>/<｜Assistant｜>, EOS, <think>/</think>: at most ~5 per message)
 *     are paid for by JSON framing the text does not use: each message costs at least the 28 bytes of
 *     {"role":"user","content":""} and the request at least the 25 of {"model":"x","messages":[]}.
 *  4. Not in the body at all: the tool-use instructions the template injects when tools are sent (a fixed
 *     block of a few hundred tokens) and image tokens (an image URL's length says nothing of its tokens).
 *     Those get fixed allowances, added to both bounds.
 */
import type { TokenCounter } from './tokenizer';

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

/** The texts a request shows the model, collected without tokenizing. */
export interface PromptScan { texts: string[]; messages: number; images: number; hasTools: boolean }

/** Walks the body's messages and tool schemas. Unknown shapes count as their JSON text (never less). */
export function scanPrompt(body: Record<string, unknown>): PromptScan {
  const scan: PromptScan = { texts: [], messages: 0, images: 0, hasTools: false };
  const msgs = Array.isArray(body.messages) ? body.messages : [];
  for (const msg of msgs) {
    scan.messages++;
    if (!msg || typeof msg !== 'object') { scan.texts.push(JSON.stringify(msg) ?? ''); continue; }
    for (const [key, value] of Object.entries(msg as Record<string, unknown>)) {
      if (key === 'role') continue;
      if (key === 'content' && Array.isArray(value)) for (const part of value) scanPart(part, scan);
      else if (typeof value === 'string') scan.texts.push(value);
      else if (value != null) scan.texts.push(JSON.stringify(value));
    }
  }
  for (const key of ['tools', 'functions'] as const) {
    if (body[key] != null) { scan.hasTools = true; scan.texts.push(JSON.stringify(body[key])); }
  }
  return scan;
}

function scanPart(part: unknown, scan: PromptScan): void {
  const p = part as { type?: unknown; text?: unknown } | null;
  if (p && p.type === 'text' && typeof p.text === 'string') scan.texts.push(p.text);
  else if (p && p.type === 'image_url') scan.images++;
  else scan.texts.push(JSON.stringify(part) ?? '');
}

/** Tokens the template adds that the body does not carry (point 4 above). */
export function allowanceTokens(scan: PromptScan): number {
  return BASE_ALLOWANCE_TOKENS + (scan.hasTools ? TOOLS_ALLOWANCE_TOKENS : 0) + scan.images * IMAGE_ALLOWANCE_TOKENS;
}

/** Tokenized bound: text tokens + per-message and per-request overhead, +2%, plus allowances. */
export function exactPromptBound(scan: PromptScan, tok: TokenCounter): number {
  let tokens = PER_REQUEST_TOKENS + scan.messages * PER_MESSAGE_TOKENS;
  for (const t of scan.texts) tokens += tok.count(t);
  return Math.ceil(tokens * EXACT_MARGIN) + allowanceTokens(scan);
}
