/** Deposit instructions for the window: treasury, token contract and an EIP-681 payment request (QR content). */
import { microUsdToRaw } from './amounts';
import type { ChainRow } from './chain-store';
import { WalletError } from './errors';
import type { DepositRequest, TokenConfig } from './types';

/** Builds `ethereum:<contract>@<chainId>/transfer?address=<treasury>[&uint256=<raw>]` for `symbol` on `chain`. */
export function buildDepositRequest(chain: ChainRow, tokens: TokenConfig[], symbol: string, amountMicroUsd?: number): DepositRequest {
  const token = tokens.find((t) => t.symbol.toLowerCase() === symbol.toLowerCase());
  if (!token) throw new WalletError('unknown_token', `${symbol} is not configured on chain ${chain.chainId} (configured: ${tokens.map((t) => t.symbol).join(', ') || 'none'})`);
  if (amountMicroUsd != null && (!Number.isSafeInteger(amountMicroUsd) || amountMicroUsd <= 0)) throw new WalletError('invalid', 'amount must be a positive integer of micro-USD');
  const raw = amountMicroUsd == null ? null : microUsdToRaw(BigInt(amountMicroUsd), token.decimals);
  const eip681 = `ethereum:${token.contract}@${chain.chainId}/transfer?address=${chain.treasury}${raw == null ? '' : `&uint256=${raw}`}`;
  return {
    chainId: chain.chainId, chainName: chain.name, symbol: token.symbol, treasury: chain.treasury, contract: token.contract, decimals: token.decimals,
    amountMicroUsd: amountMicroUsd ?? null, amountRaw: raw == null ? null : raw.toString(), eip681,
  };
}
