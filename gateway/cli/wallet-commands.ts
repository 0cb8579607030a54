/** The top-up commands of `gogogo` (DESIGN.md, Top-ups): chains, payer wallets, deposits. None starts the watcher. */
import type { Hex } from 'viem';
import { CliError, type Command } from './command';
import { formatUsd, parseUsdToMicro } from '../billing/money';
import { table } from './table';
import { WalletError } from '../wallet/errors';
import type { DepositStatus, DepositView } from '../wallet';


function int(what: string, raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) throw new CliError(`${what} must be a non-negative integer, got "${raw}"`);
  return Number(raw);
}

/** SYMBOL=CONTRACT[:DECIMALS] */
function parseToken(spec: string): { symbol: string; contract: string; decimals?: number } {
  const m = /^([^=\s]+)=(0x[0-9a-fA-F]*)(?::(\d+))?$/.exec(spec.trim());
  if (!m) throw new CliError(`--token "${spec}" must look like SYMBOL=CONTRACT[:DECIMALS], e.g. USDC=0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48:6`);
  return { symbol: m[1], contract: m[2], decimals: m[3] == null ? undefined : Number(m[3]) };
}

/** Wallet input errors are bad command lines (exit 2); other wallet errors are failures (exit 1). */
function badInput<T extends Command>(cmd: T): T {
  return {
    ...cmd,
    async run(ctx, args, flags) {
      try {
        await cmd.run(ctx, args, flags);
      } catch (e) {
        if (e instanceof WalletError && (e.code === 'invalid' || e.code === 'invalid_proof')) throw new CliError(e.message);
        throw e;
      }
    },
  };
}

const short = (h: string) => `${h.slice(0, 10)}…${h.slice(-4)}`;
const warn = (w: string) => process.stderr.write(`gogogo: warning: ${w}\n`);

/** The `deposits --json` row: exactly the DESIGN.md fields, in order. */
function contractRow(d: DepositView) {
  return { chainId: d.chainId, txHash: d.txHash, logIndex: d.logIndex, from: d.from, token: d.token, amountMicroUsd: d.amountMicroUsd, confirmations: d.confirmations, status: d.status, account: d.account };
}

