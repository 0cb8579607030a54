/** ByteDance Doubao on Volcengine Ark / BytePlus ModelArk (reference/china-providers.md §5). */
import type { ProviderProfile } from '../profile';

export const doubao: ProviderProfile = {
  id: 'doubao',
  name: 'Doubao (Volcengine Ark)',
  traceHeader: 'x-request-id',
  // Includes the chain of thought; Ark rejects it combined with max_tokens, so only this one is sent.
  maxOutputParam: 'max_completion_tokens',
  outOfBalance: (e) => e.code === 'AccountOverdueError',
};
