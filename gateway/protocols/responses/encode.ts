/**
 * OpenAI chat answer → OpenAI Responses answer (reference agent-tools.md §3): output items `reasoning`,
 * `message`, `function_call` and `custom_tool_call`, one at a time; every stream event carries `type` and
 * `sequence_number`, and the stream ends with response.completed (or .incomplete / .failed) holding the whole
 * response with its usage — Codex treats a stream without it as failed and retries.
 */
import type { ChatChunk, ChatCompletion, WireUsage } from '../chat-wire';
import { tokenCounts } from '../chat-wire';
import type { ChatEncoder } from '../encoded-response';
import type { ToolNames } from '../tool-names';

type Obj = Record<string, unknown>;

export function responsesUsage(u: WireUsage | null | undefined) {
  const t = tokenCounts(u);
  return {
    input_tokens: t.prompt, input_tokens_details: { cached_tokens: t.cacheRead },
    output_tokens: t.output, output_tokens_details: { reasoning_tokens: t.reasoning }, total_tokens: t.prompt + t.output,
  };
}

/** A custom tool's input from the `{"input": "..."}` arguments it was called with as a function. */
function customInput(args: string): string {
  try {
    const v = JSON.parse(args) as { input?: unknown };
    if (v && typeof v.input === 'string') return v.input;
  } catch { /* not JSON: the model wrote the raw input */ }
  return args;
}

/** What the client asked for, echoed in every response object. */
export interface ResponseEcho { model: string; createdAt: number; toolChoice: unknown; parallelToolCalls: boolean; maxOutputTokens: number | null }

interface OpenItem { kind: 'reasoning' | 'message' | 'function_call' | 'custom_tool_call'; id: string; index: number; text: string; callId: string; name: string; upstreamIndex: number }

export class ResponsesEncoder implements ChatEncoder {
  private seq = 0;
  private readonly output: Obj[] = [];
  private item: OpenItem | null = null;
  private finish: string | null = null;
  private usage: WireUsage | null = null;
  private n = 0;

  constructor(private readonly id: string, private readonly echo: ResponseEcho, private readonly tools: ToolNames, private readonly custom: ReadonlySet<string>) {}

