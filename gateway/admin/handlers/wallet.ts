/** Wallet: chains, deposits (list, assign, claim), payer links and deposit requests, over gateway/wallet. */
import type { Hex } from 'viem';
import type { Deps, Handlers } from './types';

type WalletHandlers = Pick<Handlers, 'listChains' | 'setChain' | 'listDeposits' | 'assignDeposit' | 'claimDeposit' | 'walletChallenge' | 'linkWallet' | 'unlinkWallet' | 'listLinkedWallets' | 'depositRequest'>;

/** Handlers for the Wallet screen. WalletError codes pass through to `{ok:false, code, message}` (service.ts). */
export function walletHandlers({ core }: Deps): WalletHandlers {
  const w = () => core.wallet();
  return {
    listChains: async () => (await w()).listChains(),
    setChain: async (input) => (await w()).setChain(input),
    listDeposits: async (filter) => (await w()).listDeposits(filter),
    assignDeposit: async ({ chainId, txHash, logIndex, account }) => (await w()).assign(chainId, txHash, logIndex, account),
    claimDeposit: async ({ chainId, txHash, account }) => (await w()).claim(chainId, txHash, account),
    walletChallenge: async ({ account, address, chainId }) => (await w()).ownershipChallenge(account, address, chainId),
    linkWallet: async ({ account, address, proof }) => (await w()).linkWallet(account, address, proof && { message: proof.message, signature: proof.signature as Hex }),
    unlinkWallet: async ({ address }) => { await (await w()).unlinkWallet(address); return { address }; },
    listLinkedWallets: async ({ account }) => (await w()).listLinkedWallets(account),
    depositRequest: async ({ chainId, symbol, amountMicroUsd }) => (await w()).depositRequest(chainId, symbol, amountMicroUsd),
  };
}
