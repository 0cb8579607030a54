/** Kimi: usage in choices[0].usage, top-level cached_tokens, K3 cache writes, 429 quota error (china-providers §2). */
import type { FakeWire } from '../wire-types.js';
import { capsOf } from './common.js';
import { chatcmplId, counterId } from './ids.js';

const body = (type: string, message: string) => JSON.stringify({ error: { message, type } });

export const kimi: FakeWire = {
  id: 'kimi',
  models: ['kimi-k3', 'kimi-k3.1-pro', 'kimi-k3.1-pro-highspeed', 'kimi-k2.6'],
  traceHeader: 'msh-request-id',
  traceId: counterId(32),
  completionId: chatcmplId,
  caps: (b) => capsOf(b, 'max_completion_tokens', null, 1_048_576),
  usage(c, stream) {
    // Streams (the older, still-seen layout) report the cache hits only at the top level, not in prompt_tokens_details.
    if (stream) return { prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion, cached_tokens: c.hit, ...(c.write ? { prompt_tokens_details: { cache_write_tokens: c.write } } : {}) };
    return { prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion, prompt_tokens_details: { cached_tokens: c.hit, ...(c.write ? { cache_write_tokens: c.write } : {}) } };
  },
  reportsReasoning: false,
  layout: 'choice-usage',
  keepAlives: false,
  statusError(status) {
    switch (status) {
      case 400: return body('invalid_request_error', 'Invalid request: invalid temperature: only 1 is allowed for this model');
      case 401: return body('invalid_authentication_error', 'Invalid Authentication');
      case 429: return body('rate_limit_reached_error', 'Your account org-fake request reached organization max RPM: 200');
      case 503: return body('engine_overloaded_error', 'The engine is currently overloaded, please try again later');
      default: return body('server_error', 'Internal server error');
    }
  },
  outOfBalance: () => ({ status: 429, body: body('exceeded_current_quota_error', 'Your account org-fake <ak-fake> is suspended due to insufficient balance, please recharge your account or check your plan and billing details') }),
  badKey: () => ({ status: 401, body: body('invalid_authentication_error', 'Invalid Authentication') }),
  gets: { '/v1/users/me/balance': JSON.stringify({ code: 0, data: { available_balance: 49.58, voucher_balance: 46.58, cash_balance: 3.0 }, scode: '0x0', status: true }) },
  basePath: '/v1',
};
