/** The OpenAI-compatible routes, as plain node:http handlers (no Express on the hot path). */
import type { GatewayContext } from './context';
import { chatCompletionsHandler } from './chat-completions';
import { modelsHandler } from './models';
import { keyInfoHandler } from './key-info';
import { tokenizerLoaded } from '../billing/tokenizer';
import { supportedProviders } from '../upstream';
import type { Handler } from './dispatch';

const built = new WeakMap<GatewayContext, Record<string, Handler>>();

/** The routes of one gateway, built once: the fast dispatcher and the Express app share the same handlers. */
export function gatewayRoutes(ctx: GatewayContext): Record<string, Handler> {
  let routes = built.get(ctx);
  if (!routes) { routes = buildRoutes(ctx); built.set(ctx, routes); }
  return routes;
}

/** The OpenAI-compatible routes ("METHOD /path" → handler); server.ts dispatches them without Express. */
function buildRoutes(ctx: GatewayContext): Record<string, Handler> {
  const chat = chatCompletionsHandler(ctx);
  const models = modelsHandler(ctx);
  return {
    'GET /health': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ status: 'ok', inflight: ctx.inflight.size, tokenizerLoaded: tokenizerLoaded() }));
    },
    'POST /v1/chat/completions': chat,
    'POST /chat/completions': chat,
    ...providerChatRoutes(ctx),
    'GET /v1/models': models,
    'GET /models': models,
    'GET /v1/key': keyInfoHandler(ctx),
  };
}

/**
 * `POST /api/v1/chat/<provider>` for every provider the relay has a profile for: the model defaults to the
 * provider's default model in the catalog and, when given, must be one of that provider's models.
 */
function providerChatRoutes(ctx: GatewayContext): Record<string, Handler> {
  const routes: Record<string, Handler> = {};
  for (const provider of supportedProviders()) {
    const defaultModel = ctx.core.catalog.provider(provider)?.defaultModel ?? ctx.core.catalog.models().find((m) => m.provider === provider)?.id;
    routes[`POST /api/v1/chat/${provider}`] = chatCompletionsHandler(ctx, { defaultModel, provider });
  }
  return routes;
}
