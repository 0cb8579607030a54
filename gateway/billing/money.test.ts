import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { convertMicro, costMicroUsd, formatUsd, microPerMtok, parseUsdToMicro, type PriceRates, type Rates } from './money';
import { BillingError } from './errors';

describe('parseUsdToMicro', () => {
  it('parses decimals exactly', () => {
    expect(parseUsdToMicro('12.5')).toBe(12_500_000);
    expect(parseUsdToMicro('0.000001')).toBe(1);
    expect(parseUsdToMicro('0.1')).toBe(100_000);
    expect(parseUsdToMicro('-3.25')).toBe(-3_250_000);
    expect(Object.is(parseUsdToMicro('-0'), 0)).toBe(true);
    expect(parseUsdToMicro('9007199254.740991')).toBe(Number.MAX_SAFE_INTEGER);
  });
  it.each(['', '1e3', '1.2345678', 'NaN', 'abc', ' 1', '1.', '.5', '+1', '0x10', 'Infinity', '9007199254.740992'])('rejects %j', (s) => {
    expect(() => parseUsdToMicro(s)).toThrow(BillingError);
  });
  it('gives a clear message', () => {
    expect(() => parseUsdToMicro('1e3')).toThrow(/at most 6 decimal places/);
  });
  it('microPerMtok refuses negative prices', () => {
    expect(microPerMtok('0.0028')).toBe(2800);
    expect(() => microPerMtok('-1')).toThrow(BillingError);
  });
});

describe('formatUsd', () => {
  it.each([
    [12_500_000, '$12.50'], [123, '$0.000123'], [0, '$0.00'], [1_000_000, '$1.00'], [1_234_500, '$1.2345'],
    [100_000, '$0.10'], [-1_500_000, '-$1.50'], [Number.MAX_SAFE_INTEGER, '$9007199254.740991'],
  ])('%i → %s', (micro, s) => expect(formatUsd(micro)).toBe(s));
  it('round-trips through parseUsdToMicro', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (m) => parseUsdToMicro(formatUsd(m).replace('$', '')) === m));
  });
});

describe('costMicroUsd', () => {
  const flash: Rates = { cachedInputMicroUsdPerMtok: 2800, inputMicroUsdPerMtok: 140_000, outputMicroUsdPerMtok: 280_000, cacheWriteMicroUsdPerMtok: 140_000 };
  it('rounds up once per request, not per component', () => {
    // 2800 + 140000 + 280000 = 422800 µ$ / 1e6 → 0.4228 µ$ → 1 (per-component rounding would give 3).
    expect(costMicroUsd({ cacheHitTokens: 1, cacheMissTokens: 1, completionTokens: 1 }, flash)).toBe(1);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: 0 }, flash)).toBe(0);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 1_000_000, completionTokens: 0 }, flash)).toBe(140_000);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 1_000_001, completionTokens: 0 }, flash)).toBe(140_001);
  });
  it('rejects non-integer or negative counts', () => {
    expect(() => costMicroUsd({ cacheHitTokens: 1.5, cacheMissTokens: 0, completionTokens: 0 }, flash)).toThrow(BillingError);
    expect(() => costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: -1, completionTokens: 0 }, flash)).toThrow(BillingError);
  });
  it('does not overflow where float math would lose precision', () => {
    // numerator 9,000,000,009,099,999,999 > 2^53: exact only in BigInt.
    const big: Rates = { cachedInputMicroUsdPerMtok: 0, inputMicroUsdPerMtok: 9_999_999_999, outputMicroUsdPerMtok: 0, cacheWriteMicroUsdPerMtok: 0 };
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 900_000_001, completionTokens: 0 }, big)).toBe(9_000_000_009_100);
  });

  const tokens = fc.integer({ min: 0, max: 50_000_000 });
  const price = fc.integer({ min: 0, max: 100_000_000 });
  const usage = fc.record({ cacheHitTokens: tokens, cacheMissTokens: tokens, cacheWriteTokens: tokens, completionTokens: tokens });
  const rates = fc.record({ cachedInputMicroUsdPerMtok: price, inputMicroUsdPerMtok: price, outputMicroUsdPerMtok: price, cacheWriteMicroUsdPerMtok: price });

  it('equals the ceiling of the exact rational', () => {
    fc.assert(fc.property(usage, rates, (u, r) => {
      const exact = BigInt(u.cacheHitTokens) * BigInt(r.cachedInputMicroUsdPerMtok) + BigInt(u.cacheMissTokens) * BigInt(r.inputMicroUsdPerMtok)
        + BigInt(u.cacheWriteTokens) * BigInt(r.cacheWriteMicroUsdPerMtok) + BigInt(u.completionTokens) * BigInt(r.outputMicroUsdPerMtok);
      const c = BigInt(costMicroUsd(u, r));
      return c * 1_000_000n >= exact && (c - 1n) * 1_000_000n < exact + (exact === 0n ? 1n : 0n);
    }));
  });
  it('is monotone in each token count', () => {
    const field = fc.constantFrom('cacheHitTokens', 'cacheMissTokens', 'cacheWriteTokens', 'completionTokens' as const);
    fc.assert(fc.property(usage, rates, field, fc.integer({ min: 1, max: 1_000_000 }), (u, r, f, d) =>
      costMicroUsd({ ...u, [f]: u[f] + d }, r) >= costMicroUsd(u, r)));
  });
  it('prices cache writes at their own rate, and absent cache writes as none', () => {
    // Kimi K3: $3 input, $0.30 cached, $3 cache write, $15 output. 1000 uncached + 2000 cached + 4000 written + 500 out:
    // (1000 × 3e6 + 2000 × 3e5 + 4000 × 3e6 + 500 × 15e6) / 1e6 = 3000 + 600 + 12000 + 7500 = 23,100 µ$ exactly.
    const k3: Rates = { cachedInputMicroUsdPerMtok: 300_000, inputMicroUsdPerMtok: 3_000_000, outputMicroUsdPerMtok: 15_000_000, cacheWriteMicroUsdPerMtok: 3_000_000 };
    expect(costMicroUsd({ cacheHitTokens: 2000, cacheMissTokens: 1000, cacheWriteTokens: 4000, completionTokens: 500 }, k3)).toBe(23_100);
    const qwen: Rates = { cachedInputMicroUsdPerMtok: 400_000, inputMicroUsdPerMtok: 2_000_000, outputMicroUsdPerMtok: 6_000_000, cacheWriteMicroUsdPerMtok: 2_500_000 };
    // 3 written tokens at $2.50/M = 7.5 µ$ → 8 (rounded up once).
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, cacheWriteTokens: 3, completionTokens: 0 }, qwen)).toBe(8);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, completionTokens: 0 }, qwen)).toBe(0);
    expect(() => costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 0, cacheWriteTokens: -1, completionTokens: 0 }, qwen)).toThrow(BillingError);
  });
});

