/** The pre-request quote: an upper bound on a request's cost, held before any upstream call. */
import type { ModelInfo } from './catalog';
import { BillingError } from './errors';
import { costMicroUsd, type TierPrice } from './money';
import { outputCap, type QuoteRefusal } from './output-cap';
import { allowanceTokens, exactPromptBound, promptShape, promptTexts, sentPromptBytes } from './prompt-bound';
import { countTokens, TOKENIZE_MAX_BYTES, TokenizerBusyError } from './tokenizer';

export type { QuoteRefusal } from './output-cap';

/** A cost bound: hold `quoteMicroUsd`, send `maxTokens` upstream as max_tokens. */
export interface Quote { ok: true; quoteMicroUsd: number; maxTokens: number; promptTokenBound: number; exact: boolean }

/** What the route knows about a request when it quotes it. */
export interface QuoteInput {
  model: ModelInfo; price: TierPrice; body: Record<string, unknown>; bodyBytes: number; availableMicroUsd: number;
  /** Whose turn a token count waits for (the tokenizer queue is fair across keys). */
  keyId?: string;
}

/**
 * Quote = prompt-token bound × cache-miss price + output cap × output price, rounded up once (costMicroUsd).
 * Why miss price: any prompt token may miss the cache, so the miss rate bounds the input cost. The cheap
 * bound (bytes as sent, prompt-bound.ts) is tried first; only if it does not fit the available balance, and the
 * prompt is at most TOKENIZE_MAX_BYTES, is it tokenized — on a worker, stopping once the count passes what the
 * balance allows. A bigger prompt is decided by the cheap bound alone: a 402 must not cost seconds of tokenizing.
 * The prompt bound is also clamped to the context window: the upstream refuses (and bills nothing for)
 * a longer prompt.
 * Answers synchronously unless the tokenizer is needed (then a promise): the request path skips an await.
 */
export function quoteRequest(input: QuoteInput): Quote | QuoteRefusal | Promise<Quote | QuoteRefusal> {
  const { model, price, body, bodyBytes, availableMicroUsd } = input;
  if (!Number.isSafeInteger(bodyBytes) || bodyBytes < 0) throw new BillingError('invalid_usage', `bodyBytes must be a non-negative integer, got ${bodyBytes}`);
  const cap = outputCap(body, model);
  if (!cap.ok) return cap;
  const shape = promptShape(body);
  const quote = (promptTokenBound: number, exact: boolean): Quote => {
    const bound = Math.min(promptTokenBound, model.contextTokens);
    const quoteMicroUsd = costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: bound, completionTokens: cap.maxTokens }, price);
    return { ok: true, quoteMicroUsd, maxTokens: cap.maxTokens, promptTokenBound: bound, exact };
  };
  const sentBytes = sentPromptBytes(body);
  const cheapBound = sentBytes + allowanceTokens(shape);
  const cheap = quote(cheapBound, false);
  if (cheap.quoteMicroUsd <= availableMicroUsd || sentBytes > TOKENIZE_MAX_BYTES) return cheap;
  // The most prompt tokens the balance pays for: counting stops past it (the answer is a 402 then anyway).
  const outputMicroUsd = costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: cap.maxTokens }, price);
  if (outputMicroUsd > availableMicroUsd || price.missMicroUsdPerMtok === 0) return cheap;
  const limit = Math.floor(((availableMicroUsd - outputMicroUsd + 1) * 1_000_000) / price.missMicroUsdPerMtok);
  return countTokens(input.keyId ?? '', promptTexts(body), { limit }).then(
    // A count stopped early is a lower bound of the prompt, not an upper one: the cheap quote stands (and will not fit).
    (n) => (n.complete ? quote(Math.min(cheapBound, exactPromptBound(shape, n.tokens)), true) : cheap),
    (err: unknown) => busyRefusal(err),
  );
}

/** A full tokenizer queue: 429 when the key's own jobs filled it, else 503. Other failures are bugs: rethrown. */
function busyRefusal(err: unknown): QuoteRefusal {
  if (!(err instanceof TokenizerBusyError)) throw err;
  return err.scope === 'key'
    ? { ok: false, status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null,
      message: 'Too many of this key\'s requests are waiting for their prompt to be counted; retry shortly, or top up so the quick quote fits.' }
    : { ok: false, status: 503, type: 'api_error', code: 'tokenizer_busy', param: null,
      message: 'The gateway\'s token counter is busy; retry shortly.' };
}
