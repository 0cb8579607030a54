/** What a finished call is charged (issue 9 items 3–5), outcome by outcome. */
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatOutcome } from '../upstream/adapter';
import { chargeFor } from './chargeable-usage';
import type { Rates } from './money';
import { stopTokenizer } from './tokenizer';

afterAll(() => stopTokenizer());

const price: Rates = { cachedInputMicroUsdPerMtok: 10_000, inputMicroUsdPerMtok: 1_000_000, outputMicroUsdPerMtok: 2_000_000, cacheWriteMicroUsdPerMtok: 1_250_000 };
const body = { model: 'm', messages: [{ role: 'user', content: 'Hello there, how are you today?' }] };
const quote = { promptTokenBound: 1000, maxTokens: 50 };
const charge = (o: ChatOutcome) => chargeFor(o, 'k', body, quote, price);

describe('chargeFor', () => {
  it('usage known: charged as reported, synchronously', () => {
    const usage = { promptTokens: 10, cacheHitTokens: 4, cacheMissTokens: 6, cacheWriteTokens: 0, completionTokens: 5, reasoningTokens: 0 };
    expect(charge({ status: 'ok', httpStatus: 200, usage })).toEqual({ usage, costMicroUsd: 17, estimated: false });
  });

  it('failure before output, or an abort before the prompt was delivered: nothing', () => {
    expect(charge({ status: 'upstream_error', httpStatus: 502 })).toMatchObject({ costMicroUsd: 0, usage: undefined });
    expect(charge({ status: 'timeout', httpStatus: 504, promptDelivered: true })).toMatchObject({ costMicroUsd: 0 });
    expect(charge({ status: 'aborted', httpStatus: 499, promptDelivered: false })).toMatchObject({ costMicroUsd: 0 });
  });

  it('abort after the prompt was delivered: the prompt count at the miss price', async () => {
    const c = await charge({ status: 'aborted', httpStatus: 499, promptDelivered: true });
    expect(c.estimated).toBe(true);
    expect(c.usage).toMatchObject({ cacheHitTokens: 0, completionTokens: 0 });
    expect(c.usage!.promptTokens).toBeGreaterThan(6);
    expect(c.costMicroUsd).toBe(c.usage!.promptTokens);
  }, 30_000);

  it('counts are capped at the quote', async () => {
    const c = await chargeFor({ status: 'ok', httpStatus: 200, usageAnomaly: 'usage is missing', outputText: 'word '.repeat(500) },
      'k', body, { promptTokenBound: 3, maxTokens: 7 }, price);
    expect(c).toMatchObject({ usage: { promptTokens: 3, completionTokens: 7 }, estimated: true, note: 'usage is missing' });
  }, 30_000);

  it('a usage the cost function refuses (beyond 2^53 µ$) is counted instead', async () => {
    const huge = 2 ** 52;
    const c = await charge({ status: 'ok', httpStatus: 200, usage: { promptTokens: 1, cacheHitTokens: 0, cacheMissTokens: 1, cacheWriteTokens: 0, completionTokens: huge, reasoningTokens: 0 }, outputText: 'hi' });
    expect(c.estimated).toBe(true);
    expect(c.note).toMatch(/usage not chargeable/);
    expect(c.costMicroUsd).toBeLessThan(2000);
  }, 30_000);
});
