/**
 * What the agent-protocol handlers (messages.ts, responses.ts) share around the billed call: the output cap
 * clamped to the model's maximum, and the call itself with usage always requested.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { runBilledCall } from './billed-call';
import { toGatewayError, type GatewayError } from './errors';
import { readJsonBody } from './read-body';
import type { KeyRecord } from '../keys/keys';
import type { RequestApi } from '../ledger/ledger';
import type { ChatBody } from '../protocols/chat-wire';
import type { ClientResponse } from '../upstream/adapter';

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
export interface AcceptedRequest<D> { key: KeyRecord; bodyBytes: number; src: Record<string, unknown>; decoded: D }

/**
 * Authenticates, reads and translates a protocol request; on any failure sends the protocol's error and returns
 * null (bad input is the protocol's 400, never a 500).
 */
export async function acceptRequest<D>(ctx: GatewayContext, req: IncomingMessage, decode: (body: Record<string, unknown>) => D,
  sendError: (err: GatewayError) => void): Promise<AcceptedRequest<D> | null> {
  try {
    const key = authenticate(req, ctx.core.keys);
    const body = await readJsonBody(req, ctx.bodyLimit);
    return { key, bodyBytes: body.bytes, src: body.value, decoded: decode(body.value) };
  } catch (err) {
    sendError(toGatewayError(err));
    return null;
  }
}

export interface ProtocolCall {
  req: IncomingMessage & { requestId?: string };
  res: ServerResponse;
  startedAt: number;
  t0: number;
  api: RequestApi;
  key: KeyRecord;
  body: ChatBody;
  bodyBytes: number;
  stream: boolean;
  out: ClientResponse;
  sendError(err: GatewayError): void;
}

/** Runs the billed call for a translated body; the relay always reports usage (the encoders need it). */
export function runProtocolCall(ctx: GatewayContext, c: ProtocolCall): Promise<void> {
  return runBilledCall(ctx, {
    requestId: c.req.requestId!, startedAt: c.startedAt, t0: c.t0, api: c.api, key: c.key, body: c.body, bodyBytes: c.bodyBytes,
    shape: { model: c.body.model, stream: c.stream, includeUsage: true }, res: c.res, out: c.out, sendError: c.sendError,
  });
}
