/**
 * createGatewayApp: the Express app for the OpenAI-compatible API. It binds nothing; server.ts does.
 * Every response carries x-request-id (the id of the request row the ledger keeps).
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GatewayContext } from './context';
import { chatCompletionsHandler } from './chat-completions';
import { modelsHandler } from './models';
import { keyInfoHandler } from './key-info';
import { GatewayError, sendError } from './errors';
import { tokenizerLoaded } from '../billing/tokenizer';
import { newRequestId, type Handler } from './dispatch';

export function createGatewayApp(ctx: GatewayContext, extend?: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', false);
  app.use((req: Request & { requestId?: string }, res: Response, next: NextFunction) => {
    req.requestId = newRequestId();
    res.setHeader('x-request-id', req.requestId);
    next();
  });
  for (const [route, handler] of Object.entries(gatewayRoutes(ctx))) {
    const [method, path] = route.split(' ');
    if (method === 'GET') app.get(path, handler); else app.post(path, handler);
  }
  extend?.(app);
  app.use((req, res) => sendError(res, new GatewayError(404, 'invalid_request_error', 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, new GatewayError(500, 'server_error', 'internal_error', `the gateway hit an internal error (${(err as Error)?.name ?? 'Error'})`));
  });
  return app;
}

/** The OpenAI-compatible routes ("METHOD /path" → handler); server.ts dispatches them without Express. */
export function gatewayRoutes(ctx: GatewayContext): Record<string, Handler> {
  const chat = chatCompletionsHandler(ctx);
  const models = modelsHandler(ctx);
  const defaultDeepSeek = ctx.core.catalog.models().find((m) => m.provider === 'deepseek')?.id;
  return {
    'GET /health': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ status: 'ok', inflight: ctx.inflight.size, tokenizerLoaded: tokenizerLoaded() }));
    },
    'POST /v1/chat/completions': chat,
    'POST /chat/completions': chat,
    'POST /api/v1/chat/deepseek': chatCompletionsHandler(ctx, { defaultModel: defaultDeepSeek }),
    'GET /v1/models': models,
    'GET /models': models,
    'GET /v1/key': keyInfoHandler(ctx),
  };
}
