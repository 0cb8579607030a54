/**
 * OpenAI chat answer → Anthropic Messages answer (reference agent-tools.md §2). Streams open one content block
 * at a time (thinking, text, tool_use: each closed before the next, or the client SDK fails with "Mismatched
 * content block type") and report the real usage in the final message_delta.
 */
import type { ChatChunk, ChatCompletion, WireUsage } from '../chat-wire';
import { parseObject, tokenCounts } from '../chat-wire';
import type { ChatEncoder } from '../encoded-response';
import type { ToolNames } from '../tool-names';
import { anthropicErrorEvent } from '../../upstream/write';

/**
 * What thinking blocks carry as `signature`: clients send thinking back only with one, and DeepSeek needs the
 * reasoning of tool-call turns back. The gateway ignores it on the way in.
 */
export const THINKING_SIGNATURE = 'gogogo-thinking';

/** Anthropic's usage: input_tokens excludes cache reads and cache writes (Anthropic semantics). */
export function anthropicUsage(u: WireUsage | null | undefined) {
  const t = tokenCounts(u);
  return {
    input_tokens: Math.max(0, t.prompt - t.cacheRead - t.cacheWrite), output_tokens: t.output,
    cache_creation_input_tokens: t.cacheWrite, cache_read_input_tokens: t.cacheRead,
  };
}

export function stopReason(finish: string | null | undefined, sawToolCall: boolean): string {
  if (finish === 'length') return 'max_tokens';
  if (finish === 'tool_calls' || finish === 'function_call' || sawToolCall) return 'tool_use';
  if (finish === 'content_filter') return 'refusal';
  return 'end_turn';
}

const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

type Block = 'thinking' | 'text' | 'tool_use' | null;

export class AnthropicEncoder implements ChatEncoder {
  private index = -1;
  private openBlock: Block = null;
  private toolIndex = -1;
  private sawToolCall = false;
  private finish: string | null = null;
  private usage: WireUsage | null = null;

  /** `id` is the message id (msg_…), `model` the name the client asked for. */
  constructor(private readonly id: string, private readonly model: string, private readonly tools: ToolNames) {}

  /** message_start (usage is only known at the end: Claude Code takes the final message_delta's), then a ping. */
  open(): string {
    return event('message_start', {
      type: 'message_start',
      message: {
        id: this.id, type: 'message', role: 'assistant', content: [], model: this.model, stop_reason: null, stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    }) + event('ping', { type: 'ping' });
  }

  chunk(c: ChatChunk): string {
    if (c.usage) this.usage = c.usage;
    const choice = c.choices?.[0];
    if (!choice) return '';
    let out = '';
    const d = choice.delta;
    if (d) {
      if (d.reasoning_content) out += this.start('thinking') + this.delta({ type: 'thinking_delta', thinking: d.reasoning_content });
      if (d.content) out += this.start('text') + this.delta({ type: 'text_delta', text: d.content });
      if (d.tool_calls) {
        for (const tc of d.tool_calls) {
          const i = tc.index ?? 0;
          if (this.openBlock !== 'tool_use' || i !== this.toolIndex) {
            // Upstreams stream calls one after another; a new index opens the next tool_use block.
            out += this.stop();
            this.toolIndex = i;
            this.sawToolCall = true;
            out += this.startBlock('tool_use', { type: 'tool_use', id: tc.id ?? `toolu_${this.id.slice(4)}_${i}`, name: this.tools.down(tc.function?.name ?? ''), input: {} });
          }
          const args = tc.function?.arguments;
          if (args) out += this.delta({ type: 'input_json_delta', partial_json: args });
        }
      }
    }
    if (choice.finish_reason) this.finish = choice.finish_reason;
    return out;
  }

  keepAlive(): string { return event('ping', { type: 'ping' }); }

  fail(message: string, code: string): string { return anthropicErrorEvent(message, code); }

  close(complete: boolean): string {
    if (!complete) return '';
    return this.stop()
      + event('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason(this.finish, this.sawToolCall), stop_sequence: null }, usage: anthropicUsage(this.usage) })
      + event('message_stop', { type: 'message_stop' });
  }

  json(c: ChatCompletion): string {
    const choice = c.choices?.[0];
    const m = choice?.message;
    const content: unknown[] = [];
    if (m?.reasoning_content) content.push({ type: 'thinking', thinking: m.reasoning_content, signature: THINKING_SIGNATURE });
    if (m?.content) content.push({ type: 'text', text: m.content });
    for (const tc of m?.tool_calls ?? []) {
      content.push({
        type: 'tool_use', id: tc.id ?? `toolu_${this.id.slice(4)}_${content.length}`, name: this.tools.down(tc.function?.name ?? ''),
        input: parseObject(tc.function?.arguments ?? '', (raw) => ({ text: raw })),
      });
    }
    return JSON.stringify({
      id: this.id, type: 'message', role: 'assistant', model: this.model, content,
      stop_reason: stopReason(choice?.finish_reason, !!m?.tool_calls?.length), stop_sequence: null, usage: anthropicUsage(c.usage),
    });
  }

  private start(kind: 'thinking' | 'text'): string {
    if (this.openBlock === kind) return '';
    return this.stop() + this.startBlock(kind, kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' });
  }

  private startBlock(kind: Block, block: unknown): string {
    this.openBlock = kind;
    this.index++;
    return event('content_block_start', { type: 'content_block_start', index: this.index, content_block: block });
  }

  private delta(delta: unknown): string {
    return event('content_block_delta', { type: 'content_block_delta', index: this.index, delta });
  }

  private stop(): string {
    if (this.openBlock === null) return '';
    const sig = this.openBlock === 'thinking' ? this.delta({ type: 'signature_delta', signature: THINKING_SIGNATURE }) : '';
    this.openBlock = null;
    return sig + event('content_block_stop', { type: 'content_block_stop', index: this.index });
  }
}
