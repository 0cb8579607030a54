/** The shipped chain catalog (resources/chains.json): known chains, default RPC URLs, depths and official tokens. */
import fs from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../paths';

export interface CatalogToken { symbol: string; contract: `0x${string}`; decimals: number; issuer?: string }
export interface CatalogChain { chainId: number; name: string; rpcUrl: string; confirmations: number; explorer?: string; tokens: CatalogToken[] }

let cached: CatalogChain[] | null = null;

/** All known chains (read once from resources/chains.json). */
export function knownChains(): CatalogChain[] {
  cached ??= (JSON.parse(fs.readFileSync(path.join(resourcesDir(), 'chains.json'), 'utf8')) as { chains: CatalogChain[] }).chains;
  return cached;
}

/** The catalog entry for a chain id, if it is a known chain. */
export function knownChain(chainId: number): CatalogChain | undefined {
  return knownChains().find((c) => c.chainId === chainId);
}

/** The catalog token with this contract on this chain, if any. */
export function knownToken(chainId: number, contract: string): CatalogToken | undefined {
  return knownChain(chainId)?.tokens.find((t) => t.contract.toLowerCase() === contract.toLowerCase());
}
