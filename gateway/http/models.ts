/**
 * GET /v1/models: OpenAI's list shape: every priced model that one of its routes' configured providers can serve,
 * with its aliases (catalog and operator), limited to the models the calling key may use.
 * GET /v1/models/{id}: one of them (OpenAI's `models.retrieve`), else 404 model_not_found.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './json';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { GatewayError, sendError, toGatewayError } from './errors';

interface ModelObject { id: string; object: 'model'; created: number; owned_by: string }

/** The model objects (ids and aliases) the key may call right now. */
function visibleModels(ctx: GatewayContext, req: IncomingMessage): ModelObject[] {
  const key = authenticate(req, ctx.core.keys);
  const now = ctx.core.now();
  const data: ModelObject[] = [];
  const configured = new Set(ctx.core.providers.list().map((p) => p.id));
  for (const m of ctx.core.catalog.models()) {
    if (key.allowedModels && !key.allowedModels.includes(m.id)) continue;
    if (!m.routes.some((r) => configured.has(r.provider))) continue;
    if (!ctx.core.pricing.priceAt(m.id, now)) continue;
    for (const id of [m.id, ...m.aliases]) data.push({ id, object: 'model', created: m.created, owned_by: m.ownedBy });
  }
  return data;
}

export function modelsHandler(ctx: GatewayContext) {
  return (req: IncomingMessage, res: ServerResponse) => {
    try {
      sendJson(res, { object: 'list', data: visibleModels(ctx, req) });
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  };
}

export function modelHandler(ctx: GatewayContext) {
  return (req: IncomingMessage & { params?: Record<string, string> }, res: ServerResponse) => {
    try {
      const id = decodeURIComponent(req.params?.id ?? '');
      const model = visibleModels(ctx, req).find((m) => m.id === id);
      if (!model) throw new GatewayError(404, 'invalid_request_error', 'model_not_found', `The model \`${id}\` does not exist or you do not have access to it.`, 'model');
      sendJson(res, model);
    } catch (err) {
      sendError(res, toGatewayError(err));
    }
  };
}
