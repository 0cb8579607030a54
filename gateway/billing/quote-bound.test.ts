// The quote is a true upper bound for every catalog model: no usage the upstream may report within the
// quote's bounds (prompt ≤ the prompt bound, output ≤ the cap sent, or the model's maximum when its reasoning
// is uncapped) costs more than the hold, whatever the tier, cache split, currency or exchange rate.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadCatalog } from './catalog';
import { costMicroUsd } from './money';
import { Pricing } from './pricing';
import { quoteRequest, type Quote } from './quote';

const catalog = loadCatalog();
const RICH = Number.MAX_SAFE_INTEGER;
// A Tuesday in Beijing at 10:30 (peak) and 20:00 (off-peak), after every catalog period started.
const instants = [Date.parse('2026-11-24T02:30:00Z'), Date.parse('2026-11-24T12:00:00Z')];
/** A body of about `bytes` bytes as sent: the quote bounds the prompt by the serialized body, not the client's bytes. */
const bodyOf = (bytes: number, extra: Record<string, unknown> = {}) => ({ messages: [{ role: 'user', content: 'x'.repeat(Math.max(0, bytes - 45)) }], ...extra });

describe('quote ≥ cost, for every priced model in the catalog', () => {
  const priced = catalog.models().filter((m) => catalog.priceHistory(m.id).length > 0);
  it('covers every provider', () => {
    expect(new Set(priced.map((m) => m.provider))).toEqual(new Set(catalog.providers().map((p) => p.id)));
  });
  it.each(priced.map((m) => [m.id, m] as const))('%s', (_id, model) => {
    fc.assert(fc.property(
      fc.constantFrom(...instants),
      fc.integer({ min: 1, max: 200_000 }), // USD per CNY in micro-USD, when the model is priced in CNY
      fc.integer({ min: 0, max: model.contextTokens + 10_000 }), // body bytes: up to past the context window
      fc.option(fc.integer({ min: 1, max: model.maxOutputTokens }), { nil: undefined }),
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
      (at, fx, bytes, maxTokens, [a, b, c, d]) => {
        const price = new Pricing(catalog, undefined, { microUsdPerUnit: () => fx }).priceAt(model.id, at)!;
        const body = bodyOf(bytes, maxTokens === undefined ? {} : { max_tokens: maxTokens });
        const q = quoteRequest({ model, price, body, bodyBytes: bytes, availableMicroUsd: RICH }) as Quote;
        expect(q.ok).toBe(true);
        // Split a prompt of at most the bound into hit / miss / write, and an output of at most what the quote assumed.
        const prompt = Math.floor(q.promptTokenBound * a);
        const hit = Math.floor(prompt * b);
        const write = Math.floor((prompt - hit) * c);
        const outputMax = model.uncappedReasoning ? model.maxOutputTokens : q.maxTokens;
        const usage = { cacheHitTokens: hit, cacheWriteTokens: write, cacheMissTokens: prompt - hit - write, completionTokens: Math.floor(outputMax * d) };
        return costMicroUsd(usage, price) <= q.quoteMicroUsd;
      },
    ), { numRuns: 300 });
  });
  it('reaches the full bound exactly at the extremes (all prompt tokens at the dearest rate, full output)', () => {
    for (const model of priced) {
      const price = new Pricing(catalog).priceAt(model.id, instants[0])!;
      const q = quoteRequest({ model, price, body: bodyOf(1000), bodyBytes: 1000, availableMicroUsd: RICH }) as Quote;
      const outputMax = model.uncappedReasoning ? model.maxOutputTokens : q.maxTokens;
      const all = (k: 'cacheHitTokens' | 'cacheMissTokens' | 'cacheWriteTokens') => costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, cacheWriteTokens: 0, [k]: q.promptTokenBound, completionTokens: outputMax }, price);
      expect(Math.max(all('cacheHitTokens'), all('cacheMissTokens'), all('cacheWriteTokens'))).toBe(q.quoteMicroUsd);
    }
  });
  it('prices the quote at the highest tier the prompt bound reaches (MiniMax M3 past 512K input)', () => {
    const model = catalog.resolve('MiniMax-M3')!;
    const price = new Pricing(catalog).priceAt(model.id, instants[0])!;
    const at = (bytes: number) => (quoteRequest({ model, price, body: bodyOf(bytes, { max_tokens: 1000 }), bodyBytes: bytes, availableMicroUsd: RICH }) as Quote);
    const low = at(100_000);
    const high = at(600_000);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: low.promptTokenBound, completionTokens: 1000 }, price)).toBe(low.quoteMicroUsd);
    // Past 512,000 input tokens every token (output too) costs twice as much.
    expect(high.quoteMicroUsd).toBe(Math.ceil((high.promptTokenBound * 600_000 + 1000 * 2_400_000) / 1e6));
  });
  it('quotes an uncapped-reasoning model at its whole maximum output', () => {
    const model = catalog.resolve('deepseek-ai/DeepSeek-V4-Flash')!;
    const price = new Pricing(catalog).priceAt(model.id, instants[0])!;
    const q = quoteRequest({ model, price, body: { messages: [], max_tokens: 10 }, bodyBytes: 0, availableMicroUsd: RICH }) as Quote;
    expect(q.maxTokens).toBe(10);
    expect(q.quoteMicroUsd).toBe(Math.ceil((q.promptTokenBound * 130_000 + model.maxOutputTokens * 280_000) / 1e6));
  });
});
