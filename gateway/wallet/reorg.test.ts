import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address, Hex } from 'viem';
import { accounts, chainClient, deployToken, mint, openWallet, startAnvil, transfer, type Anvil, type ChainClient, type WalletHarness } from './test-anvil';

const CHAIN = 31337;
let anvil: Anvil;
let c: ChainClient;
let h: WalletHarness;
let owner: Address, payer: Address;
let usdc: Address;
const treasury: Address = '0x000000000000000000000000000000000000bEEF';
const dep = (tx: Hex) => h.wallet.listDeposits({ status: ['pending', 'unassigned', 'credited', 'dropped'] }).find((d) => d.txHash === tx);

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, payer] = await accounts(c);
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  await mint(c, usdc, owner, payer, 1_000_000_000n);
  h = openWallet();
  h.ledger.createAccount('acme');
  await h.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 3, tokens: [{ symbol: 'USDC', contract: usdc }] });
  await h.wallet.linkWallet('acme', payer);
});

afterAll(async () => {
  await h?.close();
  await anvil?.stop();
});

describe('re-orgs before depth', () => {
  it('drops a transfer re-orged away before its depth and never credits it (rescan)', async () => {
    const snap = await c.snapshot();
    const r = await transfer(c, usdc, payer, treasury, 9_000_000n);
    await c.mine({ blocks: 1 });
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)).toMatchObject({ status: 'pending', confirmations: 2 });
    await c.revert({ id: snap }); // the transfer's block and the one after it vanish
    await c.mine({ blocks: 6 }); // a longer chain without the transfer
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)!.status).toBe('dropped');
    expect(h.wallet.listDeposits()).toHaveLength(0); // dropped rows are listed only on request
    await c.mine({ blocks: 3 });
    await h.wallet.syncNow();
    expect(h.ledger.accountByName('acme')!.balanceMicroUsd).toBe(0);
    await expect(h.wallet.claim(CHAIN, r.transactionHash, 'acme')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('drops a deep-enough deposit whose block hash changed, even when the rescan window has passed it', async () => {
    const snap = await c.snapshot();
    const r = await transfer(c, usdc, payer, treasury, 4_000_000n);
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)!.status).toBe('pending');
    await c.revert({ id: snap });
    await c.mine({ blocks: 10 });
    const head = Number(await c.getBlockNumber());
    h.wallet.setCursor(CHAIN, head); // skip the rescan: only the credit-time block-hash check stands in the way
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)!.status).toBe('dropped');
    expect(h.ledger.accountByName('acme')!.balanceMicroUsd).toBe(0);
  });

  it('a transfer re-mined after a re-org is revived at its new block and credited once', async () => {
    const snap = await c.snapshot();
    const r = await transfer(c, usdc, payer, treasury, 2_000_000n);
    const raw = await c.request({ method: 'eth_getRawTransactionByHash' as never, params: [r.transactionHash] as never }) as Hex;
    await h.wallet.syncNow();
    await c.revert({ id: snap });
    await c.mine({ blocks: 2 });
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)!.status).toBe('dropped');
    await c.sendRawTransaction({ serializedTransaction: raw }); // the same transaction, mined again in a later block
    await c.mine({ blocks: 3 });
    await h.wallet.syncNow();
    expect(dep(r.transactionHash)).toMatchObject({ status: 'credited', account: 'acme' });
    expect(h.ledger.accountByName('acme')!.balanceMicroUsd).toBe(2_000_000);
  });
});
