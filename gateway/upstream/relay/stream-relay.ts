/**
 * Stream relay: forwards the provider's SSE to the client chunk by chunk with backpressure, keeps usage off the
 * relayed chunks (one trailing usage chunk for include_usage clients), and turns cuts, upstream error events and
 * deadlines into an SSE error — or into an HTTP error while nothing has been written yet.
 */
import type { ChatOutcome } from '../adapter';
import { SseSplitter } from '../sse-events';
import { failureBeforeOutput, upstreamErrorOutcome } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';
import type { StreamEvents } from './wire';

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

/** Relays a 200 event stream to the client; always ends the call (with a response, or an error for the route to send). */
export class StreamRelay implements BodyRelay {
  private readonly st: StreamEvents;
  private readonly splitter = new SseSplitter();
  private out = '';
  private settled = false;
  /** The 200 and its headers are written with the first event that reaches the client, never before. */
  headed = false;
  private readonly onEvent = (text: string, raw: string) => { this.out += this.st.handle(text, raw); };

  /** `resume` restarts the upstream after `onData` paused it. */
  constructor(private readonly ctx: RelayContext, private readonly resume: () => void) {
    const { guard, profile } = ctx;
    this.st = ctx.wire.stream(profile, () => guard.gotFirstByte());
  }

  /** Forwards complete events; pauses the upstream while the client's socket is full. */
  onData(chunk: Buffer): boolean {
    this.splitter.push(chunk, this.onEvent);
    let more = true;
    // Events before an error event in the same read go out only if they carried output (else: an HTTP error).
    if (this.out && (!this.st.upstreamError || this.st.hasOutput || this.headed)) {
      const { res } = this.ctx;
      const text = this.out;
      this.out = '';
      if (!this.headed) { this.headed = true; res.writeHead(200, SSE_HEADERS); }
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
    this.ctx.settle(this.headed || (this.st.usage && !this.st.upstreamError) ? finish(this, this.ctx, this.st, this.out, failure) : failBeforeOutput(this.ctx, this.st, failure));
  }
}

/** Nothing reached the client: the failure becomes an HTTP error (the route sends it, or tries the next route). */
function failBeforeOutput(ctx: RelayContext, st: StreamEvents, failure: unknown): ChatOutcome {
  const { profile, guard } = ctx;
  let o: ChatOutcome;
  if (st.upstreamError && !guard.reason) o = upstreamErrorOutcome(profile, st.upstreamError);
  else if (guard.reason || failure) o = failureBeforeOutput(profile, failure, guard.reason, ctx.origin, true);
  else {
    const error = `${profile.name} stream ended before any output${st.usageAnomaly ? ` (unusable usage: ${st.usageAnomaly})` : ''}`;
    o = { status: 'upstream_error', httpStatus: 502, error, errorToSend: { status: 502, type: 'api_error', code: 'upstream_error', message: error } };
  }
  o.upstreamRequestId = st.id || ctx.traceId;
  return o;
}

function finish(relay: StreamRelay, ctx: RelayContext, st: StreamEvents, out: string, failure: unknown): ChatOutcome {
  const { res, guard, profile } = ctx;
  const name = profile.name;
  // One full literal, filled in below (a `{ ...base, … }` spread costs a new hidden class per request in V8).
  const outcome: ChatOutcome = {
    status: 'ok', httpStatus: 200, usage: st.usage, usageAnomaly: st.usageAnomaly, promptDelivered: true, outputText: undefined,
    modelServed: st.model, upstreamRequestId: st.id || ctx.traceId,
    firstTokenMs: st.firstOutputAt === undefined ? undefined : st.firstOutputAt - ctx.startedAt, error: undefined,
  };
  if (!relay.headed) { relay.headed = true; res.writeHead(200, SSE_HEADERS); }
  if (guard.reason === 'client') {
    res.end();
    outcome.status = 'aborted';
    outcome.httpStatus = 499;
    if (!st.usage) outcome.outputText = st.outputText();
    outcome.error = 'client disconnected mid-stream';
    return outcome;
  }
  if (st.usage && !st.upstreamError) {
    // Usage arrived, so the answer is complete even if the connection dropped before [DONE].
    res.end(out + st.tail(ctx.call.includeUsage, ctx.call.price));
    return outcome;
  }
  if (st.done && !failure && !st.upstreamError && !guard.reason) {
    // A complete answer whose usage is missing or cannot be billed as reported: delivered, so charged (the runner
    // counts it with the tokenizer) and reported as an anomaly. A client that asked for usage still gets it once: the
    // counted usage, which the runner hands to finishAnswer when the count is done.
    if (ctx.call.includeUsage && st.countedTail) {
      if (out) res.write(out);
      let finished = false;
      outcome.finishAnswer = (charged) => {
        if (finished) return;
        finished = true;
        res.end(charged ? st.countedTail!(charged, ctx.call.price) : st.tail(false));
      };
    } else res.end(out + st.tail(false));
    outcome.usageAnomaly = st.usageAnomaly ?? 'the stream ended without usage';
    outcome.outputText = st.outputText();
    outcome.error = `${name} reported unusable usage: ${outcome.usageAnomaly}`;
    return outcome;
  }
  const error = st.upstreamError ? `${name} sent an error mid-stream: ${st.upstreamError.message}`
    : guard.reason ? `${name} stream exceeded the ${guard.reason === 'timeout' ? 'total time budget' : 'first-byte deadline'}`
    : failure ? `${name} connection failed mid-stream (${(failure as { code?: string }).code ?? String(failure)})`
    : `${name} stream ended before completion`;
  const code = guard.reason ? 'upstream_timeout' : 'upstream_error';
  res.end(out + st.errorEvent(error, code));
  // The operator's account ran dry mid-answer: still an alert, though the client already has a 200.
  outcome.status = st.upstreamError && profile.outOfBalance(st.upstreamError) ? 'upstream_billing' : 'upstream_error';
  outcome.outputText = st.outputText();
  outcome.error = error;
  return outcome;
}
