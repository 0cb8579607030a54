/**
 * Issue 9 on a real anvil chain: an exact, single-use, expiring ownership proof; a claim checks the RPC's chain
 * id and any payer link; a deposit that would take a balance past 2^53 − 1 micro-USD stays uncredited.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address, Hex } from 'viem';
import { CHALLENGE_TTL_MS } from './ownership';
import { accounts, chainClient, deployToken, mint, openWallet, startAnvil, transfer, type Anvil, type ChainClient, type WalletHarness } from './test-anvil';

const CHAIN = 31337;
const treasury: Address = '0x000000000000000000000000000000000000bEEF';
let anvil: Anvil;
let c: ChainClient;
let h: WalletHarness;
let clock = Date.now();
let owner: Address, payer: Address, other: Address;
let usdc: Address;
const balance = (name: string) => h.ledger.accountByName(name)!.balanceMicroUsd;

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, payer, other] = await accounts(c);
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  for (const who of [payer, other]) await mint(c, usdc, owner, who, 10n ** 12n);
  h = openWallet({ now: () => clock });
  for (const name of ['team', 'team-a', 'acme', 'rival', 'whale']) h.ledger.createAccount(name);
  await h.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 1, tokens: [{ symbol: 'USDC', contract: usdc, decimals: 6 }] });
});

afterAll(async () => {
  await h?.close();
  await anvil?.stop();
});

describe('ownership proof', () => {
  it('binds account, address and chain exactly, with a nonce: "team-a" never verifies "team"', async () => {
    const ch = h.wallet.ownershipChallenge('team-a', payer);
    expect(ch).toMatchObject({ account: 'team-a', address: payer, chainId: CHAIN, nonce: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(ch.message).toContain('Account: team-a\nAddress: ' + payer + '\nChain ID: 31337\nNonce: ' + ch.nonce);
    const signature = await c.signMessage({ account: payer, message: ch.message });
    await expect(h.wallet.linkWallet('team', payer, { message: ch.message, signature })).rejects.toMatchObject({ code: 'invalid_proof', message: expect.stringContaining('not "team"') });
    // The old free-form message that merely mentions the names is no proof.
    const legacy = `gogogoapi: I control ${payer} and link it to account "team-a" for top-ups.`;
    await expect(h.wallet.linkWallet('team-a', payer, { message: legacy, signature: await c.signMessage({ account: payer, message: legacy }) })).rejects.toMatchObject({ code: 'invalid_proof' });
    // A signed message altered after issue (same nonce) is refused before any signature check.
    const altered = ch.message.replace('stablecoin top-ups', 'top-ups');
    await expect(h.wallet.linkWallet('team-a', payer, { message: altered, signature: await c.signMessage({ account: payer, message: altered }) })).rejects.toMatchObject({ code: 'invalid_proof', message: expect.stringContaining('differs') });
    // Someone else's signature of the right message.
    await expect(h.wallet.linkWallet('team-a', payer, { message: ch.message, signature: await c.signMessage({ account: other, message: ch.message }) })).rejects.toMatchObject({ code: 'invalid_proof', message: expect.stringContaining('not made by') });
    expect(await h.wallet.linkWallet('team-a', payer, { message: ch.message, signature })).toMatchObject({ account: 'team-a', verified: true });
    h.wallet.unlinkWallet(payer);
    // Single use: the same proof cannot link again.
    await expect(h.wallet.linkWallet('team-a', payer, { message: ch.message, signature })).rejects.toMatchObject({ code: 'invalid_proof', message: expect.stringContaining('already used') });
    expect(h.wallet.listLinkedWallets()).toEqual([]);
  });

  it('expires', async () => {
    const ch = h.wallet.ownershipChallenge('team-a', payer, CHAIN);
    const signature = await c.signMessage({ account: payer, message: ch.message });
    clock += CHALLENGE_TTL_MS + 1;
    await expect(h.wallet.linkWallet('team-a', payer, { message: ch.message, signature })).rejects.toMatchObject({ code: 'invalid_proof', message: expect.stringContaining('expired') });
    expect(() => h.wallet.ownershipChallenge('team-a', payer, 999)).toThrow(/not configured/);
  });
});

describe('deposit claim', () => {
  it('refuses a claim for another account than the payer is linked to', async () => {
    await h.wallet.linkWallet('acme', payer);
    const r = await transfer(c, usdc, payer, treasury, 7_000_000n);
    await expect(h.wallet.claim(CHAIN, r.transactionHash, 'rival')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('linked to account acme') });
    expect(balance('rival')).toBe(0);
    expect(h.wallet.listDeposits()).toEqual([]);
    expect(await h.wallet.claim(CHAIN, r.transactionHash, 'acme')).toMatchObject({ creditedMicroUsd: 7_000_000 });
    h.wallet.unlinkWallet(payer);
  });

  it('a deposit that would take a balance past 2^53 − 1 micro-USD stays pending, alerts, and blocks nothing else', async () => {
    const whale = h.ledger.accountByName('whale')!;
    const funding = h.ledger.accountByName('@funding')!;
    h.ledger.credit(whale.id, Number.MAX_SAFE_INTEGER + funding.balanceMicroUsd - 1_000_000); // @funding's total at its bound minus $1
    const before = balance('whale');
    const big = await transfer(c, usdc, other, treasury, 5_000_000n);
    await expect(h.wallet.claim(CHAIN, big.transactionHash, 'whale')).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('NOT credited') });
    expect(balance('whale')).toBe(before);
    expect(h.wallet.listDeposits({ account: 'whale' })).toMatchObject([{ status: 'pending', amountMicroUsd: 5_000_000 }]);
    expect(h.alerts.filter((a) => a.kind === 'deposit_refused')).toHaveLength(1);
    // The watcher retries it without failing the chain, once, and still credits what fits.
    const small = await transfer(c, usdc, other, treasury, 400_000n);
    await h.wallet.claim(CHAIN, small.transactionHash, 'acme');
    await h.wallet.syncNow();
    expect(h.wallet.getChain(CHAIN)).toMatchObject({ status: 'live', lastError: null });
    expect(h.wallet.listDeposits({ account: 'whale' })).toMatchObject([{ status: 'pending' }]);
    expect(h.alerts.filter((a) => a.kind === 'deposit_refused')).toHaveLength(1);
    expect(balance('whale')).toBe(before);
    const lines = h.sqlite.prepare('SELECT posting_id, SUM(amount_micro_usd) s FROM journal_lines GROUP BY posting_id HAVING s != 0').all();
    expect(lines).toEqual([]);
  });

  it('checks that the RPC serves the configured chain before believing a receipt', async () => {
    const port = await freePort();
    // Chain 999 configured while its RPC is down; then something serving chain 31337 answers on that URL.
    const off = await h.wallet.setChain({ chainId: 999, rpcUrl: `http://127.0.0.1:${port}`, treasury, confirmations: 1, tokens: [{ symbol: 'USDC', contract: usdc, decimals: 6 }] });
    expect(off.warnings[0]).toContain('could not reach');
    const impostor = await startAnvil(port);
    try {
      const ic = chainClient(impostor.url);
      const [o, p] = await accounts(ic);
      const token = await deployToken(ic, o, 'USD Coin', 'USDC', 6);
      expect(token).toBe(usdc); // same deployer, same nonce: the configured contract address exists there too
      await mint(ic, token, o, p, 10n ** 9n);
      const r = await transfer(ic, token, p, treasury, 1_000_000n);
      await expect(h.wallet.claim(999, r.transactionHash as Hex, 'acme')).rejects.toMatchObject({ code: 'rpc_error', message: expect.stringContaining('serves chain 31337, not chain 999') });
      expect(h.wallet.listDeposits({ chainId: 999 })).toEqual([]);
    } finally { await impostor.stop(); h.wallet.removeChain(999); }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}
