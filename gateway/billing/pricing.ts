/** The price in force for a model at an instant: an operator override, else the catalog's period and tier. */
import type { Catalog, Currency, PricePeriod } from './catalog';
import { convertMicro, type InputTier, type Rates, type TierPrice } from './money';
import type { PriceOverrides } from './price-overrides';
import type { ConfigWrites } from '../ledger/config-writes';
import { tierAt } from './tiers';

/** One row of the admin price list. `price` is null when the model has no price in force. */
export interface PriceListing { model: string; aliases: readonly string[]; provider: string; currency: Currency | null; price: TierPrice | null }

/** Exchange rates in force: micro-USD per one unit of a currency (the operator's, else the catalog's). */
export interface FxSource { microUsdPerUnit(currency: Currency): number }

export class Pricing {
  /** Converted rates per compiled catalog rates object, remembered with the exchange rate they used. */
  private readonly converted = new WeakMap<RateSource, { fx: number; rates: RateSource }>();

  constructor(private readonly catalog: Catalog, private readonly overrides?: PriceOverrides<ConfigWrites>, private readonly fx?: FxSource) {}

  /**
   * The price for a request starting at `atMs`, or null. Null means "not for sale": the route refuses the
   * model rather than serve it free. An override (keyed by canonical id) is one flat price for every tier.
   * CNY catalog prices come back converted to micro-USD at the exchange rate in force now.
   */
  priceAt(modelId: string, atMs: number): TierPrice | null {
    const model = this.catalog.resolve(modelId);
    const id = model?.id ?? modelId;
    const o = this.overrides?.get(id);
    if (o) {
      return { tier: 'flat', source: 'override', cachedInputMicroUsdPerMtok: o.cachedInputMicroUsdPerMtok, inputMicroUsdPerMtok: o.inputMicroUsdPerMtok,
        outputMicroUsdPerMtok: o.outputMicroUsdPerMtok, cacheWriteMicroUsdPerMtok: o.cacheWriteMicroUsdPerMtok ?? o.inputMicroUsdPerMtok, inputTiers: undefined };
    }
    const p = this.periodAt(id, atMs);
    if (!p) return null;
    if (p.kind === 'flat') return this.priced(p.flat, p.currency, 'flat');
    if (p.kind === 'inputTiers') return this.priced(p, p.currency, 'flat');
    const tier = tierAt(atMs, p.schedule);
    return this.priced(tier === 'peak' ? p.peak : p.offpeak, p.currency, tier);
  }

  /** The catalog price period of a model (id or alias) in force at `atMs`. */
  periodAt(modelId: string, atMs: number): PricePeriod | null {
    const history = this.catalog.priceHistory(this.catalog.resolve(modelId)?.id ?? modelId);
    let i = history.length - 1;
    while (i >= 0 && history[i].fromMs > atMs) i--;
    return i < 0 ? null : history[i];
  }

  /** Every model with the price in force at `atMs`, for the admin window. */
  listPrices(atMs: number): PriceListing[] {
    return this.catalog.models().map((m) => {
      const price = this.priceAt(m.id, atMs);
      const currency = price?.source === 'catalog' ? this.periodAt(m.id, atMs)?.currency ?? null : price ? 'USD' : null;
      return { model: m.id, aliases: m.aliases, provider: m.provider, currency, price };
    });
  }

  private priced(src: RateSource, currency: Currency, tier: TierPrice['tier']): TierPrice {
    const r = currency === 'USD' ? src : this.convert(src, currency);
    const tiers = 'tiers' in r ? r.tiers : undefined;
    const base: Rates = tiers ? tiers[0] : r as Rates;
    // One object shape whether or not the price has input tiers (this runs once per request).
    return { tier, source: 'catalog', cachedInputMicroUsdPerMtok: base.cachedInputMicroUsdPerMtok, inputMicroUsdPerMtok: base.inputMicroUsdPerMtok,
      outputMicroUsdPerMtok: base.outputMicroUsdPerMtok, cacheWriteMicroUsdPerMtok: base.cacheWriteMicroUsdPerMtok, inputTiers: tiers };
  }

  /** Catalog rates in another currency as micro-USD, converted once per exchange rate. */
  private convert(src: RateSource, currency: Currency): RateSource {
    const fx = this.fx?.microUsdPerUnit(currency) ?? this.catalog.fxDefault(currency);
    if (fx === undefined) throw new Error(`no exchange rate for ${currency}`);
    const hit = this.converted.get(src);
    if (hit && hit.fx === fx) return hit.rates;
    const conv = (r: Rates): Rates => ({
      cachedInputMicroUsdPerMtok: convertMicro(r.cachedInputMicroUsdPerMtok, fx), inputMicroUsdPerMtok: convertMicro(r.inputMicroUsdPerMtok, fx),
      outputMicroUsdPerMtok: convertMicro(r.outputMicroUsdPerMtok, fx), cacheWriteMicroUsdPerMtok: convertMicro(r.cacheWriteMicroUsdPerMtok, fx),
    });
    const rates: RateSource = 'tiers' in src ? { tiers: Object.freeze(src.tiers.map((t) => Object.freeze({ upToInputTokens: t.upToInputTokens, ...conv(t) }))) } : conv(src);
    this.converted.set(src, { fx, rates });
    return rates;
  }
}

/** A catalog period's rates: flat, or split by input length. */
type RateSource = Rates | { tiers: readonly InputTier[] };
