/** The Overview screen: gateway status, base URLs, per-account money, traffic, upstreams and alerts. */
import type { ProviderView } from '../contract';
import { acknowledgeAlerts, lastProviderStatus, providerHealth, recentAlerts, traffic } from '../queries/overview';
import { operatorLosses } from '../queries/requests';
import { accountViews } from './keys';
import { clientBaseUrl, type Deps, type Handlers } from './types';

/** Model ids on sale right now (priced), catalog order. */
export function pricedModels({ core }: Deps): string[] {
  const now = core.now();
  return core.pricing.listPrices(now).filter((p) => p.price).map((p) => p.model);
}

/** The model setup snippets name: the first priced model (the catalog lists the default first). */
export function defaultModel(d: Deps): string | null {
  return pricedModels(d)[0] ?? d.core.catalog.models()[0]?.id ?? null;
}

/** Catalog providers (enabled ones) merged with the operator's configured upstreams, with their health from the request log. */
export function providerViews({ core }: Deps): ProviderView[] {
  const now = core.now();
  const configured = new Map(core.providers.list().map((p) => [p.id, p]));
  const ids = new Set([...core.catalog.providers().filter((p) => p.enabled).map((p) => p.id), ...configured.keys()]);
  return [...ids].map((id) => {
    const info = core.catalog.provider(id);
    const set = configured.get(id);
    const resolved = set ? core.providers.resolve(id) : null;
    const last = lastProviderStatus(core.sqlite, id);
    return { id, name: info?.name ?? id, baseUrl: set?.baseUrl ?? info?.defaultBaseUrl ?? '', configured: !!set, keySource: resolved?.keySource ?? 'none',
      hasKey: !!resolved?.apiKey, updatedAt: set?.updatedAt ?? null, lastStatus: last?.status ?? null, lastRequestAt: last?.at ?? null,
      ...providerHealth(core.sqlite, id, now), baseUrlPresets: info ? info.baseUrlPresets.map((b) => ({ ...b })) : [],
      defaultBaseUrl: info?.defaultBaseUrl ?? '', defaultModel: info?.defaultModel ?? null, anthropicBaseUrl: set?.anthropicBaseUrl ?? null };
  });
}

/** Handlers for the Overview screen. */
export function overviewHandlers(d: Deps): Pick<Handlers, 'getOverview' | 'acknowledgeAlerts'> {
  const { core, ctx } = d;
  return {
    getOverview: async () => {
      const t = traffic(core.sqlite, core.now());
      const gatewayUrl = ctx.gatewayUrl();
      const models = pricedModels(d);
      return { gatewayUrl, baseUrl: clientBaseUrl(gatewayUrl), lanUrls: ctx.lanUrls(), status: 'running', startedAt: d.startedAt, accounts: await accountViews(d),
        requestsPerMinute: t.perMinute, requestsLastHour: t.lastHour, errorRateLastHour: t.lastHour ? t.errorsLastHour / t.lastHour : 0,
        providers: providerViews(d), alerts: recentAlerts(core.sqlite), defaultModel: defaultModel(d), models, operatorLosses: operatorLosses(core.sqlite) };
    },
    acknowledgeAlerts: () => ({ acknowledged: acknowledgeAlerts(core.sqlite, core.now()) }),
  };
}
