/** How a deposit appears in the ledger: its idempotency key and note (the same whichever database holds it). */
import type { DepositRow } from './deposit-store';

/** The ledger idempotency key of a deposit: chain id + tx hash + log index. */
export function depositKey(chainId: number, txHash: string, logIndex: number): string {
  return `chain:${chainId}:${txHash.toLowerCase()}:${logIndex}`;
}

/** The topup posting's note. */
export function depositNote(row: DepositRow): string {
  return `${row.tokenSymbol} deposit on chain ${row.chainId}, tx ${row.txHash} log ${row.logIndex}`;
}
