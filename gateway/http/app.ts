/**
 * createGatewayApp: the Express app for what the fast dispatcher (dispatch.ts + the route table in routes.ts) does
 * not serve: parameterised routes, the admin window (mounted by `extend`), 404s and the last-resort error handler.
 * It binds nothing; server.ts does. Every response carries x-request-id.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { GatewayContext } from './context';
import { modelHandler } from './models';
import { GatewayError, sendError } from './errors';
import { newRequestId } from './dispatch';

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
  // Parameterised routes live here (the fast dispatcher matches exact paths only).
  const model = modelHandler(ctx);
  app.get('/v1/models/:id', model);
  app.get('/models/:id', model);
  extend?.(app);
  app.use((req, res) => sendError(res, new GatewayError(404, 'invalid_request_error', 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendError(res, new GatewayError(500, 'server_error', 'internal_error', `the gateway hit an internal error (${(err as Error)?.name ?? 'Error'})`));
  });
  return app;
}
