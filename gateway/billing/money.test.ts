import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { costMicroUsd, formatUsd, microPerMtok, parseUsdToMicro, type Rates } from './money';
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
  const flash: Rates = { hitMicroUsdPerMtok: 2800, missMicroUsdPerMtok: 140_000, outputMicroUsdPerMtok: 280_000 };
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
    const big: Rates = { hitMicroUsdPerMtok: 0, missMicroUsdPerMtok: 9_999_999_999, outputMicroUsdPerMtok: 0 };
    expect(costMicroUsd({ cacheHitTokens: 0, cacheMissTokens: 900_000_001, completionTokens: 0 }, big)).toBe(9_000_000_009_100);
  });

  const tokens = fc.integer({ min: 0, max: 50_000_000 });
  const price = fc.integer({ min: 0, max: 100_000_000 });
  const usage = fc.record({ cacheHitTokens: tokens, cacheMissTokens: tokens, completionTokens: tokens });
  const rates = fc.record({ hitMicroUsdPerMtok: price, missMicroUsdPerMtok: price, outputMicroUsdPerMtok: price });

  it('equals the ceiling of the exact rational', () => {
    fc.assert(fc.property(usage, rates, (u, r) => {
      const exact = BigInt(u.cacheHitTokens) * BigInt(r.hitMicroUsdPerMtok) + BigInt(u.cacheMissTokens) * BigInt(r.missMicroUsdPerMtok)
        + BigInt(u.completionTokens) * BigInt(r.outputMicroUsdPerMtok);
      const c = BigInt(costMicroUsd(u, r));
      return c * 1_000_000n >= exact && (c - 1n) * 1_000_000n < exact + (exact === 0n ? 1n : 0n);
    }));
  });
  it('is monotone in each token count', () => {
    const field = fc.constantFrom('cacheHitTokens', 'cacheMissTokens', 'completionTokens' as const);
    fc.assert(fc.property(usage, rates, field, fc.integer({ min: 1, max: 1_000_000 }), (u, r, f, d) =>
      costMicroUsd({ ...u, [f]: u[f] + d }, r) >= costMicroUsd(u, r)));
  });
});
