/**
 * POST /v1/messages (Anthropic Messages, as Claude Code calls it: `?beta=true`, Bearer or x-api-key) and
 * POST /v1/messages/count_tokens. The body is translated onto the model's chat API and runs the one billed call;
 * the answer is encoded back into Anthropic's shape, errors too.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './json';
import type { GatewayContext } from './context';
import { authenticate } from './auth';
import { toGatewayError, type GatewayError } from './errors';
import { readJsonBody } from './read-body';
import { clampOutputCap, runProtocolCall, serveProtocol } from './protocol-call';
import { decodeMessages } from '../protocols/anthropic/decode';
import { AnthropicEncoder } from '../protocols/anthropic/encode';
import { sendAnthropicError } from '../protocols/anthropic/errors';
import { countPromptTokens } from '../protocols/count-tokens';
import { encodedResponse } from '../protocols/encoded-response';
import { passThroughBody } from '../protocols/anthropic/pass-through';

type Req = IncomingMessage & { requestId?: string };

export function messagesHandler(ctx: GatewayContext) {
  return async (req: Req, res: ServerResponse) => {
    const startedAt = ctx.core.now();
    const t0 = performance.now();
    const requestId = req.requestId!;
    res.setHeader('request-id', requestId);
    const sendError = (err: GatewayError) => sendAnthropicError(res, err, requestId);
    await serveProtocol(ctx, req, 'messages', startedAt, t0, (body) => decodeMessages(body), sendError, async ({ key, bodyBytes, src, decoded }) => {
      clampOutputCap(ctx, decoded.body);
      const enc = new AnthropicEncoder(`msg_${requestId.slice(4)}`, decoded.model, decoded.tools);
      await runProtocolCall(ctx, {
        req, res, startedAt, t0, api: 'messages', key, body: decoded.body, bodyBytes, stream: decoded.stream,
        out: encodedResponse(res, enc, sendError), sendError,
        // Used only by a provider whose operator set a native Anthropic endpoint: the body goes there as the client wrote it.
        anthropic: { res, body: (upstreamModel, maxTokens) => passThroughBody(src, upstreamModel, maxTokens, decoded.stream) },
      });
    });
  };
}

/** `{"input_tokens": N}` for the translated prompt: authenticated, never billed (Claude Code sizes its context with it). */
export function countTokensHandler(ctx: GatewayContext) {
  return async (req: Req, res: ServerResponse) => {
    const requestId = req.requestId!;
    res.setHeader('request-id', requestId);
    try {
      const key = authenticate(req, ctx.core.keys);
      const body = await readJsonBody(req, ctx.bodyLimit, ctx, key.id);
      const n = await countPromptTokens(decodeMessages(body.value, false).body, key.id);
      sendJson(res, { input_tokens: n });
    } catch (err) {
      sendAnthropicError(res, toGatewayError(err), requestId);
    }
  };
}
