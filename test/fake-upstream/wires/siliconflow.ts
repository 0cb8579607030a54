/** SiliconFlow: cumulative usage on every chunk when asked, max_tokens excludes reasoning, code 30001 (china-providers §6). */
import type { FakeWire } from '../wire-types.js';
import { capsOf, openAiUsage } from './common.js';
import { counterId } from './ids.js';

const body = (code: number, message: string) => JSON.stringify({ code, message, data: null });

export const siliconflow: FakeWire = {
  id: 'siliconflow',
  models: ['deepseek-ai/DeepSeek-V4-Flash', 'deepseek-ai/DeepSeek-V4-Pro', 'zai-org/GLM-5.3', 'moonshotai/Kimi-K2.6'],
  traceHeader: 'x-siliconcloud-trace-id',
  traceId: counterId(24),
  completionId: counterId(32),
  // max_tokens excludes the chain of thought: nothing caps reasoning.
  caps: (b) => capsOf(b, '__none__', 'max_tokens', 131_072),
  usage: (c) => openAiUsage(c),
  layout: 'cumulative',
  keepAlives: false,
  statusError(status) {
    switch (status) {
      case 400: return body(20012, 'Model does not exist. Please check it carefully.');
      case 401: return body(20000, 'Invalid token');
      case 429: return body(50603, 'Request was rejected due to rate limiting. Details: TPM limit reached.');
      case 503: return body(50505, 'Model service overloaded. Please try again later.');
      default: return body(50500, 'Internal Server Error');
    }
  },
  outOfBalance: () => ({ status: 403, body: body(30001, 'Sorry, your account balance is insufficient') }),
  badKey: () => ({ status: 401, body: body(20000, 'Invalid token') }),
  gets: { '/v1/models': JSON.stringify({ object: 'list', data: [] }) },
  basePath: '/v1',
};
