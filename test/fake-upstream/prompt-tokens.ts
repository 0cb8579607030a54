/**
 * Deterministic prompt-token count and a prefix cache. The count is over the prompt as DeepSeek's chat template
 * serializes it: each message's text (string or text parts), its reasoning and tool calls, a tool result's text,
 * the tool schemas as JSON (from the body the gateway actually sent), plus template markers (4 per message, 2 per
 * request). `typical` counts ceil(bytes / 4) per piece (English-like text); `worst-case` counts one token per byte,
 * the most a byte-level BPE can produce: what a property test checks the gateway's quote against.
 */
import { createHash, type Hash } from 'node:crypto';
import { contentText } from './directives.js';

export interface PromptCount {
  promptTokens: number;
  cacheHitTokens: number;
}

export type PromptCounting = 'typical' | 'worst-case';

const CACHE_UNIT = 64;
const MAX_ENTRIES = 200_000;

function messageBytes(message: Record<string, unknown>): number {
  let bytes = Buffer.byteLength(contentText(message.content));
  if (message.tool_calls) bytes += Buffer.byteLength(JSON.stringify(message.tool_calls));
  if (typeof message.reasoning_content === 'string') bytes += Buffer.byteLength(message.reasoning_content);
  if (typeof message.name === 'string') bytes += Buffer.byteLength(message.name);
  return bytes;
}

/** A prefix cache like DeepSeek's: a repeated message prefix hits, in units of 64 tokens. */
export class PrefixCache {
  private seen = new Set<string>();
  private readonly tokens: (bytes: number) => number;

  constructor(counting: PromptCounting = 'typical') {
    this.tokens = counting === 'worst-case' ? (bytes) => bytes : (bytes) => Math.ceil(bytes / 4);
  }

  /** Counts a request's prompt tokens and how many of them the cache serves, then remembers its prefixes. */
  count(model: string, messages: Array<Record<string, unknown>>, tools: unknown): PromptCount {
    let total = 2;
    if (tools) total += this.tokens(Buffer.byteLength(JSON.stringify(tools)));
    let hit = 0;
    let missed = false;
    const hash: Hash = createHash('sha1').update(model);
    for (const message of messages) {
      total += this.tokens(messageBytes(message)) + 4;
      hash.update(String(message.role)).update('\0').update(contentText(message.content)).update('\x01');
      const key = hash.copy().digest('base64');
      if (!missed && this.seen.has(key)) hit = total;
      else missed = true;
      if (this.seen.size >= MAX_ENTRIES) this.seen.clear();
      this.seen.add(key);
    }
    return { promptTokens: total, cacheHitTokens: Math.floor(hit / CACHE_UNIT) * CACHE_UNIT };
  }

  clear(): void {
    this.seen.clear();
  }
}
