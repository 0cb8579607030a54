/** Doubao (Volcengine Ark): no stream usage unless asked, hidden billed reasoning, 403 AccountOverdueError (china-providers §5). */
import type { FakeWire } from '../wire-types.js';
import { capsOf, openAiUsage } from './common.js';
import { counterId } from './ids.js';

const requestId = counterId(32);
const body = (code: string, message: string, type: string) => JSON.stringify({ error: { code, message: `${message} Request id: ${requestId()}`, param: '', type } });

export const doubao: FakeWire = {
  id: 'doubao',
  models: ['doubao-seed-2-1-pro-260628', 'doubao-seed-2-0-mini-260428', 'dola-seed-2-1-turbo-260628'],
  traceHeader: 'x-request-id',
  traceId: requestId,
  completionId: counterId(32),
  caps(b) {
    if (b.max_completion_tokens !== undefined && b.max_tokens !== undefined) return { error: 'max_completion_tokens cannot be set together with max_tokens' };
    return capsOf(b, 'max_completion_tokens', 'max_tokens', 65_536);
  },
  usage: (c) => openAiUsage(c),
  layout: 'trailing',
  keepAlives: false,
  // Seed 2.1 shows a reasoning summary but bills the original reasoning tokens.
  hiddenReasoningPerShown: 2,
  statusError(status) {
    switch (status) {
      case 400: return body('InvalidParameter', 'A parameter specified in the request is not valid.', 'BadRequest');
      case 401: return body('AuthenticationError', 'The API key in the request is missing or invalid.', 'Unauthorized');
      case 429: return body('RateLimitExceeded.EndpointRPMExceeded', 'The request rate has exceeded the limit.', 'TooManyRequests');
      case 503: return body('ServerOverloaded', 'The service is overloaded.', 'ServiceUnavailable');
      default: return body('InternalServiceError', 'The service encountered an unexpected internal error.', 'InternalServerError');
    }
  },
  outOfBalance: () => ({ status: 403, body: body('AccountOverdueError', 'The request failed because your account has an overdue balance.', 'Forbidden') }),
  badKey: () => ({ status: 401, body: body('AuthenticationError', 'The API key in the request is missing or invalid.', 'Unauthorized') }),
  gets: {},
  basePath: '/api/v3',
};