describe('input-length tiers', () => {
  // Doubao seed-2-0-mini in micro-CNY: 0-32K ¥0.2/¥0.04/¥2, 32-128K ¥0.4/¥0.08/¥4, above ¥0.8/¥0.16/¥8 (USD here for the arithmetic).
  const t = (up: number, miss: number, hit: number, out: number) => ({ upToInputTokens: up, cachedInputMicroUsdPerMtok: hit, inputMicroUsdPerMtok: miss, outputMicroUsdPerMtok: out, cacheWriteMicroUsdPerMtok: miss });
  const tiers = [t(32_000, 200_000, 40_000, 2_000_000), t(128_000, 400_000, 80_000, 4_000_000), t(Infinity, 800_000, 160_000, 8_000_000)];
  const price: PriceRates = { ...tiers[0], inputTiers: tiers };
  it('picks one tier from the total input (hit + miss + write) and bills the whole request at it, output included', () => {
    // 32,000 input tokens: first tier. 20,000 × 0.2 + 12,000 × 0.04 + 1,000 × 2 = 4000 + 480 + 2000 = 6480 µ$.
    expect(costMicroUsd({ cacheHitTokens: 12_000, cacheMissTokens: 20_000, completionTokens: 1000 }, price)).toBe(6480);
    // One more input token (a cache write) moves ALL of it to the second tier: 20,000 × 0.4 + 12,000 × 0.08 + 1 × 0.4 + 1,000 × 4 = 12,960.4 → 12,961.
    expect(costMicroUsd({ cacheHitTokens: 12_000, cacheMissTokens: 20_000, cacheWriteTokens: 1, completionTokens: 1000 }, price)).toBe(12_961);
    // Output never moves the tier.
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 10, completionTokens: 500_000 }, price)).toBe(1_000_002);
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 200_000, completionTokens: 0 }, price)).toBe(160_000);
  });
});

describe('convertMicro (CNY → USD)', () => {
  it('converts exactly and rounds up, never down', () => {
    // ¥6/M at 0.148435 USD/CNY = $0.89061/M exactly.
    expect(convertMicro(6_000_000, 148_435)).toBe(890_610);
    // ¥0.04/M = 40,000 µ¥ × 0.148435 = 5937.4 µ$ → 5938.
    expect(convertMicro(40_000, 148_435)).toBe(5938);
    expect(convertMicro(0, 148_435)).toBe(0);
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 1, max: 1e7 }), (p, fx) => {
      const c = BigInt(convertMicro(p, fx));
      const exact = BigInt(p) * BigInt(fx);
      return c * 1_000_000n >= exact && (c - 1n) * 1_000_000n < exact;
    }));
  });
});
