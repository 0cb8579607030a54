import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { accounts, chainClient, deployToken, mint, openWallet, startAnvil, transfer, type Anvil, type ChainClient, type WalletHarness } from './test-anvil';

const BIN = path.resolve(import.meta.dirname, '../../bin/gogogo.mjs');
const treasury: Address = '0x000000000000000000000000000000000000bEEF';
let anvil: Anvil;
let c: ChainClient;
let h: WalletHarness; // plays `serve`: the watcher runs in this process on the same data dir
let owner: Address, linked: Address, stranger: Address;
let usdc: Address, usdt: Address;

function gogogo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--data-dir', h.dir], { env: { ...process.env, GOGOGO_FROM_SOURCE: '1' } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, linked, stranger] = await accounts(c);
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  usdt = await deployToken(c, owner, 'Tether USD', 'USDT', 18);
  for (const who of [linked, stranger]) { await mint(c, usdc, owner, who, 10n ** 9n); await mint(c, usdt, owner, who, 10n ** 21n); }
  h = openWallet();
  h.ledger.createAccount('acme');
});

afterAll(async () => {
  await h?.close();
  await anvil?.stop();
});

describe('gogogo wallet commands', () => {
  it('configures, links, lists, assigns and claims through the CLI while a watcher runs', async () => {
    const bad = await gogogo('chain', 'set', '31337', '--rpc-url', anvil.url, '--treasury', '0x123', '--token', `USDC=${usdc}`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('treasury "0x123" is not a valid address');
    const set = await gogogo('chain', 'set', '31337', '--rpc-url', anvil.url, '--treasury', treasury, '--token', `USDC=${usdc}`, '--token', `USDT=${usdt}:18`, '--confirmations', '2');
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain(`USDT ${usdt} (18 decimals)`);
    expect((await gogogo('wallet', 'link', 'acme', linked)).stdout).toContain('linked to acme');

    const a = await transfer(c, usdc, linked, treasury, 10_000_000n);
    const b = await transfer(c, usdt, stranger, treasury, 2_500_000_000_000_000_000n);
    await h.wallet.syncNow();
    const listed = JSON.parse((await gogogo('deposits', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed.map((d) => Object.keys(d))).toEqual(Array(2).fill(['chainId', 'txHash', 'logIndex', 'from', 'token', 'amountMicroUsd', 'confirmations', 'status', 'account']));
    expect(listed).toEqual([
      { chainId: 31337, txHash: b.transactionHash, logIndex: 0, from: stranger, token: 'USDT', amountMicroUsd: 2_500_000, confirmations: 1, status: 'unassigned', account: null },
      { chainId: 31337, txHash: a.transactionHash, logIndex: 0, from: linked, token: 'USDC', amountMicroUsd: 10_000_000, confirmations: 2, status: 'credited', account: 'acme' },
    ]);

    const early = await gogogo('deposit', 'assign', '31337', b.transactionHash, '0', 'acme');
    expect(early.stdout).toContain('credited once it has 2 confirmations');
    await c.mine({ blocks: 1 });
    await h.wallet.syncNow();
    expect(h.ledger.accountByName('acme')!.balanceMicroUsd).toBe(12_500_000);

    const c3 = await transfer(c, usdc, stranger, treasury, 1_000_000n);
    await c.mine({ blocks: 1 });
    const claim = await gogogo('deposit', 'claim', '31337', c3.transactionHash, '--account', 'acme');
    expect(claim).toMatchObject({ code: 0, stdout: expect.stringContaining('$1.00 credited to acme') });
    const missing = await gogogo('deposit', 'claim', '31337', c3.transactionHash);
    expect(missing.code).toBe(2);
    const text = await gogogo('deposits');
    expect(text.stdout).toMatch(/CHAIN\s+TX\s+LOG\s+FROM\s+TOKEN\s+AMOUNT\s+CONF\s+STATUS\s+ACCOUNT/);
    expect(text.stdout.split('\n').filter((l) => l.includes('credited'))).toHaveLength(3);
    expect(h.ledger.accountByName('acme')!.balanceMicroUsd).toBe(13_500_000);
  });
});
