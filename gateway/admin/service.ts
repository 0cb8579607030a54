/**
 * The admin service: implements the AdminApi contract on a core. Every call answers `{ok, data}` or
 * `{ok:false, code, message}`; errors from the ledger, billing, wallet and this service keep their code and
 * message, anything else becomes `internal` (logged, never sent). Input is already parsed by the transport.
 */
import type { Core } from '../core';
import { actionOf } from '../audit/actions';
import { audited, osUser, type AuditWho } from '../audit/audited';
import type { AuditOrigin } from '../audit/audit-log';
import { adminMethods, type AdminApi, type AdminMethod } from './contract';
import { toFailure } from './errors';
import { keyHandlers } from './handlers/keys';
import { modelHandlers } from './handlers/models';
import { overviewHandlers } from './handlers/overview';
import { requestHandlers } from './handlers/requests';
import { settingsHandlers } from './handlers/settings';
import { teamHandlers } from './handlers/team';
import { walletHandlers } from './handlers/wallet';
import type { AdminContext, Deps, Handlers } from './handlers/types';

export type { AdminContext } from './handlers/types';

export interface AdminServiceOptions {
  log?: (e: unknown) => void;
  /** Which transport carries this service, for the audit trail: 'window' (IPC, the default) or 'http-admin'. */
  origin?: AuditOrigin;
  actor?: string;
}

/**
 * Builds the AdminApi implementation on a core and the serving process's context. Every method that changes
 * something (audit/actions.ts names it from the method name) runs through the audit hook.
 */
export function createAdminService(core: Core, ctx: AdminContext, opts: AdminServiceOptions = {}): AdminApi {
  const origin = opts.origin ?? 'window';
  const who: AuditWho = { origin, actor: opts.actor ?? (origin === 'http-admin' ? 'admin-token' : osUser()) };
  const deps: Deps = { core, ctx, startedAt: core.now() };
  const handlers: Handlers = { ...overviewHandlers(deps), ...keyHandlers(deps), ...requestHandlers(deps), ...settingsHandlers(deps), ...modelHandlers(deps), ...walletHandlers(deps), ...teamHandlers(deps) };
  const api = {} as Record<AdminMethod, (req: unknown) => Promise<unknown>>;
  for (const m of adminMethods) {
    const h = handlers[m] as (req: unknown) => unknown;
    const action = actionOf(m);
    api[m] = async (req) => {
      try {
        // The window reads what the gateway has settled so far, including the group-commit turn's queued batch.
        core.ledger.applyPending();
        if (!action) return { ok: true, data: await h(req) };
        return { ok: true, data: await audited(core, who, action, { args: [], fields: (req ?? {}) as Record<string, unknown> }, () => h(req)) };
      } catch (err) {
        return toFailure(err, opts.log);
      }
    };
  }
  return api as AdminApi;
}
