/** Non-stream relay: collect the whole answer (skipping keep-alive blank lines), parse once, forward the bytes. */
import type { ChatOutcome } from '../adapter';
import { failedAfterHeaders } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';
import { normaliseUsage } from './usage';

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
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const start = firstNonBlank(buf);
    let parsed: Record<string, any>;
    try {
      parsed = JSON.parse(buf.toString('utf8', start));
    } catch {
      return {
        status: 'upstream_error', httpStatus: 502, upstreamRequestId: ctx.traceId, error: 'DeepSeek sent a body that is not JSON',
        errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: 'DeepSeek sent an unreadable answer' },
      };
    }
    const { res } = ctx;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': buf.length - start });
    res.end(start === 0 ? buf : buf.subarray(start));
    const usage = parsed.usage ? normaliseUsage(parsed.usage) : undefined;
    return {
      status: usage ? 'ok' : 'upstream_error',
      httpStatus: 200,
      usage,
      modelServed: parsed.model,
      upstreamRequestId: parsed.id ?? ctx.traceId,
      firstTokenMs: performance.now() - ctx.startedAt,
      // A literal, not a conditional spread: spreads cost a new hidden class per request in V8.
      error: usage ? undefined : 'DeepSeek answered without usage',
    };
  }
}
