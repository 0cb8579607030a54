/** Non-stream relay: collect the whole answer (skipping keep-alive blank lines), parse once, forward it. */
import type { ChatOutcome } from '../adapter';
import { errorInfoOfObject, failedAfterHeaders, upstreamErrorOutcome } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';
import { clientReady, clientUsage, normaliseUsage, parseLenient, spliceCost, usageCost } from './usage';

function firstNonBlank(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** The text an answer relayed (reasoning, content, tool calls), for the tokenizer when its usage is unusable. */
function answerText(parsed: Record<string, any>): string {
  let text = '';
  for (const choice of Array.isArray(parsed.choices) ? parsed.choices : []) {
    const m = choice?.message;
    if (!m || typeof m !== 'object') continue;
    if (typeof m.reasoning_content === 'string') text += m.reasoning_content;
    if (typeof m.content === 'string') text += m.content;
    for (const call of Array.isArray(m.tool_calls) ? m.tool_calls : []) {
      const f = call?.function;
      if (typeof f?.name === 'string') text += f.name;
      if (typeof f?.arguments === 'string') text += f.arguments;
    }
  }
  return text;
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
      parsed = parseLenient(buf.toString('utf8', start));
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    } catch {
      return {
        status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: `${name} sent a body that is not JSON`, promptDelivered: true,
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
    // A 200 answer without usage is delivered all the same: an anomaly, settled from the tokenizer's count.
    const read = raw ? normaliseUsage(raw) : 'usage is missing';
    const usage = typeof read === 'object' ? read : undefined;
    const { res } = ctx;
    const price = ctx.call.price;
    const ready = usage && clientReady(raw, usage) ? (start === 0 ? buf : buf.subarray(start)) : null;
    const spliced = ready && price ? spliceCost(ready, usageCost(usage!, price)) : ready;
    if (!spliced) {
      // Clients get OpenAI's usage fields whatever the provider named them; answers already in that shape
      // (DeepSeek's) go out as they came, with `cost` spliced in. Unusable usage is not passed on (a client SDK may choke on it).
      parsed.usage = usage ? clientUsage(raw, usage, price) : null;
      const text = JSON.stringify(parsed);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': spliced.length });
      res.end(spliced);
    }
    const anomaly = typeof read === 'string' ? read : undefined;
    return {
      // Unusable usage still means a delivered answer: 'ok', settled from the tokenizer's count.
      status: 'ok',
      httpStatus: 200,
      usage,
      usageAnomaly: anomaly,
      promptDelivered: true,
      outputText: anomaly ? answerText(parsed) : undefined,
      modelServed: parsed.model,
      upstreamRequestId: parsed.id ?? ctx.traceId,
      firstTokenMs: performance.now() - ctx.startedAt,
      // A literal, not a conditional spread: spreads cost a new hidden class per request in V8.
      error: usage ? undefined : `${name} reported unusable usage: ${anomaly}`,
    };
  }
}
