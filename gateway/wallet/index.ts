/** gateway/wallet: USDC/USDT top-ups detected on EVM chains with viem and credited exactly once. */
import { Wallet, type SqliteWalletDeps, type StoreWalletDeps } from './wallet';

export { Wallet, type WalletDeps, type WalletOptions, type WalletMode, type SqliteWalletDeps, type StoreWalletDeps } from './wallet';
export type { WalletStore } from './store';
export { PgWalletStore } from './pg-store';
/** A wallet on either store, as a core holds it: SQLite's reads answer at once, PostgreSQL's with promises (callers await). */
export type AnyWallet = Wallet | Wallet<'async'>;
export { WalletError, type WalletErrorCode } from './errors';
export { rawToMicroUsd, microUsdToRaw } from './amounts';
export { knownChains, knownChain, type CatalogChain, type CatalogToken } from './catalog';
export { ownershipMessage, verifyOwnership, CHALLENGE_TTL_MS, type OwnershipChallenge } from './ownership';
export { depositKey } from './credit';
export type * from './types';

/**
 * Builds the wallet on the core's database and ledger. The watcher starts only with `start()`. On SQLite its reads
 * answer at once; on another store (PostgreSQL: `PgWalletStore`) with promises.
 */
export function createWallet(deps: SqliteWalletDeps): Wallet;
export function createWallet(deps: StoreWalletDeps): Wallet<'async'>;
export function createWallet(deps: SqliteWalletDeps | StoreWalletDeps): Wallet | Wallet<'async'> {
  return new Wallet(deps);
}
