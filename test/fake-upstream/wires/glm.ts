/** GLM (Z.ai / bigmodel.cn): usage in the last chunk by default, input_tokens_details, 429 + code 1113 (china-providers §3). */
import type { FakeWire } from '../wire-types.js';
import { capsOf, openAiUsage } from './common.js';
import { counterId } from './ids.js';

const body = (code: string, message: string) => JSON.stringify({ error: { code, message } });

export const glm: FakeWire = {
  id: 'glm',
  models: ['glm-5.3', 'glm-5.3-flash'],
  traceHeader: 'x-log-id',
  traceId: counterId(24),
  completionId: counterId(20),
  // GLM knows only max_tokens (reasoning + answer).
  caps: (b) => capsOf(b, 'max_tokens', null, 131_072),
  usage(c, stream) {
    if (!stream) return openAiUsage(c);
    // Some GLM answers name the cache field input_tokens_details.
    return { prompt_tokens: c.prompt, completion_tokens: c.completion, total_tokens: c.prompt + c.completion, input_tokens_details: { cached_tokens: c.hit }, completion_tokens_details: { reasoning_tokens: c.reasoning } };
  },
  layout: 'last-chunk',
  keepAlives: false,
  statusError(status) {
    switch (status) {
      case 400: return body('1214', 'messages 参数非法。请检查文档。');
      case 401: return body('1000', '身份验证失败。');
      case 429: return body('1302', '您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。');
      case 503: return body('1305', '当前API请求过多，请稍后重试。');
      default: return body('500', '内部错误。');
    }
  },
  outOfBalance: () => ({ status: 429, body: body('1113', '余额不足或无可用资源包,请充值。') }),
  badKey: () => ({ status: 401, body: body('1000', '身份验证失败。') }),
  gets: {},
  basePath: '/api/paas/v4',
};
