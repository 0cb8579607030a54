/** The pre-request quote: an upper bound on a request's cost, held before any upstream call. */
import type { ModelInfo } from './catalog';
import { BillingError } from './errors';
import { costMicroUsd, type TierPrice } from './money';
import { outputCap, type QuoteRefusal } from './output-cap';
import { allowanceTokens, exactPromptBound, scanPrompt } from './prompt-bound';
import { getTokenizer } from './tokenizer';

export type { QuoteRefusal } from './output-cap';

/** A cost bound: hold `quoteMicroUsd`, send `maxTokens` upstream as max_tokens. */
export interface Quote { ok: true; quoteMicroUsd: number; maxTokens: number; promptTokenBound: number; exact: boolean }

/** What the route knows about a request when it quotes it. */
export interface QuoteInput {
  model: ModelInfo; price: TierPrice; body: Record<string, unknown>; bodyBytes: number; availableMicroUsd: number;
}

/**
 * Quote = prompt-token bound × cache-miss price + output cap × output price, rounded up once (costMicroUsd).
 * Why miss price: any prompt token may miss the cache, so the miss rate bounds the input cost. The cheap
 * byte bound is tried first; only if it does not fit the available balance is the prompt tokenized.
 * The prompt bound is also clamped to the context window: the upstream refuses (and bills nothing for)
 * a longer prompt.
 * Answers synchronously unless the tokenizer is needed (then a promise): the request path skips an await.
 */
export function quoteRequest(input: QuoteInput): Quote | QuoteRefusal | Promise<Quote | QuoteRefusal> {
  const { model, price, body, bodyBytes, availableMicroUsd } = input;
  if (!Number.isSafeInteger(bodyBytes) || bodyBytes < 0) throw new BillingError('invalid_usage', `bodyBytes must be a non-negative integer, got ${bodyBytes}`);
  const cap = outputCap(body, model);
  if (!cap.ok) return cap;
  const scan = scanPrompt(body);
  const quote = (promptTokenBound: number, exact: boolean): Quote => {
    const bound = Math.min(promptTokenBound, model.contextTokens);
    const quoteMicroUsd = costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: bound, completionTokens: cap.maxTokens }, price);
    return { ok: true, quoteMicroUsd, maxTokens: cap.maxTokens, promptTokenBound: bound, exact };
  };
  const cheapBound = bodyBytes + allowanceTokens(scan);
  const cheap = quote(cheapBound, false);
  if (cheap.quoteMicroUsd <= availableMicroUsd) return cheap;
  return getTokenizer().then((tok) => quote(Math.min(cheapBound, exactPromptBound(scan, tok)), true));
}
