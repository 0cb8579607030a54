/**
 * The wire format a relay target speaks: OpenAI chat completions (every provider's `{base}/chat/completions`) or a
 * provider's native Anthropic Messages endpoint (`{anthropic base}/v1/messages`, when the operator set one). The relay
 * machinery — dispatch, deadlines, backpressure, error mapping, outcomes — is one; a wire says only where the call
 * goes, what body and headers it sends, how its events carry usage and errors, and how a stream ends.
 */
import type { ChatCall, ChatOutcome, Usage } from '../adapter';
import type { ErrorInfo, ProviderProfile } from '../profile';
import type { PriceRates } from '../../billing/money';
import type { RelayContext } from './relay-context';

/** Per-call state of a stream: what the stream relay reads after each event. */
export interface StreamEvents {
  /** The stream's own end marker arrived (`[DONE]`, `message_stop`). */
  done: boolean;
  usage?: Usage;
  usageAnomaly?: string;
  upstreamError?: ErrorInfo;
  firstOutputAt?: number;
  readonly hasOutput: boolean;
  readonly id: string | undefined;
  readonly model: string | undefined;
  /** Handles one event; returns the text to forward to the client ('' to drop it). */
  handle(text: string, raw: string): string;
  /** The output relayed so far (for the tokenizer when usage is missing or unusable). */
  outputText(): string;
  /** What ends a complete stream; `withUsage`: the client asked for a usage chunk and usage arrived. */
  tail(withUsage: boolean, price?: PriceRates): string;
  /**
   * What ends a complete stream whose upstream usage was unusable, for a client that asked for usage: the usage the
   * gateway counted and charged, in this wire's shape. Absent: such a stream ends with `tail(false)` at once.
   */
  countedTail?(usage: Usage, price?: PriceRates): string;
  /** A failure after the client got its 200, as this wire's error event. */
  errorEvent(message: string, code: string): string;
}

export interface RelayWire {
  /** Splits the configured base URL into the pool origin and this wire's request path. */
  target(baseUrl: string, stripV1?: boolean): { origin: string; path: string };
  /** Request headers for the operator's key (never log them). */
  headers(apiKey: string): Record<string, string>;
  /** The upstream body, serialized once. */
  body(call: ChatCall, profile: ProviderProfile): string;
  /** Fresh per-call stream state; `onFirstData` is called at the first data event. */
  stream(profile: ProviderProfile, onFirstData: () => void): StreamEvents;
  /** A whole 200 JSON answer (from `start`, keep-alive blanks skipped): writes it to the client, returns the outcome. */
  answer(ctx: RelayContext, buf: Buffer, start: number): ChatOutcome;
}
