/**
 * Proof that a payer controls a wallet: an EIP-191 personal_sign message, verified with viem. The message is
 * issued by this gateway for one account, one address and one chain, with a single-use nonce that expires, and
 * must come back exactly as issued: no substring matching, no replay, no signature made for another site.
 */
import { randomBytes } from 'node:crypto';
import { verifyMessage, type Address, type Hex } from 'viem';

/** How long an issued message can be signed and redeemed. */
export const CHALLENGE_TTL_MS = 15 * 60_000;

export interface OwnershipChallenge { account: string; address: Address; chainId: number; nonce: string; issuedAt: number; expiresAt: number }

/** A fresh challenge (128-bit random nonce). */
export function newChallenge(account: string, address: Address, chainId: number, now: number): OwnershipChallenge {
  return { account, address, chainId, nonce: randomBytes(16).toString('hex'), issuedAt: now, expiresAt: now + CHALLENGE_TTL_MS };
}

/** The exact text a payer signs; the first line names this service (the domain), the rest the binding. */
export function ownershipMessage(c: OwnershipChallenge): string {
  return [
    'gogogoapi gateway: link a payer wallet',
    '',
    `I control ${c.address} and link it to account "${c.account}" for stablecoin top-ups.`,
    '',
    `Account: ${c.account}`,
    `Address: ${c.address}`,
    `Chain ID: ${c.chainId}`,
    `Nonce: ${c.nonce}`,
    `Issued At: ${new Date(c.issuedAt).toISOString()}`,
    `Expiration Time: ${new Date(c.expiresAt).toISOString()}`,
  ].join('\n');
}

/** The nonce a signed message claims to answer, if it has the shape of ours. */
export function messageNonce(message: string): string | null {
  return /^Nonce: ([0-9a-f]{32})$/m.exec(message)?.[1] ?? null;
}

/** True if `signature` is `address`'s signature of `message` (EOA signatures; false on any malformed input). */
export async function verifyOwnership(address: Address, message: string, signature: Hex): Promise<boolean> {
  try {
    return await verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}
