/**
 * One chat call to an OpenAI-compatible provider, driven by undici's dispatch callbacks: connect, read the headers,
 * then hand the body to the error, JSON or SSE relay. Dispatching directly (not `pool.request`) skips undici's
 * response stream, its signal listeners and its promise; the call costs one promise, resolved by whichever relay
 * settles it.
 */
import type { Dispatcher, Pool } from 'undici';
import type { ChatCall, ChatOutcome, ClientResponse } from '../adapter';
import { CallGuard } from '../call-guard';
import type { ProviderProfile } from '../profile';
import { ErrorRelay } from './error-relay';
import { failureBeforeOutput } from './errors';
import { JsonRelay } from './json-relay';
import type { BodyRelay, RelayContext } from './relay-context';
import { StreamRelay } from './stream-relay';
import type { RelayWire } from './wire';

export interface RelayTarget {
  profile: ProviderProfile;
  /** What this endpoint speaks: chat completions, or the provider's native Anthropic Messages. */
  wire: RelayWire;
  pool: Pool;
  origin: string;
  path: string;
  /** Prebuilt request headers (holds the Bearer key: never log this object). */
  headers: Record<string, string>;
  timeoutMs: number;
  firstByteTimeoutMs?: number;
}

/** The response headers the relay reads, found in one pass over undici's raw [name, value, ...] list. */
class ResponseHeaders {
  trace?: string;
  retryAfter?: string;
  /** Only read for a stream: a JSON body where events were expected is an error answer. */
  json = false;

  constructor(raw: Buffer[], traceHeader: string) {
    const t = traceHeader.length;
    for (let i = 0; i < raw.length; i += 2) {
      const n = raw[i].length;
      if (n !== t && n !== 11 && n !== 12) continue; // retry-after, content-type
      const key = raw[i].toString('latin1').toLowerCase();
      if (key === traceHeader) this.trace ??= raw[i + 1].toString('utf8');
      else if (key === 'retry-after') this.retryAfter ??= raw[i + 1].toString('utf8');
      else if (key === 'content-type') this.json = raw[i + 1].includes('json');
    }
  }
}

/** undici's legacy handler interface, which its HTTP/1 client calls without an adapter layer. */
class ChatHandler implements Dispatcher.DispatchHandler, RelayContext {
  readonly startedAt = performance.now();
  readonly guard: CallGuard;
  readonly origin: string;
  readonly profile: ProviderProfile;
  readonly wire: RelayWire;
  traceId?: string;
  /** Set once undici wrote the whole body to the socket (or the answer's headers came): the prompt is billed. */
  promptDelivered = false;
  private relay?: BodyRelay;

  constructor(t: RelayTarget, readonly call: ChatCall, readonly res: ClientResponse, private readonly done: (o: ChatOutcome) => void) {
    this.origin = t.origin;
    this.profile = t.profile;
    this.wire = t.wire;
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
    const h = new ResponseHeaders(rawHeaders, this.profile.traceHeader);
    this.traceId = h.trace;
    this.relay = statusCode !== 200 ? new ErrorRelay(this, statusCode, h.retryAfter)
      : !this.call.stream ? new JsonRelay(this)
      : h.json ? new ErrorRelay(this, statusCode) // an error (MiniMax base_resp) where an event stream was expected
      : new StreamRelay(this, resume);
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
    else this.settle(failureBeforeOutput(this.profile, err, this.guard.reason, this.origin, this.promptDelivered));
  }

  settle(outcome: ChatOutcome): void {
    this.guard.dispose();
    this.done(outcome);
  }
}

/** Relays one call to the provider and reports its outcome; upstream faults become outcomes, never throws. */
export function relayChat(t: RelayTarget, call: ChatCall, res: ClientResponse): Promise<ChatOutcome> {
  return new Promise((resolve) => {
    const handler = new ChatHandler(t, call, res, resolve);
    t.pool.dispatch({ method: 'POST', path: t.path, headers: t.headers, body: t.wire.body(call, t.profile) }, handler);
  });
}
