/** Zhipu GLM on Z.ai / bigmodel.cn (reference/china-providers.md §3). */
import type { ProviderProfile } from '../profile';

export const glm: ProviderProfile = {
  id: 'glm',
  name: 'GLM (Zhipu)',
  traceHeader: 'x-log-id',
  maxOutputParam: 'max_tokens', // GLM knows only max_tokens
  // Insufficient balance is HTTP 429 with error.code 1113 (1302/1303 are the real rate limits).
  outOfBalance: (e) => e.code === '1113',
};
