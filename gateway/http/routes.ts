/**
 * The client routes, as plain node:http handlers: the one table the fast dispatcher serves (no Express on the hot
 * path). Everything else (parameterised routes, the admin window, 404s) goes to the Express app in app.ts.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './json';
import type { GatewayContext } from './context';
import { chatCompletionsHandler } from './chat-completions';
import { countTokensHandler, messagesHandler } from './messages';
import { responsesHandler } from './responses';
import { modelsHandler } from './models';
import { keyInfoHandler } from './key-info';
import { tokenizerLoaded } from '../billing/tokenizer';
import { supportedProviders } from '../upstream';
import type { Handler } from './dispatch';

/** Answers agent clients' connectivity checks and telemetry cheaply (Claude Code: `HEAD /`, event logging). */
const empty = (status: number) => (_req: unknown, res: ServerResponse) => { res.writeHead(status, { 'content-length': 0 }).end(); };

/** The client routes ("METHOD /path" → handler); a query string (`?beta=true`) is stripped before lookup. */
export function gatewayRoutes(ctx: GatewayContext): Record<string, Handler> {
  const chat = chatCompletionsHandler(ctx);
  const models = modelsHandler(ctx);
  const messages = messagesHandler(ctx);
  const countTokens = countTokensHandler(ctx);
  const responses = responsesHandler(ctx);
  return {
    'GET /health': (_req, res) => sendJson(res, { status: 'ok', inflight: ctx.inflight.size, tokenizerLoaded: tokenizerLoaded() }),
    'POST /v1/chat/completions': chat,
    'POST /chat/completions': chat,
    ...providerChatRoutes(ctx),
    'GET /v1/models': models,
    'GET /models': models,
    'GET /v1/key': keyInfoHandler(ctx),
    'POST /v1/messages': messages,
    'POST /messages': messages,
    'POST /v1/messages/count_tokens': countTokens,
    'POST /messages/count_tokens': countTokens,
    'POST /v1/responses': responses,
    'POST /responses': responses,
    'HEAD /': empty(200),
    'HEAD /api/hello': empty(200),
    'POST /api/event_logging/batch': empty(204),
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