const commands: Command[] = [
  {
    path: ['chain', 'set'], usage: 'chain set <chainId> --rpc-url URL --treasury ADDRESS --token SYMBOL=CONTRACT[:DECIMALS] ... [--confirmations N] [--name NAME] [--from-block N]',
    summary: 'configure a chain to watch for USDC/USDT deposits (known chains default RPC, tokens and depth from resources/chains.json)',
    args: [1, 1],
    options: { 'rpc-url': { type: 'string' }, treasury: { type: 'string' }, token: { type: 'string', multiple: true }, confirmations: { type: 'string' }, name: { type: 'string' }, 'from-block': { type: 'string' } },
    async run(ctx, [chainId], f) {
      const tokens = (f.token as string[] | undefined)?.map(parseToken);
      const { chain, warnings } = await (await ctx.core().wallet()).setChain({
        chainId: int('chainId', chainId), rpcUrl: f['rpc-url'] as string | undefined, treasury: f.treasury as string | undefined, tokens,
        confirmations: f.confirmations === undefined ? undefined : int('--confirmations', f.confirmations), name: f.name as string | undefined,
        fromBlock: f['from-block'] === undefined ? undefined : int('--from-block', f['from-block']),
      });
      warnings.forEach(warn);
      ctx.out(`chain ${chain.chainId} (${chain.name}): treasury ${chain.treasury}, ${chain.confirmations} confirmations, rpc ${chain.rpcUrl}`);
      for (const t of chain.tokens) ctx.out(`  ${t.symbol} ${t.contract} (${t.decimals} decimals)`);
    },
  },
  {
    path: ['chain', 'list'], usage: 'chain list [--json]', summary: 'configured chains with watcher status and progress', args: [0, 0], options: { json: { type: 'boolean' } },
    async run(ctx, _a, f) {
      const chains = await (await ctx.core().wallet()).listChains();
      if (f.json) return ctx.out(JSON.stringify(chains));
      if (chains.length === 0) return ctx.out('no chains configured (gogogo chain set <chainId> ...)');
      ctx.out(table([['CHAIN', 'NAME', 'STATUS', 'CURSOR', 'HEAD', 'TOKENS', 'ERROR'], ...chains.map((c) => [String(c.chainId), c.name, c.enabled ? c.status : 'disabled',
        String(c.cursorBlock ?? '-'), String(c.headBlock ?? '-'), c.tokens.map((t) => t.symbol).join(','), c.lastError ?? ''])]));
    },
  },
  {
    path: ['chain', 'remove'], usage: 'chain remove <chainId>', summary: 'stop watching a chain (its deposits stay in the history)', args: [1, 1],
    async run(ctx, [chainId]) { await (await ctx.core().wallet()).removeChain(int('chainId', chainId)); ctx.out(`chain ${chainId} removed`); },
  },
  {
    path: ['wallet', 'challenge'], usage: 'wallet challenge <account> <payer-address> [--chain ID]',
    summary: 'print the message the payer signs (personal_sign) to prove ownership; single use, valid 15 minutes', args: [2, 2],
    options: { chain: { type: 'string' } },
    async run(ctx, [account, address], f) {
      const c = await (await ctx.core().wallet()).ownershipChallenge(account, address, f.chain === undefined ? undefined : int('--chain', f.chain));
      process.stderr.write(`gogogo: sign the message below exactly (EIP-191 personal_sign) with ${c.address}, then: gogogo wallet link ${c.account} ${c.address} --message "<the message>" --signature 0x...\n`);
      ctx.out(c.message);
    },
  },
  {
    path: ['wallet', 'link'], usage: 'wallet link <account> <payer-address> [--message TEXT --signature 0x...]',
    summary: 'link a payer wallet to an account: its deposits credit that account (with a signed `wallet challenge` message: verified)', args: [2, 2],
    options: { message: { type: 'string' }, signature: { type: 'string' } },
    async run(ctx, [account, address], f) {
      if ((f.message === undefined) !== (f.signature === undefined)) throw new CliError('give both --message and --signature, or neither');
      const proof = f.message === undefined ? undefined : { message: String(f.message), signature: String(f.signature) as Hex };
      const w = await (await ctx.core().wallet()).linkWallet(account, address, proof);
      ctx.out(`${w.address} linked to ${w.account}${w.verified ? ' (ownership verified)' : ''}${w.adoptedDeposits ? `; ${w.adoptedDeposits} unassigned deposit(s) from it now belong to ${w.account}` : ''}`);
    },
  },
  {
    path: ['wallet', 'unlink'], usage: 'wallet unlink <payer-address>', summary: 'remove a payer wallet link', args: [1, 1],
    async run(ctx, [address]) { await (await ctx.core().wallet()).unlinkWallet(address); ctx.out(`${address} unlinked`); },
  },
  {
    path: ['wallet', 'list'], usage: 'wallet list [<account>] [--json]', summary: 'linked payer wallets', args: [0, 1], options: { json: { type: 'boolean' } },
    async run(ctx, [account], f) {
      const rows = await (await ctx.core().wallet()).listLinkedWallets(account);
      if (f.json) return ctx.out(JSON.stringify(rows));
      if (rows.length === 0) return ctx.out('no linked wallets');
      ctx.out(table([['ADDRESS', 'ACCOUNT', 'VERIFIED'], ...rows.map((w) => [w.address, w.account, w.verified ? 'yes' : 'no'])]));
    },
  },
  {
    path: ['deposits'], usage: 'deposits [--json] [--status pending|unassigned|credited|dropped] [--all]', summary: 'on-chain deposits, newest first (--all includes re-orged ones)',
    args: [0, 0], options: { json: { type: 'boolean' }, status: { type: 'string' }, all: { type: 'boolean' } },
    async run(ctx, _a, f) {
      const valid = ['pending', 'unassigned', 'credited', 'dropped'];
      if (f.status !== undefined && !valid.includes(String(f.status))) throw new CliError(`--status must be one of ${valid.join(', ')}`);
      const status = (f.status ?? (f.all ? valid : undefined)) as DepositStatus | DepositStatus[] | undefined;
      const rows = await (await ctx.core().wallet()).listDeposits({ status });
      if (f.json) return ctx.out(JSON.stringify(rows.map(contractRow)));
      if (rows.length === 0) return ctx.out('no deposits');
      ctx.out(table([['CHAIN', 'TX', 'LOG', 'FROM', 'TOKEN', 'AMOUNT', 'CONF', 'STATUS', 'ACCOUNT'], ...rows.map((d) => [String(d.chainId), short(d.txHash), String(d.logIndex),
        short(d.from), d.token, formatUsd(d.amountMicroUsd), `${d.confirmations}/${d.requiredConfirmations}`, d.status, d.account ?? '-'])]));
    },
  },
  {
    path: ['deposit', 'assign'], usage: 'deposit assign <chainId> <txHash> <logIndex> <account>', summary: 'give an unassigned deposit to an account (credited once deep enough)', args: [4, 4],
    async run(ctx, [chainId, txHash, logIndex, account]) {
      const d = await (await ctx.core().wallet()).assign(int('chainId', chainId), txHash, int('logIndex', logIndex), account);
      ctx.out(d.status === 'credited' ? `${formatUsd(d.amountMicroUsd)} ${d.token} credited to ${d.account}`
        : `assigned to ${d.account}; ${formatUsd(d.amountMicroUsd)} ${d.token} is credited once it has ${d.requiredConfirmations} confirmations (now ${d.confirmations}; the running gateway does it)`);
    },
  },
  {
    path: ['deposit', 'claim'], usage: 'deposit claim <chainId> <txHash> --account <name>', summary: 'verify a transaction on chain and credit its deposit to an account', args: [2, 2],
    options: { account: { type: 'string' } },
    async run(ctx, [chainId, txHash], f) {
      if (typeof f.account !== 'string') throw new CliError('--account <name> is required');
      const r = await (await ctx.core().wallet()).claim(int('chainId', chainId), txHash, f.account);
      const total = r.deposits.reduce((s, d) => s + d.amountMicroUsd, 0);
      ctx.out(r.alreadyCredited ? `already credited: ${formatUsd(total)} to ${f.account} (nothing changed)` : `${formatUsd(r.creditedMicroUsd)} credited to ${f.account} (${r.deposits.map((d) => `${d.token} log ${d.logIndex}`).join(', ')})`);
    },
  },
  {
    path: ['deposit', 'request'], usage: 'deposit request <chainId> <symbol> [--amount USD]', summary: 'print the treasury, token contract and EIP-681 payment link', args: [2, 2],
    options: { amount: { type: 'string' } },
    async run(ctx, [chainId, symbol], f) {
      const r = await (await ctx.core().wallet()).depositRequest(int('chainId', chainId), symbol, f.amount === undefined ? undefined : parseUsdToMicro(String(f.amount)));
      ctx.out(`pay ${r.symbol} (${r.contract}, ${r.decimals} decimals) on ${r.chainName} (${r.chainId}) to ${r.treasury}`);
      ctx.out(r.eip681);
    },
  },
];

/** The wallet subcommands, wired into gateway/cli.ts. */
export const walletCommands: Command[] = commands.map(badInput);
