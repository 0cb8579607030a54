/**
 * The admin service: implements the AdminApi contract on a core. Every call answers `{ok, data}` or
 * `{ok:false, code, message}`; errors from the ledger, billing, wallet and this service keep their code and
 * message, anything else becomes `internal` (logged, never sent). Input is already parsed by the transport.
 */
import type { Core } from '../core';
import { adminMethods, type AdminApi, type AdminMethod } from './contract';
import { toFailure } from './errors';
import { keyHandlers } from './handlers/keys';
import { modelHandlers } from './handlers/models';
import { overviewHandlers } from './handlers/overview';
import { requestHandlers } from './handlers/requests';
import { settingsHandlers } from './handlers/settings';
import { walletHandlers } from './handlers/wallet';
import type { AdminContext, Deps, Handlers } from './handlers/types';

export type { AdminContext } from './handlers/types';

/** Builds the AdminApi implementation on a core and the serving process's context. */
export function createAdminService(core: Core, ctx: AdminContext, opts: { log?: (e: unknown) => void } = {}): AdminApi {
  const deps: Deps = { core, ctx, startedAt: core.now() };
  const handlers: Handlers = { ...overviewHandlers(deps), ...keyHandlers(deps), ...requestHandlers(deps), ...settingsHandlers(deps), ...modelHandlers(deps), ...walletHandlers(deps) };
  const api = {} as Record<AdminMethod, (req: unknown) => Promise<unknown>>;
  for (const m of adminMethods) {
    const h = handlers[m] as (req: unknown) => unknown;
    api[m] = async (req) => {
      try {
        // The window reads what the gateway has settled so far, including the group-commit turn's queued batch.
        core.ledger.applyPending();
        return { ok: true, data: await h(req) };
      } catch (err) {
        return toFailure(err, opts.log);
      }
    };
  }
  return api as AdminApi;
}
