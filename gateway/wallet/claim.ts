/** Claiming a deposit by tx hash: the receipt is verified on chain before anything is credited. */
import type { Hex, TransactionReceipt } from 'viem';
import type { ChainRow } from './chain-store';
import type { WalletContext } from './context';
import { creditRow } from './credit';
import { WalletError } from './errors';
import { decodeTransfer, rpcErrorMessage, type TransferLog } from './rpc';
import { toSeen } from './scan';

/** The deposits a claim verified (ids), and whether any of them was newly credited. */
export interface ClaimOutcome { depositIds: number[]; creditedMicroUsd: number; alreadyCredited: boolean }

/**
 * Verifies tx `txHash` on `chain` (success, Transfer logs of configured token contracts to the treasury,
 * at depth, in a canonical block) and credits each such transfer to `accountId`, idempotently.
 */
export async function claimTx(ctx: WalletContext, chain: ChainRow, txHash: Hex, accountId: number): Promise<ClaimOutcome> {
  const client = ctx.client(chain.rpcUrl);
  // A swapped or mistyped RPC URL must not make another chain's transaction count here (the watcher checks too).
  const served = await client.getChainId().catch((e: Error) => { throw new WalletError('rpc_error', `cannot reach ${chain.rpcUrl}: ${rpcErrorMessage(e)}`); });
  if (served !== chain.chainId) throw new WalletError('rpc_error', `the RPC at ${chain.rpcUrl} serves chain ${served}, not chain ${chain.chainId}; nothing was credited`);
  const receipt = await client.getTransactionReceipt({ hash: txHash }).catch((e: Error) => {
    if (e.name === 'TransactionReceiptNotFoundError') throw new WalletError('not_found', `transaction ${txHash} is not mined on chain ${chain.chainId} (unknown, still pending, or on another chain)`);
    throw new WalletError('rpc_error', `cannot read the receipt from ${chain.rpcUrl}: ${rpcErrorMessage(e)}`);
  });
  if (receipt.status !== 'success') throw new WalletError('tx_failed', `transaction ${txHash} failed on chain (reverted): it moved no tokens`);
  const tokens = await ctx.chains.tokens(chain.chainId);
  const transfers = receipt.logs.map((l) => decodeTransfer({ ...l, removed: false } as never)).filter((t): t is TransferLog => t !== null);
  const seen = transfers.map((t) => toSeen(chain, tokens, t)).filter((t) => t !== null);
  if (seen.length === 0) throw explainNoMatch(chain, transfers, tokens, txHash);
  for (const t of seen) {
    // A linked payer's deposits belong to its account: a claim naming another account contradicts the link.
    const linked = (await ctx.links.get(t.fromAddress))?.accountId ?? null;
    if (linked != null && linked !== accountId) {
      throw new WalletError('conflict', `transfer ${t.txHash} log ${t.logIndex} comes from ${t.fromAddress}, which is linked to account ${(await ctx.ledger.account(linked))?.name ?? `#${linked}`}; its deposits go there (unlink it first to claim it elsewhere)`);
    }
  }

  const head = Number(await client.getBlockNumber().catch((e: Error) => { throw new WalletError('rpc_error', `cannot read the head from ${chain.rpcUrl}: ${rpcErrorMessage(e)}`); }));
  const confirmations = head - Number(receipt.blockNumber) + 1;
  if (confirmations < chain.confirmations) {
    throw new WalletError('not_confirmed', `transaction ${txHash} has ${Math.max(0, confirmations)} of ${chain.confirmations} confirmations; claim again once block ${Number(receipt.blockNumber) + chain.confirmations - 1} exists`);
  }
  await assertCanonical(ctx, chain, receipt);

  const ids = await ctx.store.recordClaim(chain.chainId, seen, accountId);
  let credited = 0;
  let already = true;
  const refused: number[] = [];
  for (const id of ids) {
    const outcome = await creditRow(ctx, id);
    if (outcome === 'credited') { credited += (await ctx.deposits.byId(id))!.amountMicroUsd; already = false; }
    if (outcome === 'refused') refused.push((await ctx.deposits.byId(id))!.logIndex);
  }
  ctx.changed();
  if (refused.length > 0) {
    const name = (await ctx.ledger.account(accountId))?.name ?? `#${accountId}`;
    throw new WalletError('refused', `transfer(s) ${txHash} log ${refused.join(', ')} were NOT credited: the balance of ${name} would pass the largest amount the ledger holds exactly (2^53 − 1 micro-USD); they stay pending${credited > 0 ? ` (the tx's other transfers, ${credited} micro-USD, were credited)` : ''}`);
  }
  return { depositIds: ids, creditedMicroUsd: credited, alreadyCredited: already };
}

async function assertCanonical(ctx: WalletContext, chain: ChainRow, receipt: TransactionReceipt): Promise<void> {
  const block = await ctx.client(chain.rpcUrl).getBlock({ blockNumber: receipt.blockNumber }).catch(() => null);
  if (!block || block.hash !== receipt.blockHash) throw new WalletError('not_confirmed', `block ${receipt.blockNumber} of transaction ${receipt.transactionHash} is being re-organised; try again shortly`);
}

function explainNoMatch(chain: ChainRow, transfers: TransferLog[], tokens: Array<{ symbol: string; contract: string }>, txHash: Hex): WalletError {
  const treasury = chain.treasury.toLowerCase();
  const configured = (c: string) => tokens.some((t) => t.contract.toLowerCase() === c.toLowerCase());
  const list = tokens.map((t) => `${t.symbol} ${t.contract}`).join(', ');
  const foreign = transfers.find((t) => t.to.toLowerCase() === treasury && !configured(t.contract));
  if (foreign) return new WalletError('unknown_token', `transaction ${txHash} pays the treasury with token contract ${foreign.contract}, which is not configured on chain ${chain.chainId} (configured: ${list})`);
  const elsewhere = transfers.find((t) => configured(t.contract) && t.to.toLowerCase() !== treasury);
  if (elsewhere) return new WalletError('wrong_recipient', `transaction ${txHash} sends ${tokens.find((t) => t.contract.toLowerCase() === elsewhere.contract.toLowerCase())!.symbol} to ${elsewhere.to}, not to the treasury ${chain.treasury}`);
  if (transfers.some((t) => t.to.toLowerCase() === treasury)) return new WalletError('invalid', `transaction ${txHash} pays the treasury a zero amount`);
  return new WalletError('not_found', `transaction ${txHash} contains no token transfer to the treasury ${chain.treasury} on chain ${chain.chainId}`);
}
