/** GET /v1/key: the calling key's label, account, limit, usage and available credit. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { sendError, toGatewayError } from './errors';

export function keyInfoHandler(ctx: GatewayContext) {
  return (req: IncomingMessage, res: ServerResponse) => {
    try {
      const { id } = authenticate(req, ctx.core.keys);
      const key = ctx.core.keys.require(id);
      const acct = ctx.core.ledger.account(key.accountId)!;
      const keyRemaining = key.limitMicroUsd == null ? null : Math.max(0, key.limitMicroUsd - key.spentMicroUsd - key.heldMicroUsd);
      const body = {
        object: 'key', id: key.id, name: key.name, prefix: key.prefix, account: acct.name, status: key.status,
        limitMicroUsd: key.limitMicroUsd, spentMicroUsd: key.spentMicroUsd, heldMicroUsd: key.heldMicroUsd,
        balanceMicroUsd: acct.balanceMicroUsd, accountAvailableMicroUsd: acct.availableMicroUsd,
        // What this key can still spend: the account's available credit, capped by the key's own limit.
        availableMicroUsd: keyRemaining == null ? acct.availableMicroUsd : Math.min(keyRemaining, acct.availableMicroUsd),
        createdAt: key.createdAt, lastUsedAt: key.lastUsedAt,
      };
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  };
}
