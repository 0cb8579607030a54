/** viem plumbing: one public client per RPC URL, the ERC-20 Transfer event, and RPC error helpers. */
import { createPublicClient, decodeEventLog, getAddress, http, parseAbiItem, type Address, type Hex, type Log, type PublicClient } from 'viem';

/** The ERC-20 Transfer event; only logs from configured token contracts are ever considered. */
export const TRANSFER_EVENT = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
export const ERC20_DECIMALS_ABI = [parseAbiItem('function decimals() view returns (uint8)')] as const;

/**
 * A public client over HTTP with a timeout. No viem retries and no caching: the watcher owns backoff,
 * and a cached block number would hide new blocks.
 */
export function makeClient(rpcUrl: string, timeoutMs = 10_000): PublicClient {
  return createPublicClient({ transport: http(rpcUrl, { timeout: timeoutMs, retryCount: 0 }), cacheTime: 0 });
}

/** A decoded Transfer log. */
export interface TransferLog { contract: Address; from: Address; to: Address; value: bigint; logIndex: number; blockNumber: number; blockHash: Hex; txHash: Hex }

/** Decodes a raw log if it is an ERC-20 Transfer (three topics: signature, from, to); otherwise null. */
export function decodeTransfer(log: Log): TransferLog | null {
  if (log.topics.length !== 3 || log.blockNumber == null || log.blockHash == null || log.transactionHash == null || log.logIndex == null) return null;
  try {
    const { args } = decodeEventLog({ abi: [TRANSFER_EVENT], data: log.data, topics: log.topics, strict: true });
    return {
      contract: getAddress(log.address), from: getAddress(args.from), to: getAddress(args.to), value: args.value,
      logIndex: Number(log.logIndex), blockNumber: Number(log.blockNumber), blockHash: log.blockHash, txHash: log.transactionHash.toLowerCase() as Hex,
    };
  } catch {
    return null;
  }
}

/** True when a getLogs failure means "ask for fewer blocks" (providers word it in many ways). */
export function isRangeTooLarge(err: unknown): boolean {
  const text = errorText(err).toLowerCase();
  return /range|too many|limit exceeded|exceed|block range|query returned more than|response size|10000 results/.test(text) && !/econnrefused|fetch failed|timed? ?out/.test(text);
}

/** A one-line message for an RPC failure: what failed, where, and the lowest-level cause (ECONNREFUSED, ...). */
export function rpcErrorMessage(err: unknown): string {
  const e = err as { shortMessage?: string; details?: string; message?: string; url?: string };
  let main = (e.shortMessage ?? e.message ?? String(err)).replace(/\.$/, '');
  type Cause = { message?: string; code?: string; cause?: Cause };
  let root = err as Cause | undefined;
  for (let i = 0; i < 6 && root?.cause; i++) root = root.cause;
  const cause = root && root !== err ? (root.message ?? root.code ?? '') : e.details ?? '';
  if (e.url && !main.includes(e.url)) main += ` (${e.url})`;
  return `${main}${cause && !main.includes(cause) ? `: ${cause}` : ''}`.replace(/\s+/g, ' ').slice(0, 400);
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  let e = err as { shortMessage?: string; details?: string; message?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++, e = e.cause as typeof e) parts.push(e.shortMessage ?? '', e.details ?? '', e.message ?? '');
  return parts.join(' ');
}
