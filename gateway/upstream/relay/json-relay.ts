/** Non-stream relay: collect the whole answer (skipping keep-alive blank lines), parse once, forward it. */
import type { ChatOutcome } from '../adapter';
import { errorInfoOfObject, failedAfterHeaders, upstreamErrorOutcome } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';
import { clientReady, clientUsage, normaliseUsage } from './usage';

function firstNonBlank(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** Output tokens of an answer whose usage is unusable, from its text (~0.3 tokens per UTF-8 byte, DeepSeek's rule of thumb). */
function outputEstimate(parsed: Record<string, any>): number {
  const m = parsed.choices?.[0]?.message;
  if (!m || typeof m !== 'object') return 0;
  let bytes = 0;
  if (typeof m.content === 'string') bytes += Buffer.byteLength(m.content);
  if (typeof m.reasoning_content === 'string') bytes += Buffer.byteLength(m.reasoning_content);
  if (Array.isArray(m.tool_calls)) bytes += Buffer.byteLength(JSON.stringify(m.tool_calls));
  return Math.ceil(bytes * 0.3);
}

/** Relays a 200 JSON answer; DeepSeek may send blank lines for a long while before the JSON. */
export class JsonRelay implements BodyRelay {
  private readonly chunks: Buffer[] = [];
  private started = false;

  constructor(private readonly ctx: RelayContext) {}

  onData(chunk: Buffer): boolean {
    if (!this.started && firstNonBlank(chunk) < chunk.length) { this.started = true; this.ctx.guard.gotFirstByte(); }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.ctx.settle(this.answer());
  }

  onError(err: Error): void {
    this.ctx.settle(failedAfterHeaders(this.ctx, err));
  }

  private answer(): ChatOutcome {
    const { ctx, chunks } = this;
    const name = ctx.profile.name;
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const start = firstNonBlank(buf);
    let parsed: Record<string, any>;
    try {
      parsed = JSON.parse(buf.toString('utf8', start));
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    } catch {
      return {
        status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: `${name} sent a body that is not JSON`,
        errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: `${name} sent an unreadable answer` },
      };
    }
    if (!Array.isArray(parsed.choices) && (parsed.error || parsed.base_resp)) {
      // An error dressed as a 200 (MiniMax's base_resp): nothing was written yet, so it is still an HTTP error.
      const o = upstreamErrorOutcome(ctx.profile, errorInfoOfObject(200, parsed));
      o.upstreamRequestId = ctx.traceId;
      return o;
    }
    const raw = parsed.usage && typeof parsed.usage === 'object' ? parsed.usage : undefined;
    const read = raw ? normaliseUsage(raw) : undefined;
    const usage = typeof read === 'object' ? read : undefined;
    const { res } = ctx;
    if (usage && !clientReady(raw, usage)) {
      // Clients get OpenAI's usage fields whatever the provider named them; answers already in that shape
      // (DeepSeek's) go out byte for byte.
      parsed.usage = clientUsage(raw, usage);
      const text = JSON.stringify(parsed);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length - start });
      res.end(start === 0 ? buf : buf.subarray(start));
    }
    const anomaly = typeof read === 'string' ? read : undefined;
    return {
      // Unusable usage still means a delivered answer: 'ok', settled from an estimate.
      status: usage || anomaly ? 'ok' : 'upstream_error',
      httpStatus: 200,
      usage,
      usageAnomaly: anomaly,
      estimatedCompletionTokens: anomaly ? outputEstimate(parsed) : undefined,
      modelServed: parsed.model,
      upstreamRequestId: parsed.id ?? ctx.traceId,
      firstTokenMs: performance.now() - ctx.startedAt,
      // A literal, not a conditional spread: spreads cost a new hidden class per request in V8.
      error: usage ? undefined : anomaly ? `${name} reported unusable usage: ${anomaly}` : `${name} answered without usage`,
    };
  }
}
