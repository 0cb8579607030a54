/** Crediting a deposit: verify it is still on the canonical chain at depth, then one idempotent ledger posting. */
import type { Hex } from 'viem';
import { formatUsd } from '../billing/money';
import type { ChainRow } from './chain-store';
import type { WalletContext } from './context';
import type { DepositRow } from './deposit-store';

export { depositKey } from './deposit-key';

/** 'refused': the ledger would not take it (the balance would pass 2^53 − 1 micro-USD); it stays uncredited, and the operator is told. */
export type CreditOutcome = 'credited' | 'already' | 'waiting' | 'dropped' | 'refused';

/**
 * Credits an assigned deposit if it has `chain.confirmations` confirmations at `head` AND its block is still
 * canonical. Why the block-hash check: a log seen in block B (hash H) is on the chain exactly when block B
 * still has hash H; a re-org before depth replaces the block, and the deposit is dropped, never credited.
 */
export async function verifyAndCredit(ctx: WalletContext, chain: ChainRow, row: DepositRow, head: number, stopped: () => boolean = () => false): Promise<CreditOutcome> {
  if (row.status !== 'pending' || row.accountId == null) return row.status === 'credited' ? 'already' : 'waiting';
  if (head - row.blockNumber + 1 < chain.confirmations) return 'waiting';
  // Only configured token contracts count: a token removed from the chain's config credits nothing more.
  if (!(await ctx.chains.tokens(chain.chainId)).some((t) => t.contract.toLowerCase() === row.tokenContract.toLowerCase())) return 'waiting';
  const block = await ctx.client(chain.rpcUrl).getBlock({ blockNumber: BigInt(row.blockNumber) }).catch((e: Error) => {
    if (e.name === 'BlockNotFoundError') return null;
    throw e;
  });
  if (stopped()) return 'waiting';
  if (!block || block.hash !== row.blockHash) {
    // Re-orged away. If the same transaction was re-mined, the scan records it again at its new position.
    if (await ctx.deposits.drop(row.id)) ctx.changed();
    return 'dropped';
  }
  return creditRow(ctx, row.id);
}

/** Posts the topup and marks the deposit credited in one transaction (the store's). Safe to race: the ledger key is unique. */
export async function creditRow(ctx: WalletContext, depositId: number): Promise<CreditOutcome> {
  let result;
  try {
    result = await ctx.store.creditDeposit(depositId);
  } catch (err) {
    if ((err as { code?: string }).code !== 'overflow') throw err;
    // The posting was refused and the transaction rolled back: the deposit stays pending (uncredited), the watcher
    // goes on with the chain's other deposits, and the operator is told once per deposit and process.
    if (!ctx.refused.has(depositId)) {
      ctx.refused.add(depositId);
      const row = (await ctx.deposits.byId(depositId))!;
      ctx.alert('deposit_refused', `${formatUsd(row.amountMicroUsd)} (${row.tokenSymbol}) from ${row.fromAddress} was NOT credited — chain ${row.chainId}, tx ${short(row.txHash)}: ${(err as Error).message}`);
    }
    return 'refused';
  }
  if (!result) return 'waiting';
  if (!result.duplicate) {
    const account = (await ctx.ledger.account(result.row.accountId!))?.name ?? `#${result.row.accountId}`;
    ctx.alert('deposit_credited', `${formatUsd(result.row.amountMicroUsd)} (${result.row.tokenSymbol}) credited to ${account} from ${result.row.fromAddress} — chain ${result.row.chainId}, tx ${short(result.row.txHash)}`);
  }
  ctx.changed();
  return result.duplicate ? 'already' : 'credited';
}

function short(h: Hex): string { return `${h.slice(0, 10)}…${h.slice(-6)}`; }
