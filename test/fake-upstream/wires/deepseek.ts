/** DeepSeek: usage on the last content chunk, cache hit/miss fields, keep-alives, 402 out of balance (upstream-apis.md §1). */
import { randomUUID } from 'node:crypto';
import type { FakeWire } from '../wire-types.js';
import { counterId } from './ids.js';

export const MODELS = ['deepseek-flash', 'deepseek-v4-pro', 'deepseek-v4-flash', 'deepseek-v4-flash-vision-exp'];
export const MAX_OUTPUT = 393_216;

/** DeepSeek's `{"error":{...}}` body; note its type/code values are not OpenAI's. */
export function errorBody(message: string, type: string, code = 'invalid_request_error'): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export const NO_BEARER_BODY = errorBody('Authentication Fails (auth header format should be Bearer sk-...)', 'authentication_error');

export const MODELS_BODY = JSON.stringify({
  object: 'list',
  // DeepSeek omits OpenAI's `created` field.
  data: MODELS.slice(0, 2).map((id) => ({ id, object: 'model', owned_by: 'deepseek' })),
});

export const BALANCE_BODY = JSON.stringify({
  is_available: true,
  balance_infos: [{ currency: 'USD', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' }],
});

/** The exact body DeepSeek answers for a documented error status. */
function statusError(status: number): string {
  switch (status) {
    case 400: return errorBody('Invalid Format', 'invalid_request_error');
    case 401: return errorBody('Authentication Fails, Your api key: ****_KEY is invalid', 'authentication_error');
    case 402: return errorBody('Insufficient Balance', 'unknown_error');
    case 422: return errorBody('Invalid Parameters', 'invalid_request_error');
    case 429: return errorBody('Rate Limit Reached', 'rate_limit_error');
    case 503: return errorBody('Server Overloaded', 'server_error', 'server_error');
    default: return errorBody('Server Error', 'server_error', 'server_error');
  }
}

export const deepseek: FakeWire = {
  id: 'deepseek',
  models: MODELS,
  traceHeader: 'x-ds-trace-id',
  traceId: counterId(32),
  completionId: randomUUID,
  // DeepSeek enforces max_tokens and silently ignores max_completion_tokens (reference §1.5).
  caps(body) {
    const max = body.max_tokens;
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_OUTPUT)) {
      return { error: `Invalid max_tokens value, the valid range of max_tokens is [1, ${MAX_OUTPUT}]` };
    }
    return { total: max as number | undefined };
  },
  usage(c) {
    const u: Record<string, unknown> = {
      prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion,
      prompt_tokens_details: { cached_tokens: c.hit },
    };
    if (c.reasoning) u.completion_tokens_details = { reasoning_tokens: c.reasoning };
    u.prompt_cache_hit_tokens = c.hit;
    u.prompt_cache_miss_tokens = c.prompt - c.hit;
    return u;
  },
  layout: 'last-chunk',
  keepAlives: true,
  statusError,
  outOfBalance: () => ({ status: 402, body: statusError(402) }),
  badKey: (key) => ({ status: 401, body: key ? errorBody(`Authentication Fails, Your api key: ****${key.slice(-4)} is invalid`, 'authentication_error') : NO_BEARER_BODY }),
  gets: { '/models': MODELS_BODY, '/v1/models': MODELS_BODY, '/user/balance': BALANCE_BODY },
  basePath: '',
};
