/** Errors raised by the ledger. Transports map `code` to their own shapes; messages are safe to show. */
export class LedgerError extends Error {
  constructor(readonly code: 'not_found' | 'conflict' | 'invalid' | 'migration_failed' | 'unbalanced' | 'overflow', message: string) {
    super(message);
    this.name = 'LedgerError';
  }
}

/**
 * Balances are JavaScript numbers: past 2^53 − 1 micro-USD they would round, and every sum (and the invariant check)
 * would silently go wrong. A credit that would take the account or @funding there is refused before anything is
 * written (both ledgers).
 */
export function refuseOverflow(account: { name: string; balanceMicroUsd: number }, fundingBalanceMicroUsd: number, amountMicroUsd: number): void {
  if (Number.isSafeInteger(account.balanceMicroUsd + amountMicroUsd) && Number.isSafeInteger(fundingBalanceMicroUsd - amountMicroUsd)) return;
  throw new LedgerError('overflow', `a credit of ${amountMicroUsd} micro-USD would take the balance of "${account.name}" (${account.balanceMicroUsd}) or the funding total past the largest amount the ledger holds exactly (${Number.MAX_SAFE_INTEGER} micro-USD); nothing was written`);
}