  open(): string {
    const response = this.response('in_progress');
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  chunk(c: ChatChunk): string {
    if (c.usage) this.usage = c.usage;
    const choice = c.choices?.[0];
    if (!choice) return '';
    let out = '';
    const d = choice.delta;
    if (d?.reasoning_content) {
      if (this.item?.kind !== 'reasoning') {
        out += this.openItem('reasoning', 'rs', '', '', -1);
        out += this.event('response.reasoning_summary_part.added', { item_id: this.item!.id, output_index: this.item!.index, summary_index: 0, part: { type: 'summary_text', text: '' } });
      }
      this.item!.text += d.reasoning_content;
      out += this.event('response.reasoning_summary_text.delta', { item_id: this.item!.id, output_index: this.item!.index, summary_index: 0, delta: d.reasoning_content });
    }
    if (d?.content) {
      if (this.item?.kind !== 'message') {
        out += this.openItem('message', 'msg', '', '', -1);
        out += this.event('response.content_part.added', { item_id: this.item!.id, output_index: this.item!.index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
      }
      this.item!.text += d.content;
      out += this.event('response.output_text.delta', { item_id: this.item!.id, output_index: this.item!.index, content_index: 0, delta: d.content, logprobs: [] });
    }
    for (const tc of d?.tool_calls ?? []) {
      const i = tc.index ?? 0;
      const it = this.item;
      if (!it || (it.kind !== 'function_call' && it.kind !== 'custom_tool_call') || it.upstreamIndex !== i) {
        const name = this.tools.down(tc.function?.name ?? '');
        const custom = this.custom.has(name);
        out += this.openItem(custom ? 'custom_tool_call' : 'function_call', custom ? 'ctc' : 'fc', tc.id ?? `call_${this.id.slice(5)}_${i}`, name, i);
      }
      const args = tc.function?.arguments;
      if (!args) continue;
      this.item!.text += args;
      // A custom tool's input is inside JSON arguments: it goes out whole when the call is complete.
      if (this.item!.kind === 'function_call') out += this.event('response.function_call_arguments.delta', { item_id: this.item!.id, output_index: this.item!.index, delta: args });
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
    return out;
  }

  keepAlive(): string { return ''; }

  fail(message: string, code: string): string {
    const out = this.closeItem();
    const response = this.response('failed');
    // Codex retries a failed response unless its code says not to (context_length_exceeded, insufficient_quota).
    response.error = { code: code === 'upstream_timeout' || code === 'upstream_error' ? 'server_error' : code, message };
    return out + this.event('response.failed', { response });
  }

  close(complete: boolean): string {
    if (!complete) return '';
    const out = this.closeItem();
    const incomplete = this.finish === 'length';
    const response = this.response(incomplete ? 'incomplete' : 'completed');
    return out + this.event(incomplete ? 'response.incomplete' : 'response.completed', { response });
  }

  json(c: ChatCompletion): string {
    const choice = c.choices?.[0];
    const m = choice?.message;
    if (m?.reasoning_content) this.output.push(this.finished('reasoning', this.newId('rs'), m.reasoning_content, '', ''));
    if (m?.content) this.output.push(this.finished('message', this.newId('msg'), m.content, '', ''));
    for (const tc of m?.tool_calls ?? []) {
      const name = this.tools.down(tc.function?.name ?? '');
      const custom = this.custom.has(name);
      this.output.push(this.finished(custom ? 'custom_tool_call' : 'function_call', this.newId(custom ? 'ctc' : 'fc'), tc.function?.arguments ?? '', tc.id ?? this.newId('call'), name));
    }
    this.usage = c.usage ?? null;
    this.finish = choice?.finish_reason ?? null;
    return JSON.stringify(this.response(this.finish === 'length' ? 'incomplete' : 'completed'));
  }

  private response(status: 'in_progress' | 'completed' | 'incomplete' | 'failed'): Obj {
    const e = this.echo;
    const done = status !== 'in_progress';
    return {
      id: this.id, object: 'response', created_at: e.createdAt, status, error: null,
      incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
      instructions: null, max_output_tokens: e.maxOutputTokens, model: e.model, output: done ? this.output : [],
      parallel_tool_calls: e.parallelToolCalls, previous_response_id: null, reasoning: { effort: null, summary: null },
      store: false, temperature: null, text: { format: { type: 'text' } }, tool_choice: e.toolChoice ?? 'auto', tools: [], top_p: null,
      truncation: 'disabled', usage: done && this.usage ? responsesUsage(this.usage) : null, metadata: {},
    };
  }

  /** One event: `type` and `sequence_number` first, written as text (no spread into a new object per event). */
  private event(type: string, fields: Obj): string {
    const json = JSON.stringify(fields);
    return `event: ${type}\ndata: {"type":"${type}","sequence_number":${this.seq++}${json.length > 2 ? `,${json.slice(1)}` : '}'}\n\n`;
  }

  private newId(prefix: string): string {
    return `${prefix}_${this.id.slice(5)}${(this.n++).toString(16).padStart(2, '0')}`;
  }

  private openItem(kind: OpenItem['kind'], prefix: string, callId: string, name: string, upstreamIndex: number): string {
    const out = this.closeItem();
    this.item = { kind, id: this.newId(prefix), index: this.output.length, text: '', callId, name, upstreamIndex };
    const item: Obj = kind === 'reasoning' ? { id: this.item.id, type: 'reasoning', summary: [] }
      : kind === 'message' ? { id: this.item.id, type: 'message', status: 'in_progress', role: 'assistant', content: [] }
      : kind === 'function_call' ? { id: this.item.id, type: 'function_call', status: 'in_progress', call_id: callId, name, arguments: '' }
      : { id: this.item.id, type: 'custom_tool_call', status: 'in_progress', call_id: callId, name, input: '' };
    // Reserve the slot so output indexes stay stable while the item streams.
    this.output.push(item);
    return out + this.event('response.output_item.added', { output_index: this.item.index, item });
  }

  /** The finished form of an item (what output_item.done and response.completed carry). */
  private finished(kind: OpenItem['kind'], id: string, text: string, callId: string, name: string): Obj {
    if (kind === 'reasoning') return { id, type: 'reasoning', summary: [{ type: 'summary_text', text }] };
    if (kind === 'message') return { id, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
    if (kind === 'function_call') return { id, type: 'function_call', status: 'completed', call_id: callId, name, arguments: text };
    return { id, type: 'custom_tool_call', status: 'completed', call_id: callId, name, input: customInput(text) };
  }

  private closeItem(): string {
    const it = this.item;
    if (!it) return '';
    this.item = null;
    const done = this.finished(it.kind, it.id, it.text, it.callId, it.name);
    this.output[it.index] = done;
    const { id: item_id, index: output_index } = it;
    let out: string;
    if (it.kind === 'reasoning') {
      out = this.event('response.reasoning_summary_text.done', { item_id, output_index, summary_index: 0, text: it.text })
        + this.event('response.reasoning_summary_part.done', { item_id, output_index, summary_index: 0, part: { type: 'summary_text', text: it.text } });
    } else if (it.kind === 'message') {
      out = this.event('response.output_text.done', { item_id, output_index, content_index: 0, text: it.text, logprobs: [] })
        + this.event('response.content_part.done', { item_id, output_index, content_index: 0, part: { type: 'output_text', text: it.text, annotations: [] } });
    } else if (it.kind === 'function_call') {
      out = this.event('response.function_call_arguments.done', { item_id, output_index, name: it.name, arguments: it.text });
    } else {
      const input = done.input as string;
      out = this.event('response.custom_tool_call_input.delta', { item_id, output_index, delta: input })
        + this.event('response.custom_tool_call_input.done', { item_id, output_index, input });
    }
    return out + this.event('response.output_item.done', { output_index: it.index, item: done });
  }
}
