/**
 * The catalog the gateway serves from: the shipped catalog plus the operator's models, routes and aliases,
 * rebuilt whenever the operator tables change (OperatorModels.snapshot follows SQLite's data_version), so
 * `gogogo model ...` reaches a running gateway on its next request. Lookups between changes are one Map get.
 */
import type { Catalog, ModelInfo, ModelRoute } from './catalog';
import type { OperatorModels, OperatorSnapshot } from './operator-models';
import type { ConfigWrites } from '../ledger/config-writes';

/**
 * Limits of an operator model added without --context / --max-output. Why so large a context: the quote clamps
 * the prompt bound to the context window, so a window set too small could hold less than a long prompt costs.
 */
export const OPERATOR_MODEL_DEFAULTS = { contextTokens: 1_048_576, maxOutputTokens: 32_768, defaultMaxTokens: 32_768 } as const;

interface Built { snap: OperatorSnapshot; byName: Map<string, ModelInfo>; list: readonly ModelInfo[] }

/** The live catalog over `base`. Everything but models and names passes through to the shipped catalog. */
export function liveCatalog(base: Catalog, operator: OperatorModels<ConfigWrites>): Catalog {
  let built: Built | null = null;
  const current = (): Built => {
    const snap = operator.snapshot();
    if (built?.snap !== snap) built = build(base, snap);
    return built;
  };
  return {
    resolve: (name) => current().byName.get(name),
    models: () => current().list,
    provider: (id) => base.provider(id),
    providers: () => base.providers(),
    priceHistory: (modelId) => base.priceHistory(modelId),
    fxDefault: (currency) => base.fxDefault(currency),
  };
}

function build(base: Catalog, snap: OperatorSnapshot): Built {
  const uncapped = (routes: readonly ModelRoute[]) => routes.some((r) => base.provider(r.provider)?.uncappedReasoning ?? false);
  const extraAliases = new Map<string, string[]>();
  for (const a of snap.aliases) {
    let list = extraAliases.get(a.model);
    if (!list) extraAliases.set(a.model, list = []);
    list.push(a.alias);
  }
  const list: ModelInfo[] = [];
  const ids = new Set<string>();
  for (const m of base.models()) {
    const routes = snap.routes.get(m.id);
    const aliases = extraAliases.get(m.id);
    ids.add(m.id);
    if (!routes && !aliases) { list.push(m); continue; }
    const r = routes ?? m.routes;
    list.push(Object.freeze({
      ...m, provider: r[0].provider, upstreamModel: r[0].upstreamModel, routes: r,
      aliases: Object.freeze([...m.aliases, ...(aliases ?? [])]), uncappedReasoning: m.uncappedReasoning || uncapped(r),
    }));
  }
  for (const o of snap.models) {
    if (ids.has(o.id) || base.resolve(o.id)) continue; // a shipped id or alias wins
    ids.add(o.id);
    const routes = snap.routes.get(o.id) ?? Object.freeze([Object.freeze({ provider: o.provider, upstreamModel: o.upstreamModel })]);
    const contextTokens = o.contextTokens ?? OPERATOR_MODEL_DEFAULTS.contextTokens;
    const maxOutputTokens = o.maxOutputTokens ?? Math.min(OPERATOR_MODEL_DEFAULTS.maxOutputTokens, contextTokens);
    list.push(Object.freeze({
      id: o.id, provider: routes[0].provider, upstreamModel: routes[0].upstreamModel, aliases: Object.freeze(extraAliases.get(o.id) ?? []),
      contextTokens, maxOutputTokens, defaultMaxTokens: Math.min(OPERATOR_MODEL_DEFAULTS.defaultMaxTokens, maxOutputTokens),
      ownedBy: o.provider, created: Math.floor(o.updatedAt / 1000), uncappedReasoning: uncapped(routes), routes, source: 'operator' as const,
    }));
  }
  const byName = new Map<string, ModelInfo>();
  for (const m of list) byName.set(m.id, m);
  for (const m of list) {
    for (const a of m.aliases) if (!byName.has(a)) byName.set(a, m); // an id always wins over an alias
  }
  return { snap, byName, list: Object.freeze(list) };
}
