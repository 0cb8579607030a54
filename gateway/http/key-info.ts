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
      let key = ctx.core.keys.require(id);
      // On PostgreSQL the keys store reads the config mirror, whose spend counters lag (holds and settlements of every
      // instance move them without a change-feed topic): read them from the shared database.
      if (ctx.core.backend.kind === 'postgres') {
        const live = await ctx.core.reader.get<Pick<KeyRecord, 'spentMicroUsd' | 'heldMicroUsd' | 'periodStart' | 'periodSpentMicroUsd'>>(`SELECT
          spent_micro_usd AS "spentMicroUsd", held_micro_usd AS "heldMicroUsd", period_start AS "periodStart", period_spent_micro_usd AS "periodSpentMicroUsd"
          FROM api_keys WHERE id = ?`, [id]);
        if (live) key = { ...key, ...live };
      }
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
