/**
 * One DeepSeek chat call, driven by undici's dispatch callbacks: connect, read the headers, then hand the body
 * to the error, JSON or SSE relay. Dispatching directly (not `pool.request`) skips undici's response stream,
 * its signal listeners and its promise; the call costs one promise, resolved by whichever relay settles it.
 */
import type { Dispatcher, Pool } from 'undici';
import type { ChatCall, ChatOutcome, ClientResponse } from '../adapter';
import { CallGuard } from '../call-guard';
import { ErrorRelay } from './error-relay';
import { failureBeforeOutput } from './errors';
import { JsonRelay } from './json-relay';
import type { BodyRelay, RelayContext } from './relay-context';
import { upstreamBody } from './request';
import { StreamRelay } from './stream-relay';

export interface DeepSeekTarget {
  pool: Pool;
  origin: string;
  path: string;
  /** Prebuilt request headers (holds the Bearer key: never log this object). */
  headers: Record<string, string>;
  timeoutMs: number;
  firstByteTimeoutMs?: number;
}

/** First value of a response header in undici's raw [name, value, ...] list; `name` in lower case. */
function headerValue(raw: Buffer[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i];
    if (key.length === name.length && key.toString('latin1').toLowerCase() === name) return raw[i + 1].toString('utf8');
  }
  return undefined;
}

/** undici's legacy handler interface, which its HTTP/1 client calls without an adapter layer. */
class ChatHandler implements Dispatcher.DispatchHandler, RelayContext {
  readonly startedAt = performance.now();
  readonly guard: CallGuard;
  readonly origin: string;
  traceId?: string;
  /** Set once undici wrote the whole body to the socket (or the answer's headers came): the prompt is billed. */
  promptDelivered = false;
  private relay?: BodyRelay;

  constructor(t: DeepSeekTarget, readonly call: ChatCall, readonly res: ClientResponse, private readonly done: (o: ChatOutcome) => void) {
    this.origin = t.origin;
    this.guard = new CallGuard(call.signal, t.timeoutMs, t.firstByteTimeoutMs);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.guard.attach(abort);
  }

  onRequestSent(): void {
    this.promptDelivered = true;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.promptDelivered = true;
    if (statusCode < 200) return true; // informational; the real answer follows
    this.traceId = headerValue(rawHeaders, 'x-ds-trace-id');
    this.relay = statusCode !== 200 ? new ErrorRelay(this, statusCode, headerValue(rawHeaders, 'retry-after'))
      : this.call.stream ? new StreamRelay(this, resume)
      : new JsonRelay(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.relay!.onData(chunk);
  }

  onComplete(): void {
    this.relay!.onComplete();
  }

  onError(err: Error): void {
    if (this.relay) this.relay.onError(err);
    else this.settle(failureBeforeOutput(err, this.guard.reason, this.origin, this.promptDelivered));
  }

  settle(outcome: ChatOutcome): void {
    this.guard.dispose();
    this.done(outcome);
  }
}

/** Relays one call to DeepSeek and reports its outcome; upstream faults become outcomes, never throws. */
export function deepSeekChat(t: DeepSeekTarget, call: ChatCall, res: ClientResponse): Promise<ChatOutcome> {
  return new Promise((resolve) => {
    const handler = new ChatHandler(t, call, res, resolve);
    t.pool.dispatch({ method: 'POST', path: t.path, headers: t.headers, body: upstreamBody(call) }, handler);
  });
}
