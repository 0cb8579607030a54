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
export async function providerViews({ core }: Deps): Promise<ProviderView[]> {
  const now = core.now();
  const configured = new Map(core.providers.list().map((p) => [p.id, p]));
  const ids = new Set([...core.catalog.providers().filter((p) => p.enabled).map((p) => p.id), ...configured.keys()]);
  return Promise.all([...ids].map(async (id) => {
    const info = core.catalog.provider(id);
    const set = configured.get(id);
    const resolved = set ? core.providers.resolve(id) : null;
    const [last, health] = await Promise.all([lastProviderStatus(core.reader, id), providerHealth(core.reader, id, now)]);
    return { id, name: info?.name ?? id, baseUrl: set?.baseUrl ?? info?.defaultBaseUrl ?? '', configured: !!set, keySource: resolved?.keySource ?? 'none',
      hasKey: !!resolved?.apiKey, updatedAt: set?.updatedAt ?? null, lastStatus: last?.status ?? null, lastRequestAt: last?.at ?? null,
      ...health, baseUrlPresets: info ? info.baseUrlPresets.map((b) => ({ ...b })) : [],
      defaultBaseUrl: info?.defaultBaseUrl ?? '', defaultModel: info?.defaultModel ?? null, anthropicBaseUrl: set?.anthropicBaseUrl ?? null };
  }));
}

/** Handlers for the Overview screen. */
export function overviewHandlers(d: Deps): Pick<Handlers, 'getOverview' | 'acknowledgeAlerts'> {
  const { core, ctx } = d;
  return {
    getOverview: async () => {
      const [t, accounts, providers, alerts, operatorLossesNow] = await Promise.all([traffic(core.reader, core.now()), accountViews(d), providerViews(d),
        recentAlerts(core.reader), operatorLosses(core.reader)]);
      const gatewayUrl = ctx.gatewayUrl();
      const models = pricedModels(d);
      return { gatewayUrl, baseUrl: clientBaseUrl(gatewayUrl), lanUrls: ctx.lanUrls(), status: 'running', startedAt: d.startedAt, accounts,
        requestsPerMinute: t.perMinute, requestsLastHour: t.lastHour, errorRateLastHour: t.lastHour ? t.errorsLastHour / t.lastHour : 0,
        providers, alerts, defaultModel: defaultModel(d), models, operatorLosses: operatorLossesNow };
    },
    acknowledgeAlerts: async () => ({ acknowledged: await acknowledgeAlerts(core.reader, core.now()) }),
  };
}
