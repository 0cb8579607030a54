/** Validating a `chain set`: defaults from the catalog, address checks, decimals, and RPC probes. */
import { getAddress, isAddress, zeroAddress, type Address } from 'viem';
import { knownChain, knownToken } from './catalog';
import type { WalletContext } from './context';
import { WalletError } from './errors';
import { ERC20_DECIMALS_ABI, rpcErrorMessage } from './rpc';
import type { SetChainInput, TokenConfig } from './types';

/** A validated chain configuration, ready to save. */
export interface PreparedChain {
  chainId: number; name: string; rpcUrl: string; treasury: Address; confirmations: number; tokens: TokenConfig[];
  startBlock: number | null; resetCursor: boolean; warnings: string[];
}

/** Parses an address with a clear error (mixed case must carry a valid EIP-55 checksum: it catches typos). */
export function parseAddress(what: string, value: string): Address {
  const v = value.trim();
  if (!isAddress(v)) throw new WalletError('invalid', `${what} "${value}" is not a valid address${/^0x[0-9a-fA-F]{40}$/.test(v) ? ' (bad EIP-55 checksum: check for a typo, or write it all lowercase)' : ''}`);
  return getAddress(v);
}

/** Merges the input with the existing row and the catalog, validates it, and probes the RPC when it answers. */
export async function prepareChain(ctx: WalletContext, input: SetChainInput): Promise<PreparedChain> {
  const { chainId } = input;
  if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new WalletError('invalid', `chain id must be a positive integer, got ${chainId}`);
  const existing = await ctx.chains.get(chainId);
  const known = knownChain(chainId);
  const warnings: string[] = [];
  const rpcUrl = (input.rpcUrl ?? existing?.rpcUrl ?? known?.rpcUrl)?.trim();
  if (!rpcUrl) throw new WalletError('invalid', `chain ${chainId} is not in the catalog: --rpc-url is required`);
  if (!/^https?:\/\/[^\s]+$/.test(rpcUrl) || !URL.canParse(rpcUrl)) throw new WalletError('invalid', `RPC URL "${rpcUrl}" must be an http:// or https:// URL`);
  const treasuryRaw = input.treasury ?? existing?.treasury;
  if (!treasuryRaw) throw new WalletError('invalid', '--treasury ADDRESS is required (the address that receives deposits)');
  const treasury = parseAddress('treasury', treasuryRaw);
  if (treasury === zeroAddress) throw new WalletError('invalid', 'the treasury cannot be the zero address');
  const confirmations = input.confirmations ?? existing?.confirmations ?? known?.confirmations;
  if (confirmations == null) throw new WalletError('invalid', `chain ${chainId} is not in the catalog: --confirmations N is required`);
  if (!Number.isSafeInteger(confirmations) || confirmations < 1 || confirmations > 10_000) throw new WalletError('invalid', `confirmations must be an integer from 1 to 10000, got ${confirmations}`);
  if (input.fromBlock != null && (!Number.isSafeInteger(input.fromBlock) || input.fromBlock < 0)) throw new WalletError('invalid', `from-block must be a block number, got ${input.fromBlock}`);

  const client = ctx.client(rpcUrl);
  let reachable = true;
  let head: number | null = null;
  try {
    const served = await client.getChainId();
    // A wrong RPC URL would credit transfers of some other chain as if they happened here.
    if (served !== chainId) throw new WalletError('invalid', `the RPC at ${rpcUrl} serves chain ${served}, not chain ${chainId}`);
    head = Number(await client.getBlockNumber());
  } catch (e) {
    if (e instanceof WalletError) throw e;
    reachable = false;
    warnings.push(`could not reach ${rpcUrl} (${rpcErrorMessage(e)}); saved anyway, the watcher retries`);
  }

  const wanted = input.tokens ?? (existing ? await ctx.chains.tokens(chainId) : known?.tokens);
  if (!wanted || wanted.length === 0) throw new WalletError('invalid', `chain ${chainId} is not in the catalog: give at least one --token SYMBOL=CONTRACT[:DECIMALS]`);
  const tokens: TokenConfig[] = [];
  for (const t of wanted) {
    if (!/^[A-Za-z0-9._-]{1,16}$/.test(t.symbol)) throw new WalletError('invalid', `token symbol "${t.symbol}" must be 1-16 letters, digits, '.', '_' or '-'`);
    const contract = parseAddress(`${t.symbol} contract`, t.contract);
    if (tokens.some((x) => x.symbol.toLowerCase() === t.symbol.toLowerCase())) throw new WalletError('invalid', `token symbol ${t.symbol} is given twice`);
    if (tokens.some((x) => x.contract === contract)) throw new WalletError('invalid', `contract ${contract} is given twice`);
    if (contract === treasury) throw new WalletError('invalid', `${t.symbol} contract equals the treasury address`);
    tokens.push({ symbol: t.symbol, contract, decimals: await resolveDecimals(client, chainId, t.symbol, contract, t.decimals, reachable) });
  }
  const resetCursor = input.fromBlock != null;
  const startBlock = resetCursor ? input.fromBlock! : existing ? existing.startBlock : head;
  return { chainId, name: input.name ?? existing?.name ?? known?.name ?? `Chain ${chainId}`, rpcUrl, treasury, confirmations, tokens, startBlock, resetCursor, warnings };
}

async function resolveDecimals(client: ReturnType<WalletContext['client']>, chainId: number, symbol: string, contract: Address, given: number | undefined, reachable: boolean): Promise<number> {
  if (given != null && (!Number.isInteger(given) || given < 0 || given > 36)) throw new WalletError('invalid', `${symbol} decimals must be an integer 0..36, got ${given}`);
  const catalog = knownToken(chainId, contract)?.decimals;
  // Wrong decimals would mis-credit by powers of ten: refuse a value that contradicts the catalog or the chain.
  if (given != null && catalog != null && given !== catalog) throw new WalletError('invalid', `${symbol} (${contract}) has ${catalog} decimals on chain ${chainId}, not ${given}`);
  let onChain: number | null = null;
  if (reachable) {
    onChain = await client.readContract({ address: contract, abi: ERC20_DECIMALS_ABI, functionName: 'decimals' }).then(Number, () => null);
  }
  if (given != null && onChain != null && given !== onChain) throw new WalletError('invalid', `${symbol} (${contract}) reports ${onChain} decimals on chain, not ${given}`);
  const d = given ?? catalog ?? onChain;
  if (d == null) throw new WalletError('invalid', `cannot tell the decimals of ${symbol} (${contract})${reachable ? ': its decimals() call failed (is it an ERC-20 on this chain?)' : ': the RPC is unreachable'}; give ${symbol}=${contract}:DECIMALS`);
  return d;
}
