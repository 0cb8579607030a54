/** GET /v1/key: the calling key's label, account, limit, usage and available credit. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './json';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { sendError, toGatewayError } from './errors';
import type { KeyRecord } from '../keys/keys';

/** The key's period budget as /v1/key reports it: amount, period, spend in the current period and when it resets. */
function budgetInfo(ctx: GatewayContext, key: KeyRecord) {
  if (key.budgetMicroUsd === null || key.budgetPeriod === null) {
    return { budgetMicroUsd: null, budgetPeriod: null, periodSpentMicroUsd: null, periodResetsAt: null };
  }
  const period = ctx.core.ledger.periods.current(key.budgetPeriod, ctx.core.now());
  return {
    budgetMicroUsd: key.budgetMicroUsd, budgetPeriod: key.budgetPeriod,
    periodSpentMicroUsd: key.periodStart >= period.start ? key.periodSpentMicroUsd : 0,
    periodResetsAt: new Date(period.end).toISOString(),
  };
}

export function keyInfoHandler(ctx: GatewayContext) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const { id, accountId } = authenticate(req, ctx.core.keys);
      const found = ctx.core.ledger.account(accountId); // first: it writes this process's pending settlements
      const acct = (found instanceof Promise ? await found : found)!;
      const key = ctx.core.keys.require(id);
      const keyRemaining = key.limitMicroUsd == null ? null : Math.max(0, key.limitMicroUsd - key.spentMicroUsd - key.heldMicroUsd);
      const body = {
        object: 'key', id: key.id, name: key.name, prefix: key.prefix, account: acct.name, status: key.status,
        limitMicroUsd: key.limitMicroUsd, spentMicroUsd: key.spentMicroUsd, heldMicroUsd: key.heldMicroUsd,
        balanceMicroUsd: acct.balanceMicroUsd, accountAvailableMicroUsd: acct.availableMicroUsd,
        // What this key can still spend: the account's available credit, capped by the key's own limit.
        availableMicroUsd: keyRemaining == null ? acct.availableMicroUsd : Math.min(keyRemaining, acct.availableMicroUsd),
        createdAt: key.createdAt, lastUsedAt: key.lastUsedAt,
        ...budgetInfo(ctx, key),
        expiresAt: key.expiresAt === null ? null : new Date(key.expiresAt).toISOString(),
        limits: {
          requestsPerMinute: key.rpm, tokensPerMinute: key.tpm, concurrency: key.concurrency ?? ctx.maxInFlightPerKey,
          allowedModels: key.allowedModels,
        },
      };
      sendJson(res, body);
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  };
}
