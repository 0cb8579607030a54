/** The Models screen: operator models, routes, aliases, and the exchange rates CNY prices convert at. */
import type { FxRow, ModelRow } from '../contract';
import type { Deps, Handlers } from './types';

type ModelHandlers = Pick<Handlers, 'listModels' | 'addModel' | 'routeModel' | 'aliasModel' | 'removeModel' | 'listFx' | 'setFx'>;

function models({ core }: Deps): ModelRow[] {
  return core.models.list().map((m) => ({ id: m.id, provider: m.provider, upstreamModel: m.upstreamModel, priced: m.priced, aliases: m.aliases,
    routes: m.routes, source: m.source, contextTokens: m.contextTokens, maxOutputTokens: m.maxOutputTokens }));
}

const fx = ({ core }: Deps): FxRow[] => core.fx.list();

/** Handlers for model management; every change answers the whole new list. */
export function modelHandlers(d: Deps): ModelHandlers {
  const { core } = d;
  return {
    listModels: () => models(d),
    addModel: async ({ id, provider, upstreamModel, maxOutputTokens, contextTokens }) => {
      await core.models.add(id, { provider, upstreamModel, maxOutputTokens: maxOutputTokens ?? null, contextTokens: contextTokens ?? null });
      return models(d);
    },
    routeModel: async ({ id, routes }) => { await core.models.route(id, routes); return models(d); },
    aliasModel: async ({ alias, model }) => { await core.models.alias(alias, model); return models(d); },
    removeModel: async ({ id }) => { await core.models.remove(id); return models(d); },
    listFx: () => fx(d),
    setFx: async ({ currency, microUsdPerUnit }) => { await core.fx.set(currency, microUsdPerUnit); return fx(d); },
  };
}
