/** What a relay needs about the call in flight, and the callbacks each relay implements. */
import type { ChatCall, ChatOutcome, ClientResponse } from '../adapter';
import type { CallGuard } from '../call-guard';
import type { ProviderProfile } from '../profile';
import type { RelayWire } from './wire';

export interface RelayContext {
  call: ChatCall;
  res: ClientResponse;
  guard: CallGuard;
  /** performance.now() when the call started. */
  startedAt: number;
  origin: string;
  profile: ProviderProfile;
  /** The wire format of this call's endpoint (chat completions, or a native Anthropic endpoint). */
  wire: RelayWire;
  /** The provider's trace header (its profile names it), used as request id when the body never names one. */
  traceId?: string;
  /** Ends the call with its outcome; a relay calls it exactly once. */
  settle(outcome: ChatOutcome): void;
}

/**
 * Takes the upstream body once headers arrived, as undici's dispatch callbacks: `onData` returns false to
 * pause the upstream (the relay resumes it), and exactly one of `onComplete`/`onError` ends the body.
 */
export interface BodyRelay {
  onData(chunk: Buffer): boolean;
  onComplete(): void;
  onError(err: Error): void;
}
