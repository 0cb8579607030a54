/**
 * Deterministic prompt-token count and a prefix cache. Per message ceil(utf8Bytes/4)+4, plus 2; this never
 * exceeds the request body's byte length, so gateway byte-based quote bounds hold against the fake.
 */
import { createHash, type Hash } from 'node:crypto';
import { contentText } from './directives.js';

export interface PromptCount {
  promptTokens: number;
  cacheHitTokens: number;
}

const CACHE_UNIT = 64;
const MAX_ENTRIES = 200_000;

function messageTokens(message: Record<string, unknown>): number {
  let bytes = Buffer.byteLength(contentText(message.content));
  if (message.tool_calls) bytes += Buffer.byteLength(JSON.stringify(message.tool_calls));
  if (typeof message.reasoning_content === 'string') bytes += Buffer.byteLength(message.reasoning_content);
  return Math.ceil(bytes / 4) + 4;
}

/** A prefix cache like DeepSeek's: a repeated message prefix hits, in units of 64 tokens. */
export class PrefixCache {
  private seen = new Set<string>();

  /** Counts a request's prompt tokens and how many of them the cache serves, then remembers its prefixes. */
  count(model: string, messages: Array<Record<string, unknown>>, tools: unknown): PromptCount {
    let total = 2;
    if (tools) total += Math.ceil(Buffer.byteLength(JSON.stringify(tools)) / 4);
    let hit = 0;
    let missed = false;
    const hash: Hash = createHash('sha1').update(model);
    for (const message of messages) {
      total += messageTokens(message);
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
