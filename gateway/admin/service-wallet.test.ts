import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import type { SqliteCore as Core } from '../core';
import { accounts, chainClient, deployToken, mint, startAnvil, transfer, waitFor, type Anvil, type ChainClient } from '../wallet/test-anvil';
import { adminSchemas, type AdminApi, type AdminResult } from './contract';
import { createAdminService } from './service';
import { tempCore } from './test-helpers';

const CHAIN = 31337;
const treasury: Address = '0x000000000000000000000000000000000000bEEF';
let anvil: Anvil;
let c: ChainClient;
let t: ReturnType<typeof tempCore>;
let core: Core;
let api: AdminApi;
let owner: Address, payer: Address, stranger: Address;
let usdc: Address;
const data = <T>(r: AdminResult<T>): T => { if (!r.ok) throw new Error(`${r.code}: ${r.message}`); return r.data; };
const balance = (name: string) => core.ledger.accountByName(name)!.balanceMicroUsd;

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, payer, stranger] = await accounts(c);
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  for (const who of [payer, stranger]) await mint(c, usdc, owner, who, 1_000_000_000n);
  t = tempCore();
  core = t.core;
  api = createAdminService(core, { gatewayUrl: () => 'http://127.0.0.1:9999', lanUrls: () => [] }, { log: () => {} });
  core.ledger.createAccount('team-b');
});

afterAll(async () => {
  await core?.loadedWallet()?.stop();
  t?.cleanup();
  await anvil?.stop();
});

describe('admin service: wallet', () => {
  it('configures a chain, answers deposit requests, links payers; wallet errors keep their code', async () => {
    expect(data(await api.listChains({}))).toEqual([]);
    expect(await api.depositRequest({ chainId: CHAIN, symbol: 'USDC' })).toMatchObject({ ok: false, code: 'not_configured' });
    const set = data(await api.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 3, tokens: [{ symbol: 'USDC', contract: usdc }] }));
    expect(set.chain).toMatchObject({ chainId: CHAIN, treasury, confirmations: 3, tokens: [{ symbol: 'USDC', contract: usdc, decimals: 6 }] });
    expect(data(await api.listChains({}))).toHaveLength(1);

    const req = data(await api.depositRequest({ chainId: CHAIN, symbol: 'usdc', amountMicroUsd: 12_500_000 }));
    expect(req).toMatchObject({ treasury, contract: usdc, decimals: 6, amountRaw: '12500000', eip681: `ethereum:${usdc}@${CHAIN}/transfer?address=${treasury}&uint256=12500000` });
    expect(await api.depositRequest({ chainId: CHAIN, symbol: 'USDT' })).toMatchObject({ ok: false, code: 'unknown_token' });

    expect(data(await api.linkWallet({ account: 'default', address: payer.toLowerCase() }))).toMatchObject({ address: payer, account: 'default', verified: false, adoptedDeposits: 0 });
    expect(await api.linkWallet({ account: 'team-b', address: payer })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await api.linkWallet({ account: 'nobody', address: stranger })).toMatchObject({ ok: false, code: 'not_found' });
    expect(data(await api.listLinkedWallets({ account: 'default' })).map((l) => l.address)).toEqual([payer]);
    // The nonce flow: the window asks for the message, the payer signs it, the link is verified, once.
    const ch = data(await api.walletChallenge(adminSchemas.walletChallenge.parse({ account: 'team-b', address: stranger })));
    expect(ch).toMatchObject({ account: 'team-b', address: stranger, chainId: CHAIN, expiresAt: ch.issuedAt + 15 * 60_000 });
    const proof = { message: ch.message, signature: await c.signMessage({ account: stranger, message: ch.message }) };
    expect(data(await api.linkWallet(adminSchemas.linkWallet.parse({ account: 'team-b', address: stranger, proof })))).toMatchObject({ verified: true });
    expect(data(await api.unlinkWallet({ address: stranger }))).toEqual({ address: stranger });
    expect(await api.linkWallet({ account: 'team-b', address: stranger, proof })).toMatchObject({ ok: false, code: 'invalid_proof' });
    data(await api.linkWallet({ account: 'team-b', address: stranger }));
    expect(data(await api.unlinkWallet({ address: stranger }))).toEqual({ address: stranger });
    expect(await api.unlinkWallet({ address: stranger })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('shows a linked payment pending then credited, assigns an unlinked one, and pushes wallet:changed', async () => {
    let pushes = 0;
    const count = () => { pushes++; };
    core.events.on('wallet:changed', count);
    const linked = await transfer(c, usdc, payer, treasury, 7_000_000n);
    const unlinked = await transfer(c, usdc, stranger, treasury, 3_000_000n);
    await (await core.wallet()).syncNow();
    const pending = data(await api.listDeposits({ status: 'pending', account: 'default' }));
    expect(pending).toMatchObject([{ txHash: linked.transactionHash, amountMicroUsd: 7_000_000, requiredConfirmations: 3, confirmations: 2 }]);
    const open = data(await api.listDeposits({ status: 'unassigned' }));
    expect(open).toMatchObject([{ txHash: unlinked.transactionHash, account: null, confirmations: 1 }]);
    await waitFor(() => pushes > 0, 2000, 'wallet:changed');

    // Not deep enough yet: assigned and pending, no money moves.
    const assigned = data(await api.assignDeposit({ chainId: CHAIN, txHash: unlinked.transactionHash, logIndex: 0, account: 'team-b' }));
    expect(assigned).toMatchObject({ status: 'pending', account: 'team-b' });
    expect(balance('team-b')).toBe(0);

    await c.mine({ blocks: 2 });
    await (await core.wallet()).syncNow();
    const credited = data(await api.listDeposits({ status: 'credited' }));
    expect(credited.map((d) => [d.account, d.amountMicroUsd]).sort()).toEqual([['default', 7_000_000], ['team-b', 3_000_000]]);
    expect(balance('default')).toBe(7_000_000);
    expect(balance('team-b')).toBe(3_000_000);
    // Claiming an already credited transfer credits nothing more.
    expect(data(await api.claimDeposit({ chainId: CHAIN, txHash: linked.transactionHash, account: 'default' }))).toMatchObject({ creditedMicroUsd: 0, alreadyCredited: true });
    expect(await api.assignDeposit({ chainId: CHAIN, txHash: linked.transactionHash, logIndex: 0, account: 'team-b' })).toMatchObject({ ok: false, code: 'conflict' });
    expect(balance('default')).toBe(7_000_000);
    core.events.off('wallet:changed', count);
  });
});
