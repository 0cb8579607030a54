/**
 * Model management for the operator (`gogogo model add/route/alias/list/remove`, the window's Models screen):
 * validates against the shipped catalog, writes the operator tables, and lists what the gateway serves.
 */
import { andThen, written, type ConfigWrites, type SqliteConfigWrites, type Written } from '../ledger/config-writes';
import type { Sync } from '../ledger/port';
import type { Catalog, ModelInfo, ModelRoute } from '../billing/catalog';
import { BillingError } from '../billing/errors';
import type { TierPrice } from '../billing/money';
import type { OperatorModels } from '../billing/operator-models';
import type { PriceOverrides } from '../billing/price-overrides';
import type { Pricing } from '../billing/pricing';

/** One model as `model list` shows it. */
export interface ModelListing {
  id: string; provider: string; upstreamModel: string; priced: boolean; aliases: string[];
  routes: ModelRoute[]; source: 'catalog' | 'operator'; contextTokens: number; maxOutputTokens: number;
  /** The price in force now (micro-USD per Mtok, CNY converted), null when not priced. */
  price: TierPrice | null;
}

const NAME = /^[^\s]{1,200}$/;

export class ModelSettings<W extends ConfigWrites = SqliteConfigWrites> {
  constructor(
    private readonly catalog: Catalog, private readonly base: Catalog, private readonly operator: OperatorModels<W>,
    private readonly pricing: Pricing, private readonly overrides: PriceOverrides<W>, private readonly now: () => number = Date.now,
  ) {}

  /** Adds (or updates) an operator model. Like every model it is refused until priced. */
  add(id: string, o: { provider: string; upstreamModel: string; maxOutputTokens?: number | null; contextTokens?: number | null }): Written<W, ModelListing> {
    this.name(id, 'model id');
    if (this.base.resolve(id)) throw invalid(`"${id}" is a catalog model; route it to other upstreams with: gogogo model route ${id} <provider>:<upstream-model>`);
    if (this.isAlias(id)) throw invalid(`"${id}" is an alias; remove it first (gogogo model remove ${id})`);
    this.provider(o.provider);
    this.name(o.upstreamModel, 'upstream model');
    const ctx = o.contextTokens ?? null;
    const max = o.maxOutputTokens ?? null;
    for (const [v, what] of [[ctx, '--context'], [max, '--max-output']] as const) {
      if (v !== null && (!Number.isSafeInteger(v) || v < 1)) throw invalid(`${what} must be a positive integer of tokens`);
    }
    if (ctx !== null && max !== null && max > ctx) throw invalid('--max-output cannot exceed --context');
    return written<W, ModelListing>(andThen(this.operator.upsertModel({ id, provider: o.provider, upstreamModel: o.upstreamModel, maxOutputTokens: max, contextTokens: ctx }), () => this.get(id)!));
  }

  /** Sets a model's ordered upstreams ("provider:upstream-model"); a new id becomes an operator model. */
  route(id: string, specs: readonly (string | ModelRoute)[]): Written<W, ModelListing> {
    this.name(id, 'model id');
    if (specs.length === 0) throw invalid('give at least one <provider>:<upstream-model>');
    if (this.isAlias(id) || (this.base.resolve(id) && this.base.resolve(id)!.id !== id)) throw invalid(`"${id}" is an alias; route the model it names`);
    const routes = specs.map((s) => {
      const r = typeof s === 'string' ? parseRoute(s) : s;
      this.provider(r.provider);
      this.name(r.upstreamModel, 'upstream model');
      return { provider: r.provider, upstreamModel: r.upstreamModel };
    });
    const seen = new Set(routes.map((r) => `${r.provider}:${r.upstreamModel}`));
    if (seen.size !== routes.length) throw invalid('a route is listed twice');
    return written<W, ModelListing>(andThen(this.operator.setRoutes(id, routes, !this.catalog.resolve(id)), () => this.get(id)!));
  }

  /** Points an alias at a model (stored as the model's canonical id, so an alias of an alias works). */
  alias(alias: string, model: string): Written<W, { alias: string; model: string }> {
    this.name(alias, 'alias');
    const target = this.catalog.resolve(model);
    if (!target) throw new BillingError('not_found', `unknown model "${model}"`);
    const existing = this.catalog.resolve(alias);
    if (existing && !this.isAlias(alias)) throw invalid(`"${alias}" is already a model${existing.id === alias ? '' : ` alias (of ${existing.id}) in the catalog`}`);
    if (target.id === alias) throw invalid('an alias cannot name itself');
    return written<W, { alias: string; model: string }>(andThen(this.operator.setAlias(alias, target.id), () => ({ alias, model: target.id })));
  }

  /**
   * Removes an operator alias, or an operator model (with its routes, aliases and price), or a catalog model's
   * routes (it is served by its own provider again). Shipped catalog models themselves stay.
   */
  remove(name: string): Written<W, string> {
    if (this.isAlias(name)) return written<W, string>(andThen(this.operator.removeAlias(name), () => `alias ${name} removed`));
    const m = this.catalog.resolve(name);
    if (!m || m.id !== name) throw new BillingError('not_found', m ? `"${name}" is a catalog alias of ${m.id}; catalog aliases cannot be removed` : `unknown model "${name}"`);
    if (m.source === 'operator') {
      const removed: Sync<unknown> = andThen(this.operator.remove(name), () => this.overrides.remove(name));
      return written<W, string>(andThen(removed, () => `model ${name} removed`));
    }
    if (!this.operator.snapshot().routes.has(name)) throw invalid(`"${name}" is a shipped catalog model; it cannot be removed (remove its price with the window, or restrict keys with --models)`);
    return written<W, string>(andThen(this.operator.setRoutes(name, [], false), () => `routes of ${name} removed; it is served by ${this.base.resolve(name)!.provider} again`));
  }

  /** Every model the gateway knows, with its price now. */
  list(): ModelListing[] {
    const at = this.now();
    return this.catalog.models().map((m) => listing(m, this.pricing.priceAt(m.id, at)));
  }

  get(id: string): ModelListing | undefined {
    const m = this.catalog.resolve(id);
    return m ? listing(m, this.pricing.priceAt(m.id, this.now())) : undefined;
  }

  private isAlias(name: string): boolean { return this.operator.snapshot().aliases.some((a) => a.alias === name); }
  private provider(id: string): void {
    if (!this.base.provider(id)) throw invalid(`unknown provider "${id}"; known: ${this.base.providers().map((p) => p.id).join(', ')}`);
  }
  private name(v: string, what: string): void {
    if (typeof v !== 'string' || !NAME.test(v)) throw invalid(`${what} must be 1 to 200 characters without spaces`);
  }
}

/** "qwen:qwen3.8-max" → {provider, upstreamModel}; the upstream name may itself contain ':'. */
export function parseRoute(spec: string): ModelRoute {
  const i = spec.indexOf(':');
  if (i < 1 || i === spec.length - 1) throw invalid(`a route is <provider>:<upstream-model>, got "${spec}"`);
  return { provider: spec.slice(0, i), upstreamModel: spec.slice(i + 1) };
}

function listing(m: ModelInfo, price: TierPrice | null): ModelListing {
  return {
    id: m.id, provider: m.provider, upstreamModel: m.upstreamModel, priced: price !== null, aliases: [...m.aliases],
    routes: m.routes.map((r) => ({ provider: r.provider, upstreamModel: r.upstreamModel })), source: m.source,
    contextTokens: m.contextTokens, maxOutputTokens: m.maxOutputTokens, price,
  };
}

function invalid(message: string): BillingError { return new BillingError('invalid_model', message); }
