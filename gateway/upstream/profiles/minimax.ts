/** MiniMax (reference/china-providers.md §4). */
import type { ProviderProfile } from '../profile';

export const minimax: ProviderProfile = {
  id: 'minimax',
  name: 'MiniMax',
  traceHeader: 'trace-id',
  maxOutputParam: 'max_completion_tokens', // max_tokens is deprecated; thinking counts toward the limit
  // 1008 insufficient balance: in base_resp.status_code (also on an HTTP 200), or as error.type / "(1008)" on a 429.
  outOfBalance: (e) => e.code === '1008' || e.type === 'insufficient_balance_error' || e.message.includes('(1008)'),
  emptyRoleDeltas: true,
  completionFrames: true,
};
