/**
 * POST /v1/chat/completions (and /chat/completions, /api/v1/chat/<provider>): OpenAI chat, the zero-copy path.
 * Authenticates, reads and checks the body, then runs the billed call with the client's own response as the
 * relay's output and OpenAI's error envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { runBilledCall } from './billed-call';
import { sendError, toGatewayError, type GatewayError } from './errors';
import { readJsonBody } from './read-body';
import { validateChatBody } from './validate-chat';

export function chatCompletionsHandler(ctx: GatewayContext, opts: { defaultModel?: string; provider?: string } = {}) {
  return async (req: IncomingMessage & { requestId?: string }, res: ServerResponse) => {
    const startedAt = ctx.core.now();
    const t0 = performance.now();
    let key;
    let shape;
    let body;
    try {
      key = authenticate(req, ctx.core.keys);
      body = await readJsonBody(req, ctx.bodyLimit);
      shape = validateChatBody(body.value, opts.defaultModel);
    } catch (err) {
      return sendError(res, toGatewayError(err));
    }
    await runBilledCall(ctx, {
      requestId: req.requestId!, startedAt, t0, api: 'chat', key, body: body.value, bodyBytes: body.bytes, shape, provider: opts.provider,
      res, out: res, sendError: (err: GatewayError) => sendError(res, err),
    });
  };
}
