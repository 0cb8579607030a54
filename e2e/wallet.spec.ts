/**
 * The Wallet screen end to end, headless mode: a real anvil with a 6-decimal USDC-like token, the chain and
 * a payer link configured with the `gogogo` CLI, then a real `gogogo serve` (watcher polling every 200 ms).
 * A payment from the linked payer shows up pending with its confirmations, turns credited once blocks are
 * mined, and the account balance rises; a payment from an unknown wallet waits unassigned until assigned;
 * a stopped node shows as a chain error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import type { Address } from 'viem';
import { accounts, chainClient, deployToken, mint, startAnvil, transfer, type Anvil } from '../gateway/wallet/test-anvil';
import { run, startUntil, type Started } from './fixtures/processes';
import { AdminApp } from './pages/admin-app';
import { AccountsPage } from './pages/screens-page';
import { WalletPage } from './pages/wallet-page';

const CHAIN = 31337;
const TREASURY: Address = '0x000000000000000000000000000000000000bEEF';
const ENV = { GOGOGO_FROM_SOURCE: '1', GOGOGO_WALLET_POLL_MS: '200' };

let anvil: Anvil;
let serve: (Started & { matches: RegExpMatchArray[] }) | null = null;
let dataDir: string;

test.afterEach(async () => {
  await serve?.stop();
  await anvil?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a pending deposit turns credited on the Wallet screen', async ({ page }) => {
  anvil = await startAnvil();
  const c = chainClient(anvil.url);
  const [owner, payer, stranger] = await accounts(c);
  const usdc = await deployToken(c, owner, 'USD Coin', 'USDC', 6);
  for (const who of [payer, stranger]) await mint(c, usdc, owner, who, 1_000_000_000n);

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gogogo-e2e-wallet-'));
  const gogogo = (...args: string[]) => run('node', ['bin/gogogo.mjs', ...args, '--data-dir', dataDir], ENV);
  await gogogo('chain', 'set', String(CHAIN), '--rpc-url', anvil.url, '--treasury', TREASURY, '--token', `USDC=${usdc}:6`, '--confirmations', '3');
  await gogogo('wallet', 'link', 'default', payer);
  serve = await startUntil('node', ['bin/gogogo.mjs', 'serve', '--port', '0', '--data-dir', dataDir], [/^listening on (http\S+)/, /^admin on (http\S+)/], ENV);

  const app = new AdminApp(page);
  await app.open(serve.matches[1][1]);
  await app.go('wallet');
  const wallet = new WalletPage(page);
  await expect(wallet.chainStatus(CHAIN)).toHaveText('live');
  await expect(wallet.treasury()).toHaveText(TREASURY);
  await expect(wallet.linkedAddresses()).toHaveText([payer]);
  await expect(page.getByTestId('pending-empty')).toBeVisible();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  // The QR carries the EIP-681 request for the chosen token and amount (12.50 USDC = 12500000 raw units).
  const eip681 = await wallet.requestAmount('12.50', '12500000');
  expect(eip681).toBe(`ethereum:${usdc}@${CHAIN}/transfer?address=${TREASURY}&uint256=12500000`);
  await expect(wallet.qr()).toHaveAttribute('src', /^data:image\/svg\+xml/);

  // The linked payer pays: seen within a poll, pending at 1 of 3 confirmations (its own block).
  await transfer(c, usdc, payer, TREASURY, 12_500_000n);
  await expect(wallet.pendingRows()).toHaveCount(1);
  await expect(wallet.pendingRows().first().getByTestId('deposit-amount')).toHaveText('$12.50');
  await expect(wallet.pendingRows().first().getByTestId('deposit-confirmations')).toHaveText('1 / 3 confirmations');
  await c.mine({ blocks: 1 });
  await expect(wallet.pendingRows().first().getByTestId('deposit-confirmations')).toHaveText('2 / 3 confirmations');
  await app.shot('10-wallet-pending');

  await c.mine({ blocks: 1 });
  await expect(wallet.historyRows()).toHaveCount(1);
  await expect(wallet.pendingRows()).toHaveCount(0);
  await expect(wallet.historyRows().first().getByTestId('deposit-amount')).toHaveText('$12.50');
  await expect(wallet.historyRows().first().getByTestId('deposit-status')).toHaveText('credited');
  await app.shot('11-wallet-credited');

  // An unknown wallet pays: it waits unassigned until the operator assigns it (deep enough: credited at once).
  await transfer(c, usdc, stranger, TREASURY, 2_000_000n);
  await expect(wallet.unassignedRows()).toHaveCount(1);
  await c.mine({ blocks: 2 });
  await wallet.assign(0, 'default');
  await expect(wallet.unassignedRows()).toHaveCount(0);
  await expect(wallet.historyRows()).toHaveCount(2);

  await app.go('accounts');
  await expect(new AccountsPage(page).balance()).toHaveText('$14.50');

  // The node goes away: the chain's status says so, with the RPC's error.
  await app.go('wallet');
  await anvil.stop();
  await expect(wallet.chainStatus(CHAIN)).toHaveText('error');
  await expect(wallet.chain(CHAIN).getByTestId('chain-error')).not.toBeEmpty();
  await app.shot('12-wallet-chain-error');
  expect(app.errors).toEqual([]);
});
