/**
 * A provider's native Anthropic Messages endpoint (`{anthropic base}/v1/messages`: DeepSeek's `/anthropic`, Kimi's,
 * GLM's, Qwen's, MiniMax's, Ark's `/api/compatible`), used for Messages requests only when the operator set it. The
 * answer goes to the client byte for byte; the relay reads only the usage, errors and the end of the stream.
 *
 * Usage (reference agent-tools.md §2, china-providers.md): `input_tokens` excludes cache reads and cache writes, so
 * prompt = input + cache_read + cache_creation; `output_tokens` includes thinking. A stream reports usage in
 * `message_start` (input side; GLM sends zeros there) and cumulatively in `message_delta` (output, and on some
 * providers the input side again): a `message_delta` count wins when it is above zero, as Claude Code reads it.
 */
import type { ChatOutcome, Usage } from '../adapter';
import type { ErrorInfo, ProviderProfile } from '../profile';
import { dataOf } from '../sse-events';
import { anthropicErrorEvent } from '../write';
import { errorInfoOfObject, upstreamErrorOutcome } from './errors';
import type { RelayContext } from './relay-context';
import { deltaText } from './stream-state';
import { parseLenient } from './usage';
import type { RelayWire, StreamEvents } from './wire';

type Raw = Record<string, any>;

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** One count: the final (message_delta) value when above zero — or present but invalid — else the opening one. */
function pick(start: Raw | undefined, end: Raw | undefined, key: string): unknown {
  const v = end?.[key];
  if (v !== undefined && v !== null && v !== 0) return v;
  return start?.[key] ?? v;
}

/** Anthropic usage (a JSON answer's, or a stream's opening and final ones) → Usage, or why it cannot be billed. */
export function anthropicUsage(start: Raw | undefined, end: Raw | undefined): Usage | string {
  const input = pick(start, end, 'input_tokens');
  const read = pick(start, end, 'cache_read_input_tokens') ?? 0;
  const write = pick(start, end, 'cache_creation_input_tokens') ?? 0;
  const output = end && end.output_tokens !== undefined ? end.output_tokens : start?.output_tokens;
  if (!count(input)) return `input_tokens is ${show(input)}`;
  if (!count(output)) return `output_tokens is ${show(output)}`;
  if (!count(read)) return `cache_read_input_tokens is ${show(read)}`;
  if (!count(write)) return `cache_creation_input_tokens is ${show(write)}`;
  const prompt = input + read + write;
  if (!Number.isSafeInteger(prompt + output)) return `token counts beyond 2^53 (${prompt} + ${output})`;
  return { promptTokens: prompt, cacheHitTokens: read, cacheMissTokens: input, cacheWriteTokens: write, completionTokens: output, reasoningTokens: 0 };
}

/** `{base}/v1/messages`, the base kept as the provider documents it (`…/anthropic`, `…/api/compatible`). */
function messagesTarget(baseUrl: string): { origin: string; path: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, path: `${url.pathname.replace(/\/+$/, '')}/v1/messages` };
}

/** The escaped text of a content_block_delta: text, thinking, tool input JSON. */
const OUTPUT_FIELDS = ['"text":"', '"thinking":"', '"partial_json":"'];

/** Per-call state of a native Anthropic stream; events are forwarded untouched. */
class AnthropicEvents implements StreamEvents {
  done = false;
  usage?: Usage;
  usageAnomaly?: string;
  upstreamError?: ErrorInfo;
  firstOutputAt?: number;
  id: string | undefined;
  model: string | undefined;
  private escapedOutput = '';
  private opening?: Raw;
  private seenData = false;

  constructor(private readonly onFirstData: () => void) {}

  get hasOutput(): boolean { return this.escapedOutput !== ''; }

