/**
 * One interface for every upstream provider. The HTTP route authenticates, quotes and holds credit,
 * then hands the call to an adapter, which relays the answer to the client and reports what happened
 * (usage for settlement, errors, timings). Settling is the route's job, never the adapter's.
 */
import type { ServerResponse } from 'node:http';
import type { CallSignal } from './call-signal';
import type { PriceRates } from '../billing/money';
import type { UpstreamBalance } from './profile';

/**
 * What a relay writes the client's answer to: the real response for OpenAI chat (zero-copy), or a protocol
 * encoder (Anthropic Messages, OpenAI Responses) that takes OpenAI chat bytes and writes its own protocol.
 */
export type ClientResponse = Pick<ServerResponse, 'writeHead' | 'write' | 'end' | 'flushHeaders' | 'once' | 'setHeader'>
  & {
    readonly headersSent: boolean; readonly destroyed: boolean;
    /**
     * Set on a protocol encoder: a non-stream chat answer the relay already parsed comes here as an object, with its
     * normalised usage (undefined when unusable), instead of as bytes the encoder would parse again.
     */
    answer?(completion: Record<string, any>, usage: Usage | undefined): void;
  };

/**
 * Token usage normalised across providers: prompt = cacheHit + cacheMiss + cacheWrite (each billed at its own
 * rate); reasoning ⊂ completion (billed as output, whether or not its text was shown).
 */
export interface Usage {
  promptTokens: number;
  cacheHitTokens: number;
  cacheMissTokens: number;
  /** Prompt tokens written to the provider's cache on this request (Kimi K3, Qwen explicit cache). */
  cacheWriteTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export interface ChatCall {
  /** Our request id (x-request-id), already set on the response. */
  requestId: string;
  /**
   * The client's parsed JSON body (validated: has model + messages). Not mutated by the adapter. The quote bounds
   * the prompt by `Buffer.byteLength(JSON.stringify(body))`: whatever an adapter sends of the fields that reach the
   * prompt must not serialize longer than that (copy or drop fields, never pad them).
   */
  body: Record<string, unknown>;
  /** Model id to send upstream (catalog's upstream name for the requested model or alias). */
  upstreamModel: string;
  /** Output cap the quote was computed with; sent upstream as the provider's capping parameter (its profile says which). */
  maxTokens: number;
  stream: boolean;
  /** The client asked `stream_options.include_usage`: emit OpenAI's trailing `choices: []` usage chunk. */
  includeUsage: boolean;
  /** Aborted when the client disconnects (or the server is force-closing); the adapter aborts upstream. */
  signal: CallSignal;
  /**
   * The price the request is billed at: the usage the client receives carries `cost`, the USD this request is charged
   * (as OpenRouter reports it), so agent tools that show spend (Cline, OpenCode, Roo) show ours.
   */
  price?: PriceRates;
  /**
   * Set for an Anthropic Messages request: when the provider has a native Anthropic endpoint (the operator's
   * `--anthropic-base-url`), the relay sends this body there instead of `body`, and writes the provider's Anthropic
   * answer byte for byte to `res` (not to the translating response the chat path writes to).
   */
  anthropic?: NativeMessages;
}

/** An Anthropic Messages request as it may go to a native Anthropic endpoint. */
export interface NativeMessages {
  /** The body to send, serialized, with the gateway's upstream model name and output cap. */
  body(upstreamModel: string, maxTokens: number): string;
  /** The client's own response. */
  res: ClientResponse;
}

export type OutcomeStatus =
  | 'ok'               // completed, usage known
  | 'upstream_error'   // upstream answered an error or failed mid-stream
  | 'upstream_billing' // the operator's upstream account is out of money (DeepSeek 402, Kimi quota, GLM 1113, ...)
  | 'timeout'          // upstream did not answer in time
  | 'aborted';         // the client went away

export interface ChatOutcome {
  status: OutcomeStatus;
  /** HTTP status the client saw (or will see, if `errorToSend` is set). */
  httpStatus: number;
  /** Usage reported by the upstream, validated; undefined if it never arrived or was unusable (see usageAnomaly). */
  usage?: Usage;
  /**
   * Why the upstream's usage could not be used (missing from a 200 answer, fractional, negative, not a number,
   * cached > prompt, beyond 2^53). The runner then charges the tokenizer's count and logs this.
   */
  usageAnomaly?: string;
  /**
   * True once the request body was handed to the upstream connection in full (or its answer's headers arrived):
   * from then on the provider bills the prompt's prefill even if the client leaves before any output.
   */
  promptDelivered?: boolean;
  /**
   * When usage is missing: the output text relayed to the client (content + reasoning + tool-call arguments), for
   * the tokenizer to count. Left undefined when usage arrived (the stream relay drops what it kept).
   */
  outputText?: string;
  modelServed?: string;
  upstreamRequestId?: string;
  /** ms since the call started when the first byte of model output was relayed to the client. */
  firstTokenMs?: number;
  /** Human-readable error for the request log (never contains secrets). */
  error?: string;
  /**
   * Set when nothing has been written to the client yet: the route must send this OpenAI-shaped error
   * (after releasing the hold). When the adapter already wrote the response (success, or an error
   * mid-stream), this is undefined.
   */
  /**
   * Set when the answer went out without its usage because the upstream's was unusable, and the client is owed it
   * (a JSON answer always; a stream when it asked for include_usage): the runner calls it once with the usage it
   * charged (the tokenizer's count), which completes the answer — the JSON body, or the stream's one usage chunk and
   * `[DONE]`. Calling it again does nothing.
   */
  finishAnswer?: (charged: Usage | undefined) => void;
  errorToSend?: {
    status: number; type: string; code: string | null; message: string; shouldRetry?: boolean;
    /** Upstream `retry-after` header value (seconds or HTTP date), to pass on with a 429. */
    retryAfter?: string;
  };
}

export interface ProviderConfig {
  id: string;
  /** The provider's documented base URL (chat is `{baseUrl}/chat/completions`; DeepSeek also accepts a trailing /v1). */
  baseUrl: string;
  apiKey: string;
  /** Total time budget for one upstream call (keep-alives do not extend it). */
  timeoutMs?: number;
  /** The provider's native Anthropic Messages base URL (`{url}/v1/messages`): Messages requests go there when set. */
  anthropicBaseUrl?: string | null;
}

export interface ProviderAdapter {
  readonly id: string;
  /** Relays one chat completion to `res` and reports the outcome. Never throws for upstream faults. */
  chat(call: ChatCall, res: ClientResponse): Promise<ChatOutcome>;
  /** The operator's balance at the provider, for providers that expose one (DeepSeek, Kimi); undefined otherwise. */
  balance?(): Promise<UpstreamBalance>;
  /** Frees pooled connections. */
  close(): Promise<void>;
}
