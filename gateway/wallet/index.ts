/** gateway/wallet: USDC/USDT top-ups detected on EVM chains with viem and credited exactly once. */
import { Wallet, type WalletDeps } from './wallet';

export { Wallet, type WalletDeps } from './wallet';
export { WalletError, type WalletErrorCode } from './errors';
export { rawToMicroUsd, microUsdToRaw } from './amounts';
export { knownChains, knownChain, type CatalogChain, type CatalogToken } from './catalog';
export { ownershipMessage, verifyOwnership, CHALLENGE_TTL_MS, type OwnershipChallenge } from './ownership';
export { depositKey } from './credit';
export type * from './types';

/** Builds the wallet on the core's database and ledger. The watcher starts only with `start()`. */
export function createWallet(deps: WalletDeps): Wallet {
  return new Wallet(deps);
}
