/** Alibaba Qwen, DashScope compatible mode (reference/china-providers.md §1). */
import type { ProviderProfile } from '../profile';

export const qwen: ProviderProfile = {
  id: 'qwen',
  name: 'Qwen (DashScope)',
  traceHeader: 'x-request-id',
  // max_tokens (deprecated) caps only the answer and leaves reasoning unbounded; max_completion_tokens caps both.
  maxOutputParam: 'max_completion_tokens',
  // Overdue account: `Arrearage` as error.code / error.type, HTTP 400 or 403.
  outOfBalance: (e) => e.code === 'Arrearage' || e.type === 'Arrearage',
};
