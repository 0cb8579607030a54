/** Public types of the wallet module (the admin window and the CLI use these). */
import type { Address, Hex } from 'viem';

/** 'idle' never polled yet; 'syncing' catching up (cursor behind head); 'live' caught up; 'error' last poll failed. */
export type ChainStatus = 'idle' | 'syncing' | 'live' | 'error' | 'disabled';
/** 'unassigned' waits for an account; 'pending' has an account and waits for depth; 'dropped' re-orged away (never credited). */
export type DepositStatus = 'pending' | 'credited' | 'unassigned' | 'dropped';

export interface TokenConfig { symbol: string; contract: Address; decimals: number }

export interface ChainInfo {
  chainId: number; name: string; rpcUrl: string; treasury: Address; confirmations: number; enabled: boolean;
  tokens: TokenConfig[];
  status: ChainStatus; lastError: string | null;
  startBlock: number | null; cursorBlock: number | null; headBlock: number | null;
  /** Catch-up progress: blocks scanned since startBlock out of blocks up to head (percent 0..100, null before the first poll). */
  progress: { scannedBlocks: number; totalBlocks: number; behindBlocks: number; percent: number } | null;
  updatedAt: number;
}

export interface SetChainInput {
  chainId: number;
  /** Defaults to the catalog's suggestion for known chains; required for custom chains. */
  rpcUrl?: string;
  treasury?: string;
  /** Replaces the token list. Decimals default to the catalog's (known contracts) or are read on chain. */
  tokens?: Array<{ symbol: string; contract: string; decimals?: number }>;
  confirmations?: number;
  name?: string;
  /** Scan from this block (a fresh chain otherwise starts at the head when configured). Resets the cursor. */
  fromBlock?: number;
}

export interface DepositView {
  chainId: number; txHash: Hex; logIndex: number; from: Address;
  /** The configured symbol. */
  token: string; tokenContract: Address; amountRaw: string; amountMicroUsd: number;
  confirmations: number; requiredConfirmations: number; status: DepositStatus;
  /** Account name; null while unassigned. */
  account: string | null;
  blockNumber: number; seenAt: number; creditedAt: number | null;
}

export interface DepositFilter { status?: DepositStatus | DepositStatus[]; account?: string; chainId?: number; limit?: number }

export interface LinkedWallet { address: Address; account: string; verified: boolean; createdAt: number }

export interface ClaimResult { deposits: DepositView[]; creditedMicroUsd: number; alreadyCredited: boolean }

export interface DepositRequest {
  chainId: number; chainName: string; symbol: string; treasury: Address; contract: Address; decimals: number;
  amountMicroUsd: number | null; amountRaw: string | null;
  /** EIP-681 payment request for the token transfer (QR code content). */
  eip681: string;
}
