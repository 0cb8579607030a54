/**
 * POST /v1/responses (OpenAI Responses, stateless: what Codex CLI, the AI SDK's `openai(id)` and n8n call). The
 * body is translated onto the model's chat API and runs the one billed call; the answer is encoded back into
 * Responses items and events. Errors keep OpenAI's envelope.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from './context';
import { sendError as sendOpenAiError, type GatewayError } from './errors';
import { clampOutputCap, runProtocolCall, serveProtocol } from './protocol-call';
import { decodeResponses } from '../protocols/responses/decode';
import { ResponsesEncoder } from '../protocols/responses/encode';
import { encodedResponse } from '../protocols/encoded-response';

export function responsesHandler(ctx: GatewayContext) {
  return async (req: IncomingMessage & { requestId?: string }, res: ServerResponse) => {
    const startedAt = ctx.core.now();
    const t0 = performance.now();
    const sendError = (err: GatewayError) => sendOpenAiError(res, err);
    await serveProtocol(ctx, req, 'responses', startedAt, t0, decodeResponses, sendError, async ({ key, bodyBytes, src, decoded }) => {
      clampOutputCap(ctx, decoded.body);
      const enc = new ResponsesEncoder(`resp_${req.requestId!.slice(4)}`, {
        model: decoded.model, createdAt: Math.floor(startedAt / 1000), toolChoice: src.tool_choice ?? 'auto',
        parallelToolCalls: src.parallel_tool_calls !== false, maxOutputTokens: typeof src.max_output_tokens === 'number' ? src.max_output_tokens : null,
      }, decoded.tools, decoded.custom);
      await runProtocolCall(ctx, {
        req, res, startedAt, t0, api: 'responses', key, body: decoded.body, bodyBytes, stream: decoded.stream,
        out: encodedResponse(res, enc, sendError), sendError,
      });
    });
  };
}
