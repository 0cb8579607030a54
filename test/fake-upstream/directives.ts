/**
 * Fault/behaviour directives read from the last user message, e.g. "hi [fake:words=50] [fake:keepalive=3]".
 * Only the fake understands them; a real provider would just see text.
 */
export interface Directives {
  words?: number;
  reasoningWords?: number;
  error?: number;
  retryAfter?: string;
  keepalive?: number;
  keepaliveMs?: number;
  delayMs?: number;
  chunkDelayMs?: number;
  resetAfter?: number;
  hang?: boolean;
  midstreamError?: boolean;
  fragment?: boolean;
  crlf?: boolean;
  /** Answer with the provider's out-of-balance signal. */
  broke?: boolean;
  /** A 200 stream whose first event is an error event (no output before it). */
  errorEventFirst?: boolean;
  /** Prompt tokens written to the provider's cache (Kimi K3, Qwen explicit cache). */
  cacheWrite?: number;
  /** Reasoning tokens billed without being shown (Doubao Seed 2.1 does this by default). */
  hiddenReasoning?: number;
  /** Break the usage object: negative | fraction | string | inconsistent. */
  badUsage?: string;
}

const NUMERIC: Record<string, keyof Directives> = {
  words: 'words', 'reasoning-words': 'reasoningWords', error: 'error', keepalive: 'keepalive',
  'keepalive-ms': 'keepaliveMs', 'delay-ms': 'delayMs', 'chunk-delay-ms': 'chunkDelayMs', 'reset-after': 'resetAfter',
  'cache-write': 'cacheWrite', 'hidden-reasoning': 'hiddenReasoning',
};
const FLAGS: Record<string, keyof Directives> = {
  hang: 'hang', 'midstream-error': 'midstreamError', fragment: 'fragment', crlf: 'crlf', broke: 'broke', 'error-event-first': 'errorEventFirst',
};
const PATTERN = /\[fake:([a-z-]+)(?:=([^\]\s]*))?\]/g;

/** Parses `[fake:name=value]` directives out of a message text (cheap when there are none). */
export function parseDirectives(text: string): Directives {
  const out: Directives = {};
  if (!text.includes('[fake:')) return out;
  for (const [, name, value] of text.matchAll(PATTERN)) {
    if (name === 'retry-after') out.retryAfter = value ?? '1';
    else if (name === 'bad-usage') out.badUsage = value ?? 'negative';
    else if (NUMERIC[name]) (out as Record<string, unknown>)[NUMERIC[name]] = Number(value ?? 0);
    else if (FLAGS[name]) (out as Record<string, unknown>)[FLAGS[name]] = true;
  }
  return out;
}

/** Text of a message's content, whether a string or an array of content parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (part && typeof part.text === 'string') text += part.text;
  return text;
}

/** Directives of the last user message in a request's messages. */
export function directivesOf(messages: Array<{ role?: unknown; content?: unknown }>): Directives {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') return parseDirectives(contentText(messages[i].content));
  }
  return {};
}