  handle(text: string, raw: string): string {
    const data = dataOf(text);
    if (data === null) return raw; // comments
    if (!this.seenData) { this.seenData = true; this.onFirstData(); }
    // Substring tests are safe: inside a JSON string a quote is escaped, so `"message_delta"` cannot occur there.
    if (data.includes('"content_block_delta"')) {
      const delta = deltaText(data, OUTPUT_FIELDS);
      if (delta) { this.escapedOutput += delta; this.firstOutputAt ??= performance.now(); }
      return raw;
    }
    if (data.includes('"message_start"')) {
      const m = this.parse(data)?.message;
      if (m && typeof m === 'object') {
        this.id = typeof m.id === 'string' ? m.id : undefined;
        this.model = typeof m.model === 'string' ? m.model : undefined;
        if (m.usage && typeof m.usage === 'object') this.opening = m.usage;
      }
      return raw;
    }
    if (data.includes('"message_delta"')) {
      const e = this.parse(data);
      const read = e && e.usage && typeof e.usage === 'object' ? anthropicUsage(this.opening, e.usage) : 'message_delta carried no usage';
      if (typeof read === 'string') { this.usage = undefined; this.usageAnomaly = read; } else { this.usage = read; this.usageAnomaly = undefined; }
      return raw;
    }
    if (data.includes('"message_stop"')) { this.done = true; return raw; }
    if (data.includes('"error"')) {
      const e = this.parse(data);
      if (e && e.error && typeof e.error === 'object') { this.upstreamError = errorInfoOfObject(200, e); return ''; }
    }
    return raw;
  }

  outputText(): string {
    try { return JSON.parse(`"${this.escapedOutput}"`) as string; } catch { return this.escapedOutput; }
  }

  /** A stream cut after its final usage still closes properly for the client. */
  tail(): string { return this.done ? '' : 'event: message_stop\ndata: {"type":"message_stop"}\n\n'; }

  errorEvent(message: string, code: string): string { return anthropicErrorEvent(message, code); }

  private parse(data: string): Raw | undefined {
    try { const v = parseLenient(data); return v && typeof v === 'object' ? v : undefined; } catch { return undefined; }
  }
}

/** The text of a JSON answer's content blocks, for the tokenizer when its usage is unusable. */
function contentText(content: unknown): string {
  let text = '';
  for (const b of Array.isArray(content) ? content : []) {
    if (!b || typeof b !== 'object') continue;
    if (typeof b.text === 'string') text += b.text;
    if (typeof b.thinking === 'string') text += b.thinking;
    if (b.type === 'tool_use') text += `${String(b.name ?? '')}${JSON.stringify(b.input ?? {})}`;
  }
  return text;
}

/** A 200 JSON Message: forwarded as it came; its usage read once. */
function anthropicAnswer(ctx: RelayContext, buf: Buffer, start: number): ChatOutcome {
  const name = ctx.profile.name;
  let parsed: Raw;
  try {
    parsed = parseLenient(buf.toString('utf8', start));
    if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
  } catch {
    return {
      status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: `${name} sent a body that is not JSON`, promptDelivered: true,
      errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: `${name} sent an unreadable answer` },
    };
  }
  if (parsed.type === 'error' || (parsed.error && !Array.isArray(parsed.content))) {
    const o = upstreamErrorOutcome(ctx.profile, errorInfoOfObject(200, parsed));
    o.upstreamRequestId = ctx.traceId;
    return o;
  }
  const read = parsed.usage && typeof parsed.usage === 'object' ? anthropicUsage(undefined, parsed.usage) : 'usage is missing';
  const usage = typeof read === 'object' ? read : undefined;
  const anomaly = typeof read === 'string' ? read : undefined;
  const body = start === 0 ? buf : buf.subarray(start);
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  ctx.res.end(body);
  return {
    status: 'ok', httpStatus: 200, usage, usageAnomaly: anomaly, promptDelivered: true,
    outputText: anomaly ? contentText(parsed.content) : undefined,
    modelServed: parsed.model, upstreamRequestId: parsed.id ?? ctx.traceId,
    firstTokenMs: performance.now() - ctx.startedAt,
    error: usage ? undefined : `${name} reported unusable usage: ${anomaly}`,
  };
}

export const anthropicWire: RelayWire = {
  target: messagesTarget,
  // Both auth headers: DeepSeek, GLM and Kimi read x-api-key, MiniMax prefers Bearer. Beta headers are never sent.
  headers: (apiKey) => ({ 'content-type': 'application/json', 'x-api-key': apiKey, authorization: `Bearer ${apiKey}`, 'anthropic-version': '2023-06-01' }),
  body: (call) => call.anthropic!.body(call.upstreamModel, call.maxTokens),
  stream: (_profile: ProviderProfile, onFirstData) => new AnthropicEvents(onFirstData),
  answer: anthropicAnswer,
};
