/** Non-stream relay: collect the whole answer (skipping keep-alive blank lines), parse once, forward the bytes. */
import type { ChatOutcome } from '../adapter';
import { failedAfterHeaders } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';
import { normaliseUsage, parseLenient } from './usage';

function firstNonBlank(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32 || buf[i] === 9)) i++;
  return i;
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
    let buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    let start = firstNonBlank(buf);
    let parsed: Record<string, any>;
    const text = buf.toString('utf8', start);
    try {
      parsed = parseLenient(text);
      if (!parsed || typeof parsed !== 'object') throw new Error('not an object');
    } catch {
      return {
        status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: 'DeepSeek sent a body that is not JSON', promptDelivered: true,
        errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: 'DeepSeek sent an unreadable answer' },
      };
    }
    const checked = normaliseUsage(parsed.usage);
    const usage = typeof checked === 'string' ? undefined : checked;
    if (!usage) {
      // Unusable usage is not passed on (a client SDK may choke on it); the bytes sent are then re-serialized.
      parsed.usage = null;
      buf = Buffer.from(JSON.stringify(parsed));
      start = 0;
    }
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length - start });
    res.end(start === 0 ? buf : buf.subarray(start));
    // A literal with every field, not conditional spreads: spreads cost a new hidden class per request in V8.
    return {
      status: 'ok',
      httpStatus: 200,
      usage,
      usageAnomaly: usage ? undefined : (checked as string),
      promptDelivered: true,
      outputText: usage ? undefined : answerText(parsed),
      modelServed: parsed.model,
      upstreamRequestId: parsed.id ?? ctx.traceId,
      firstTokenMs: performance.now() - ctx.startedAt,
      error: undefined,
    };
  }
}

/** The text a completion relayed (content, reasoning, tool calls), for the tokenizer when usage is unusable. */
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
