/** The pre-request quote: an upper bound on a request's cost, held before any upstream call. */
import type { ModelInfo } from './catalog';
import { BillingError } from './errors';
import { costMicroUsd, ratesForInput, type TierPrice } from './money';
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
 * Quote = prompt-token bound × the dearest prompt rate + output bound × output price, rounded up once
 * (costMicroUsd), at the input-length tier the prompt bound reaches (the highest the request can reach).
 * Why the dearest prompt rate: any prompt token may miss the cache or be written to it (a cache write can
 * cost more than a miss: Qwen 125%, MiniMax M2.x). Why the bound's tier: tiers are monotone (checked when the
 * catalog loads), so no shorter input is billed at a dearer tier. The output bound is the cap sent upstream,
 * or the model's whole maximum output when no parameter caps its reasoning (`uncappedReasoning`).
 * The cheap bound (bytes as sent, prompt-bound.ts) is tried first; only if it does not fit the available balance,
 * and the prompt is at most TOKENIZE_MAX_BYTES, is it tokenized — on a worker, stopping once the count passes what
 * the balance allows. A bigger prompt is decided by the cheap bound alone: a 402 must not cost seconds of tokenizing.
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
  const outputBound = model.uncappedReasoning ? model.maxOutputTokens : cap.maxTokens;
  const quote = (promptTokenBound: number, exact: boolean): Quote => {
    const bound = Math.min(promptTokenBound, model.contextTokens);
    const r = ratesForInput(price, bound);
    const dearest = Math.max(r.cachedInputMicroUsdPerMtok, r.inputMicroUsdPerMtok, r.cacheWriteMicroUsdPerMtok);
    const asWrite = dearest === r.cacheWriteMicroUsdPerMtok;
    const asHit = !asWrite && dearest === r.cachedInputMicroUsdPerMtok && dearest !== r.inputMicroUsdPerMtok;
    const quoteMicroUsd = costMicroUsd({ cacheHitTokens: asHit ? bound : 0, cacheMissTokens: asWrite || asHit ? 0 : bound,
      cacheWriteTokens: asWrite ? bound : 0, completionTokens: outputBound }, price);
    return { ok: true, quoteMicroUsd, maxTokens: cap.maxTokens, promptTokenBound: bound, exact };
  };
  const sentBytes = sentPromptBytes(body);
  const cheapBound = sentBytes + allowanceTokens(shape);
  const cheap = quote(cheapBound, false);
  if (cheap.quoteMicroUsd <= availableMicroUsd || sentBytes > TOKENIZE_MAX_BYTES) return cheap;
  // Counting stops past the most prompt tokens the balance could pay for at the cheapest tier (the answer is a
  // 402 then anyway); generous on purpose: stopping early must never refuse a request that fits.
  const first = ratesForInput(price, 0);
  const outputMicroUsd = costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: outputBound }, price);
  const rate = Math.max(first.cachedInputMicroUsdPerMtok, first.inputMicroUsdPerMtok, first.cacheWriteMicroUsdPerMtok);
  if (outputMicroUsd > availableMicroUsd || rate === 0) return cheap;
  const limit = Math.floor(((availableMicroUsd - outputMicroUsd + 1) * 1_000_000) / rate);
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
