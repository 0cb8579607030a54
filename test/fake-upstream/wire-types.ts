/**
 * What one fake provider looks like on the wire (reference/china-providers.md, upstream-apis.md §1, §3). The fake's
 * server, JSON and stream writers are shared; a wire says how this provider's answers differ.
 */
export interface Counts {
  prompt: number;
  hit: number;
  write: number;
  completion: number;
  reasoning: number;
}

/** An error answer: status, body and extra headers. */
export interface Answer { status: number; body: string; headers?: Record<string, string> }

/**
 * Where usage travels in a stream:
 * - `last-chunk`: on the last content chunk, whether asked or not (DeepSeek, GLM)
 * - `trailing`: only when include_usage was sent, as a `choices: []` chunk (Qwen, Doubao)
 * - `choice-usage`: inside `choices[0].usage` of the finish chunk (Kimi, historically)
 * - `minimax`: zero placeholders on every chunk, `"role":""` deltas, a closing `chat.completion` frame with the real
 *   usage, and a trailing `choices: []` chunk when asked
 * - `cumulative`: when asked, the running usage on every chunk (SiliconFlow)
 */
export type StreamLayout = 'last-chunk' | 'trailing' | 'choice-usage' | 'minimax' | 'cumulative';

export interface FakeWire {
  id: string;
  models: readonly string[];
  /** Response header carrying the provider's request id, and a generator for its values. */
  traceHeader: string;
  traceId(): string;
  /** A completion id as this provider formats it. */
  completionId(): string;
  /** The output caps a body asks for: `total` caps reasoning + answer, `answer` only the answer; or a 400 message. */
  caps(body: Record<string, unknown>): { total?: number; answer?: number; error?: string };
  /** The usage object for these counts; `stream` is set for the stream's final usage. */
  usage(c: Counts, stream: boolean): Record<string, unknown>;
  layout: StreamLayout;
  /** `: keep-alive` comments (stream) and blank lines (JSON) while queued: DeepSeek only documents them. */
  keepAlives: boolean;
  /** False when usage has no reasoning_tokens (Kimi bills reasoning inside completion_tokens; a separate field is unconfirmed). */
  reportsReasoning?: boolean;
  /** Reasoning tokens billed beyond the reasoning text shown (Doubao Seed 2.1 shows a summary): hidden per shown. */
  hiddenReasoningPerShown?: number;
  /** The body answered for an error status. */
  statusError(status: number): string;
  /** The provider's out-of-balance signal. */
  outOfBalance(): Answer;
  /** 401 for a missing or wrong key. */
  badKey(key: string | undefined): Answer;
  /** GET endpoints (path relative to the base URL → body), e.g. the balance. */
  gets: Record<string, string>;
  /** The base path the provider's documented base URL has on this fake ('' = root). */
  basePath: string;
}
