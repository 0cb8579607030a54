/**
 * Stream relay: forwards DeepSeek's SSE to the client chunk by chunk with backpressure, re-shapes the usage
 * chunk for include_usage clients, and turns cuts, upstream error events and deadlines into an SSE error.
 */
import type { ChatOutcome } from '../adapter';
import { SseSplitter } from '../sse-events';
import { sseErrorEvent } from '../write';
import type { BodyRelay, RelayContext } from './relay-context';
import { StreamState } from './stream-state';

const HEADER_FLUSH_MS = 50;
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

/** Relays a 200 event stream to the client; always ends the response. */
export class StreamRelay implements BodyRelay {
  private readonly st: StreamState;
  private readonly splitter = new SseSplitter();
  private readonly flushLater: NodeJS.Timeout;
  private out = '';
  private settled = false;
  private readonly onEvent = (text: string, raw: string) => { this.out += this.st.handle(text, raw); };

  /** `resume` restarts the upstream after `onData` paused it. */
  constructor(private readonly ctx: RelayContext, private readonly resume: () => void) {
    const { res, guard, call } = ctx;
    res.writeHead(200, SSE_HEADERS);
    // Headers leave with the first event (one write, one wake-up of the client instead of two); a silent upstream
    // still gets them out after a moment, so the client knows its stream has started.
    this.flushLater = setTimeout(() => { if (!res.headersSent && !res.destroyed) res.flushHeaders(); }, HEADER_FLUSH_MS);
    this.st = new StreamState(call.includeUsage, () => guard.gotFirstByte());
  }

  /** Forwards complete events; pauses the upstream while the client's socket is full. */
  onData(chunk: Buffer): boolean {
    this.splitter.push(chunk, this.onEvent);
    let more = true;
    if (this.out) {
      const { res } = this.ctx;
      const text = this.out;
      this.out = '';
      // A client that stops reading and then leaves never sends 'drain': its abort (the guard) ends the relay.
      if (!res.write(text) && !res.destroyed) { res.once('drain', this.resume); more = false; }
    }
    if (this.st.upstreamError) { this.end(); this.ctx.guard.cancel(); return false; }
    return more;
  }

  onComplete(): void {
    const rest = this.splitter.rest();
    if (rest.trim() && !this.st.upstreamError) this.out += this.st.handle(rest.trim(), `${rest.trim()}\n\n`);
    this.end();
  }

  /** Transport failures, and our own aborts (client gone, deadline, upstream error event). */
  onError(err: Error): void {
    this.end(err);
  }

  private end(failure?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.flushLater);
    this.ctx.settle(finish(this.ctx, this.st, this.out, failure));
  }
}

function finish(ctx: RelayContext, st: StreamState, out: string, failure: unknown): ChatOutcome {
  const { res, guard } = ctx;
  // One full literal, filled in below (a `{ ...base, … }` spread costs a new hidden class per request in V8).
  const outcome: ChatOutcome = {
    status: 'ok', httpStatus: 200, usage: st.usage, usageAnomaly: undefined, promptDelivered: true, outputText: undefined,
    modelServed: st.model, upstreamRequestId: st.id || ctx.traceId,
    firstTokenMs: st.firstOutputAt === undefined ? undefined : st.firstOutputAt - ctx.startedAt, error: undefined,
  };
  if (guard.reason === 'client') {
    res.end();
    outcome.status = 'aborted';
    outcome.httpStatus = 499;
    if (!st.usage) outcome.outputText = st.outputText();
    outcome.error = 'client disconnected mid-stream';
    return outcome;
  }
  if ((st.usage || st.usageAnomaly) && !st.upstreamError) {
    // Usage arrived, so the answer is complete even if the connection dropped before [DONE].
    res.end(`${out}${ctx.call.includeUsage && st.usage ? st.trailingChunk() : ''}data: [DONE]\n\n`);
    if (!st.usage) { outcome.usageAnomaly = st.usageAnomaly; outcome.outputText = st.outputText(); }
    return outcome;
  }
  if (st.done && !failure && !st.upstreamError && !guard.reason) {
    // A complete answer without usage: served, so charged (the runner counts it) and reported as an anomaly.
    res.end(`${out}data: [DONE]\n\n`);
    outcome.usageAnomaly = 'DeepSeek stream ended without usage';
    outcome.outputText = st.outputText();
    return outcome;
  }
  const error = st.upstreamError ? `DeepSeek sent an error mid-stream: ${st.upstreamError.message}`
    : guard.reason ? `DeepSeek stream exceeded the ${guard.reason === 'timeout' ? 'total time budget' : 'first-byte deadline'}`
    : failure ? `DeepSeek connection failed mid-stream (${(failure as { code?: string }).code ?? String(failure)})`
    : 'DeepSeek stream ended before completion';
  const code = guard.reason ? 'upstream_timeout' : 'upstream_error';
  res.end(`${out}${sseErrorEvent(error, code)}`);
  outcome.status = 'upstream_error';
  outcome.outputText = st.outputText();
  outcome.error = error;
  return outcome;
}
