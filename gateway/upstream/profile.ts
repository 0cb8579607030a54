/**
 * How one OpenAI-compatible provider differs from the others. The relay (relay/) is shared; a profile is data
 * plus a predicate or two, never a copy of relay code. A flag a provider does not set costs the relay one
 * property read per call (or per usage event), nothing more.
 */

/** An upstream error body reduced to the fields providers put their signals in (HTTP status included). */
export interface ErrorInfo {
  status: number;
  message: string;
  /** `error.code`, a top-level `code`, or MiniMax's `base_resp.status_code`, as a string ('' when absent). */
  code: string;
  /** `error.type` or a top-level `type` ('' when absent). */
  type: string;
}

/**
 * The operator's balance at the provider, as the provider reports it (amounts are the provider's decimal strings;
 * `granted` is gift or voucher credit, `toppedUp` paid credit, where the provider splits them). The same shape as
 * the admin contract's ProviderBalance, so the window shows it as is.
 */
export interface UpstreamBalance {
  available: boolean;
  balances: Array<{ currency: string; total: string; granted: string | null; toppedUp: string | null }>;
  message: string;
}

export interface ProviderProfile {
  readonly id: string;
  /** Shown in messages to clients and the operator ("DeepSeek", "Kimi"). */
  readonly name: string;
  /**
   * The chat URL is `{base URL}/chat/completions`, the base URL kept exactly as the provider documents it.
   * DeepSeek alone documents its root both with and without `/v1`: `stripV1` drops a trailing `/v1`.
   */
  readonly stripV1?: boolean;
  /** Lower-case response header carrying the provider's own request id (the fallback when the body names none). */
  readonly traceHeader: string;
  /** The body parameter that caps the whole output, reasoning included where the provider has one. */
  readonly maxOutputParam: 'max_tokens' | 'max_completion_tokens';
  /** True when an error answer is the operator's upstream account being out of money. */
  readonly outOfBalance: (e: ErrorInfo) => boolean;
  /** MiniMax streams `"role":""` deltas; the relay rewrites them to `"assistant"` (clients build messages from them). */
  readonly emptyRoleDeltas?: boolean;
  /**
   * MiniMax may end a stream with an `object:"chat.completion"` frame (the whole message plus the real usage): it is
   * read for usage and never relayed, since the client already has that text as deltas.
   */
  readonly completionFrames?: boolean;
  /**
   * Client fields never forwarded because they would make the upstream bill at a rate the catalog does not price
   * (Kimi's `prompt_cache_options.ttl: "1h"` writes the cache at twice the 5-minute price the quote and cost assume).
   */
  readonly dropFields?: ReadonlySet<string>;
  /** A GET that reports the operator's balance at the provider, relative to the base URL. */
  readonly balance?: { path: string; parse(body: unknown): UpstreamBalance | undefined };
}
