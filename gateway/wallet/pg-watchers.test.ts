/**
 * The wallet on PostgreSQL with two gateway instances (two pools, two PgLedgers, two wallets) on one database and a
 * real anvil chain: one deposit watcher per chain (advisory lock), a deposit credited exactly once, and when the lock
 * holder's connection dies the other instance takes the chain over and credits the next deposit. Claims and signed
 * links run on the same store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Address } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { usePostgres } from '../../test/helpers/pg';
import { migratePg, pgPool, type Pg } from '../ledger/pg/connect';
import { PgLedger } from '../ledger/pg/pg-ledger';
import { createWallet, depositKey, type Wallet } from './index';
import { PgWalletStore } from './pg-store';
import { openCore } from '../core';
import { tempDir } from '../../test/helpers/stack';
import { accounts, chainClient, deployToken, mint, startAnvil, transfer, waitFor, type Anvil, type ChainClient } from './test-anvil';

const pg = usePostgres();
const CHAIN = 31337;
const WATCH_LOCK = 0x676f6777;
let anvil: Anvil;
let c: ChainClient;
let alice: Address, bob: Address, owner: Address, usdc: Address;
const treasury = '0x000000000000000000000000000000000000bEEF' as Address;

interface Instance { sql: Pg; ledger: PgLedger; wallet: Wallet<'async'>; alerts: string[]; close(): Promise<void> }
const instances: Instance[] = [];

async function instance(url: string): Promise<Instance> {
  const sql = pgPool(url, 4);
  const ledger = await PgLedger.open(sql, { log: () => {} });
  const alerts: string[] = [];
  const wallet = createWallet({ store: new PgWalletStore(sql, ledger), ledger, alert: (kind) => alerts.push(kind), pollIntervalMs: 100, maxBackoffMs: 400, rpcTimeoutMs: 2000 });
  const it: Instance = { sql, ledger, wallet, alerts, close: async () => { await wallet.stop(); await ledger.close().catch(() => {}); await sql.end({ timeout: 1 }); } };
  instances.push(it);
  return it;
}

beforeAll(async () => {
  anvil = await startAnvil();
  c = chainClient(anvil.url);
  [owner, alice, bob] = await accounts(c);
  usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  for (const who of [alice, bob]) await mint(c, usdc, owner, who, 1_000_000_000n);
}, 60_000);
afterAll(async () => {
  for (const i of instances) await i.close().catch(() => {});
  await anvil?.stop();
});

const topups = async (sql: Pg, key: string) => (await sql`SELECT count(*)::int AS n FROM journal_postings WHERE idempotency_key = ${key}`)[0].n as number;
const lockHolders = async (sql: Pg) => (await sql`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = ${WATCH_LOCK} AND objid = ${CHAIN}`).length;

describe('wallet on PostgreSQL, two instances', () => {
  it('one watcher per chain; a deposit is credited once; when the holder dies the other takes over and credits the next', async () => {
    const url = await pg.freshDatabase();
    await migratePg(url);
    const a = await instance(url);
    const b = await instance(url);
    const acme = await a.ledger.createAccount('acme');
    await a.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 2, tokens: [{ symbol: 'USDC', contract: usdc }] });
    expect(await b.wallet.getChain(CHAIN)).toMatchObject({ chainId: CHAIN, tokens: [{ symbol: 'USDC', decimals: 6 }] });
    expect(await b.wallet.linkWallet('acme', alice)).toMatchObject({ address: alice, account: 'acme', adoptedDeposits: 0 });
    a.wallet.start();
    b.wallet.start();
    await waitFor(async () => (await lockHolders(a.sql)) === 1, 5000, 'one watcher lock');
    await waitFor(async () => (await a.wallet.getChain(CHAIN))?.status === 'live', 5000, 'live');

    const first = await transfer(c, usdc, alice, treasury, 7_000_000n);
    await c.mine({ blocks: 1 });
    const key1 = depositKey(CHAIN, first.transactionHash, 0);
    await waitFor(async () => (await b.wallet.listDeposits()).some((d) => d.txHash === first.transactionHash && d.status === 'credited'), 8000, 'first credited');
    await new Promise((r) => setTimeout(r, 500)); // several more passes of both watchers
    expect(await topups(a.sql, key1)).toBe(1);
    expect(await a.ledger.account(acme.id)).toMatchObject({ balanceMicroUsd: 7_000_000 });
    expect(await lockHolders(a.sql)).toBe(1);
    // Only the lock holder scanned and credited: one alert, in one instance.
    const credited = instances.filter((i) => i.alerts.includes('deposit_credited'));
    expect(credited).toHaveLength(1);
    expect(credited[0].alerts.filter((k) => k === 'deposit_credited')).toHaveLength(1);
    const [holder, other] = credited[0] === a ? [a, b] : [b, a];

    // The holder dies: its connections go (as with kill -9), PostgreSQL releases its lock, the other takes the chain over.
    await holder.sql.end({ timeout: 0 });
    await waitFor(async () => (await lockHolders(other.sql)) === 1, 5000, 'takeover');
    const second = await transfer(c, usdc, alice, treasury, 3_000_000n);
    await c.mine({ blocks: 1 });
    await waitFor(async () => (await other.wallet.listDeposits()).some((d) => d.txHash === second.transactionHash && d.status === 'credited'), 8000, 'second credited');
    expect(await topups(other.sql, depositKey(CHAIN, second.transactionHash, 0))).toBe(1);
    expect(await topups(other.sql, key1)).toBe(1);
    expect(await other.ledger.account(acme.id)).toMatchObject({ balanceMicroUsd: 10_000_000 });
    expect(other.alerts.filter((k) => k === 'deposit_credited')).toHaveLength(1);
    // A stopped watcher gives the chain up at once.
    await other.wallet.stop();
    expect(await lockHolders(other.sql)).toBe(0);
  }, 60_000);

  it('claims, signed links and deposit requests on PostgreSQL; a claim credits once whoever races', async () => {
    const url = await pg.freshDatabase();
    await migratePg(url);
    const a = await instance(url);
    const b = await instance(url);
    await a.ledger.createAccount('team');
    await a.ledger.createAccount('other');
    await a.wallet.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 1, tokens: [{ symbol: 'USDC', contract: usdc }] });
    const tx = await transfer(c, usdc, bob, treasury, 2_500_000n);
    // Both instances claim the same transfer at once: one posting.
    const [r1, r2] = await Promise.all([a.wallet.claim(CHAIN, tx.transactionHash, 'team'), b.wallet.claim(CHAIN, tx.transactionHash, 'team')]);
    expect(r1.creditedMicroUsd + r2.creditedMicroUsd).toBe(2_500_000);
    expect(await topups(a.sql, depositKey(CHAIN, tx.transactionHash, 0))).toBe(1);
    expect((await a.ledger.accountByName('team'))!.balanceMicroUsd).toBe(2_500_000);
    await expect(b.wallet.claim(CHAIN, tx.transactionHash, 'other')).rejects.toThrow(/already credited to account team/);

    // A signed ownership proof links once; the nonce cannot be used twice, from any instance.
    const payer = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
    const ch = await a.wallet.ownershipChallenge('other', payer.address, CHAIN);
    const signature = await payer.signMessage({ message: ch.message });
    expect(await b.wallet.linkWallet('other', payer.address, { message: ch.message, signature })).toMatchObject({ verified: true });
    await expect(a.wallet.linkWallet('other', payer.address, { message: ch.message, signature })).rejects.toThrow(/already used|not one this gateway issued/);
    expect(await a.wallet.listLinkedWallets()).toMatchObject([{ address: payer.address, account: 'other', verified: true }]);
    await expect(a.wallet.linkWallet('team', payer.address)).rejects.toThrow(/already linked to account other/);
    expect(await b.wallet.depositRequest(CHAIN, 'USDC', 1_000_000)).toMatchObject({ treasury, contract: usdc, amountRaw: '1000000' });
    await b.wallet.unlinkWallet(payer.address);
    expect(await a.wallet.listLinkedWallets()).toEqual([]);
    // Two instances link one new payer to two accounts at once: one link stands, the other is told.
    const raced = await Promise.allSettled([a.wallet.linkWallet('team', owner), b.wallet.linkWallet('other', owner)]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((raced.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message).toMatch(/already linked to account (team|other)/);
    expect(await a.wallet.listLinkedWallets()).toHaveLength(1);
  }, 60_000);
});

describe('the PostgreSQL core loads the wallet (what serve starts)', () => {
  it('core.wallet() on a PostgreSQL core is the shared wallet: a chain set through one core is listed by another', async () => {
    const url = await pg.freshDatabase();
    const [one, two] = [await openCore({ dataDir: tempDir(), databaseUrl: url }), await openCore({ dataDir: tempDir(), databaseUrl: url })];
    try {
      const w1 = await one.wallet();
      await w1.setChain({ chainId: CHAIN, rpcUrl: anvil.url, treasury, confirmations: 2, tokens: [{ symbol: 'USDC', contract: usdc }] });
      const listed = await (await two.wallet()).listChains();
      expect(listed.map((ch) => ch.chainId)).toEqual([CHAIN]);
      // serve's probe (startWalletWhenConfigured) reads the same table through the reader, either dialect.
      expect((await two.reader.get<{ n: number }>('SELECT count(*) AS n FROM chains WHERE enabled'))?.n).toBe(1);
    } finally {
      await (one.loadedWallet()?.stop());
      await (two.loadedWallet()?.stop());
      await one.close();
      await two.close();
    }
  }, 60_000);
});
