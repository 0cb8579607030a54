/**
 * Anthropic Messages request → OpenAI chat body (reference agent-tools.md §2). Unknown fields, block types and
 * beta features are ignored, never refused; only a body the mapping cannot read at all is a 400.
 */
import { invalidRequest } from '../../http/errors';
import type { ChatBody, ChatContentPart, ChatMessage, ChatTool, ChatToolCall } from '../chat-wire';
import { ToolNames } from '../tool-names';
import { isBillingHeaderText } from './billing-header';

type Obj = Record<string, unknown>;

export interface DecodedMessages { body: ChatBody; model: string; stream: boolean; tools: ToolNames }

const EFFORTS = new Set(['minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function blocksOf(content: unknown, where: string): Obj[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`${where}: content must be a string or an array of content blocks`, where);
  return content.map((b, i) => {
    if (!isObj(b)) throw invalidRequest(`${where}.${i}: a content block must be an object`, `${where}.${i}`);
    return b;
  });
}

/** Text of blocks that carry text (text, and the text of nested tool-result or document content). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content == null ? '' : JSON.stringify(content);
  const parts: string[] = [];
  for (const b of content) if (isObj(b) && typeof b.text === 'string') parts.push(b.text);
  return parts.join('\n');
}

/** An image or document block as a chat content part (null for a shape the chat API has no equivalent for). */
function mediaPart(b: Obj): ChatContentPart | null {
  const src = isObj(b.source) ? b.source : {};
  if (b.type === 'image') {
    if (src.type === 'base64' && typeof src.data === 'string') return { type: 'image_url', image_url: { url: `data:${String(src.media_type ?? 'image/png')};base64,${src.data}` } };
    if (src.type === 'url' && typeof src.url === 'string') return { type: 'image_url', image_url: { url: src.url } };
    return null;
  }
  // document: plain text and nested content become text; a PDF travels as a chat `file` part.
  const title = typeof b.title === 'string' ? `${b.title}\n\n` : '';
  if (src.type === 'text' && typeof src.data === 'string') return { type: 'text', text: title + src.data };
  if (src.type === 'content') return { type: 'text', text: title + textOf(src.content) };
  if (src.type === 'base64' && typeof src.data === 'string') {
    return { type: 'file', file: { filename: typeof b.title === 'string' ? b.title : 'document.pdf', file_data: `data:${String(src.media_type ?? 'application/pdf')};base64,${src.data}` } };
  }
  if (src.type === 'url' && typeof src.url === 'string') return { type: 'text', text: `${title}${src.url}` };
  return null;
}

/** Text-only parts become one string (what every chat upstream accepts); otherwise the parts array. */
function chatContent(parts: ChatContentPart[]): string | ChatContentPart[] {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p as { text: string }).text).join('\n');
  return parts;
}

function userTurn(blocks: Obj[], where: string, out: ChatMessage[]): void {
  const parts: ChatContentPart[] = [];
  blocks.forEach((b, i) => {
    if (b.type === 'tool_result') {
      // Tool results answer the previous assistant turn's calls: they go first, in order, as `tool` messages.
      if (typeof b.tool_use_id !== 'string') throw invalidRequest(`${where}.${i}.tool_use_id: must be a string`, `${where}.${i}.tool_use_id`);
      const inner = typeof b.content === 'string' || b.content == null ? [] : blocksOf(b.content, `${where}.${i}.content`);
      let text = typeof b.content === 'string' ? b.content : textOf(inner);
      if (b.is_error === true && text) text = `Error: ${text}`;
      out.push({ role: 'tool', tool_call_id: b.tool_use_id, content: text });
      // Images a tool returned cannot ride in a `tool` message: they follow in the user message.
      for (const ib of inner) { const p = ib.type === 'image' ? mediaPart(ib) : null; if (p) parts.push(p); }
    } else if (b.type === 'text') {
      if (typeof b.text !== 'string') throw invalidRequest(`${where}.${i}.text: must be a string`, `${where}.${i}.text`);
      parts.push({ type: 'text', text: b.text });
    } else if (b.type === 'image' || b.type === 'document') {
      const p = mediaPart(b);
      if (p) parts.push(p);
    }
  });
  if (parts.length) out.push({ role: 'user', content: chatContent(parts) });
}

function assistantTurn(blocks: Obj[], where: string, tools: ToolNames, out: ChatMessage[]): void {
  const text: string[] = [];
  const thinking: string[] = [];
  const calls: ChatToolCall[] = [];
  blocks.forEach((b, i) => {
    if (b.type === 'text' && typeof b.text === 'string') text.push(b.text);
    else if (b.type === 'thinking' && typeof b.thinking === 'string') thinking.push(b.thinking);
    else if (b.type === 'tool_use') {
      if (typeof b.id !== 'string' || typeof b.name !== 'string') throw invalidRequest(`${where}.${i}: tool_use needs a string id and name`, `${where}.${i}`);
      calls.push({ id: b.id, type: 'function', function: { name: tools.up(b.name), arguments: JSON.stringify(b.input ?? {}) } });
    }
  });
  const msg: ChatMessage = { role: 'assistant', content: text.length ? text.join('') : null };
  if (calls.length) {
    msg.tool_calls = calls;
    // DeepSeek (thinking mode) refuses a history whose tool-call turns lack their reasoning: send it, "" if none.
    msg.reasoning_content = thinking.join('');
  } else if (thinking.length) msg.reasoning_content = thinking.join('');
  if (msg.content === null && !calls.length) msg.content = '';
  out.push(msg);
}

