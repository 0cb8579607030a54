/**
 * The request entry point: the hot OpenAI routes are dispatched straight to their handlers, everything else
 * (the admin window, 404s) goes through the Express app. Express routing and middleware cost ~60 µs per
 * request, a tenth of what a whole pass-through proxy costs; the hot routes use none of its features.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { sendError, toGatewayError } from './errors';
import { answerInternalError } from './internal-error';

export type Handler = (req: IncomingMessage & { requestId?: string }, res: ServerResponse) => unknown;

const RANDOM_POOL_BYTES = 10 * 512;
let randomPool = Buffer.alloc(0);
let randomAt = RANDOM_POOL_BYTES;

/**
 * A new request id: the x-request-id the client sees and the id of the request's ledger row. Time-ordered
 * (12 hex digits of milliseconds, then 20 random hex digits) so the ledger's primary-key index grows at its end
 * instead of touching a random page per request. The random part comes from a pool refilled from the CSPRNG
 * every 512 ids.
 */
export function newRequestId(): string {
  if (randomAt === RANDOM_POOL_BYTES) { randomPool = randomBytes(RANDOM_POOL_BYTES); randomAt = 0; }
  randomAt += 10;
  return 'req_' + Date.now().toString(16).padStart(12, '0') + randomPool.toString('hex', randomAt - 10, randomAt);
}

/** The Express app, or a loader for it: the admin window and Express itself load on the first request that needs them. */
export type AppSource = Express | (() => Promise<Express>);

/** Dispatches `routes` ("METHOD /path" → handler) directly and everything else to the Express app. */
export function createDispatcher(source: AppSource, routes: Record<string, Handler>): (req: IncomingMessage, res: ServerResponse) => void {
  const fast = new Map(Object.entries(routes));
  let app: Promise<Express> | null = typeof source === 'function' && !('handle' in source) ? null : Promise.resolve(source as Express);
  const loadApp = () => (app ??= (source as () => Promise<Express>)());
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const handler = fast.get(`${req.method} ${q === -1 ? url : url.slice(0, q)}`);
    if (!handler) {
      loadApp().then((a) => a(req as never, res as never), (err: unknown) => sendError(res, toGatewayError(err)));
      return;
    }
    const id = newRequestId();
    (req as IncomingMessage & { requestId?: string }).requestId = id;
    res.setHeader('x-request-id', id);
    // A handler bug or a ledger failure becomes a 500 for this request (logged with its id), never an unhandled
    // rejection nor, for a synchronous handler, an uncaught exception.
    let done: unknown;
    try { done = handler(req, res); } catch (err) { answerInternalError(req, res, err); return; }
    if (done instanceof Promise) done.catch((err: unknown) => answerInternalError(req, res, err));
  };
}
