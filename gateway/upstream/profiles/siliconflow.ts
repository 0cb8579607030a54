/** SiliconFlow (reference/china-providers.md §6). */
import type { ProviderProfile } from '../profile';

export const siliconflow: ProviderProfile = {
  id: 'siliconflow',
  name: 'SiliconFlow',
  traceHeader: 'x-siliconcloud-trace-id',
  maxOutputParam: 'max_tokens',
  // SiliconFlow's max_tokens excludes the chain of thought, and no parameter caps it: quote the model's maximum.
  // {"code":30001,"message":"Sorry, your account balance is insufficient"} as a 402 or 403.
  outOfBalance: (e) => e.code === '30001',
};
