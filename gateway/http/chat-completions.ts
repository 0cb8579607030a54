/**
 * POST /v1/chat/completions (and /chat/completions, /api/v1/chat/<provider>): OpenAI chat, the zero-copy path.
 * Admits the key (before reading the body: admission.ts), reads and checks the body, then runs the billed call with
 * the client's own response as the relay's output and OpenAI's error envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { admitKey } from './admission';
import { runBilledCall } from './billed-call';
import { GatewayError, sendError } from './errors';
import { recordInternalError } from './internal-error';
import { readJsonBody } from './read-body';
import { validateChatBody } from './validate-chat';
import type { ChatRequestBody } from '../upstream/adapter';

export function chatCompletionsHandler(ctx: GatewayContext, opts: { defaultModel?: string; provider?: string } = {}) {
  return async (req: IncomingMessage & { requestId?: string }, res: ServerResponse) => {
    const startedAt = ctx.core.now();
    const t0 = performance.now();
    let key;
    try {
      key = admitKey(ctx, req, 'chat', startedAt, t0);
    } catch (err) {
      if (err instanceof GatewayError) return sendError(res, err);
      throw err; // a bug: the dispatcher logs it and answers 500
    }
    try { // the key's slot is taken: released once, however the request ends
      let shape;
      let body;
      try {
        body = await readJsonBody(req, ctx.bodyLimit, ctx, key.id);
        shape = validateChatBody(body.value, opts.defaultModel);
      } catch (err) {
        if (err instanceof GatewayError) return sendError(res, err);
        recordInternalError(ctx, { requestId: req.requestId!, key, startedAt, t0, api: 'chat' }, err);
        throw err;
      }
      await runBilledCall(ctx, {
        requestId: req.requestId!, startedAt, t0, api: 'chat', key, body: body.value as ChatRequestBody /* validated above */, bodyBytes: body.bytes, shape, provider: opts.provider,
        res, out: res, sendError: (err: GatewayError) => sendError(res, err),
      });
    } finally {
      ctx.leaveKey(key.id);
    }
  };
}
