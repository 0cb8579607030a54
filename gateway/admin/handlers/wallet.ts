/** Wallet: chains, deposits (list, assign, claim), payer links and deposit requests, over gateway/wallet. */
import type { Hex } from 'viem';
import type { Deps, Handlers } from './types';

type WalletHandlers = Pick<Handlers, 'listChains' | 'setChain' | 'listDeposits' | 'assignDeposit' | 'claimDeposit' | 'linkWallet' | 'unlinkWallet' | 'listLinkedWallets' | 'depositRequest'>;

/** Handlers for the Wallet screen. WalletError codes pass through to `{ok:false, code, message}` (service.ts). */
export function walletHandlers({ core }: Deps): WalletHandlers {
  const w = core.wallet;
  return {
    listChains: () => w.listChains(),
    setChain: (input) => w.setChain(input),
    listDeposits: (filter) => w.listDeposits(filter),
    assignDeposit: ({ chainId, txHash, logIndex, account }) => w.assign(chainId, txHash, logIndex, account),
    claimDeposit: ({ chainId, txHash, account }) => w.claim(chainId, txHash, account),
    linkWallet: ({ account, address, proof }) => w.linkWallet(account, address, proof && { message: proof.message, signature: proof.signature as Hex }),
    unlinkWallet: ({ address }) => { w.unlinkWallet(address); return { address }; },
    listLinkedWallets: ({ account }) => w.listLinkedWallets(account),
    depositRequest: ({ chainId, symbol, amountMicroUsd }) => w.depositRequest(chainId, symbol, amountMicroUsd),
  };
}
