/** Moonshot Kimi (reference/china-providers.md §2). */
import type { ProviderProfile } from '../profile';

interface KimiBalance { status?: boolean; data?: { available_balance?: number | string; voucher_balance?: number | string; cash_balance?: number | string } }

const str = (v: unknown): string | null => (v == null ? null : String(v));

export const kimi: ProviderProfile = {
  id: 'kimi',
  name: 'Kimi (Moonshot)',
  traceHeader: 'msh-request-id',
  maxOutputParam: 'max_completion_tokens', // max_tokens is deprecated
  // Without prompt_cache_options Kimi writes its cache with the 5-minute TTL, the write price the catalog holds.
  dropFields: new Set(['prompt_cache_options']),
  // Low balance, overdue or expired voucher: 429 (sometimes 403) `exceeded_current_quota_error`; other 429s are rate limits.
  outOfBalance: (e) => e.type === 'exceeded_current_quota_error',
  balance: {
    path: '/users/me/balance',
    parse(body) {
      const b = body as KimiBalance;
      if (!b?.data || b.data.available_balance === undefined) return undefined;
      // Kimi reports CNY on both platforms' balance endpoint; a balance at or below zero suspends the account.
      const total = String(b.data.available_balance);
      const available = Number(total) > 0;
      return {
        available, message: available ? 'ok' : 'the Kimi account is out of balance',
        balances: [{ currency: 'CNY', total, granted: str(b.data.voucher_balance), toppedUp: str(b.data.cash_balance) }],
      };
    },
  },
};
