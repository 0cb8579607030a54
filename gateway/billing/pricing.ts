/** The price in force for a model at an instant: an operator override, else the catalog's period and tier. */
import type { Catalog } from './catalog';
import type { Rates, TierPrice } from './money';
import type { PriceOverrides } from './price-overrides';
import { tierAt } from './tiers';

/** One row of the admin price list. `price` is null when the model has no price in force. */
export interface PriceListing { model: string; aliases: readonly string[]; provider: string; price: TierPrice | null }

export class Pricing {
  constructor(private readonly catalog: Catalog, private readonly overrides?: PriceOverrides) {}

  /**
   * The price for a request starting at `atMs`, or null. Null means "not for sale": the route refuses the
   * model rather than serve it free. An override (keyed by canonical id) is one flat price for every tier.
   */
  priceAt(modelId: string, atMs: number): TierPrice | null {
    const model = this.catalog.resolve(modelId);
    const id = model?.id ?? modelId;
    const o = this.overrides?.get(id);
    if (o) {
      return { tier: 'flat', source: 'override', hitMicroUsdPerMtok: o.cachedInputMicroUsdPerMtok, missMicroUsdPerMtok: o.inputMicroUsdPerMtok, outputMicroUsdPerMtok: o.outputMicroUsdPerMtok };
    }
    if (!model) return null;
    const history = this.catalog.priceHistory(id);
    let i = history.length - 1;
    while (i >= 0 && history[i].fromMs > atMs) i--;
    if (i < 0) return null;
    const p = history[i];
    if (p.kind === 'flat') return withTier(p.flat, 'flat');
    const tier = tierAt(atMs, p.schedule);
    return withTier(tier === 'peak' ? p.peak : p.offpeak, tier);
  }

  /** Every catalog model with the price in force at `atMs`, for the admin window. */
  listPrices(atMs: number): PriceListing[] {
    return this.catalog.models().map((m) => ({ model: m.id, aliases: m.aliases, provider: m.provider, price: this.priceAt(m.id, atMs) }));
  }
}

function withTier(r: Rates, tier: TierPrice['tier']): TierPrice {
  return { tier, source: 'catalog', hitMicroUsdPerMtok: r.hitMicroUsdPerMtok, missMicroUsdPerMtok: r.missMicroUsdPerMtok, outputMicroUsdPerMtok: r.outputMicroUsdPerMtok };
}
