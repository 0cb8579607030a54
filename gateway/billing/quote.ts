/** The pre-request quote: an upper bound on a request's cost, held before any upstream call. */
import type { ModelInfo } from './catalog';
import { BillingError } from './errors';
import { costMicroUsd, ratesForInput, type TierPrice } from './money';
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
 * Quote = prompt-token bound × the dearest prompt rate + output bound × output price, rounded up once
 * (costMicroUsd), at the input-length tier the prompt bound reaches (the highest the request can reach).
 * Why the dearest prompt rate: any prompt token may miss the cache or be written to it (a cache write can
 * cost more than a miss: Qwen 125%, MiniMax M2.x). Why the bound's tier: tiers are monotone (checked when the
 * catalog loads), so no shorter input is billed at a dearer tier. The output bound is the cap sent upstream,
 * or the model's whole maximum output when no parameter caps its reasoning (`uncappedReasoning`). The cheap
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
  const outputBound = model.uncappedReasoning ? model.maxOutputTokens : cap.maxTokens;
  const quote = (promptTokenBound: number, exact: boolean): Quote => {
    const bound = Math.min(promptTokenBound, model.contextTokens);
    const r = ratesForInput(price, bound);
    const dearest = Math.max(r.hitMicroUsdPerMtok, r.missMicroUsdPerMtok, r.cacheWriteMicroUsdPerMtok);
    const asWrite = dearest === r.cacheWriteMicroUsdPerMtok;
    const asHit = !asWrite && dearest === r.hitMicroUsdPerMtok && dearest !== r.missMicroUsdPerMtok;
    const quoteMicroUsd = costMicroUsd({ cacheHitTokens: asHit ? bound : 0, cacheMissTokens: asWrite || asHit ? 0 : bound,
      cacheWriteTokens: asWrite ? bound : 0, completionTokens: outputBound }, price);
    return { ok: true, quoteMicroUsd, maxTokens: cap.maxTokens, promptTokenBound: bound, exact };
  };
  const cheapBound = bodyBytes + allowanceTokens(scan);
  const cheap = quote(cheapBound, false);
  if (cheap.quoteMicroUsd <= availableMicroUsd) return cheap;
  return getTokenizer().then((tok) => quote(Math.min(cheapBound, exactPromptBound(scan, tok)), true));
}
