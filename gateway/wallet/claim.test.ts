import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address, Hex } from 'viem';
import { foundry } from 'viem/chains';
import { accounts, chainClient, deployToken, mint, openWallet, startAnvil, TOKEN, transfer, type Anvil, type ChainClient, type WalletHarness } from './test-anvil';

const CHAIN = 31337;
let anvil: Anvil;
let c: ChainClient;
let h: WalletHarness;
let owner: Address, payer: Address, other: Address;
let usdc: Address, usdt: Address;
const treasury: Address = '0x000000000000000000000000000000000000bEEF';
const balance = (name: string) => h.ledger.accountByName(name)!.balanceMicroUsd;

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, payer, other] = await accounts(c);
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  usdt = await deployToken(c, owner, 'Tether USD', 'USDT', 18);
  await mint(c, usdc, owner, payer, 1_000_000_000n);
  await mint(c, usdt, owner, payer, 10n ** 21n);
  h = openWallet();
  h.ledger.createAccount('acme');
  h.ledger.createAccount('rival');
  await h.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 3, tokens: [{ symbol: 'USDC', contract: usdc, decimals: 6 }, { symbol: 'USDT', contract: usdt }] });
});

afterAll(async () => {
  await h?.close();
  await anvil?.stop();
});

describe('claim by tx hash', () => {
  it('refuses before depth, credits at depth, exactly once across claims and the watcher', async () => {
    const r = await transfer(c, usdt, payer, treasury, 42n * 10n ** 18n);
    await c.mine({ blocks: 1 });
    await expect(h.wallet.claim(CHAIN, r.transactionHash, 'acme')).rejects.toMatchObject({ code: 'not_confirmed', message: expect.stringContaining('2 of 3 confirmations') });
    expect(balance('acme')).toBe(0);
    await c.mine({ blocks: 1 });
    const first = await h.wallet.claim(CHAIN, r.transactionHash.toUpperCase().replace('0X', '0x'), 'acme');
    expect(first).toMatchObject({ creditedMicroUsd: 42_000_000, alreadyCredited: false });
    expect(first.deposits).toMatchObject([{ status: 'credited', account: 'acme', token: 'USDT', amountMicroUsd: 42_000_000, confirmations: expect.any(Number) }]);
    const again = await h.wallet.claim(CHAIN, r.transactionHash, 'acme');
    expect(again).toMatchObject({ creditedMicroUsd: 0, alreadyCredited: true });
    await expect(h.wallet.claim(CHAIN, r.transactionHash, 'rival')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('acme') });
    await h.wallet.syncNow(); // the watcher sees the same transfer: no second credit
    expect(h.wallet.listDeposits()).toHaveLength(1);
    expect(balance('acme')).toBe(42_000_000);
    expect(h.ledger.journal(h.ledger.accountByName('acme')!.id)).toHaveLength(1);
  });

  it('claims a deposit the watcher already recorded as unassigned', async () => {
    const r = await transfer(c, usdc, payer, treasury, 5_000_000n);
    await h.wallet.syncNow();
    expect(h.wallet.listDeposits({ status: 'unassigned' })).toHaveLength(1);
    await c.mine({ blocks: 2 });
    const res = await h.wallet.claim(CHAIN, r.transactionHash, 'rival');
    expect(res.creditedMicroUsd).toBe(5_000_000);
    expect(h.wallet.listDeposits({ status: 'unassigned' })).toHaveLength(0);
    expect(balance('rival')).toBe(5_000_000);
  });

  it('refuses unknown, failed, misdirected and foreign-token transactions with clear errors', async () => {
    const unknown = `0x${'ab'.repeat(32)}` as Hex;
    await expect(h.wallet.claim(CHAIN, unknown, 'acme')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('not mined') });
    await expect(h.wallet.claim(CHAIN, '0x1234', 'acme')).rejects.toMatchObject({ code: 'invalid' });
    await expect(h.wallet.claim(999, unknown, 'acme')).rejects.toMatchObject({ code: 'not_configured' });
    await expect(h.wallet.claim(CHAIN, unknown, 'nobody')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('nobody') });

    const wrong = await transfer(c, usdc, payer, other, 1_000_000n);
    const fake = await deployToken(c, payer, 'USD Coin', 'USDC', 6);
    await mint(c, fake, payer, payer, 10n ** 9n);
    const foreign = await transfer(c, fake, payer, treasury, 1_000_000n);
    // A transfer of more than the balance reverts; send it with a fixed gas limit so it is mined anyway.
    const revertHash = await c.writeContract({ address: usdc, abi: TOKEN.abi, functionName: 'transfer', args: [treasury, 10n ** 15n], account: other, chain: foundry, gas: 100_000n });
    const reverted = await c.waitForTransactionReceipt({ hash: revertHash });
    expect(reverted.status).toBe('reverted');
    await c.mine({ blocks: 3 });
    await expect(h.wallet.claim(CHAIN, wrong.transactionHash, 'acme')).rejects.toMatchObject({ code: 'wrong_recipient', message: expect.stringContaining('not to the treasury') });
    await expect(h.wallet.claim(CHAIN, foreign.transactionHash, 'acme')).rejects.toMatchObject({ code: 'unknown_token', message: expect.stringContaining(fake) });
    await expect(h.wallet.claim(CHAIN, revertHash, 'acme')).rejects.toMatchObject({ code: 'tx_failed' });
    expect(balance('acme')).toBe(42_000_000);
  });

  it('verifies an ownership proof when linking', async () => {
    const msg = h.wallet.ownershipChallenge('acme', payer, CHAIN).message;
    const signature = await c.signMessage({ account: payer, message: msg });
    await expect(h.wallet.linkWallet('acme', payer, { message: msg, signature: (signature.slice(0, -4) + '0000') as Hex })).rejects.toMatchObject({ code: 'invalid_proof' });
    await expect(h.wallet.linkWallet('rival', payer, { message: msg, signature })).rejects.toMatchObject({ code: 'invalid_proof', message: expect.stringContaining('issued for account "acme"') });
    expect(await h.wallet.linkWallet('acme', payer, { message: msg, signature })).toMatchObject({ verified: true, account: 'acme' });
    expect(h.wallet.listLinkedWallets('acme')).toMatchObject([{ address: payer, verified: true }]);
    await expect(h.wallet.linkWallet('rival', payer)).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.wallet.linkWallet('acme', '0x70997970C51812dc3A010C7d01b50e0d17dc79c8')).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('checksum') });
  });

  it('validates chain configuration against the chain', async () => {
    await expect(h.wallet.setChain({ chainId: 1, rpcUrl: anvil.url, treasury })).rejects.toMatchObject({ message: expect.stringContaining('serves chain 31337, not chain 1') });
    await expect(h.wallet.setChain({ chainId: CHAIN, tokens: [{ symbol: 'USDT', contract: usdt, decimals: 6 }] })).rejects.toMatchObject({ message: expect.stringContaining('reports 18 decimals') });
    await expect(h.wallet.setChain({ chainId: CHAIN, tokens: [{ symbol: 'X', contract: other }] })).rejects.toMatchObject({ message: expect.stringContaining('decimals') });
    await expect(h.wallet.setChain({ chainId: 77777, treasury })).rejects.toMatchObject({ message: expect.stringContaining('--rpc-url is required') });
    const off = await h.wallet.setChain({ chainId: 8453, treasury, rpcUrl: 'http://127.0.0.1:9' });
    expect(off.warnings[0]).toContain('could not reach');
    expect(off.chain.tokens.map((t) => t.contract)).toEqual(['0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', '0xfde4C96c8593536E31F229EA8f37b2ADa2699bb2']);
    h.wallet.removeChain(8453);
    const req = h.wallet.depositRequest(CHAIN, 'USDT', 1_500_000);
    expect(req.eip681).toBe(`ethereum:${usdt}@${CHAIN}/transfer?address=${treasury}&uint256=1500000000000000000`);
  });
});
