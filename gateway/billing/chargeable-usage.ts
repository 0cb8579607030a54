/**
 * What a finished call is charged for: the upstream's usage when it is usable, else the tokenizer's count of what
 * was consumed. Never a bytes-times-ratio estimate: a dense prompt has ~1 token per byte, not 0.3.
 */
import type { ChatOutcome, Usage } from '../upstream/adapter';
import { costMicroUsd, type Rates } from './money';
import { promptShape, promptTexts, promptTokenCount } from './prompt-bound';
import { countTokens } from './tokenizer';

export interface Charge {
  /** The usage settled (undefined: nothing consumed, nothing charged). */
  usage: Usage | undefined;
  costMicroUsd: number;
  /** True when the usage is the gateway's count, not the upstream's report. */
  estimated: boolean;
  /** Why the count stands in for the upstream's usage, when something went wrong (for the log and the row). */
  note?: string;
}

/** The request's quote as far as the charge is concerned: a counted charge never exceeds it. */
export interface QuotedBound { promptTokenBound: number; maxTokens: number }

const NOTHING: Charge = { usage: undefined, costMicroUsd: 0, estimated: false };

/**
 * The charge of a finished call. Synchronous when usage arrived (the normal path). Otherwise, when anything was
 * consumed, a promise of the tokenizer's count (on the worker pool, in the key's turn):
 * - a served answer whose usage is missing or malformed (`usageAnomaly`): prompt + relayed output;
 * - a cut stream or a client abort with output: prompt + relayed output;
 * - a client abort before any output once the prompt reached the upstream (`promptDelivered`: providers bill
 *   prefill): the prompt, at the cache-miss price.
 * An upstream failure before output is charged nothing. Counts are capped at the quote's prompt bound and
 * output cap, so a counted charge never exceeds the hold.
 */
export function chargeFor(outcome: ChatOutcome, keyId: string, body: Record<string, unknown>, quote: QuotedBound, price: Rates): Charge | Promise<Charge> {
  let note = outcome.usageAnomaly;
  if (outcome.usage) {
    try {
      return { usage: outcome.usage, costMicroUsd: costMicroUsd(outcome.usage, price), estimated: false };
    } catch (err) {
      note = `usage not chargeable: ${(err as Error).message}`; // e.g. a cost beyond 2^53 µ$: count instead
    }
  }
  const output = outcome.outputText ?? '';
  const consumed = note !== undefined || output !== '' || (outcome.status === 'aborted' && outcome.promptDelivered === true);
  if (!consumed) return NOTHING;
  return countConsumed(keyId, body, output, quote, price, note);
}

async function countConsumed(keyId: string, body: Record<string, unknown>, output: string, quote: QuotedBound, price: Rates, note: string | undefined): Promise<Charge> {
  const shape = promptShape(body);
  let prompt: number;
  let completion: number;
  try {
    const [p, o] = await Promise.all([
      countTokens(keyId, promptTexts(body), { force: true }),
      output ? countTokens(keyId, [output], { force: true }) : { tokens: 0 },
    ]);
    prompt = Math.min(quote.promptTokenBound, promptTokenCount(shape, p.tokens));
    completion = Math.min(quote.maxTokens, o.tokens);
  } catch (err) {
    // The counter itself failed (a worker crash): charge the bounds the client's hold agreed to — the prompt
    // bound, and the output's UTF-8 bytes (a byte-level BPE never has more tokens than bytes).
    prompt = quote.promptTokenBound;
    completion = Math.min(quote.maxTokens, Buffer.byteLength(output));
    note = `${note ? `${note}; ` : ''}token count failed (${(err as Error).message}), charged the bounds`;
  }
  const usage: Usage = { promptTokens: prompt, cacheHitTokens: 0, cacheMissTokens: prompt, cacheWriteTokens: 0, completionTokens: completion, reasoningTokens: 0 };
  return { usage, costMicroUsd: costMicroUsd(usage, price), estimated: true, note };
}
