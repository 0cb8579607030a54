/**
 * Money is integer micro-USD (1e-6 USD); prices are integer micro-USD per million tokens. No floats touch an
 * amount: decimal strings are parsed digit by digit, and the one cost function works in BigInt.
 */
import { BillingError } from './errors';

/** Per-million-token rates of one price tier, in integer micro-USD. */
export interface Rates {
  hitMicroUsdPerMtok: number;
  missMicroUsdPerMtok: number;
  outputMicroUsdPerMtok: number;
}

/** The price in force for one request: its tier and where it came from. */
export interface TierPrice extends Rates {
  tier: 'peak' | 'offpeak' | 'flat';
  source: 'catalog' | 'override';
}

/** Token counts as the upstream reports them (cache hit + miss = prompt tokens). */
export interface TokenUsage {
  cacheHitTokens: number;
  cacheMissTokens: number;
  completionTokens: number;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,6}))?$/;
const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Parses a decimal USD string with at most 6 places ("12.5", "-0.000001") into integer micro-USD. */
export function parseUsdToMicro(s: string): number {
  const m = typeof s === 'string' ? DECIMAL.exec(s) : null;
  if (!m) throw new BillingError('invalid_amount', `invalid USD amount ${JSON.stringify(s)}: expected a decimal like 12.50 with at most 6 decimal places`);
  const micro = BigInt(m[2]) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  if (micro > MAX) throw new BillingError('overflow', `USD amount ${s} is too large`);
  const n = Number(micro);
  return m[1] && n !== 0 ? -n : n;
}

/** A catalog or CLI price (USD per million tokens, decimal string) as integer micro-USD per Mtok. */
export function microPerMtok(usdPerMtok: string): number {
  const n = parseUsdToMicro(usdPerMtok);
  if (n < 0) throw new BillingError('invalid_price', `price ${usdPerMtok} must not be negative`);
  return n;
}

/** "$12.50", "$0.000123", "-$1.00": at least 2 decimals, up to 6, exact (no float artifacts). */
export function formatUsd(micro: number): string {
  if (!Number.isSafeInteger(micro)) throw new BillingError('invalid_amount', `not a micro-USD amount: ${micro}`);
  const abs = Math.abs(micro);
  const frac = String(abs % 1_000_000).padStart(6, '0').replace(/0{1,4}$/, '');
  return `${micro < 0 ? '-' : ''}$${Math.floor(abs / 1_000_000)}.${frac}`;
}

/**
 * THE cost of a request: Σ tokens × micro-USD-per-Mtok / 1e6, rounded up once for the whole request.
 * Why once and up: rounding each component would overcharge up to 3 µ$ and make the sum depend on
 * how it is split; rounding down would serve fractions of a micro-dollar free. BigInt: tokens × price can
 * exceed 2^53 (1M tokens × $10,000/Mtok), so the exact rational is kept until the single division.
 */
export function costMicroUsd(usage: TokenUsage, price: Rates): number {
  const n = (v: number, what: string): bigint => {
    if (!Number.isSafeInteger(v) || v < 0) throw new BillingError('invalid_usage', `${what} must be a non-negative integer, got ${v}`);
    return BigInt(v);
  };
  const numerator = n(usage.cacheHitTokens, 'cacheHitTokens') * n(price.hitMicroUsdPerMtok, 'hit price')
    + n(usage.cacheMissTokens, 'cacheMissTokens') * n(price.missMicroUsdPerMtok, 'miss price')
    + n(usage.completionTokens, 'completionTokens') * n(price.outputMicroUsdPerMtok, 'output price');
  const cost = (numerator + 999_999n) / 1_000_000n;
  if (cost > MAX) throw new BillingError('overflow', 'request cost exceeds the representable range');
  return Number(cost);
}
