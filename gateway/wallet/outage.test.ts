import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { accounts, chainClient, deployToken, mint, openWallet, startAnvil, transfer, waitFor, type Anvil, type WalletHarness } from './test-anvil';

const CHAIN = 31337;
const treasury: Address = '0x000000000000000000000000000000000000bEEF';
let anvil: Anvil | undefined;
let h: WalletHarness | undefined;

afterAll(async () => {
  await h?.close();
  await anvil?.stop();
});

describe('RPC outage', () => {
  it('shows the error as chain status, backs off, and catches up when the node returns', async () => {
    const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-anvil-')), 'state.json');
    anvil = await startAnvil(0, ['--state', state]);
    const port = anvil.port;
    let c = chainClient(anvil.url);
    const [owner, payer] = await accounts(c);
    const usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
    await mint(c, usdc, owner, payer, 1_000_000_000n);
    h = openWallet({ pollIntervalMs: 100, maxBackoffMs: 400, rpcTimeoutMs: 1000 });
    h.ledger.createAccount('acme');
    await h.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 2, tokens: [{ symbol: 'USDC', contract: usdc }] });
    await h.wallet.linkWallet('acme', payer);
    h.wallet.start();
    const first = await transfer(c, usdc, payer, treasury, 1_000_000n);
    await waitFor(() => h!.wallet.listDeposits().find((d) => d.txHash === first.transactionHash), 5000, 'first deposit');

    await anvil.stop(); // dumps its state; the transfer has 1 of 2 confirmations
    const down = await waitFor(() => { const ch = h!.wallet.getChain(CHAIN)!; return ch.status === 'error' ? ch : null; }, 5000, 'error status') as NonNullable<ReturnType<typeof h.wallet.getChain>>;
    expect(down.lastError).toMatch(/HTTP request failed|fetch failed|ECONNREFUSED/i);
    expect(down.lastError).toContain('retrying in');

    anvil = await startAnvil(port, ['--state', state]); // same port, same chain
    c = chainClient(anvil.url);
    const second = await transfer(c, usdc, payer, treasury, 2_000_000n);
    await c.mine({ blocks: 1 });
    await waitFor(() => h!.ledger.accountByName('acme')!.balanceMicroUsd === 3_000_000, 8000, 'both deposits credited');
    expect(h.wallet.listDeposits().map((d) => [d.txHash, d.status])).toEqual([[second.transactionHash, 'credited'], [first.transactionHash, 'credited']]);
    await waitFor(() => h!.wallet.getChain(CHAIN)!.status === 'live', 3000, 'live again');
    expect(h.wallet.getChain(CHAIN)!.lastError).toBeNull();
    const t0 = Date.now();
    await h.wallet.stop();
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});
