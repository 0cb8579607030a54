/**
 * The OpenAI chat shapes the protocol codecs read and write: the upstream body they build, and the answers
 * (JSON or SSE chunks) the relay writes to them. Only the fields the codecs touch are typed.
 */
import type { Usage } from '../upstream/adapter';

export interface ChatToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }

export type ChatContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } }
  | { type: 'file'; file: { filename?: string; file_data: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | ChatContentPart[] | null;
  tool_calls?: ChatToolCall[];
  tool_call_id?: string;
  reasoning_content?: string;
}

export interface ChatTool { type: 'function'; function: { name: string; description?: string; parameters: unknown; strict?: boolean } }

/** A chat body as the codecs build it (the relay adds the model's upstream name and the output cap). */
export interface ChatBody {
  model: string;
  messages: ChatMessage[];
  [field: string]: unknown;
}

export interface WireUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  prompt_cache_hit_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface ChatToolCallDelta { index?: number; id?: string; function?: { name?: string; arguments?: string } }

export interface ChatChunk {
  id?: string;
  model?: string;
  choices?: Array<{ delta?: { content?: string | null; reasoning_content?: string | null; tool_calls?: ChatToolCallDelta[] | null }; finish_reason?: string | null }>;
  usage?: WireUsage | null;
}

export interface ChatCompletion {
  id?: string;
  model?: string;
  choices?: Array<{
    message?: { content?: string | null; reasoning_content?: string | null; tool_calls?: Array<Partial<ChatToolCall>> | null };
    finish_reason?: string | null;
  }>;
  usage?: WireUsage;
}

/** Token counts of an answer, the way every client protocol reports them. prompt includes cacheRead and cacheWrite. */
export interface TokenCounts { prompt: number; cacheRead: number; cacheWrite: number; output: number; reasoning: number }

/** The normalised usage the relay read, as the OpenAI usage fields tokenCounts() reads. */
export function wireUsageOf(u: Usage): WireUsage {
  return {
    prompt_tokens: u.promptTokens, completion_tokens: u.completionTokens,
    prompt_tokens_details: { cached_tokens: u.cacheHitTokens, cache_write_tokens: u.cacheWriteTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}

/** Reads OpenAI's usage (with DeepSeek's cache fields as a fallback) into plain counts; missing usage is all zeros. */
export function tokenCounts(u: WireUsage | null | undefined): TokenCounts {
  const prompt = u?.prompt_tokens ?? 0;
  return {
    prompt,
    cacheRead: u?.prompt_tokens_details?.cached_tokens ?? u?.prompt_cache_hit_tokens ?? 0,
    cacheWrite: u?.prompt_tokens_details?.cache_write_tokens ?? u?.cache_creation_input_tokens ?? 0,
    output: u?.completion_tokens ?? 0,
    reasoning: u?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** `{...}` parsed, or `fallback` when the text is not a JSON object (tool arguments a model got wrong). */
export function parseObject(text: string, fallback: (raw: string) => Record<string, unknown>): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : fallback(text);
  } catch {
    return fallback(text);
  }
}