function systemText(system: unknown): string {
  if (system == null) return '';
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) throw invalidRequest('system: must be a string or an array of text blocks', 'system');
  const parts: string[] = [];
  for (const b of system) {
    if (!isObj(b) || typeof b.text !== 'string') continue;
    if (isBillingHeaderText(b.text)) continue;
    parts.push(b.text);
  }
  return parts.join('\n');
}

function chatTools(tools: unknown, names: ToolNames): ChatTool[] | undefined {
  if (tools == null) return undefined;
  if (!Array.isArray(tools)) throw invalidRequest('tools: must be an array', 'tools');
  const out: ChatTool[] = [];
  tools.forEach((t, i) => {
    if (!isObj(t)) throw invalidRequest(`tools.${i}: must be an object`, `tools.${i}`);
    // Server tools (web_search_…, bash_…, text_editor_…) have no input_schema: nothing upstream can run them.
    if (!isObj(t.input_schema)) return;
    if (typeof t.name !== 'string' || !t.name) throw invalidRequest(`tools.${i}.name: must be a non-empty string`, `tools.${i}.name`);
    const fn: ChatTool['function'] = { name: names.up(t.name), parameters: t.input_schema };
    if (typeof t.description === 'string') fn.description = t.description;
    out.push({ type: 'function', function: fn });
  });
  return out.length ? out : undefined;
}

function toolChoice(choice: unknown, names: ToolNames, body: ChatBody): void {
  if (!isObj(choice)) return;
  if (choice.type === 'auto') body.tool_choice = 'auto';
  else if (choice.type === 'any') body.tool_choice = 'required';
  else if (choice.type === 'none') body.tool_choice = 'none';
  else if (choice.type === 'tool' && typeof choice.name === 'string') body.tool_choice = { type: 'function', function: { name: names.up(choice.name) } };
  if (choice.disable_parallel_tool_use === true) body.parallel_tool_calls = false;
}

/** thinking / output_config.effort → the chat API's `thinking` switch and `reasoning_effort`. */
function reasoning(src: Obj, body: ChatBody): void {
  const thinking = isObj(src.thinking) ? src.thinking : undefined;
  const effort = isObj(src.output_config) ? src.output_config.effort : undefined;
  if (thinking?.type === 'disabled') { body.thinking = { type: 'disabled' }; return; }
  if (thinking?.type === 'enabled') {
    body.thinking = { type: 'enabled' };
    const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : 0;
    body.reasoning_effort = typeof effort === 'string' && EFFORTS.has(effort) ? effort : budget <= 2048 ? 'low' : budget <= 16_384 ? 'medium' : 'high';
    return;
  }
  if (thinking?.type === 'adaptive') body.thinking = { type: 'enabled' };
  if (typeof effort === 'string' && EFFORTS.has(effort)) body.reasoning_effort = effort;
  else if (thinking?.type === 'adaptive') body.reasoning_effort = 'medium';
}

/** Translates a Messages body; `requireMaxTokens` is false for count_tokens. Throws a 400 GatewayError. */
export function decodeMessages(src: Obj, requireMaxTokens = true): DecodedMessages {
  if (typeof src.model !== 'string' || !src.model.trim()) throw invalidRequest('model: field required (a string)', 'model');
  if (!Array.isArray(src.messages)) throw invalidRequest('messages: field required (an array)', 'messages');
  const max = src.max_tokens;
  if (requireMaxTokens && max === undefined) throw invalidRequest('max_tokens: field required', 'max_tokens');
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) throw invalidRequest('max_tokens: must be a positive integer', 'max_tokens');
  if (src.stream !== undefined && src.stream !== null && typeof src.stream !== 'boolean') throw invalidRequest('stream: must be a boolean', 'stream');
  const tools = new ToolNames();
  const messages: ChatMessage[] = [];
  const system = systemText(src.system);
  if (system) messages.push({ role: 'system', content: system });
  src.messages.forEach((m, i) => {
    const where = `messages.${i}`;
    if (!isObj(m)) throw invalidRequest(`${where}: must be an object`, where);
    if (m.role === 'user') userTurn(blocksOf(m.content, `${where}.content`), `${where}.content`, messages);
    else if (m.role === 'assistant') assistantTurn(blocksOf(m.content, `${where}.content`), `${where}.content`, tools, messages);
    // Claude Code puts mid-conversation system reminders in messages[].
    else if (m.role === 'system') { const t = textOf(m.content); if (t) messages.push({ role: 'system', content: t }); } else throw invalidRequest(`${where}.role: must be "user" or "assistant"`, `${where}.role`);
  });
  if (!messages.some((m) => m.role !== 'system')) throw invalidRequest('messages: at least one message is required', 'messages');
  const stream = src.stream === true;
  const body: ChatBody = { model: src.model.trim(), messages };
  const chatToolList = chatTools(src.tools, tools);
  if (chatToolList) { body.tools = chatToolList; toolChoice(src.tool_choice, tools, body); }
  if (max !== undefined) body.max_tokens = max;
  if (typeof src.temperature === 'number') body.temperature = src.temperature;
  if (typeof src.top_p === 'number') body.top_p = src.top_p;
  if (Array.isArray(src.stop_sequences) && src.stop_sequences.length) body.stop = src.stop_sequences.filter((s) => typeof s === 'string');
  if (isObj(src.metadata) && typeof src.metadata.user_id === 'string' && src.metadata.user_id) body.user = src.metadata.user_id;
  reasoning(src, body);
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  return { body, model: body.model, stream, tools };
}
