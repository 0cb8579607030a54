/** The model and price catalog (resources/catalog.json), validated at load and compiled to integer prices. */
import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../paths';
import { BillingError } from './errors';
import { catalogFileSchema, type BaseUrlPreset, type CatalogFile, type Currency } from './catalog-schema';
import { compilePrices, compileSchedule, type PricePeriod } from './catalog-compile';
import { parseUsdToMicro } from './money';
import type { TierSchedule } from './tiers';

export type { PricePeriod } from './catalog-compile';
export type { BaseUrlPreset, Currency } from './catalog-schema';

/** One upstream a model id is served by: the provider and the model name sent to it. */
export interface ModelRoute { provider: string; upstreamModel: string }

/** A servable model as the gateway sees it. `created` is unix seconds, for /v1/models. */
export interface ModelInfo {
  id: string; provider: string; upstreamModel: string; aliases: readonly string[];
  contextTokens: number; maxOutputTokens: number; defaultMaxTokens: number; ownedBy: string; created: number;
  /** No request parameter caps this model's reasoning: the quote assumes maxOutputTokens of output. */
  uncappedReasoning: boolean;
  /** Upstreams in fallback order; the first is `provider`/`upstreamModel`. Never empty. */
  routes: readonly ModelRoute[];
  /** Where the model is defined: the shipped catalog or the operator (`gogogo model add/route`). */
  source: 'catalog' | 'operator';
}

/** An upstream provider entry; disabled ones are listed for later and not served. */
export interface ProviderInfo {
  id: string; name: string; defaultBaseUrl: string; enabled: boolean; tierSchedule: TierSchedule | null;
  /** Documented base URLs (international / China endpoints) the window offers as presets. */
  baseUrlPresets: readonly BaseUrlPreset[];
  /** The provider's model used by `/api/v1/chat/<provider>` without a model; always priced in the catalog. */
  defaultModel: string;
  /** No request parameter caps reasoning on this provider: the quote assumes a model's whole maximum output. */
  uncappedReasoning: boolean;
  note: string | null;
}

/** The loaded catalog. Lookups are exact (case-sensitive) on id or alias. */
export interface Catalog {
  resolve(name: string): ModelInfo | undefined;
  models(): readonly ModelInfo[];
  provider(id: string): ProviderInfo | undefined;
  providers(): readonly ProviderInfo[];
  /** The model's catalog price periods, oldest first. */
  priceHistory(modelId: string): readonly PricePeriod[];
  /** The catalog's exchange rate for a non-USD currency, in micro-USD per unit (USD: 1,000,000). */
  fxDefault(currency: Currency): number | undefined;
}

/** The shipped catalog path. */
export function defaultCatalogFile(): string {
  return path.join(resourcesDir(), 'catalog.json');
}

/** Reads and validates a catalog file (default: the shipped one). Throws BillingError('invalid_catalog'). */
export function loadCatalog(file: string = defaultCatalogFile()): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BillingError('invalid_catalog', `cannot read catalog ${file}: ${(err as Error).message}`);
  }
  return buildCatalog(raw, file);
}

/** Validates parsed catalog JSON; `where` names it in error messages. */
export function buildCatalog(raw: unknown, where = 'catalog'): Catalog {
  const parsed = catalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new BillingError('invalid_catalog', `invalid catalog ${where}:\n  ${issues.join('\n  ')}`);
  }
  const fail = (msg: string): never => { throw new BillingError('invalid_catalog', `invalid catalog ${where}: ${msg}`); };
  return compile(parsed.data, fail);
}

function compile(data: CatalogFile, fail: (msg: string) => never): Catalog {
  const fx = new Map<Currency, number>([['USD', 1_000_000]]);
  for (const [currency, r] of Object.entries(data.fxRates) as [Currency, { usdPerUnit: string }][]) {
    const micro = parseUsdToMicro(r.usdPerUnit);
    if (micro <= 0) fail(`fxRates.${currency}: the rate must be positive`);
    fx.set(currency, micro);
  }
  const providers = new Map<string, ProviderInfo>();
  for (const p of data.providers) {
    if (providers.has(p.id)) fail(`duplicate provider "${p.id}"`);
    if (!p.baseUrlPresets.some((b) => b.url === p.defaultBaseUrl)) fail(`provider ${p.id}: defaultBaseUrl must be one of its baseUrlPresets`);
    const schedule = p.tierSchedule ? compileSchedule(p.tierSchedule, data.holidayCalendars, `provider ${p.id}`, fail) : null;
    providers.set(p.id, Object.freeze({
      id: p.id, name: p.name, defaultBaseUrl: p.defaultBaseUrl, enabled: p.enabled, tierSchedule: schedule,
      baseUrlPresets: Object.freeze(p.baseUrlPresets.map((b) => Object.freeze({ ...b }))), defaultModel: p.defaultModel,
      uncappedReasoning: p.uncappedReasoning ?? false, note: p.note ?? null,
    }));
  }
  const byName = new Map<string, ModelInfo>();
  const history = new Map<string, readonly PricePeriod[]>();
  const list: ModelInfo[] = [];
  for (const m of data.models) {
    const provider = providers.get(m.provider) ?? fail(`model "${m.id}": unknown provider "${m.provider}"`);
    if (m.defaultMaxTokens > m.maxOutputTokens) fail(`model "${m.id}": defaultMaxTokens exceeds maxOutputTokens`);
    if (m.maxOutputTokens > m.contextTokens) fail(`model "${m.id}": maxOutputTokens exceeds contextTokens`);
    const info: ModelInfo = Object.freeze({
      id: m.id, provider: m.provider, upstreamModel: m.upstreamModel, aliases: Object.freeze([...m.aliases]),
      contextTokens: m.contextTokens, maxOutputTokens: m.maxOutputTokens, defaultMaxTokens: m.defaultMaxTokens,
      ownedBy: m.ownedBy, created: Math.floor(Date.parse(m.created) / 1000), uncappedReasoning: m.uncappedReasoning ?? provider.uncappedReasoning,
      routes: Object.freeze([Object.freeze({ provider: m.provider, upstreamModel: m.upstreamModel })]), source: 'catalog' as const,
    });
    for (const name of [m.id, ...m.aliases]) {
      if (byName.has(name)) fail(`model name "${name}" is used twice`);
      byName.set(name, info);
    }
    const periods = compilePrices(m.prices, provider.tierSchedule, `model ${m.id}`, fail);
    for (const p of periods) if (!fx.has(p.currency)) fail(`model ${m.id}: no fxRates entry for ${p.currency}`);
    history.set(m.id, periods);
    list.push(info);
  }
  for (const p of providers.values()) {
    const d = byName.get(p.defaultModel);
    if (!d || d.id !== p.defaultModel || d.provider !== p.id) fail(`provider ${p.id}: defaultModel "${p.defaultModel}" is not one of its models`);
    if (!history.get(p.defaultModel)?.length) fail(`provider ${p.id}: defaultModel "${p.defaultModel}" has no price`);
  }
  const models = Object.freeze(list);
  const providerList = Object.freeze([...providers.values()]);
  return {
    resolve: (name) => byName.get(name),
    models: () => models,
    provider: (id) => providers.get(id),
    providers: () => providerList,
    priceHistory: (modelId) => history.get(modelId) ?? [],
    fxDefault: (currency) => fx.get(currency),
  };
}
