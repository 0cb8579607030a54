/**
 * Money is integer micro-USD (1e-6 USD); prices are integer micro-USD per million tokens. No floats touch an
 * amount: decimal strings are parsed digit by digit, and the one cost function works in BigInt.
 */
import { BillingError } from './errors';

/**
 * Per-million-token rates of one price tier, in integer micro-USD. One set of names everywhere (catalog `input` /
 * `cachedInput` / `output` / `cacheWrite`, overrides, the admin contract, the database columns): `input` is a
 * cache miss, `cachedInput` a cache hit.
 */
export interface Rates {
  /** Prompt tokens read from the provider's cache (a cache hit). */
  cachedInputMicroUsdPerMtok: number;
  /** Prompt tokens not in the cache (a cache miss). */
  inputMicroUsdPerMtok: number;
  outputMicroUsdPerMtok: number;
  /** Tokens written to the provider's prompt cache (Kimi K3, Qwen explicit cache, MiniMax M2.x). */
  cacheWriteMicroUsdPerMtok: number;
}

/** Rates that apply while the request's total input tokens are ≤ upToInputTokens (Infinity for the last tier). */
export interface InputTier extends Rates { upToInputTokens: number }

/** Rates, possibly split by input length: then the top-level rates are the first tier's (for display). */
export interface PriceRates extends Rates {
  /** Ascending, monotone in every rate; one tier is picked per request from its total input and bills all of it. */
  inputTiers?: readonly InputTier[];
}

/** The price in force for one request: its time-of-day tier and where it came from. */
export interface TierPrice extends PriceRates {
  tier: 'peak' | 'offpeak' | 'flat';
  source: 'catalog' | 'override';
}

/**
 * Token counts as the upstream reports them: cache hit + cache miss + cache write = prompt tokens (the three
 * are disjoint: a token written to the cache is not also counted as a miss). Absent cache writes count as 0.
 */
export interface TokenUsage {
  cacheHitTokens: number;
  cacheMissTokens: number;
  cacheWriteTokens?: number;
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
 * A price in micro-units of another currency (micro-CNY per Mtok) as integer micro-USD per Mtok, at
 * `microUsdPerUnit` (micro-USD per one unit of that currency). Rounded UP: a converted price is never below
 * the provider's, so the gateway never undercharges by the conversion.
 */
export function convertMicro(microUnits: number, microUsdPerUnit: number): number {
  const v = (BigInt(microUnits) * BigInt(microUsdPerUnit) + 999_999n) / 1_000_000n;
  if (v > MAX) throw new BillingError('overflow', 'converted price exceeds the representable range');
  return Number(v);
}

/** The rates a request with `inputTokens` of total input pays: its input-length tier, or the flat rates. */
export function ratesForInput(price: PriceRates, inputTokens: number): Rates {
  const tiers = price.inputTiers;
  if (!tiers) return price;
  for (let i = 0; i < tiers.length; i++) if (inputTokens <= tiers[i].upToInputTokens) return tiers[i];
  return tiers[tiers.length - 1];
}

/**
 * THE cost of a request: Σ tokens × micro-USD-per-Mtok / 1e6, rounded up once for the whole request.
 * Why once and up: rounding each component would overcharge up to 4 µ$ and make the sum depend on
 * how it is split; rounding down would serve fractions of a micro-dollar free. BigInt: tokens × price can
 * exceed 2^53 (1M tokens × $10,000/Mtok), so the exact rational is kept until the single division.
 * Input-length tiers: the tier is chosen from the request's total input (hit + miss + write) and applies to
 * the whole request, output included, as Qwen, Doubao and MiniMax bill it (not graduated).
 */
export function costMicroUsd(usage: TokenUsage, price: PriceRates): number {
  const n = (v: number, what: string): bigint => {
    if (!Number.isSafeInteger(v) || v < 0) throw new BillingError('invalid_usage', `${what} must be a non-negative integer, got ${v}`);
    return BigInt(v);
  };
  const hit = n(usage.cacheHitTokens, 'cacheHitTokens');
  const miss = n(usage.cacheMissTokens, 'cacheMissTokens');
  const write = n(usage.cacheWriteTokens ?? 0, 'cacheWriteTokens');
  const r = price.inputTiers ? ratesForInput(price, Number(hit + miss + write)) : price;
  const numerator = hit * n(r.cachedInputMicroUsdPerMtok, 'cached input price')
    + miss * n(r.inputMicroUsdPerMtok, 'input price')
    + write * n(r.cacheWriteMicroUsdPerMtok, 'cache-write price')
    + n(usage.completionTokens, 'completionTokens') * n(r.outputMicroUsdPerMtok, 'output price');
  const cost = (numerator + 999_999n) / 1_000_000n;
  if (cost > MAX) throw new BillingError('overflow', 'request cost exceeds the representable range');
  return Number(cost);
}
