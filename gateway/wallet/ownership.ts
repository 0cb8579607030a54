/** Optional proof that a payer controls a wallet: an EIP-191 personal_sign message verified with viem. */
import { verifyMessage, type Address, type Hex } from 'viem';

/** The message a payer signs to prove they own `address` for `account` (the window shows it). */
export function ownershipMessage(account: string, address: Address): string {
  return `gogogoapi: I control ${address} and link it to account "${account}" for top-ups.`;
}

/** True if `signature` is `address`'s signature of `message` (EOA signatures; false on any malformed input). */
export async function verifyOwnership(address: Address, message: string, signature: Hex): Promise<boolean> {
  try {
    return await verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}
