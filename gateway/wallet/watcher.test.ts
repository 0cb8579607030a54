import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address, Hex } from 'viem';
import { accounts, chainClient, deployToken, mint, openWallet, startAnvil, transfer, waitFor, type Anvil, type ChainClient, type WalletHarness } from './test-anvil';
import { Wallet } from './wallet';

const CHAIN = 31337;
let anvil: Anvil;
let c: ChainClient;
let h: WalletHarness;
let owner: Address, alice: Address, bob: Address, carol: Address, treasury: Address;
let usdc: Address, usdt: Address;

const dep = (tx: Hex) => h.wallet.listDeposits({ status: ['pending', 'unassigned', 'credited', 'dropped'] }).find((d) => d.txHash === tx);
const balance = (name: string) => h.ledger.accountByName(name)!.balanceMicroUsd;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, alice, bob, carol] = await accounts(c);
  treasury = '0x000000000000000000000000000000000000bEEF';
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  usdt = await deployToken(c, owner, 'Tether USD', 'USDT', 18);
  for (const who of [alice, bob, carol]) {
    await mint(c, usdc, owner, who, 1_000_000_000n);
    await mint(c, usdt, owner, who, 1000n * 10n ** 18n);
  }
  h = openWallet();
  for (const name of ['alice-team', 'bob-team', 'carol-team']) h.ledger.createAccount(name);
  const { chain } = await h.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 3, tokens: [{ symbol: 'USDC', contract: usdc }, { symbol: 'USDT', contract: usdt }] });
  expect(chain.tokens.map((t) => [t.symbol, t.decimals])).toEqual([['USDC', 6], ['USDT', 18]]); // read on chain
});

afterAll(async () => {
  await h?.close();
  await anvil?.stop();
});

