/**
 * Decides when an account's available credit has just run low. Only a downward crossing of the threshold
 * notifies (once), and rising back above it re-arms, so a busy account does not spam the desktop.
 */
export interface AccountBalance { id: number; name: string; availableMicroUsd: number }

/** $1.00: below this an account is a few requests away from 402s. */
export const LOW_BALANCE_MICRO_USD = 1_000_000;

/** Remembers each account's side of the threshold; `check` returns the accounts that just crossed below. */
export class LowBalanceWatch {
  private readonly low = new Map<number, boolean>();
  constructor(private readonly thresholdMicroUsd = LOW_BALANCE_MICRO_USD) {}

  /** Accounts that were above the threshold on the previous check and are below it now. */
  check(accounts: AccountBalance[]): AccountBalance[] {
    const crossed: AccountBalance[] = [];
    for (const a of accounts) {
      const isLow = a.availableMicroUsd < this.thresholdMicroUsd;
      const wasLow = this.low.get(a.id);
      // First sight only records the state: starting the app must not re-announce an old low balance.
      if (wasLow === false && isLow) crossed.push(a);
      this.low.set(a.id, isLow);
    }
    return crossed;
  }
}
