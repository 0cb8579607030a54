/** Qwen (DashScope compatible mode): no stream usage unless asked, explicit-cache writes, 400 Arrearage (china-providers §1). */
import type { FakeWire } from '../wire-types.js';
import { capsOf, openAiUsage } from './common.js';
import { chatcmplId, counterId } from './ids.js';

const requestId = counterId(32);
const body = (code: string, message: string, type = code) => JSON.stringify({ error: { code, param: null, message, type }, id: chatcmplId(), request_id: requestId() });

export const qwen: FakeWire = {
  id: 'qwen',
  models: ['qwen3.8-max', 'qwen3.8-flash'],
  traceHeader: 'x-request-id',
  traceId: requestId,
  completionId: chatcmplId,
  // max_completion_tokens caps reasoning + answer; the deprecated max_tokens caps only the answer.
  caps: (b) => capsOf(b, 'max_completion_tokens', 'max_tokens', 131_072),
  usage: (c) => openAiUsage(c, c.write ? { cache_creation_input_tokens: c.write, cache_type: 'ephemeral' } : {}),
  layout: 'trailing',
  keepAlives: false,
  statusError(status) {
    switch (status) {
      case 400: return body('InvalidParameter', 'The request parameter is invalid', 'invalid_request_error');
      case 401: return body('invalid_api_key', 'Incorrect API key provided.', 'invalid_request_error');
      case 429: return body('Throttling.RateQuota', 'Requests rate limit exceeded, please try again later.', 'rate_limit_error');
      case 503: return body('ServiceUnavailable', 'The service is temporarily unavailable', 'server_error');
      default: return body('InternalError', 'An internal error has occured, please try again later', 'internal_error');
    }
  },
  outOfBalance: () => ({ status: 400, body: body('Arrearage', 'Access denied, please make sure your account is in good standing.') }),
  badKey: () => ({ status: 401, body: body('invalid_api_key', 'Incorrect API key provided.', 'invalid_request_error') }),
  gets: {},
  basePath: '/compatible-mode/v1',
};
