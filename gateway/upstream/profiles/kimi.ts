/** Moonshot Kimi (reference/china-providers.md §2). */
import type { ProviderProfile } from '../profile';

interface KimiBalance { status?: boolean; data?: { available_balance?: number | string } }

export const kimi: ProviderProfile = {
  id: 'kimi',
  name: 'Kimi (Moonshot)',
  traceHeader: 'msh-request-id',
  maxOutputParam: 'max_completion_tokens', // max_tokens is deprecated
  capBoundsReasoning: true,
  // Low balance, overdue or expired voucher: 429 (sometimes 403) `exceeded_current_quota_error`; other 429s are rate limits.
  outOfBalance: (e) => e.type === 'exceeded_current_quota_error',
  balance: {
    path: '/users/me/balance',
    parse(body) {
      const b = body as KimiBalance;
      if (!b?.data || b.data.available_balance === undefined) return undefined;
      const amount = String(b.data.available_balance);
      return { available: Number(amount) > 0, balances: [{ currency: 'CNY', amount }] };
    },
  },
};
