/**
 * MiniMax: zero placeholder usage on every chunk, "role":"" deltas, a closing chat.completion frame with the real
 * usage, and 1008 insufficient balance in base_resp on an HTTP 200 (china-providers §4, upstream-apis §3.4).
 */
import type { FakeWire } from '../wire-types.js';
import { capsOf, openAiUsage } from './common.js';
import { counterId } from './ids.js';

const traceId = counterId(32);
const baseResp = (code: number, msg: string) => JSON.stringify({ id: traceId(), choices: null, created: Math.floor(Date.now() / 1000), model: '', object: 'chat.completion', usage: { total_tokens: 0 }, base_resp: { status_code: code, status_msg: msg } });
const body = (type: string, message: string, status: number) => JSON.stringify({ type: 'error', error: { type, message, http_code: String(status) }, request_id: traceId() });

export const minimax: FakeWire = {
  id: 'minimax',
  models: ['MiniMax-M3', 'MiniMax-M2.7'],
  traceHeader: 'trace-id',
  traceId,
  completionId: traceId,
  // max_completion_tokens caps thinking + answer; max_tokens is deprecated (ignored here).
  caps: (b) => capsOf(b, 'max_completion_tokens', null, 524_288),
  usage: (c) => openAiUsage(c),
  layout: 'minimax',
  keepAlives: false,
  statusError(status) {
    switch (status) {
      case 400: return body('bad_request_error', 'invalid params, temperature out of range (2013)', 400);
      case 401: return body('authorized_error', 'login fail: Please carry the API secret key in the Authorization field (1004)', 401);
      case 429: return body('rate_limit_error', 'rate limit exceeded(RPM) (1002)', 429);
      case 503: return body('overloaded_error', 'the server cluster is under high load, please retry later (1033)', 503);
      default: return body('api_error', 'unknown error (1000)', status);
    }
  },
  outOfBalance: () => ({ status: 200, body: baseResp(1008, 'insufficient balance') }),
  badKey: () => ({ status: 401, body: body('authorized_error', 'login fail: Please carry the API secret key in the Authorization field (1004)', 401) }),
  gets: {},
  basePath: '/v1',
};
