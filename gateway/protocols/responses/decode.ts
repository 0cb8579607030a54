/**
 * OpenAI Responses request → OpenAI chat body, stateless (reference agent-tools.md §3). Codex sends the whole
 * history each turn; `previous_response_id` would need stored responses, so it is a clear 400. Tools the chat
 * API cannot carry (web_search, namespace groups, …) are dropped, never refused.
 */
import { invalidRequest } from '../../http/errors';
import type { ChatBody, ChatContentPart, ChatMessage, ChatTool, ChatToolCall } from '../chat-wire';
import { ToolNames } from '../tool-names';

type Obj = Record<string, unknown>;

export interface DecodedResponses {
  body: ChatBody; model: string; stream: boolean; tools: ToolNames;
  /** Client names of `custom` tools (Codex's apply_patch): their calls go back as custom_tool_call items. */
  custom: Set<string>;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const EFFORTS = new Set(['minimal', 'low', 'medium', 'high', 'xhigh', 'max']);

function parts(content: unknown, where: string): ChatContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`${where}: must be a string or an array of content parts`, where);
  const out: ChatContentPart[] = [];
  for (const p of content) {
    if (!isObj(p)) continue;
    if (typeof p.text === 'string' && (p.type === 'input_text' || p.type === 'output_text' || p.type === 'text')) out.push({ type: 'text', text: p.text });
    else if (p.type === 'refusal' && typeof p.refusal === 'string') out.push({ type: 'text', text: p.refusal });
    else if (p.type === 'input_image' && typeof p.image_url === 'string') out.push({ type: 'image_url', image_url: { url: p.image_url } });
    else if (p.type === 'input_file' && typeof p.file_data === 'string') {
      out.push({ type: 'file', file: { filename: typeof p.filename === 'string' ? p.filename : 'file', file_data: p.file_data } });
    }
  }
  return out;
}

function contentOf(list: ChatContentPart[]): string | ChatContentPart[] {
  if (list.every((p) => p.type === 'text')) return list.map((p) => (p as { text: string }).text).join('\n');
  return list;
}

/** Tool output: a string, or content parts whose text is joined. */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return parts(output, 'output').map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return output == null ? '' : JSON.stringify(output);
}

function reasoningText(item: Obj): string {
  const texts: string[] = [];
  for (const list of [item.content, item.summary]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) if (isObj(p) && typeof p.text === 'string') texts.push(p.text);
    if (texts.length) break; // the full reasoning when the item has it, else its summary
  }
  return texts.join('\n');
}

class History {
  readonly messages: ChatMessage[] = [];
  private reasoning: string | undefined;

  constructor(private readonly tools: ToolNames) {}

  add(item: Obj, where: string): void {
    const type = item.type ?? (typeof item.role === 'string' ? 'message' : undefined);
    if (type === 'message') this.message(item, where);
    else if (type === 'reasoning') this.reasoning = (this.reasoning ? `${this.reasoning}\n` : '') + reasoningText(item);
    else if (type === 'function_call' || type === 'custom_tool_call') this.call(item, type === 'custom_tool_call', where);
    else if (type === 'function_call_output' || type === 'custom_tool_call_output') {
      if (typeof item.call_id !== 'string') throw invalidRequest(`${where}.call_id: must be a string`, `${where}.call_id`);
      this.messages.push({ role: 'tool', tool_call_id: item.call_id, content: outputText(item.output) });
    }
    // Other item types (web_search_call, item_reference, …) carry nothing a chat upstream can use.
  }

  private message(item: Obj, where: string): void {
    const role = item.role;
    const list = parts(item.content, `${where}.content`);
    if (role === 'assistant') {
      const text = list.map((p) => (p.type === 'text' ? p.text : '')).join('');
      const msg: ChatMessage = { role: 'assistant', content: text };
      if (this.reasoning !== undefined) { msg.reasoning_content = this.reasoning; this.reasoning = undefined; }
      this.messages.push(msg);
    } else if (role === 'user' || role === 'system' || role === 'developer') {
      this.messages.push({ role: role === 'user' ? 'user' : 'system', content: contentOf(list) });
    } else throw invalidRequest(`${where}.role: must be one of user, assistant, system, developer`, `${where}.role`);
  }

  /** Consecutive calls (and the assistant text just before them) form one assistant turn, as chat APIs expect. */
  private call(item: Obj, custom: boolean, where: string): void {
    if (typeof item.call_id !== 'string' || typeof item.name !== 'string') throw invalidRequest(`${where}: a tool call needs a string call_id and name`, where);
    const args = custom ? JSON.stringify({ input: typeof item.input === 'string' ? item.input : '' })
      : typeof item.arguments === 'string' ? item.arguments : JSON.stringify(item.arguments ?? {});
    const call: ChatToolCall = { id: item.call_id, type: 'function', function: { name: this.tools.up(item.name), arguments: args } };
    const last = this.messages[this.messages.length - 1];
    if (last && last.role === 'assistant' && this.reasoning === undefined) {
      (last.tool_calls ??= []).push(call);
      last.reasoning_content ??= '';
      if (last.content === '') last.content = null;
      return;
    }
    // DeepSeek (thinking mode) refuses a history whose tool-call turns lack their reasoning: send it, "" if none.
    this.messages.push({ role: 'assistant', content: null, tool_calls: [call], reasoning_content: this.reasoning ?? '' });
    this.reasoning = undefined;
  }
}

