/**
 * Writes a completion the way DeepSeek streams it: data-only SSE, reasoning deltas first, usage on the last
 * content chunk (one choice, empty delta, finish_reason set) — never a `choices: []` chunk — then [DONE].
 */
import type { ServerResponse } from 'node:http';
import { usageJson, type Completion } from './completion.js';
import type { Directives } from './directives.js';
import { errorBody, SYSTEM_FINGERPRINT } from './wire.js';

export interface StreamContext {
  id: string;
  created: number;
  model: string;
  thinking: boolean;
  /** Client sent stream_options.include_usage: every chunk carries `"usage":null` except the last. */
  includeUsage: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The SSE events of one streamed completion, without keep-alives or faults. */
export function streamEvents(ctx: StreamContext, plan: Completion, sep: string, badUsage?: string): string[] {
  const head = `data: {"id":"${ctx.id}","object":"chat.completion.chunk","created":${ctx.created},"model":${JSON.stringify(ctx.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[{"index":0,"delta":`;
  const tail = `,"logprobs":null,"finish_reason":null}]${ctx.includeUsage ? ',"usage":null' : ''}}${sep}`;
  const events = [head + (ctx.thinking ? '{"role":"assistant","content":null,"reasoning_content":""}' : '{"role":"assistant","content":""}') + tail];
  for (const w of plan.reasoning) events.push(`${head}{"content":null,"reasoning_content":${JSON.stringify(w)}}${tail}`);
  const after = ctx.thinking ? ',"reasoning_content":null}' : '}';
  for (const w of plan.content) events.push(`${head}{"content":${JSON.stringify(w)}${after}${tail}`);
  const usage = badUsage === undefined ? JSON.stringify(plan.usage) : usageJson(plan.usage, badUsage);
  events.push(`${head}{"content":""${after},"logprobs":null,"finish_reason":"${plan.finishReason}"}]${usage === undefined ? '' : `,"usage":${usage}`}}${sep}`);
  events.push(`data: [DONE]${sep}`);
  return events;
}

async function write(res: ServerResponse, text: string): Promise<void> {
  if (!res.write(text)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
}

/** Streams a completion, applying keep-alive, delay, fragmentation, reset and mid-stream error directives. */
export async function writeStream(res: ServerResponse, ctx: StreamContext, plan: Completion, d: Directives): Promise<void> {
  const sep = d.crlf ? '\r\n\r\n' : '\n\n';
  const events = streamEvents(ctx, plan, sep, d.usage);
  const slow = d.keepalive || d.chunkDelayMs || d.resetAfter !== undefined || d.midstreamError || d.fragment;
  if (!slow) { res.end(events.join('')); return; }
  for (let i = 0; i < (d.keepalive ?? 0) && !res.destroyed; i++) {
    await write(res, `: keep-alive${sep}`);
    if (d.keepaliveMs) await sleep(d.keepaliveMs);
  }
  const outputs = events.length - 3; // role chunk, final usage chunk, [DONE]
  const errorAt = d.midstreamError ? Math.max(1, Math.floor(outputs / 2)) : undefined;
  for (let i = 0; i < events.length && !res.destroyed; i++) {
    if (i - 1 === d.resetAfter) { res.socket?.destroy(); return; }
    if (i - 1 === errorAt) {
      await write(res, `data: ${errorBody('Server Error', 'server_error', 'server_error')}${sep}`);
      break;
    }
    if (d.fragment) {
      for (let at = 0; at < events[i].length; at += 7) { await write(res, events[i].slice(at, at + 7)); await sleep(1); }
    } else await write(res, events[i]);
    if (d.chunkDelayMs) await sleep(d.chunkDelayMs);
  }
  res.end();
}
