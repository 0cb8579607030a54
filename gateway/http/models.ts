/** GET /v1/models: OpenAI's list shape, only models the calling key may use and that have a price. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { sendError, toGatewayError } from './errors';

export function modelsHandler(ctx: GatewayContext) {
  return (req: IncomingMessage, res: ServerResponse) => {
    try {
      const key = authenticate(req, ctx.core.keys);
      const now = ctx.core.now();
      const data = [];
      for (const m of ctx.core.catalog.models()) {
        if (key.allowedModels && !key.allowedModels.includes(m.id)) continue;
        if (!ctx.core.pricing.priceAt(m.id, now)) continue;
        for (const id of [m.id, ...m.aliases]) data.push({ id, object: 'model', created: m.created, owned_by: m.ownedBy });
      }
      const body = JSON.stringify({ object: 'list', data });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  };
}
