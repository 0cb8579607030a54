/** The Requests and Usage screens: the paged log, one request's detail, CSV export and rollup charts. */
import { AdminError } from '../errors';
import { exportCsv, listRequests, requestRow } from '../queries/requests';
import { usageSeries } from '../queries/usage';
import type { Deps, Handlers } from './types';

/** Handlers for the Requests and Usage screens. */
export function requestHandlers({ core }: Deps): Pick<Handlers, 'listRequests' | 'getRequest' | 'exportRequestsCsv' | 'getUsage'> {
  return {
    listRequests: (f) => listRequests(core.reader, f),
    getRequest: async ({ id }) => {
      const r = await requestRow(core.reader, id);
      if (!r) throw new AdminError('not_found', `no request with id "${id}"`);
      const price = core.pricing.priceAt(r.model, r.startedAt);
      // Display only: the charge itself was computed once, rounded up once, at settlement.
      const part = (tokens: number, perMtok: number) => Math.round((tokens * perMtok) / 1e6);
      const breakdown = price && r.costMicroUsd > 0 ? {
        cacheHitMicroUsd: part(r.cacheHitTokens, price.hitMicroUsdPerMtok),
        cacheMissMicroUsd: part(r.cacheMissTokens, price.missMicroUsdPerMtok),
        outputMicroUsd: part(r.completionTokens, price.outputMicroUsdPerMtok),
      } : null;
      return { ...r, stream: !!r.stream, usageEstimated: !!r.usageEstimated, breakdown };
    },
    exportRequestsCsv: (f) => exportCsv(core.reader, f, core.now()),
    getUsage: ({ range, groupBy }) => usageSeries(core.reader, range, groupBy, core.now(), (model) => {
      // A model the catalog no longer knows (removed operator model) keeps its spend under "unknown".
      const id = core.catalog.resolve(model)?.provider ?? 'unknown';
      return { id, label: core.catalog.provider(id)?.name ?? id };
    }),
  };
}
