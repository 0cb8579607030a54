/** One sync pass of one chain: read the head, scan new (and not-yet-final) blocks for Transfer logs, credit what is deep enough. */
import { getAddress, type Address } from 'viem';
import { rawToMicroUsd } from './amounts';
import type { ChainRow } from './chain-store';
import type { WalletContext } from './context';
import { verifyAndCredit } from './credit';
import { WalletError } from './errors';
import type { SeenTransfer } from './deposit-store';
import { TRANSFER_EVENT, decodeTransfer, isRangeTooLarge, type TransferLog } from './rpc';
import type { TokenConfig } from './types';

/** Per-chain memory across passes (the getLogs range that the RPC accepts). */
export interface ScanState { range: number; verifiedUrl?: string }

/**
 * Scans `chain` up to the current head. The cursor (last scanned block) is persisted after every range,
 * so a restart resumes where it stopped; each pass also rescans the blocks that were not yet final at
 * the previous cursor (depth − 1 of them), which catches transfers that a re-org moved into them.
 * Rows are unique on chain id + tx hash + log index, so rescanning never duplicates anything.
 */
export async function syncChain(ctx: WalletContext, chain: ChainRow, state: ScanState, stopped: () => boolean): Promise<void> {
  const client = ctx.client(chain.rpcUrl);
  const tokens = await ctx.chains.tokens(chain.chainId);
  if (state.verifiedUrl !== chain.rpcUrl) {
    const served = await client.getChainId();
    // A swapped RPC URL must not make another chain's transfers count here.
    if (served !== chain.chainId) throw new WalletError('rpc_error', `the RPC at ${chain.rpcUrl} serves chain ${served}, not chain ${chain.chainId}`);
    state.verifiedUrl = chain.rpcUrl;
  }
  const head = Number(await client.getBlockNumber());
  if (stopped()) return;
  let start = chain.startBlock;
  if (start == null) { start = head; await ctx.chains.setStart(chain.chainId, head); }
  const cursor = Math.min(chain.cursorBlock ?? start - 1, head);
  let from = Math.max(start, cursor - chain.confirmations + 2);
  let dbCursor = chain.cursorBlock;
  if (from > head || tokens.length === 0) {
    if (!(await ctx.chains.setProgress(chain.chainId, dbCursor, Math.max(cursor, from - 1), head, 'live'))) return;
    if (chain.headBlock !== head || chain.status !== 'live') ctx.changed();
  }
  // Bounded work per pass: while catching up from an old block, deep-enough deposits found so far are
  // credited between passes and the status shows honest progress.
  for (let ranges = 0; from <= head && tokens.length > 0 && ranges < ctx.rangesPerPass; ranges++) {
    if (stopped()) return;
    const to = Math.min(head, from + state.range - 1);
    let logs: TransferLog[];
    try {
      logs = await fetchTransfers(ctx, chain, tokens, from, to);
    } catch (err) {
      if (isRangeTooLarge(err) && state.range > 1) { state.range = Math.max(1, Math.floor(state.range / 2)); ranges--; continue; }
      throw err;
    }
    if (stopped()) return;
    const status = to >= head ? 'live' : 'syncing';
    const seen = logs.map((log) => toSeen(chain, tokens, log)).filter((t) => t !== null);
    const dirty = await ctx.store.recordRange(chain.chainId, dbCursor, head, status, seen, from, to);
    if (dirty === null) return; // reconfigured meanwhile: the next pass starts from the new cursor
    dbCursor = to;
    if (dirty || status === 'syncing' || chain.headBlock !== head || chain.status !== status) ctx.changed();
    from = to + 1;
  }
  for (const row of await ctx.deposits.due(chain.chainId, head - chain.confirmations + 1)) {
    if (stopped()) return;
    await verifyAndCredit(ctx, chain, row, head, stopped);
  }
}

async function fetchTransfers(ctx: WalletContext, chain: ChainRow, tokens: TokenConfig[], from: number, to: number): Promise<TransferLog[]> {
  // Filtered by the configured contracts and the treasury as `to`: transfers of any other contract (a
  // fake token calling itself USDC) are never even read.
  const logs = await ctx.client(chain.rpcUrl).getLogs({
    address: tokens.map((t) => t.contract), event: TRANSFER_EVENT, args: { to: chain.treasury },
    fromBlock: BigInt(from), toBlock: BigInt(to), strict: true,
  });
  return logs.map((l) => decodeTransfer(l)).filter((t): t is TransferLog => t !== null);
}

/** A Transfer log as a deposit, or null when it does not count (other contract or recipient, zero value). */
export function toSeen(chain: { chainId: number; treasury: Address }, tokens: TokenConfig[], log: TransferLog): SeenTransfer | null {
  const token = tokens.find((t) => t.contract.toLowerCase() === log.contract.toLowerCase());
  if (!token || log.to.toLowerCase() !== chain.treasury.toLowerCase()) return null;
  const micro = rawToMicroUsd(log.value, token.decimals);
  // Zero-value transfers (and pure sub-micro dust) are ignored: they credit nothing and are the usual
  // address-poisoning spam, which would otherwise clutter the unassigned list.
  if (micro === 0n || micro > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return {
    chainId: chain.chainId, txHash: log.txHash, logIndex: log.logIndex, blockNumber: log.blockNumber, blockHash: log.blockHash,
    fromAddress: getAddress(log.from), tokenSymbol: token.symbol, tokenContract: token.contract, amountRaw: log.value.toString(), amountMicroUsd: Number(micro),
  };
}
