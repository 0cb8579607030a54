/**
 * A handler bug (an exception nobody turned into a GatewayError) must leave a trace: a line on stderr with the
 * request id (the error's name, message and stack — never the body, headers or key), and, when the key is known,
 * a request row with status `internal_error` whose settlement also releases any hold the request took. The ledger
 * settles a request id once, so recording after the request already settled changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { GatewayError, sendError } from './errors';
import type { KeyRecord } from '../keys/keys';
import type { RequestApi } from '../ledger/ledger';
import { capText, MAX_ERROR_CHARS } from '../ledger/text-caps';

/** What is known of a request when its handler throws. */
export interface FailedCall {
  requestId: string; key: KeyRecord; startedAt: number; t0: number; api: RequestApi;
  shape?: { model: string; stream: boolean };
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : `thrown ${typeof err}`);

/** Writes the request's `internal_error` row, releasing its hold if it took one (a no-op if it already settled). Never throws. */
export function recordInternalError(ctx: GatewayContext, c: FailedCall, err: unknown): void {
  try {
    ctx.core.ledger.settleSoon(c.requestId, 0, { id: c.requestId, keyId: c.key.id, accountId: c.key.accountId, model: c.shape?.model ?? '', modelUnresolved: true,
      stream: c.shape?.stream ?? false, startedAt: c.startedAt, status: 'internal_error', httpStatus: 500, durationMs: Math.round(performance.now() - c.t0),
      error: capText(`the gateway hit an internal error (${describe(err)}); the request was not charged`, MAX_ERROR_CHARS), api: c.api });
    const flushed = ctx.core.ledger.flush();
    if (flushed instanceof Promise) flushed.catch((e: Error) => process.stderr.write(`gogogo: could not record internal error of ${c.requestId}: ${describe(e)}\n`));
  } catch (e) {
    process.stderr.write(`gogogo: could not record internal error of ${c.requestId}: ${describe(e)}\n`);
  }
}

/**
 * The dispatcher's last resort for a handler that threw: logs it with the request id and answers 500 — or, when the
 * answer had already begun, cuts the connection so the client sees a failure rather than a truncated success.
 */
export function answerInternalError(req: IncomingMessage & { requestId?: string }, res: ServerResponse, err: unknown): void {
  if (err instanceof GatewayError) { sendError(res, err); return; } // a deliberate answer, not a bug
  const url = req.url ?? '/';
  const q = url.indexOf('?'); // a query string may carry a secret: log the path only
  const stack = err instanceof Error && err.stack ? err.stack.split('\n').filter((l) => l.startsWith('    at ')).slice(0, 8).join('\n') : '';
  process.stderr.write(`gogogo: internal error in ${req.requestId ?? 'request'} (${req.method} ${q === -1 ? url : url.slice(0, q)}): ${capText(describe(err), 500)}\n${stack}${stack ? '\n' : ''}`);
  if (!res.headersSent) sendError(res, new GatewayError(500, 'server_error', 'internal_error', 'the gateway hit an internal error; the request was not charged'));
  else if (!res.writableEnded) res.destroy();
}
