/** Checks the shape of a chat-completions body before any credit is held. Upstream validates the rest. */
import { invalidRequest } from './errors';

const ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer', 'function']);

export interface ChatShape { model: string; stream: boolean; includeUsage: boolean }

export function validateChatBody(body: Record<string, unknown>, defaultModel?: string): ChatShape {
  const model = body.model ?? defaultModel;
  if (typeof model !== 'string' || !model.trim()) throw invalidRequest('you must provide a model parameter (a string)', 'model');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw invalidRequest("'messages' must be a non-empty array", 'messages');
  messages.forEach((m, i) => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw invalidRequest(`messages[${i}] must be an object`, `messages[${i}]`);
    const role = (m as Record<string, unknown>).role;
    if (typeof role !== 'string' || !ROLES.has(role)) throw invalidRequest(`messages[${i}].role must be one of ${[...ROLES].join(', ')}`, `messages[${i}].role`);
    const content = (m as Record<string, unknown>).content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      throw invalidRequest(`messages[${i}].content must be a string or an array of content parts`, `messages[${i}].content`);
    }
  });
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalidRequest("'stream' must be a boolean", 'stream');
  const so = body.stream_options;
  if (so !== undefined && so !== null && (typeof so !== 'object' || Array.isArray(so))) throw invalidRequest("'stream_options' must be an object", 'stream_options');
  // One choice per request: the quote and the hold are computed for one completion.
  if (body.n !== undefined && body.n !== null && body.n !== 1) throw invalidRequest("only n=1 is supported by this gateway", 'n');
  const stream = body.stream === true;
  const includeUsage = stream && !!so && (so as Record<string, unknown>).include_usage === true;
  return { model: model.trim(), stream, includeUsage };
}
