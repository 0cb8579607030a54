/** DeepSeek (reference/china-providers.md §7, upstream-apis.md §1). */
import type { ProviderProfile } from '../profile';

interface DeepSeekBalance { is_available?: boolean; balance_infos?: Array<{ currency?: string; total_balance?: string; granted_balance?: string; topped_up_balance?: string }> }

const str = (v: unknown): string | null => (v == null ? null : String(v));

export const deepseek: ProviderProfile = {
  id: 'deepseek',
  name: 'DeepSeek',
  stripV1: true,
  traceHeader: 'x-ds-trace-id',
  // DeepSeek silently ignores max_completion_tokens; max_tokens caps reasoning + answer.
  maxOutputParam: 'max_tokens',
  outOfBalance: (e) => e.status === 402,
  balance: {
    path: '/user/balance',
    parse(body) {
      const b = body as DeepSeekBalance;
      if (!b || !Array.isArray(b.balance_infos)) return undefined;
      const available = b.is_available !== false;
      return {
        available, message: available ? 'ok' : 'the DeepSeek account cannot serve requests (balance exhausted)',
        balances: b.balance_infos.map((i) => ({ currency: String(i.currency ?? ''), total: String(i.total_balance ?? '0'), granted: str(i.granted_balance), toppedUp: str(i.topped_up_balance) })),
      };
    },
  },
};
