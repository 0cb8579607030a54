/**
 * Writes a completion the way the provider streams it: data-only SSE, reasoning deltas first, then content, then
 * usage where this provider puts it (see StreamLayout in wire-types.ts), then [DONE].
 */
import type { ServerResponse } from 'node:http';
import { completionBody } from './json-writer.js';
import { usageJson, type Completion } from './completion.js';
import type { Directives } from './directives.js';
import type { Counts, FakeWire } from './wire-types.js';

export const SYSTEM_FINGERPRINT = 'fp_fake0000_prod1017';

export interface StreamContext {
  wire: FakeWire;
  id: string;
  created: number;
  model: string;
  thinking: boolean;
  /** Client sent stream_options.include_usage. */
  includeUsage: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What rides on every chunk before the last: `"usage":null` when asked (OpenAI), MiniMax's placeholders, SiliconFlow's running count. */
function perChunkUsage(ctx: StreamContext, plan: Completion, done: number): string {
  switch (ctx.wire.layout) {
    case 'minimax': return ',"usage":{"total_tokens":0,"total_characters":0}';
    case 'choice-usage': return '';
    case 'cumulative': {
      if (!ctx.includeUsage) return '';
      const shownReasoning = Math.min(done, plan.reasoning.length);
      const c: Counts = { ...plan.counts, completion: done, reasoning: shownReasoning };
      return `,"usage":${JSON.stringify(ctx.wire.usage(c, true))}`;
    }
    default: return ctx.includeUsage ? ',"usage":null' : '';
  }
}

/** The SSE events of one streamed completion, without keep-alives or faults. */
export function streamEvents(ctx: StreamContext, plan: Completion, sep: string): string[] {
  const { wire } = ctx;
  const minimax = wire.layout === 'minimax';
  const head = `data: {"id":"${ctx.id}","object":"chat.completion.chunk","created":${ctx.created},"model":${JSON.stringify(ctx.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[{"index":0,"delta":`;
  const role = minimax ? '"role":"",' : '';
  const tail = (done: number) => `,"logprobs":null,"finish_reason":null}]${perChunkUsage(ctx, plan, done)}}${sep}`;
  const events = [head + (ctx.thinking ? '{"role":"assistant","content":null,"reasoning_content":""}' : '{"role":"assistant","content":""}') + tail(0)];
  let done = 0;
  for (const w of plan.reasoning) events.push(`${head}{${role}"content":null,"reasoning_content":${JSON.stringify(w)}}${tail(++done)}`);
  const after = ctx.thinking ? ',"reasoning_content":null}' : '}';
  for (const w of plan.content) events.push(`${head}{${role}"content":${JSON.stringify(w)}${after}${tail(++done)}`);
  const usage = usageJson(plan.streamUsage);
  const finish = `${head}{"content":""${after},"logprobs":null,"finish_reason":"${plan.finishReason}"`;
  switch (wire.layout) {
    case 'last-chunk': events.push(`${finish}}],"usage":${usage}}${sep}`); break;
    case 'choice-usage': events.push(`${finish},"usage":${usage}}]}${sep}`); break;
    case 'cumulative': events.push(`${finish}}]${ctx.includeUsage ? `,"usage":${usage}` : ''}}${sep}`); break;
    default: events.push(`${finish}}]${perChunkUsage(ctx, plan, done)}}${sep}`);
  }
  if (minimax) events.push(`data: ${completionBody(ctx, plan, plan.streamUsage)}${sep}`);
  if ((wire.layout === 'trailing' || minimax) && ctx.includeUsage) {
    events.push(`data: {"id":"${ctx.id}","object":"chat.completion.chunk","created":${ctx.created},"model":${JSON.stringify(ctx.model)},"choices":[],"usage":${usage}}${sep}`);
  }
  events.push(`data: [DONE]${sep}`);
  return events;
}

async function write(res: ServerResponse, text: string): Promise<void> {
  if (!res.write(text)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
}

const ERROR_EVENT = JSON.stringify({ error: { message: 'Server Error', type: 'server_error', param: null, code: 'server_error' } });

/** Streams a completion, applying keep-alive, delay, fragmentation, reset and mid-stream error directives. */
export async function writeStream(res: ServerResponse, ctx: StreamContext, plan: Completion, d: Directives): Promise<void> {
  const sep = d.crlf ? '\r\n\r\n' : '\n\n';
  if (d.errorEventFirst) { res.end(`data: ${ERROR_EVENT}${sep}`); return; }
  const events = streamEvents(ctx, plan, sep);
  const keepalives = ctx.wire.keepAlives ? d.keepalive ?? 0 : 0;
  const slow = keepalives || d.chunkDelayMs || d.resetAfter !== undefined || d.midstreamError || d.fragment;
  if (!slow) { res.end(events.join('')); return; }
  for (let i = 0; i < keepalives && !res.destroyed; i++) {
    await write(res, `: keep-alive${sep}`);
    if (d.keepaliveMs) await sleep(d.keepaliveMs);
  }
  const outputs = plan.reasoning.length + plan.content.length;
  const errorAt = d.midstreamError ? Math.max(1, Math.floor(outputs / 2)) : undefined;
  for (let i = 0; i < events.length && !res.destroyed; i++) {
    if (i - 1 === d.resetAfter) { res.socket?.destroy(); return; }
    if (i - 1 === errorAt) {
      await write(res, `data: ${ERROR_EVENT}${sep}`);
      break;
    }
    if (d.fragment) {
      for (let at = 0; at < events[i].length; at += 7) { await write(res, events[i].slice(at, at + 7)); await sleep(1); }
    } else await write(res, events[i]);
    if (d.chunkDelayMs) await sleep(d.chunkDelayMs);
  }
  res.end();
}
