/**
 * Exact conversion between token base units and micro-USD (1e-6 USD), with BigInt only.
 * Every configured token is a USD stablecoin credited at 1 token = 1 USD.
 */
import { WalletError } from './errors';

const MICRO_DECIMALS = 6;

/**
 * Token base units → micro-USD. 6 decimals map 1:1; more decimals (BNB Chain's 18) divide by 10^(d−6)
 * and round DOWN: sub-micro dust is never credited, so a payer is never credited more than they sent
 * (the exact raw amount is kept on the deposit row). Fewer decimals multiply exactly.
 */
export function rawToMicroUsd(raw: bigint, decimals: number): bigint {
  checkDecimals(decimals);
  if (raw < 0n) throw new WalletError('invalid', 'a token amount cannot be negative');
  if (decimals >= MICRO_DECIMALS) return raw / 10n ** BigInt(decimals - MICRO_DECIMALS);
  return raw * 10n ** BigInt(MICRO_DECIMALS - decimals);
}

/** micro-USD → token base units (exact for decimals ≥ 6; rounds up below 6 so the payer never sends too little). */
export function microUsdToRaw(microUsd: bigint, decimals: number): bigint {
  checkDecimals(decimals);
  if (microUsd < 0n) throw new WalletError('invalid', 'an amount cannot be negative');
  if (decimals >= MICRO_DECIMALS) return microUsd * 10n ** BigInt(decimals - MICRO_DECIMALS);
  const unit = 10n ** BigInt(MICRO_DECIMALS - decimals);
  return (microUsd + unit - 1n) / unit;
}

/** A micro-USD bigint as a JS number for the ledger, refusing amounts a double cannot hold exactly. */
export function microUsdNumber(microUsd: bigint): number {
  if (microUsd > BigInt(Number.MAX_SAFE_INTEGER)) throw new WalletError('invalid', `amount ${microUsd} micro-USD is too large to credit`);
  return Number(microUsd);
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) throw new WalletError('invalid', `token decimals must be an integer 0..36, got ${decimals}`);
}
