/**
 * createGatewayApp: the Express app for the OpenAI-compatible API. It binds nothing; server.ts does.
 * Every response carries x-request-id (the id of the request row the ledger keeps).
 */
import { randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GatewayContext } from './context';
import { chatCompletionsHandler } from './chat-completions';
import { modelsHandler } from './models';
import { keyInfoHandler } from './key-info';
import { GatewayError, sendError } from './errors';
import { tokenizerLoaded } from '../billing/tokenizer';

export function createGatewayApp(ctx: GatewayContext, extend?: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', false);
  app.use((req: Request & { requestId?: string }, res: Response, next: NextFunction) => {
    req.requestId = 'req_' + randomUUID().replace(/-/g, '');
    res.setHeader('x-request-id', req.requestId);
    next();
  });
  app.get('/health', (_req, res) => { res.json({ status: 'ok', inflight: ctx.inflight.size, tokenizerLoaded: tokenizerLoaded() }); });
  const chat = chatCompletionsHandler(ctx);
  app.post('/v1/chat/completions', chat);
  app.post('/chat/completions', chat);
  const defaultDeepSeek = ctx.core.catalog.models().find((m) => m.provider === 'deepseek')?.id;
  app.post('/api/v1/chat/deepseek', chatCompletionsHandler(ctx, { defaultModel: defaultDeepSeek }));
  const models = modelsHandler(ctx);
  app.get('/v1/models', models);
  app.get('/models', models);
  app.get('/v1/key', keyInfoHandler(ctx));
  extend?.(app);
  app.use((req, res) => sendError(res, new GatewayError(404, 'invalid_request_error', 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, new GatewayError(500, 'server_error', 'internal_error', `the gateway hit an internal error (${(err as Error)?.name ?? 'Error'})`));
  });
  return app;
}