describe('watcher', () => {
  it('credits a linked payer at the configured depth, not before', async () => {
    const link = await h.wallet.linkWallet('alice-team', alice.toLowerCase());
    expect(link).toMatchObject({ address: alice, account: 'alice-team', verified: false });
    h.wallet.start();
    const r = await transfer(c, usdc, alice, treasury, 12_500_000n);
    const d = await waitFor(() => dep(r.transactionHash), 5000, 'deposit seen');
    expect(d).toMatchObject({ status: 'pending', account: 'alice-team', token: 'USDC', from: alice, amountMicroUsd: 12_500_000, logIndex: 0, requiredConfirmations: 3 });
    await c.mine({ blocks: 1 });
    await waitFor(() => dep(r.transactionHash)!.confirmations === 2, 5000, 'two confirmations');
    await sleep(300);
    expect(dep(r.transactionHash)!.status).toBe('pending'); // block B+1 exists: 2 of 3
    expect(balance('alice-team')).toBe(0);
    await c.mine({ blocks: 1 }); // block B+2 exists: 3 of 3
    await waitFor(() => dep(r.transactionHash)!.status === 'credited', 5000, 'credit');
    expect(balance('alice-team')).toBe(12_500_000);
    const journal = h.ledger.journal(h.ledger.accountByName('alice-team')!.id);
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({ kind: 'topup', idempotencyKey: `chain:${CHAIN}:${r.transactionHash}:0`, amountMicroUsd: 12_500_000 });
    expect(h.alerts.some((a) => a.kind === 'deposit_credited' && a.message.includes('$12.50'))).toBe(true);
    expect(h.wallet.getChain(CHAIN)).toMatchObject({ status: 'live', lastError: null, progress: { behindBlocks: 0, percent: 100 } });
    await h.wallet.stop();
  });

  it('keeps an unlinked 18-decimal payment unassigned until assigned, then credits it exactly', async () => {
    const r = await transfer(c, usdt, bob, treasury, 7_123_456_789_000_000_000n); // 7.123456789 USDT
    await h.wallet.syncNow();
    await c.mine({ blocks: 3 });
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)).toMatchObject({ status: 'unassigned', account: null, amountMicroUsd: 7_123_456, amountRaw: '7123456789000000000', token: 'USDT' });
    expect(balance('bob-team')).toBe(0);
    const assigned = await h.wallet.assign(CHAIN, r.transactionHash, 0, 'bob-team');
    expect(assigned).toMatchObject({ status: 'credited', account: 'bob-team' }); // deep enough: credited at once
    expect(balance('bob-team')).toBe(7_123_456); // sub-micro dust (789e-12 USDT) is not credited
    await expect(h.wallet.assign(CHAIN, r.transactionHash, 0, 'alice-team')).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.wallet.assign(CHAIN, r.transactionHash, 5, 'bob-team')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an assigned shallow deposit waits for depth; linking a payer adopts its unassigned deposits', async () => {
    const r = await transfer(c, usdc, carol, treasury, 3_000_000n);
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)!.status).toBe('unassigned');
    const link = await h.wallet.linkWallet('carol-team', carol);
    expect(link.adoptedDeposits).toBe(1);
    expect(dep(r.transactionHash)).toMatchObject({ status: 'pending', account: 'carol-team' });
    await h.wallet.syncNow();
    expect(balance('carol-team')).toBe(0);
    await c.mine({ blocks: 2 });
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)!.status).toBe('credited');
    expect(balance('carol-team')).toBe(3_000_000);
    h.wallet.unlinkWallet(carol);
  });

  it('ignores a fake token that calls itself USDC', async () => {
    const fake = await deployToken(c, carol, 'USD Coin', 'USDC', 6);
    await mint(c, fake, carol, carol, 10n ** 12n);
    const r = await transfer(c, fake, carol, treasury, 500_000_000n);
    await c.mine({ blocks: 3 });
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)).toBeUndefined();
    await expect(h.wallet.claim(CHAIN, r.transactionHash, 'carol-team')).rejects.toMatchObject({ code: 'unknown_token', message: expect.stringContaining('not configured') });
    expect(balance('carol-team')).toBe(3_000_000);
  });

  it('restarted from an older cursor, rescans without crediting anything twice and misses nothing', async () => {
    const before = h.wallet.listDeposits();
    const balances = ['alice-team', 'bob-team', 'carol-team'].map(balance);
    const r = await transfer(c, usdc, alice, treasury, 1_000_000n); // paid while no watcher runs
    const restarted = new Wallet({ sqlite: h.sqlite, ledger: h.ledger, pollIntervalMs: 100 });
    restarted.setCursor(CHAIN, h.wallet.getChain(CHAIN)!.startBlock! - 1); // the oldest possible cursor
    await c.mine({ blocks: 2 });
    await restarted.syncNow();
    await restarted.stop();
    const after = h.wallet.listDeposits();
    expect(after).toHaveLength(before.length + 1);
    expect(dep(r.transactionHash)!.status).toBe('credited');
    expect(['alice-team', 'bob-team', 'carol-team'].map(balance)).toEqual([balances[0] + 1_000_000, balances[1], balances[2]]);
    for (const name of ['alice-team', 'bob-team', 'carol-team']) {
      const id = h.ledger.accountByName(name)!.id;
      expect(h.ledger.journalSum(id)).toBe(balance(name));
      const keys = h.ledger.journal(id).map((j) => j.idempotencyKey);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('reports honest progress while catching up from an old block', async () => {
    const slow = openWallet({ maxBlockRange: 5, rangesPerPass: 1 }, h.dir);
    slow.ledger.createAccount('late');
    try {
      await slow.wallet.setChain({ chainId: CHAIN, fromBlock: 0 });
      await slow.wallet.syncNow();
      const first = slow.wallet.getChain(CHAIN)!;
      expect(first.status).toBe('syncing');
      expect(first.cursorBlock).toBe(4);
      expect(first.progress!.percent).toBeLessThan(100);
      expect(first.progress!.behindBlocks).toBe(first.headBlock! - 4);
      for (let i = 0; i < 40 && slow.wallet.getChain(CHAIN)!.status !== 'live'; i++) await slow.wallet.syncNow();
      expect(slow.wallet.getChain(CHAIN)!.progress).toMatchObject({ percent: 100, behindBlocks: 0 });
      expect(slow.ledger.listAccounts().map((a) => a.balanceMicroUsd)).toEqual(h.ledger.listAccounts().map((a) => a.balanceMicroUsd));
    } finally {
      await slow.close();
    }
  });

  it('shrinks getLogs ranges when the RPC refuses large ones', async () => {
    let refused = 0;
    const proxy = http.createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const msg = JSON.parse(body);
      const p = msg.method === 'eth_getLogs' ? msg.params[0] : null;
      res.setHeader('content-type', 'application/json');
      if (p && Number(p.toBlock) - Number(p.fromBlock) + 1 > 10) {
        refused++;
        return res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32600, message: 'query exceeds max block range 10' } }));
      }
      res.end(await (await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const other = openWallet();
    try {
      other.ledger.createAccount('alice-team');
      const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      await other.wallet.setChain({ chainId: CHAIN, rpcUrl: url, treasury, confirmations: 3, fromBlock: 0, tokens: [{ symbol: 'USDC', contract: usdc }, { symbol: 'USDT', contract: usdt }] });
      await other.wallet.syncNow();
      expect(refused).toBeGreaterThan(0);
      expect(other.wallet.getChain(CHAIN)).toMatchObject({ status: 'live', lastError: null });
      expect(other.wallet.listDeposits().map((d) => d.txHash).sort()).toEqual(h.wallet.listDeposits().map((d) => d.txHash).sort());
    } finally {
      await other.close();
      proxy.close();
    }
  });
});