function chatTools(tools: unknown, names: ToolNames, custom: Set<string>): ChatTool[] | undefined {
  if (tools == null) return undefined;
  if (!Array.isArray(tools)) throw invalidRequest("'tools' must be an array", 'tools');
  const out: ChatTool[] = [];
  for (const t of tools) {
    if (!isObj(t) || typeof t.name !== 'string' || !t.name) continue;
    if (t.type === 'function') {
      const fn: ChatTool['function'] = { name: names.up(t.name), parameters: isObj(t.parameters) ? t.parameters : { type: 'object', properties: {} } };
      if (typeof t.description === 'string') fn.description = t.description;
      out.push({ type: 'function', function: fn });
    } else if (t.type === 'custom') {
      // A free-text tool becomes a function with one string argument; its grammar, if any, goes in the description.
      custom.add(t.name);
      const f = isObj(t.format) ? t.format : undefined;
      const grammar = f?.type === 'grammar' && typeof f.definition === 'string' ? `\n\nThe input must follow this ${String(f.syntax ?? '')} grammar:\n${f.definition}` : '';
      out.push({
        type: 'function',
        function: {
          name: names.up(t.name), description: `${typeof t.description === 'string' ? t.description : ''}${grammar}`,
          parameters: { type: 'object', properties: { input: { type: 'string', description: 'The raw tool input.' } }, required: ['input'], additionalProperties: false },
        },
      });
    }
  }
  return out.length ? out : undefined;
}

function toolChoice(choice: unknown, names: ToolNames): unknown {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (isObj(choice) && (choice.type === 'function' || choice.type === 'custom') && typeof choice.name === 'string') {
    return { type: 'function', function: { name: names.up(choice.name) } };
  }
  return undefined;
}

function responseFormat(text: unknown): unknown {
  const f = isObj(text) && isObj(text.format) ? text.format : undefined;
  if (f?.type === 'json_object') return { type: 'json_object' };
  if (f?.type === 'json_schema') {
    const schema: Obj = { name: typeof f.name === 'string' ? f.name : 'response', schema: f.schema };
    if (typeof f.strict === 'boolean') schema.strict = f.strict;
    if (typeof f.description === 'string') schema.description = f.description;
    return { type: 'json_schema', json_schema: schema };
  }
  return undefined;
}

/** Translates a Responses body. Throws a 400 GatewayError. */
export function decodeResponses(src: Obj): DecodedResponses {
  if (src.previous_response_id != null) {
    throw invalidRequest('previous_response_id is not supported: this gateway is stateless (store is ignored); send the whole conversation in `input`', 'previous_response_id');
  }
  if (typeof src.model !== 'string' || !src.model.trim()) throw invalidRequest('you must provide a model parameter (a string)', 'model');
  if (src.stream !== undefined && src.stream !== null && typeof src.stream !== 'boolean') throw invalidRequest("'stream' must be a boolean", 'stream');
  const max = src.max_output_tokens;
  if (max != null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) throw invalidRequest("'max_output_tokens' must be a positive integer", 'max_output_tokens');
  const tools = new ToolNames();
  const history = new History(tools);
  if (typeof src.instructions === 'string' && src.instructions) history.messages.push({ role: 'system', content: src.instructions });
  if (typeof src.input === 'string') history.messages.push({ role: 'user', content: src.input });
  else if (Array.isArray(src.input)) {
    src.input.forEach((item, i) => {
      if (!isObj(item)) throw invalidRequest(`input[${i}] must be an object`, `input[${i}]`);
      history.add(item, `input[${i}]`);
    });
  } else throw invalidRequest("'input' must be a string or an array of input items", 'input');
  if (!history.messages.some((m) => m.role !== 'system')) throw invalidRequest("'input' must contain at least one message", 'input');

  const custom = new Set<string>();
  const stream = src.stream === true;
  const body: ChatBody = { model: src.model.trim(), messages: history.messages };
  const chatToolList = chatTools(src.tools, tools, custom);
  if (chatToolList) {
    body.tools = chatToolList;
    const choice = toolChoice(src.tool_choice, tools);
    if (choice !== undefined) body.tool_choice = choice;
    if (typeof src.parallel_tool_calls === 'boolean') body.parallel_tool_calls = src.parallel_tool_calls;
  }
  if (max != null) body.max_tokens = max;
  if (typeof src.temperature === 'number') body.temperature = src.temperature;
  if (typeof src.top_p === 'number') body.top_p = src.top_p;
  const format = responseFormat(src.text);
  if (format) body.response_format = format;
  const effort = isObj(src.reasoning) ? src.reasoning.effort : undefined;
  if (effort === 'none') body.thinking = { type: 'disabled' };
  else if (typeof effort === 'string' && EFFORTS.has(effort)) { body.thinking = { type: 'enabled' }; body.reasoning_effort = effort; }
  const user = typeof src.safety_identifier === 'string' ? src.safety_identifier : src.user;
  if (typeof user === 'string' && user) body.user = user;
  body.stream = stream;
  if (stream) body.stream_options = { include_usage: true };
  return { body, model: body.model, stream, tools, custom };
}
