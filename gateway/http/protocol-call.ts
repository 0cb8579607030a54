/**
 * What the agent-protocol handlers (messages.ts, responses.ts) share around the billed call: the output cap
 * clamped to the model's maximum, and the call itself with usage always requested.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { admitKey, type AdmittedKey } from './admission';
import { runBilledCall } from './billed-call';
import { GatewayError } from './errors';
import { recordInternalError } from './internal-error';
import { readJsonBody } from './read-body';
import type { RequestApi } from '../ledger/ledger';
import type { ChatBody } from '../protocols/chat-wire';
import type { ClientResponse, NativeMessages } from '../upstream/adapter';

/**
 * Agent clients ask for their own models' output sizes (Claude Code: max_tokens 32000): a cap above what the
 * served model can produce is lowered to its maximum instead of refused, since it is a ceiling, not a request.
 */
export function clampOutputCap(ctx: GatewayContext, body: ChatBody): void {
  const max = body.max_tokens;
  if (typeof max !== 'number') return;
  const model = ctx.core.catalog.resolve(body.model);
  if (model && max > model.maxOutputTokens) body.max_tokens = model.maxOutputTokens;
}

/** An authenticated, read and translated protocol request. */
export interface AcceptedRequest<D> { key: AdmittedKey; bodyBytes: number; src: Record<string, unknown>; decoded: D }

/**
 * Serves a protocol request the way the chat handler does: admits the key before reading the body (admission.ts:
 * authenticated, its concurrency slot taken and released exactly once), reads and translates the body, then `call`s.
 * Gateway errors go out in the protocol's shape (bad input is its 400, never a 500); a bug is recorded and rethrown.
 */
export async function serveProtocol<D>(ctx: GatewayContext, req: IncomingMessage & { requestId?: string }, api: RequestApi, startedAt: number, t0: number,
  decode: (body: Record<string, unknown>) => D, sendError: (err: GatewayError) => void, call: (a: AcceptedRequest<D>) => Promise<void>): Promise<void> {
  let key: AdmittedKey;
  try {
    key = admitKey(ctx, req, api, startedAt, t0);
  } catch (err) {
    if (err instanceof GatewayError) return sendError(err);
    throw err; // a bug: the dispatcher logs it and answers 500
  }
  try {
    let accepted: AcceptedRequest<D>;
    try {
      const body = await readJsonBody(req, ctx.bodyLimit, ctx, key.id);
      accepted = { key, bodyBytes: body.bytes, src: body.value, decoded: decode(body.value) };
    } catch (err) {
      if (err instanceof GatewayError) return sendError(err);
      recordInternalError(ctx, { requestId: req.requestId!, key, startedAt, t0, api }, err);
      throw err;
    }
    await call(accepted);
  } finally {
    ctx.leaveKey(key.id);
  }
}

export interface ProtocolCall {
  req: IncomingMessage & { requestId?: string };
  res: ServerResponse;
  startedAt: number;
  t0: number;
  api: RequestApi;
  key: AdmittedKey;
  body: ChatBody;
  bodyBytes: number;
  stream: boolean;
  out: ClientResponse;
  anthropic?: NativeMessages;
  sendError(err: GatewayError): void;
}

/** Runs the billed call for a translated body; the relay always reports usage (the encoders need it). */
export function runProtocolCall(ctx: GatewayContext, c: ProtocolCall): Promise<void> {
  return runBilledCall(ctx, {
    requestId: c.req.requestId!, startedAt: c.startedAt, t0: c.t0, api: c.api, key: c.key, body: c.body, bodyBytes: c.bodyBytes,
    shape: { model: c.body.model, stream: c.stream, includeUsage: true }, res: c.res, out: c.out, anthropic: c.anthropic, sendError: c.sendError,
  });
}
